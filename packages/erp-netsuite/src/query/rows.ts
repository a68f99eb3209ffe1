import { IDEMPOTENT_HEADER } from '@plumbline/client-core';
import type { NetSuiteClient } from '../client.js';
import { NetSuiteArgumentError, SuiteqlRowError, SuiteqlScanError } from '../errors.js';
import { pageHasMore } from '../records/paging.js';
import { isSuiteqlQuery, type SuiteqlQuery, suiteql, untrustedFragmentProblem } from './suiteql.js';

/** NetSuite returns at most this many rows of one query through limit/offset paging. */
export const SUITEQL_MAX_ROWS = 100_000;
/** Largest (and default) SuiteQL page. */
export const SUITEQL_MAX_PAGE = 1000;

/** A SuiteQL row as NetSuite returns it: lower-case columns, values mostly strings. */
export type SuiteqlRow = Record<string, unknown>;

/** One page of the query service. */
export interface SuiteqlPageResult {
  items: SuiteqlRow[];
  hasMore: boolean;
  count?: number;
  offset?: number;
  totalResults?: number;
  links?: { rel: string; href: string }[];
}

/** The minimal shape of a zod (or compatible) schema: `safeParse`. */
export interface RowSchema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

export interface SuiteqlRowsOptions<T> {
  /** Rows per request, 1 to 1000. Default 1000. */
  pageSize?: number;
  /** Validate (and transform) each row; a bad row throws SuiteqlRowError naming the row and field. */
  schema?: RowSchema<T>;
  signal?: AbortSignal;
  /**
   * `auto` (default): when the query matches more rows than limit/offset paging can reach
   * (100,000), scan it in `id` order with a keyset continuation (`WHERE id > last`), which needs an
   * `id` column that is unique per row. `never`: throw SuiteqlScanError instead.
   */
  keyset?: 'auto' | 'never';
  /**
   * Rows one query can page through with limit/offset. Default NetSuite's 100,000; lower it only
   * for an emulator started with the same `suiteqlRowCap`.
   */
  maxRows?: number;
  /** Called after each page with where the scan is. */
  onPage?: (info: { offset: number; rows: number; totalResults?: number; keyset: boolean }) => void;
}

/** The text of a query made by `suiteql`; anything else is refused, raw strings included. */
export function queryText(query: SuiteqlQuery): string {
  if (isSuiteqlQuery(query)) return query.q;
  const problem =
    typeof query === 'string'
      ? 'is a string; raw SuiteQL text is accepted only through suiteql.raw(text), and values belong in suiteql`…` interpolations'
      : (untrustedFragmentProblem(query) ??
        `must be a query made by suiteql\`…\` (or suiteql.raw(text)), got ${query === null ? 'null' : typeof query}`);
  throw new NetSuiteArgumentError('query', problem);
}

/** One page of a SuiteQL query (`POST /query/v1/suiteql`, `Prefer: transient`). */
export async function suiteqlPage(
  client: NetSuiteClient,
  query: SuiteqlQuery,
  page: { limit?: number; offset?: number; signal?: AbortSignal } = {},
): Promise<SuiteqlPageResult> {
  const limit = page.limit ?? SUITEQL_MAX_PAGE;
  const offset = page.offset ?? 0;
  const { data } = await client.POST('/query/v1/suiteql', {
    params: { header: { Prefer: 'transient' }, query: { limit, offset } },
    body: { q: queryText(query) },
    // A query reads only: safe to repeat after a timeout or a 5xx.
    headers: { [IDEMPOTENT_HEADER]: '1' },
    ...(page.signal ? { signal: page.signal } : {}),
  });
  if (!data) return { items: [], hasMore: false };
  const result = data as SuiteqlPageResult;
  return { ...result, items: result.items ?? [], hasMore: pageHasMore(result, offset) };
}

/** A row without its `links`, validated by `schema` when given (SuiteqlRowError names row `index`). */
export function checkedRow<T>(raw: SuiteqlRow, index: number, schema?: RowSchema<T>): T {
  const { links: _links, ...row } = raw;
  if (!schema) return row as T;
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  throw new SuiteqlRowError(
    index,
    row.id === undefined ? undefined : String(row.id),
    parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

/**
 * Removes a trailing top-level `ORDER BY ...` (and `;`) so the query can be wrapped in
 * `SELECT * FROM (...) ORDER BY id`.
 */
export function stripTrailingOrderBy(sql: string): string {
  let depth = 0;
  let lastOrder = -1;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'") {
      i++;
      while (i < sql.length) {
        if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (
      depth === 0 &&
      /^order\s+by\b/i.test(sql.slice(i, i + 12)) &&
      /\W/.test(sql[i - 1] ?? ' ')
    ) {
      lastOrder = i;
    }
    i++;
  }
  const body = lastOrder === -1 ? sql : sql.slice(0, lastOrder);
  return body.replace(/;\s*$/, '').trim();
}

/** The last id of a window as a literal: a number for internal ids, else a string. */
function idValue(id: unknown): string | bigint {
  const text = String(id);
  return /^-?\d+$/.test(text) ? BigInt(text) : text;
}

/**
 * Every row of a SuiteQL query as an async iterator. Pages of up to 1,000 rows are fetched with
 * offsets that are multiples of the page size. When the query matches more rows than NetSuite's
 * 100,000-row paging window, the scan runs in `id` order and continues past each window with
 * `WHERE id > <last id>`, so every row is returned once, in order, without the caller writing it.
 */
export async function* suiteqlRows<T = SuiteqlRow>(
  client: NetSuiteClient,
  query: SuiteqlQuery,
  options: SuiteqlRowsOptions<T> = {},
): AsyncGenerator<T> {
  const limit = options.pageSize ?? SUITEQL_MAX_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > SUITEQL_MAX_PAGE) {
    throw new SuiteqlScanError(
      'SUITEQL_INVALID_OPTION',
      `pageSize must be a whole number from 1 to ${SUITEQL_MAX_PAGE}, got ${String(options.pageSize)}`,
    );
  }
  const maxRows = options.maxRows ?? SUITEQL_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < limit) {
    throw new SuiteqlScanError(
      'SUITEQL_INVALID_OPTION',
      `maxRows must be a whole number no smaller than pageSize (${limit}), got ${String(options.maxRows)}`,
    );
  }
  const text = queryText(query);
  const signal = options.signal;
  // The last offset whose page stays inside the 100,000-row window.
  const lastOffset = Math.floor((maxRows - limit) / limit) * limit;
  let index = 0;

  const emit = function* (rows: SuiteqlRow[]): Generator<T> {
    for (const raw of rows) yield checkedRow(raw, index++, options.schema);
  };

  const first = await suiteqlPage(client, query, {
    limit,
    offset: 0,
    ...(signal ? { signal } : {}),
  });
  const total = first.totalResults;
  const reachable = lastOffset + limit;
  const needsKeyset = total !== undefined ? total > reachable : false;

  if (!needsKeyset) {
    let page = first;
    let offset = 0;
    for (;;) {
      options.onPage?.({
        offset,
        rows: page.items.length,
        ...(page.totalResults === undefined ? {} : { totalResults: page.totalResults }),
        keyset: false,
      });
      yield* emit(page.items);
      if (!page.hasMore || page.items.length === 0) return;
      offset += limit;
      if (offset > lastOffset) {
        throw new SuiteqlScanError(
          'SUITEQL_RESULT_CAP',
          `the query has more than ${reachable} rows but NetSuite reported no totalResults, so the scan cannot switch to a keyset continuation safely; add "ORDER BY id" and a "WHERE id > ..." window yourself`,
        );
      }
      page = await suiteqlPage(client, query, { limit, offset, ...(signal ? { signal } : {}) });
    }
  }

  if (options.keyset === 'never') {
    throw new SuiteqlScanError(
      'SUITEQL_RESULT_CAP',
      `the query matches ${total} rows but NetSuite pages through at most ${maxRows}; narrow the query or allow keyset: 'auto'`,
    );
  }
  const sample = first.items[0];
  if (sample && !('id' in sample)) {
    throw new SuiteqlScanError(
      'SUITEQL_KEYSET_NEEDS_ID',
      `the query matches ${total} rows, more than NetSuite's ${maxRows}-row window, and continuing past it needs an "id" column: add "id" to the SELECT list (it must be unique per row)`,
    );
  }
  const inner = suiteql.raw(stripTrailingOrderBy(text));
  let lastId: unknown;
  for (;;) {
    const windowQuery =
      lastId === undefined
        ? suiteql`SELECT * FROM (\n${inner}\n) ORDER BY id`
        : suiteql`SELECT * FROM (\n${inner}\n) WHERE id > ${idValue(lastId)} ORDER BY id`;
    let offset = 0;
    for (;;) {
      const page = await suiteqlPage(client, windowQuery, {
        limit,
        offset,
        ...(signal ? { signal } : {}),
      });
      options.onPage?.({
        offset,
        rows: page.items.length,
        ...(page.totalResults === undefined ? {} : { totalResults: page.totalResults }),
        keyset: lastId !== undefined,
      });
      const tail = page.items[page.items.length - 1];
      if (tail && !('id' in tail)) {
        throw new SuiteqlScanError(
          'SUITEQL_KEYSET_NEEDS_ID',
          'a keyset continuation needs an "id" column in every row: add "id" to the SELECT list',
        );
      }
      yield* emit(page.items);
      if (!page.hasMore || page.items.length === 0) return;
      lastId = tail!.id;
      if (offset + limit > lastOffset) break;
      offset += limit;
    }
  }
}
