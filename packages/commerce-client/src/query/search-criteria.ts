import { CommerceInputError } from '../errors.js';

/** Every condition type Magento's searchCriteria understands (`eq` is the server default). */
export const CONDITION_TYPES = [
  'eq',
  'neq',
  'gt',
  'gteq',
  'lt',
  'lteq',
  'like',
  'nlike',
  'in',
  'nin',
  'finset',
  'nfinset',
  'from',
  'to',
  'moreq',
  'null',
  'notnull',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];
export type SortDirection = 'ASC' | 'DESC';

/** A scalar filter value. Dates are sent as Magento's `YYYY-MM-DD HH:MM:SS` in UTC. */
export type FilterScalar = string | number | boolean | Date;
export type FilterValue = FilterScalar | readonly FilterScalar[];

/** The wire shape of one filter (what Magento echoes back in `search_criteria`). */
export interface SearchFilter {
  field: string;
  value: string;
  condition_type?: string;
}
export interface SearchFilterGroup {
  filters?: SearchFilter[];
}
export interface SearchSortOrder {
  field: string;
  direction: string;
}
/** The structured searchCriteria the client serializes into Magento's bracketed query string. */
export interface SearchCriteria {
  filter_groups?: SearchFilterGroup[];
  sort_orders?: SearchSortOrder[];
  page_size?: number;
  current_page?: number;
}

/** What `build()` returns: `filter_groups` is always present (Magento's schema requires it). */
export type BuiltSearchCriteria = SearchCriteria & { filter_groups: SearchFilterGroup[] };

/** One filter given to `whereAny`: `[field, condition, value]` or an object. */
export type FilterInput<F extends string> =
  | readonly [field: F, condition: ConditionType, value?: FilterValue]
  | { field: F; condition?: ConditionType; value?: FilterValue };

const CONDITIONS = new Set<string>(CONDITION_TYPES);
const VALUELESS = new Set<string>(['null', 'notnull']);
const LIST_CONDITIONS = new Set<string>(['in', 'nin']);
const FIELD_PATTERN = /^[A-Za-z0-9_.]+$/;

/** Magento's datetime format, in UTC. */
export function formatMagentoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    throw new CommerceInputError('value', 'the Date is invalid (NaN); pass a valid Date');
  }
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

function scalarText(value: FilterScalar, where: string): string {
  if (value instanceof Date) return formatMagentoDate(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new CommerceInputError(
        where,
        `the number ${value} cannot be sent; pass a finite number`,
      );
    }
    return String(value);
  }
  if (typeof value === 'string') return value;
  throw new CommerceInputError(
    where,
    `expected a string, number, boolean or Date, got ${value === null ? 'null' : typeof value}`,
  );
}

function toFilter(
  field: string,
  condition: ConditionType,
  value: FilterValue | undefined,
  where: string,
): SearchFilter {
  if (typeof field !== 'string' || !FIELD_PATTERN.test(field)) {
    throw new CommerceInputError(
      `${where}.field`,
      `"${String(field)}" is not a field name (letters, digits, "_" and "." only)`,
    );
  }
  if (!CONDITIONS.has(condition)) {
    throw new CommerceInputError(
      `${where}.condition`,
      `"${String(condition)}" is not a Magento condition type; use one of ${CONDITION_TYPES.join(', ')}`,
    );
  }
  let text: string;
  if (VALUELESS.has(condition)) {
    // Magento ignores the value of null/notnull but its deserializer requires one.
    text = value === undefined ? '1' : scalarText(value as FilterScalar, `${where}.value`);
  } else if (value === undefined) {
    throw new CommerceInputError(`${where}.value`, `condition "${condition}" needs a value`);
  } else if (Array.isArray(value)) {
    if (!LIST_CONDITIONS.has(condition) && condition !== 'finset' && condition !== 'nfinset') {
      throw new CommerceInputError(
        `${where}.value`,
        `an array is only allowed with in, nin, finset or nfinset, not "${condition}"`,
      );
    }
    if (value.length === 0) {
      throw new CommerceInputError(
        `${where}.value`,
        `condition "${condition}" needs at least one value`,
      );
    }
    text = value
      .map((item, index) => {
        const itemText = scalarText(item, `${where}.value[${index}]`);
        if (itemText.includes(',')) {
          throw new CommerceInputError(
            `${where}.value[${index}]`,
            `"${itemText}" contains a comma, which Magento would split; ${condition} lists are comma-separated`,
          );
        }
        return itemText;
      })
      .join(',');
  } else {
    text = scalarText(value as FilterScalar, `${where}.value`);
  }
  return { field, value: text, condition_type: condition };
}

/**
 * An immutable, typed builder of Magento searchCriteria. Each `where` adds a filter group
 * (groups are ANDed); `whereAny` adds one group whose filters are ORed.
 *
 * ```ts
 * const criteria = searchCriteria<'status' | 'created_at'>()
 *   .where('status', 'in', ['pending', 'processing'])
 *   .where('created_at', 'gteq', new Date('2026-01-01'))
 *   .orderBy('created_at', 'DESC')
 *   .pageSize(100);
 * await client.GET('/V1/orders', { params: { query: criteria.toQuery() } });
 * ```
 */
export class SearchCriteriaBuilder<F extends string = string> {
  readonly #criteria: SearchCriteria;
  readonly #fields: string | undefined;

  constructor(criteria: SearchCriteria = {}, fields?: string) {
    this.#criteria = criteria;
    this.#fields = fields;
  }

  #with(patch: Partial<SearchCriteria>, fields = this.#fields): SearchCriteriaBuilder<F> {
    return new SearchCriteriaBuilder<F>({ ...this.#criteria, ...patch }, fields);
  }

  /** AND a filter: `where('sku', 'like', 'MB-%')`. */
  where(field: F, condition: ConditionType, value?: FilterValue): SearchCriteriaBuilder<F> {
    const index = this.#criteria.filter_groups?.length ?? 0;
    const filter = toFilter(field, condition, value, `filter_groups[${index}].filters[0]`);
    return this.#with({
      filter_groups: [...(this.#criteria.filter_groups ?? []), { filters: [filter] }],
    });
  }

  /** AND one group of ORed filters: `whereAny(['sku', 'eq', 'a'], ['name', 'like', '%a%'])`. */
  whereAny(...filters: FilterInput<F>[]): SearchCriteriaBuilder<F> {
    const index = this.#criteria.filter_groups?.length ?? 0;
    if (filters.length === 0) {
      throw new CommerceInputError(`filter_groups[${index}]`, 'whereAny needs at least one filter');
    }
    const built = filters.map((input, j) => {
      const where = `filter_groups[${index}].filters[${j}]`;
      if (Array.isArray(input)) {
        const [field, condition, value] = input as readonly [F, ConditionType, FilterValue?];
        return toFilter(field, condition, value, where);
      }
      const object = input as { field: F; condition?: ConditionType; value?: FilterValue };
      return toFilter(object.field, object.condition ?? 'eq', object.value, where);
    });
    return this.#with({
      filter_groups: [...(this.#criteria.filter_groups ?? []), { filters: built }],
    });
  }

  /** Add a sort order (applied in the order given). */
  orderBy(field: F, direction: SortDirection | 'asc' | 'desc' = 'ASC'): SearchCriteriaBuilder<F> {
    const index = this.#criteria.sort_orders?.length ?? 0;
    if (typeof field !== 'string' || !FIELD_PATTERN.test(field)) {
      throw new CommerceInputError(
        `sort_orders[${index}].field`,
        `"${String(field)}" is not a field name`,
      );
    }
    const upper = String(direction).toUpperCase();
    if (upper !== 'ASC' && upper !== 'DESC') {
      throw new CommerceInputError(
        `sort_orders[${index}].direction`,
        `"${String(direction)}" is not a direction; use ASC or DESC`,
      );
    }
    return this.#with({
      sort_orders: [...(this.#criteria.sort_orders ?? []), { field, direction: upper }],
    });
  }

  pageSize(size: number): SearchCriteriaBuilder<F> {
    if (!Number.isInteger(size) || size < 1) {
      throw new CommerceInputError('page_size', `${size} is not a positive integer`);
    }
    return this.#with({ page_size: size });
  }

  /** The 1-based page number (`currentPage`). */
  page(page: number): SearchCriteriaBuilder<F> {
    if (!Number.isInteger(page) || page < 1) {
      throw new CommerceInputError(
        'current_page',
        `${page} is not a positive integer (pages start at 1)`,
      );
    }
    return this.#with({ current_page: page });
  }

  /** A `fields=` projection, e.g. `items[sku,name,price],total_count`. */
  fields(projection: string): SearchCriteriaBuilder<F> {
    if (typeof projection !== 'string' || projection.trim() === '') {
      throw new CommerceInputError(
        'fields',
        'the projection is empty; e.g. "items[sku,name],total_count"',
      );
    }
    return this.#with({}, projection);
  }

  /** The structured criteria (a copy). */
  build(): BuiltSearchCriteria {
    const copy = structuredClone(this.#criteria);
    return { ...copy, filter_groups: copy.filter_groups ?? [] };
  }

  /** `{ searchCriteria, fields }` to pass as openapi-fetch `params.query`. */
  toQuery(): { searchCriteria: BuiltSearchCriteria; fields?: string } {
    return this.#fields === undefined
      ? { searchCriteria: this.build() }
      : { searchCriteria: this.build(), fields: this.#fields };
  }

  /** The encoded query string (without `?`), each value encoded exactly once. */
  toString(): string {
    return serializeQuery(this.toQuery());
  }
}

/** Start a searchCriteria. The type parameter narrows the field names: `searchCriteria<'sku' | 'name'>()`. */
export function searchCriteria<F extends string = string>(
  initial?: SearchCriteria,
): SearchCriteriaBuilder<F> {
  return new SearchCriteriaBuilder<F>(initial ? structuredClone(initial) : {});
}

function pair(key: string, value: string): string {
  // Brackets stay literal as in Adobe's documentation; only the value is percent-encoded.
  return `${key}=${encodeURIComponent(value)}`;
}

/** Serialize structured searchCriteria into Magento's bracketed form (snake_case groups, as Adobe documents). */
export function serializeSearchCriteria(
  criteria: SearchCriteria,
  prefix = 'searchCriteria',
): string[] {
  const parts: string[] = [];
  const groups = criteria.filter_groups ?? [];
  groups.forEach((group, i) => {
    (group.filters ?? []).forEach((filter, j) => {
      const base = `${prefix}[filter_groups][${i}][filters][${j}]`;
      parts.push(pair(`${base}[field]`, String(filter.field)));
      parts.push(pair(`${base}[value]`, String(filter.value)));
      if (filter.condition_type !== undefined) {
        parts.push(pair(`${base}[condition_type]`, String(filter.condition_type)));
      }
    });
  });
  (criteria.sort_orders ?? []).forEach((order, k) => {
    parts.push(pair(`${prefix}[sortOrders][${k}][field]`, String(order.field)));
    parts.push(pair(`${prefix}[sortOrders][${k}][direction]`, String(order.direction)));
  });
  if (criteria.page_size !== undefined)
    parts.push(pair(`${prefix}[pageSize]`, String(criteria.page_size)));
  if (criteria.current_page !== undefined) {
    parts.push(pair(`${prefix}[currentPage]`, String(criteria.current_page)));
  }
  // Magento refuses a list request without any searchCriteria parameter ("searchCriteria" is
  // required); criteria with nothing set ask for the first page without a size, i.e. everything.
  if (parts.length === 0) parts.push(pair(`${prefix}[currentPage]`, '1'));
  return parts;
}

function serializeValue(key: string, value: unknown, parts: string[]): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      serializeValue(`${key}[${index}]`, item, parts);
    });
    return;
  }
  if (value instanceof Date) {
    parts.push(pair(key, formatMagentoDate(value)));
    return;
  }
  if (typeof value === 'object') {
    for (const [child, childValue] of Object.entries(value)) {
      serializeValue(`${key}[${child}]`, childValue, parts);
    }
    return;
  }
  if (typeof value === 'boolean') {
    parts.push(pair(key, value ? '1' : '0'));
    return;
  }
  parts.push(pair(key, String(value)));
}

/**
 * The query serializer the commerce client hands to openapi-fetch: `searchCriteria` becomes
 * Magento's bracketed form, arrays become `name[0]=…&name[1]=…`, other values `name=value`.
 * Accepts a SearchCriteriaBuilder as the value of `searchCriteria` too.
 */
export function serializeQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (key === 'searchCriteria') {
      const criteria =
        value instanceof SearchCriteriaBuilder ? value.build() : (value as SearchCriteria);
      parts.push(...serializeSearchCriteria(criteria));
      if (value instanceof SearchCriteriaBuilder) {
        const fields = value.toQuery().fields;
        if (fields !== undefined && query.fields === undefined) parts.push(pair('fields', fields));
      }
      continue;
    }
    serializeValue(encodeURIComponent(key), value, parts);
  }
  return parts.join('&');
}
