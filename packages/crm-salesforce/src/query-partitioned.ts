import {
  ConfigError,
  type Limiter,
  type ReadPartition,
  readPartitions,
} from '@plumbline/client-core';
import type { SalesforceClient } from './client.js';
import { idToNumber, numberToId } from './ids.js';
import { queryPages } from './query.js';
import { parseRecord, type RecordSchema } from './record-schema.js';

/**
 * Salesforce caps concurrent long-running requests (20 s and longer) at 25 per org; a partitioned
 * read never asks for more at once.
 */
export const SALESFORCE_MAX_PARTITION_CONCURRENCY = 25;
/** Ranges read at once when the client's limiter does not say its cap. */
export const DEFAULT_PARTITION_CONCURRENCY = 8;

const limiters = new WeakMap<object, Limiter>();

/** Remembers the limiter a client sends its requests through (its cap bounds partitioned reads). */
export function rememberClientLimiter(client: object, limiter: Limiter | undefined): void {
  if (limiter) limiters.set(client, limiter);
}

export interface QueryPartitionedOptions<T> {
  /** Records per batch, 200..2000 (a hint Salesforce may ignore). */
  batchSize?: number;
  /** Use queryAll: includes deleted and archived rows. */
  all?: boolean;
  schema?: RecordSchema<T>;
  /**
   * Id ranges read at once: default the cap of the client's limiter, else 8; at most 25
   * (Salesforce's concurrent long-running request limit).
   */
  concurrency?: number;
  /** Id ranges to split the read into. Default 4 × concurrency. */
  partitions?: number;
  /** `true`: records in ascending Id order. */
  ordered?: boolean;
  /** Batches each running range may read ahead of the consumer. Default 1 (4 when ordered). */
  readAhead?: number;
  signal?: AbortSignal;
}

/** A SOQL statement cut into `SELECT … FROM Object` and its WHERE condition. */
interface SplitSoql {
  head: string;
  object: string;
  where?: string;
}

const REFUSED = /^(ORDER\s+BY|LIMIT|OFFSET|GROUP\s+BY|HAVING|FOR|WITH|USING)\b/i;

/** Splits a SOQL statement at its top-level FROM and WHERE (outside parentheses and quotes). */
export function splitSoql(soql: string): SplitSoql {
  let depth = 0;
  let from = -1;
  let where = -1;
  for (let i = 0; i < soql.length; i++) {
    const c = soql[i];
    if (c === "'") {
      for (i++; i < soql.length && soql[i] !== "'"; i++) if (soql[i] === '\\') i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (depth !== 0 || !/\s/.test(soql[i - 1] ?? ' ') || /\w/.test(c ?? '') === false) continue;
    const rest = soql.slice(i);
    if (from === -1 && /^FROM\s/i.test(rest)) from = i;
    else if (from !== -1 && where === -1 && /^WHERE\s/i.test(rest)) where = i;
    else if (from !== -1 && REFUSED.test(rest)) {
      throw new ConfigError(
        'soql',
        `a partitioned query adds its own Id ranges and ORDER BY Id, so it takes SELECT … FROM … [WHERE …] only; remove "${REFUSED.exec(rest)?.[0]}"`,
      );
    }
  }
  if (from === -1) throw new ConfigError('soql', 'expected SELECT … FROM Object [WHERE …]');
  const fromPart = soql.slice(from + 4, where === -1 ? undefined : where).trim();
  const object = /^\w+$/.test(fromPart) ? fromPart : '';
  if (!object) throw new ConfigError('soql', `expected one object after FROM, got "${fromPart}"`);
  const split: SplitSoql = { head: soql.slice(0, from).trim(), object };
  if (where !== -1) split.where = soql.slice(where + 5).trim();
  return split;
}

function statement(soql: SplitSoql, idCondition: string | undefined, order: string): string {
  const conditions = [soql.where && `(${soql.where})`, idCondition].filter(Boolean).join(' AND ');
  return `${soql.head} FROM ${soql.object}${conditions ? ` WHERE ${conditions}` : ''} ORDER BY ${order}`;
}

function whole(option: string, value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(option, `expected a whole number from 1 to ${max}, got ${String(value)}`);
  }
}

/** `count` ranges of 15-character ids covering (after, last] and everything above `last`. */
export function idRanges(
  after: string,
  last: string,
  count: number,
): { from: string; to?: string }[] {
  const lo = idToNumber(after);
  const span = idToNumber(last) > lo ? idToNumber(last) - lo : 0n;
  const parts = span < BigInt(count) ? Math.max(1, Number(span)) : count;
  return Array.from({ length: parts }, (_, k) => {
    const from = numberToId(lo + (span * BigInt(k)) / BigInt(parts));
    return k === parts - 1
      ? { from }
      : { from, to: numberToId(lo + (span * BigInt(k + 1)) / BigInt(parts)) };
  });
}

/**
 * Every record of a SOQL query, read as Id ranges in parallel (PK chunking). The first request is
 * the query in Id order; when its first batch is the last, that is all (one request, as `query`).
 * Otherwise one more request reads the highest Id, the Ids above the first batch are split into
 * `partitions` ranges (`Id > a AND Id <= b`, computed on the Ids' base-62 value), and
 * `concurrency` ranges are read at once, each through its own query cursor. A record that exists
 * for the whole read comes back exactly once; the last range has no upper end, so records created
 * during the read are included. A failing range stops the others: PartitionReadError, whose
 * `cause` is the range's SalesforceApiError (or other typed error).
 */
export async function* queryPartitioned<T = Record<string, unknown>>(
  client: SalesforceClient,
  soql: string,
  options: QueryPartitionedOptions<T> = {},
): AsyncGenerator<T> {
  if (typeof soql !== 'string' || soql.trim() === '')
    throw new ConfigError('soql', 'expected a SOQL statement');
  const split = splitSoql(soql.trim());
  const cap = Math.min(
    limiters.get(client)?.maxConcurrent ?? DEFAULT_PARTITION_CONCURRENCY,
    SALESFORCE_MAX_PARTITION_CONCURRENCY,
  );
  whole('concurrency', options.concurrency, cap);
  whole('partitions', options.partitions, Number.MAX_SAFE_INTEGER);
  whole('readAhead', options.readAhead, Number.MAX_SAFE_INTEGER);
  const concurrency = options.concurrency ?? cap;
  const { schema, signal, batchSize, all } = options;
  const pageOptions = {
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(all ? { all } : {}),
    ...(signal ? { signal } : {}),
  };
  let index = 0;
  const out = (record: unknown): T => {
    const at = index++;
    return schema ? parseRecord(schema, record, at, 'Query record') : (record as T);
  };

  const firstPages = queryPages(client, statement(split, undefined, 'Id'), pageOptions);
  const first = (await firstPages.next()).value;
  await firstPages.return(undefined);
  if (!first) return;
  for (const record of first.records) yield out(record);
  const tail = first.records[first.records.length - 1] as { Id?: unknown } | undefined;
  if (first.done || !tail) return;
  if (typeof tail.Id !== 'string') {
    throw new ConfigError('soql', 'a partitioned query splits by Id: add Id to the SELECT list');
  }
  const top = queryPages(
    client,
    `SELECT Id FROM ${split.object}${split.where ? ` WHERE ${split.where}` : ''} ORDER BY Id DESC LIMIT 1`,
    pageOptions,
  );
  const highest = ((await top.next()).value?.records[0] as { Id?: string } | undefined)?.Id;
  await top.return(undefined);
  if (!highest) return;
  const left = first.totalSize - first.records.length;
  const perBatch = batchSize ?? 2000;
  const wanted = options.partitions ?? concurrency * 4;
  const count = Math.max(1, Math.min(wanted, Math.ceil(left / perBatch)));
  const partitions: ReadPartition<unknown>[] = idRanges(tail.Id, highest, count).map((range) => {
    const condition =
      range.to === undefined
        ? `Id > '${range.from}'`
        : `Id > '${range.from}' AND Id <= '${range.to}'`;
    return {
      range: condition,
      pages: (stop) =>
        recordsOf(client, statement(split, condition, 'Id'), { ...pageOptions, signal: stop }),
    };
  });
  const ordered = options.ordered === true;
  for await (const page of readPartitions(partitions, {
    concurrency,
    ordered,
    readAhead: options.readAhead ?? (ordered ? 4 : 1),
    ...(signal ? { signal } : {}),
  })) {
    for (const record of page) yield out(record);
  }
}

async function* recordsOf(
  client: SalesforceClient,
  soql: string,
  options: { batchSize?: number; all?: boolean; signal: AbortSignal },
): AsyncGenerator<unknown[]> {
  for await (const page of queryPages(client, soql, options)) {
    if (page.records.length > 0) yield page.records;
  }
}
