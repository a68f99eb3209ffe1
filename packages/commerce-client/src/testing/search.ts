import type { SearchCriteria, SearchFilter } from '../query/search-criteria.js';
import { MagentoFault } from './fault.js';

type Row = Record<string, unknown>;

/** Magento accepts both the camelCase (schema) and snake_case (docs) spellings. */
const ALIASES: Record<string, string> = {
  filterGroups: 'filter_groups',
  conditionType: 'condition_type',
  sortOrders: 'sort_orders',
  pageSize: 'page_size',
  currentPage: 'current_page',
};

function canonical(key: string): string {
  return ALIASES[key] ?? key;
}

/** Parse `searchCriteria[...]` query parameters (already decoded by URLSearchParams) into a structure. */
export function parseSearchCriteria(
  params: URLSearchParams,
): SearchCriteria & { present: boolean } {
  const root: Record<string, unknown> = {};
  let present = false;
  for (const [rawKey, value] of params) {
    if (!rawKey.startsWith('searchCriteria')) continue;
    present = true;
    const segments = [...rawKey.slice('searchCriteria'.length).matchAll(/\[([^\]]*)\]/g)].map((m) =>
      canonical(m[1] ?? ''),
    );
    if (segments.length === 0) continue;
    let node: Record<string, unknown> = root;
    segments.forEach((segment, index) => {
      if (index === segments.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (next === undefined || typeof next !== 'object' || next === null) {
        const created: Record<string, unknown> = {};
        node[segment] = created;
        node = created;
      } else {
        node = next as Record<string, unknown>;
      }
    });
  }
  const list = (value: unknown): Record<string, unknown>[] =>
    value && typeof value === 'object'
      ? Object.keys(value as object)
          .sort((a, b) => Number(a) - Number(b))
          .map((k) => (value as Record<string, unknown>)[k] as Record<string, unknown>)
      : [];
  const criteria: SearchCriteria & { present: boolean } = { present };
  const groups = list(root.filter_groups).map((group) => ({
    filters: list(group.filters).map((filter) => {
      const out: SearchFilter = {
        field: String(filter.field ?? ''),
        value: String(filter.value ?? ''),
      };
      if (filter.condition_type !== undefined) out.condition_type = String(filter.condition_type);
      return out;
    }),
  }));
  criteria.filter_groups = groups;
  const sorts = list(root.sort_orders).map((s) => ({
    field: String(s.field ?? ''),
    direction: String(s.direction ?? 'ASC').toUpperCase(),
  }));
  if (sorts.length > 0) criteria.sort_orders = sorts;
  if (root.page_size !== undefined) criteria.page_size = toInteger(root.page_size);
  if (root.current_page !== undefined) criteria.current_page = toInteger(root.current_page);
  return criteria;
}

function toInteger(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n)) {
    throw new MagentoFault(
      400,
      // Magento's TypeProcessor names the value it got, not the parameter.
      'The "%value" value\'s type is invalid. The "%type" type was expected. Verify and try again.',
      { value: String(value), type: 'int' },
    );
  }
  return n;
}

/** Read a field of an entity the way Magento's collections see it (columns, then custom attributes). */
export function fieldValue(row: Row, field: string): unknown {
  const name = field.includes('.') ? field.slice(field.lastIndexOf('.') + 1) : field;
  if (name in row) return row[name];
  const custom = row.custom_attributes;
  if (Array.isArray(custom)) {
    const hit = custom.find((a) => (a as Row).attribute_code === name) as Row | undefined;
    if (hit) return hit.value;
  }
  const ext = row.extension_attributes;
  if (ext && typeof ext === 'object' && name in (ext as Row)) return (ext as Row)[name];
  return undefined;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/**
 * Compare like MySQL under Magento's table collation (`utf8mb3_general_ci`, case-insensitive):
 * numbers numerically, text without regard to case.
 */
function compare(a: unknown, b: string): number {
  const left = a === true ? '1' : a === false ? '0' : String(a);
  if (NUMERIC.test(left) && NUMERIC.test(b)) return Number(left) - Number(b);
  const l = left.toLowerCase();
  const r = b.toLowerCase();
  return l < r ? -1 : l > r ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  // `i`: LIKE follows the column's case-insensitive collation, as `=` does.
  return new RegExp(`^${source}$`, 'is');
}

/** SQL NULL: a missing column, attribute or a null value (an empty string is a value). */
function isNull(v: unknown): boolean {
  return v === undefined || v === null;
}

function inSet(value: unknown, target: string): boolean {
  return String(value)
    .split(',')
    .some((member) => compare(member, target) === 0);
}

/**
 * Evaluate one Magento filter against a row with SQL's three-valued logic: Magento's MySQL
 * adapter (`prepareSqlCondition`) turns `neq`, `nin`, `nlike` and `nfinset` into `!=`,
 * `NOT IN`, `NOT LIKE` and `NOT FIND_IN_SET`, which are NULL (so the row is left out) when the
 * column is NULL; only `null` matches NULL rows.
 */
export function matchesFilter(row: Row, filter: SearchFilter): boolean {
  const value = fieldValue(row, filter.field);
  const condition = filter.condition_type ?? 'eq';
  const target = filter.value;
  if (condition === 'null') return isNull(value);
  if (condition === 'notnull') return !isNull(value);
  if (!Object.hasOwn(CONDITIONS, condition)) {
    throw new MagentoFault(400, 'Invalid condition type: %1', [condition]);
  }
  if (isNull(value)) return false;
  return (CONDITIONS[condition] as (value: unknown, target: string) => boolean)(value, target);
}

const list = (target: string) => target.split(',').map((t) => t.trim());

/** The non-NULL comparisons, by condition type. */
const CONDITIONS: Record<string, (value: unknown, target: string) => boolean> = {
  eq: (v, t) => compare(v, t) === 0,
  neq: (v, t) => compare(v, t) !== 0,
  gt: (v, t) => compare(v, t) > 0,
  gteq: (v, t) => compare(v, t) >= 0,
  moreq: (v, t) => compare(v, t) >= 0,
  from: (v, t) => compare(v, t) >= 0,
  lt: (v, t) => compare(v, t) < 0,
  lteq: (v, t) => compare(v, t) <= 0,
  to: (v, t) => compare(v, t) <= 0,
  like: (v, t) => likeToRegExp(t).test(String(v)),
  nlike: (v, t) => !likeToRegExp(t).test(String(v)),
  in: (v, t) => list(t).some((item) => compare(v, item) === 0),
  nin: (v, t) => !list(t).some((item) => compare(v, item) === 0),
  finset: (v, t) => inSet(v, t),
  nfinset: (v, t) => !inSet(v, t),
};

export interface SearchOutcome<T> {
  items: T[];
  search_criteria: SearchCriteria;
  total_count: number;
}

/**
 * Filter (groups ANDed, filters ORed), sort and page rows like Magento. A page past the end
 * answers the last page again, as Magento historically does (magento/magento2 #3787, #8099).
 */
export function runSearch<T extends object>(
  rows: Iterable<T>,
  criteria: SearchCriteria,
  maxPageSize?: number,
): SearchOutcome<T> {
  let matched = [...rows].filter((row) =>
    (criteria.filter_groups ?? []).every((group) => {
      const filters = group.filters ?? [];
      return filters.length === 0 || filters.some((f) => matchesFilter(row as Row, f));
    }),
  );
  const sorts = criteria.sort_orders ?? [];
  if (sorts.length > 0) {
    matched = matched.sort((a, b) => {
      for (const sort of sorts) {
        const av = fieldValue(a as Row, sort.field);
        const bv = fieldValue(b as Row, sort.field);
        const c = isNull(av) ? (isNull(bv) ? 0 : -1) : isNull(bv) ? 1 : compare(av, String(bv));
        if (c !== 0) return sort.direction === 'DESC' ? -c : c;
      }
      return 0;
    });
  }
  const total = matched.length;
  const echo: SearchCriteria = { filter_groups: criteria.filter_groups ?? [] };
  if (criteria.sort_orders) echo.sort_orders = criteria.sort_orders;
  let items = matched;
  if (criteria.page_size !== undefined && criteria.page_size > 0) {
    if (maxPageSize !== undefined && criteria.page_size > maxPageSize) {
      throw new MagentoFault(400, 'Maximum SearchCriteria pageSize is %max', { max: maxPageSize });
    }
    const size = criteria.page_size;
    const lastPage = Math.max(1, Math.ceil(total / size));
    const requested = Math.max(1, criteria.current_page ?? 1);
    const page = Math.min(requested, lastPage);
    items = matched.slice((page - 1) * size, page * size);
    echo.page_size = size;
    echo.current_page = requested;
  } else if (criteria.current_page !== undefined) {
    echo.current_page = criteria.current_page;
  }
  return { items, search_criteria: echo, total_count: total };
}

type Projection = Map<string, Projection | true>;

/** Parse a `fields=` projection such as `items[sku,name,extension_attributes[website_ids]],total_count`. */
export function parseFields(spec: string): Projection {
  let pos = 0;
  const parseList = (): Projection => {
    const out: Projection = new Map();
    while (pos < spec.length) {
      let name = '';
      while (pos < spec.length && !',[]'.includes(spec[pos] as string)) name += spec[pos++];
      name = name.trim();
      if (spec[pos] === '[') {
        pos++;
        const inner = parseList();
        pos++; // ]
        if (name) out.set(name, inner);
      } else if (name) {
        out.set(name, true);
      }
      if (spec[pos] === ',') {
        pos++;
        continue;
      }
      if (spec[pos] === ']' || pos >= spec.length) break;
    }
    return out;
  };
  return parseList();
}

/** Apply a projection to a response body (arrays are projected element by element). */
export function project(value: unknown, projection: Projection): unknown {
  if (Array.isArray(value)) return value.map((v) => project(v, projection));
  if (!value || typeof value !== 'object') return value;
  const out: Row = {};
  for (const [key, sub] of projection) {
    if (!(key in (value as Row))) continue;
    const child = (value as Row)[key];
    out[key] = sub === true ? child : project(child, sub);
  }
  return out;
}
