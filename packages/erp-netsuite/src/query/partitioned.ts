import { type ReadPartition, readPartitions } from '@plumbline/client-core';
import type { NetSuiteClient } from '../client.js';
import { SuiteqlScanError } from '../errors.js';
import { clientConcurrency, DEFAULT_ACCOUNT_CONCURRENCY } from '../governance.js';
import {
  checkedRow,
  queryText,
  type RowSchema,
  SUITEQL_MAX_PAGE,
  type SuiteqlRow,
  stripTrailingOrderBy,
  suiteqlPage,
} from './rows.js';
import { type SuiteqlQuery, suiteql } from './suiteql.js';

export interface SuiteqlPartitionedOptions<T> {
  /** Rows per request, 1 to 1000. Default 1000. */
  pageSize?: number;
  /** Validate (and transform) each row; a bad row throws SuiteqlRowError. */
  schema?: RowSchema<T>;
  /**
   * Id ranges read at once. Default: the cap of the client's limiter (the account's concurrency
   * limit, 5 by default); more is refused, since the extra requests would only queue.
   */
  concurrency?: number;
  /** Id ranges to split the scan into. Default 4 × concurrency (small ranges even out gaps in ids). */
  partitions?: number;
  /** `true`: rows in ascending id order (ranges are then read ahead, not consumed as they come). */
  ordered?: boolean;
  /** Pages each running range may read ahead of the consumer. Default 1 (4 when ordered). */
  readAhead?: number;
  signal?: AbortSignal;
}

/** An internal id as a bigint, or undefined for an id that is not a whole number. */
function numericId(value: unknown): bigint | undefined {
  const text = String(value);
  return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}

function checkOption(name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new SuiteqlScanError(
      'SUITEQL_INVALID_OPTION',
      `${name} must be a whole number from 1 to ${max}, got ${String(value)}`,
    );
  }
}

/** `count` ranges that together cover (after, last] and then everything above `last`. */
export function idRanges(
  after: bigint,
  last: bigint,
  count: number,
): { from: bigint; to?: bigint }[] {
  const span = last > after ? last - after : 0n;
  const parts = span < BigInt(count) ? Math.max(1, Number(span)) : count;
  const ranges: { from: bigint; to?: bigint }[] = [];
  for (let k = 0; k < parts; k++) {
    const from = after + (span * BigInt(k)) / BigInt(parts);
    const to = after + (span * BigInt(k + 1)) / BigInt(parts);
    ranges.push(k === parts - 1 ? { from } : { from, to });
  }
  return ranges;
}

/**
 * Every row of a SuiteQL query, read as id ranges in parallel. The first request is the query in
 * id order; when it is the only page, that is all (one request, as `suiteqlRows`). Otherwise one
 * more request reads the highest id, the ids above the first page are split into `partitions`
 * ranges, and `concurrency` of them are read at once, each with a keyset continuation
 * (`WHERE id > last AND id <= end ORDER BY id`, always offset 0), so no range meets NetSuite's
 * 100,000-row paging cap. A row that exists for the whole scan comes back exactly once; a row
 * inserted during it comes back when its id lies above where its range has got to, a deleted one
 * when its page was read before the delete. The last range has no upper end, so rows added above
 * the highest id during the scan are read too. Needs an `id` column that is unique per row.
 * A failing range stops the others and rejects with PartitionReadError (its `cause` is the
 * range's own error).
 */
export async function* suiteqlRowsPartitioned<T = SuiteqlRow>(
  client: NetSuiteClient,
  query: SuiteqlQuery,
  options: SuiteqlPartitionedOptions<T> = {},
): AsyncGenerator<T> {
  const pageSize = options.pageSize ?? SUITEQL_MAX_PAGE;
  checkOption('pageSize', pageSize, SUITEQL_MAX_PAGE);
  const cap = clientConcurrency(client) ?? DEFAULT_ACCOUNT_CONCURRENCY;
  checkOption('concurrency', options.concurrency, cap);
  checkOption('partitions', options.partitions);
  checkOption('readAhead', options.readAhead);
  const concurrency = options.concurrency ?? cap;
  const signal = options.signal;
  const at = signal ? { signal } : {};
  const inner = suiteql.raw(stripTrailingOrderBy(queryText(query)));
  let index = 0;

  const first = await suiteqlPage(client, suiteql`SELECT * FROM (\n${inner}\n) ORDER BY id`, {
    limit: pageSize,
    ...at,
  });
  const tail = first.items[first.items.length - 1];
  if (first.hasMore && tail && !('id' in tail)) {
    throw new SuiteqlScanError(
      'SUITEQL_KEYSET_NEEDS_ID',
      'a partitioned scan splits the query by id: add "id" to the SELECT list (it must be unique per row)',
    );
  }
  for (const raw of first.items) yield checkedRow(raw, index++, options.schema);
  if (!first.hasMore || !tail) return;

  const after = numericId(tail.id);
  const top = await suiteqlPage(client, suiteql`SELECT id FROM (\n${inner}\n) ORDER BY id DESC`, {
    limit: 1,
    ...at,
  });
  const last = numericId(top.items[0]?.id);
  if (after === undefined || last === undefined) {
    throw new SuiteqlScanError(
      'SUITEQL_KEYSET_NEEDS_ID',
      `a partitioned scan needs whole-number ids to split, got "${String(tail.id)}"; use suiteqlRows for this query`,
    );
  }
  const left = (first.totalResults ?? Number.POSITIVE_INFINITY) - first.items.length;
  const wanted = options.partitions ?? concurrency * 4;
  const count = Math.max(1, Math.min(wanted, Math.ceil(left / pageSize)));

  const partitions: ReadPartition<SuiteqlRow>[] = idRanges(after, last, count).map((range) => ({
    range:
      range.to === undefined ? `id > ${range.from}` : `id > ${range.from} AND id <= ${range.to}`,
    pages: (stop) => rangePages(client, inner, range, pageSize, stop),
  }));
  const ordered = options.ordered === true;
  for await (const page of readPartitions(partitions, {
    concurrency,
    ordered,
    readAhead: options.readAhead ?? (ordered ? 4 : 1),
    ...at,
  })) {
    for (const raw of page) yield checkedRow(raw, index++, options.schema);
  }
}

/** One id range, page by page, with `WHERE id > last` from offset 0 each time. */
async function* rangePages(
  client: NetSuiteClient,
  inner: SuiteqlQuery,
  range: { from: bigint; to?: bigint },
  pageSize: number,
  signal: AbortSignal,
): AsyncGenerator<SuiteqlRow[]> {
  let from = range.from;
  for (;;) {
    const q =
      range.to === undefined
        ? suiteql`SELECT * FROM (\n${inner}\n) WHERE id > ${from} ORDER BY id`
        : suiteql`SELECT * FROM (\n${inner}\n) WHERE id > ${from} AND id <= ${range.to} ORDER BY id`;
    const page = await suiteqlPage(client, q, { limit: pageSize, signal });
    if (page.items.length > 0) yield page.items;
    const end = page.items[page.items.length - 1];
    if (!page.hasMore || !end) return;
    const next = numericId(end.id);
    if (next === undefined || next <= from) {
      throw new SuiteqlScanError(
        'SUITEQL_KEYSET_NEEDS_ID',
        `the keyset continuation got the id "${String(end.id)}" after ${from}: ids must be whole numbers that grow in id order`,
      );
    }
    from = next;
  }
}
