import { paginate as paginatePages } from '@plumbline/client-core';
import type { Client } from 'openapi-fetch';
import { CommerceInputError, CommerceResponseError } from './errors.js';
import type { paths as CommercePaths } from './generated/schema.js';
import {
  formatMagentoDate,
  type SearchCriteria,
  SearchCriteriaBuilder,
  type SearchFilterGroup,
} from './query/search-criteria.js';

type SearchResponse<I> = {
  get: {
    responses: { 200: { content: { 'application/json': { items: I[]; total_count: number } } } };
  };
};

/** Paths of `Paths` whose GET answers a Magento search result `{items, total_count}`. */
export type SearchPath<Paths> = {
  [P in keyof Paths]: Paths[P] extends SearchResponse<unknown> ? P : never;
}[keyof Paths] &
  string;

/** The item type of a search path. */
export type SearchItem<Paths, P extends keyof Paths> =
  Paths[P] extends SearchResponse<infer I> ? I : never;

/**
 * Keyset (seek) paging: each page asks for rows after the last one seen, ordered by the key,
 * so rows inserted or updated while the scan runs are neither skipped nor repeated.
 * - `{ field: 'entity_id' }` (or `id`): a stable increasing id.
 * - `{ field: 'updated_at', tieBreaker: 'entity_id' }`: change-data scans; a row updated after it
 *   was read comes again with its newer `updated_at` (a new version, never the same version twice).
 */
export interface KeysetOptions {
  field: string;
  /** The unique id that orders rows sharing the same `field` value (required for non-unique fields). */
  tieBreaker?: string;
  /** Resume after this position (the `cursor` reported by `onPage`). */
  after?: KeysetCursor;
}

export interface KeysetCursor {
  value: string | number;
  id?: string | number;
}

export interface PageInfo<I> {
  /** 1-based page number (page mode) or the count of pages fetched (keyset mode). */
  page: number;
  items: I[];
  totalCount: number;
  /** Keyset mode: the position after this page, to resume a scan. */
  cursor?: KeysetCursor;
}

export interface PaginateOptions<I> {
  /** Filters (and, in page mode, sort orders) applied to every page. */
  criteria?: SearchCriteria | SearchCriteriaBuilder;
  /** Items per page; default the criteria's page size, else 100. */
  pageSize?: number;
  /** Extra params for every call (path params, `fields`). */
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  keyset?: KeysetOptions;
  /** Stop after this many pages (default: no limit). */
  maxPages?: number;
  signal?: AbortSignal;
  onPage?: (page: PageInfo<I>) => void;
}

const IDENTITY_FIELDS = ['entity_id', 'id', 'item_id', 'sku', 'source_code', 'bulk_uuid'];

function identity(item: unknown): string {
  if (item && typeof item === 'object') {
    const record = item as Record<string, unknown>;
    const parts = IDENTITY_FIELDS.filter((f) => record[f] !== undefined).map(
      (f) => `${f}=${String(record[f])}`,
    );
    if (parts.length > 0) return parts.join('&');
  }
  return JSON.stringify(item);
}

function toCriteria(criteria: PaginateOptions<unknown>['criteria']): SearchCriteria {
  if (criteria === undefined) return {};
  if (criteria instanceof SearchCriteriaBuilder) return criteria.build();
  if (typeof criteria !== 'object' || criteria === null) {
    throw new CommerceInputError(
      'criteria',
      'expected a SearchCriteria object or a searchCriteria() builder',
    );
  }
  return structuredClone(criteria);
}

function keyText(value: unknown, field: string): string | number {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Date) return formatMagentoDate(value);
  throw new CommerceInputError(
    `keyset.${field}`,
    `a row has no usable "${field}" (got ${value === undefined ? 'undefined' : typeof value}); keep it in any fields= projection`,
  );
}

interface PageState {
  page: number;
  cursor: KeysetCursor | undefined;
  previous: string | undefined;
  done: boolean;
}

/**
 * Iterate every item of a Magento search endpoint.
 *
 * Page mode (default) walks `currentPage` 1, 2, … and stops once `currentPage * pageSize >=
 * total_count`; it also stops if the server answers a page it already sent (old Magento returns
 * the last page again for a page past the end). Keyset mode (`keyset`) is for scans over data
 * that changes while it runs.
 */
export async function* paginate<
  Paths extends {} = CommercePaths,
  P extends SearchPath<Paths> = SearchPath<Paths>,
>(
  client: Client<Paths, any>,
  path: P,
  options: PaginateOptions<SearchItem<Paths, P>> = {},
): AsyncGenerator<SearchItem<Paths, P>> {
  type Item = SearchItem<Paths, P>;
  const base = toCriteria(options.criteria);
  const pageSize = options.pageSize ?? base.page_size ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new CommerceInputError('pageSize', `${pageSize} is not a positive integer`);
  }
  const keyset = options.keyset;
  if (keyset) {
    if (typeof keyset.field !== 'string' || keyset.field === '') {
      throw new CommerceInputError(
        'keyset.field',
        'name the ordering field, e.g. "entity_id" or "updated_at"',
      );
    }
    if (base.sort_orders?.length) {
      throw new CommerceInputError(
        'criteria.sort_orders',
        'keyset paging orders by the key itself; remove the sort orders',
      );
    }
  }

  const criteriaFor = (state: PageState): SearchCriteria => {
    if (!keyset) return { ...base, page_size: pageSize, current_page: state.page };
    const groups: SearchFilterGroup[] = [...(base.filter_groups ?? [])];
    const sort = [{ field: keyset.field, direction: 'ASC' }];
    if (keyset.tieBreaker) sort.push({ field: keyset.tieBreaker, direction: 'ASC' });
    const cursor = state.cursor;
    if (cursor) {
      if (keyset.tieBreaker && cursor.id !== undefined) {
        // (field > v) OR (field = v AND id > last)  ==  (field >= v) AND (field > v OR id > last)
        groups.push({
          filters: [{ field: keyset.field, value: String(cursor.value), condition_type: 'gteq' }],
        });
        groups.push({
          filters: [
            { field: keyset.field, value: String(cursor.value), condition_type: 'gt' },
            { field: keyset.tieBreaker, value: String(cursor.id), condition_type: 'gt' },
          ],
        });
      } else {
        groups.push({
          filters: [{ field: keyset.field, value: String(cursor.value), condition_type: 'gt' }],
        });
      }
    }
    return {
      ...base,
      filter_groups: groups,
      sort_orders: sort,
      page_size: pageSize,
      current_page: 1,
    };
  };

  const fetchPage = async (state: PageState, signal?: AbortSignal) => {
    if (state.done) return { state, items: [] as Item[], total: 0 };
    const query = { ...(options.params?.query ?? {}), searchCriteria: criteriaFor(state) };
    const get = client.GET as unknown as (
      url: string,
      init: unknown,
    ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    const result = await get(path, {
      params: { ...(options.params ?? {}), query },
      ...(signal ? { signal } : {}),
    });
    if (result.error !== undefined || result.data === undefined) {
      throw new CommerceResponseError(`GET ${path}`, result.response.status);
    }
    const data = result.data as { items?: Item[]; total_count?: number };
    const items = Array.isArray(data.items) ? data.items : [];
    return { state, items, total: Number(data.total_count ?? items.length) };
  };

  const first: PageState = {
    page: keyset ? 1 : (base.current_page ?? 1),
    cursor: keyset?.after,
    previous: undefined,
    done: false,
  };
  let pagesSeen = 0;
  const pages = paginatePages({
    first,
    fetchPage,
    next: (page, state) => {
      pagesSeen++;
      if (options.maxPages !== undefined && pagesSeen >= options.maxPages) return undefined;
      if (page.items.length === 0) return undefined;
      if (keyset) {
        if (page.items.length < pageSize) return undefined;
        const last = page.items[page.items.length - 1] as Record<string, unknown>;
        const cursor: KeysetCursor = { value: keyText(last[keyset.field], keyset.field) };
        if (keyset.tieBreaker) cursor.id = keyText(last[keyset.tieBreaker], keyset.tieBreaker);
        if (state.cursor && cursor.value === state.cursor.value && cursor.id === state.cursor.id) {
          return undefined; // no progress: the server ignored the filter
        }
        return { page: state.page + 1, cursor, previous: undefined, done: false };
      }
      if (state.page * pageSize >= page.total) return undefined;
      return {
        page: state.page + 1,
        cursor: undefined,
        previous: page.items.map(identity).join('|'),
        done: false,
      };
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });

  for await (const page of pages) {
    if (
      !keyset &&
      page.state.previous !== undefined &&
      page.items.map(identity).join('|') === page.state.previous
    ) {
      return; // Magento answered the last page again for a page past the end.
    }
    let cursor: KeysetCursor | undefined;
    if (keyset && page.items.length > 0) {
      const last = page.items[page.items.length - 1] as Record<string, unknown>;
      cursor = { value: keyText(last[keyset.field], keyset.field) };
      if (keyset.tieBreaker) cursor.id = keyText(last[keyset.tieBreaker], keyset.tieBreaker);
    }
    options.onPage?.({
      page: page.state.page,
      items: page.items,
      totalCount: page.total,
      ...(cursor ? { cursor } : {}),
    });
    yield* page.items;
  }
}
