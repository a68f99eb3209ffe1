import { ConfigError } from '@plumbline/client-core';
import type { SalesforceClient } from './client.js';
import { parseRecord, type RecordSchema } from './record-schema.js';

export interface QueryOptions<T> {
  /** Records per batch, 200..2000 (sent as `Sforce-Query-Options: batchSize=N`; a hint Salesforce may ignore). */
  batchSize?: number;
  /** Use queryAll: includes deleted and archived rows. */
  all?: boolean;
  /** zod (or compatible) schema each record is validated and typed with. */
  schema?: RecordSchema<T>;
  signal?: AbortSignal;
}

/** One page of a SOQL query's answer, as `queryPages` yields it. */
export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

function checkBatchSize(batchSize: number | undefined): void {
  if (batchSize === undefined) return;
  if (!Number.isInteger(batchSize) || batchSize < 200 || batchSize > 2000) {
    throw new ConfigError(
      'batchSize',
      `expected an integer from 200 to 2000, got ${String(batchSize)}`,
    );
  }
}

/** Every page of a SOQL query, following nextRecordsUrl until done. */
export async function* queryPages(
  client: SalesforceClient,
  soql: string,
  options: Omit<QueryOptions<unknown>, 'schema'> = {},
): AsyncGenerator<QueryPage> {
  if (typeof soql !== 'string' || soql.trim() === '')
    throw new ConfigError('soql', 'expected a SOQL statement');
  checkBatchSize(options.batchSize);
  const headers: Record<string, string> = {};
  if (options.batchSize !== undefined)
    headers['Sforce-Query-Options'] = `batchSize=${options.batchSize}`;
  const init: RequestInit = { headers };
  if (options.signal) init.signal = options.signal;
  const first = await client.raw(
    `${options.all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`,
    init,
  );
  let page = (await first.json()) as QueryPage;
  for (;;) {
    yield page;
    if (page.done || !page.nextRecordsUrl) return;
    const next = await client.raw(page.nextRecordsUrl, init);
    page = (await next.json()) as QueryPage;
  }
}

/**
 * An async iterator over every record a SOQL query returns, across all batches.
 * Type the records with a generic, or validate them with `schema`.
 */
export async function* query<T = Record<string, unknown>>(
  client: SalesforceClient,
  soql: string,
  options: QueryOptions<T> = {},
): AsyncGenerator<T> {
  const { schema, ...rest } = options;
  let index = 0;
  for await (const page of queryPages(client, soql, rest)) {
    for (const record of page.records) {
      yield schema ? parseRecord(schema, record, index, 'Query record') : (record as T);
      index++;
    }
  }
}

/** Collects a query into an array (for small results). */
export async function queryAll<T = Record<string, unknown>>(
  client: SalesforceClient,
  soql: string,
  options: QueryOptions<T> = {},
): Promise<T[]> {
  const out: T[] = [];
  for await (const record of query(client, soql, options)) out.push(record);
  return out;
}

/** A child subquery's value inside a record (`account.Contacts`): a nested query result or null. */
export interface ChildRecords<T = Record<string, unknown>> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/**
 * Every child record of a subquery value (`(SELECT … FROM Contacts)`), fetching the batches
 * Salesforce left behind `nextRecordsUrl` when a parent has many children. `null` (a parent
 * without children) yields nothing.
 */
export async function* childRecords<T = Record<string, unknown>>(
  client: SalesforceClient,
  value: ChildRecords<T> | null | undefined,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<T> {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || !Array.isArray(value.records))
    throw new ConfigError('value', 'expected a subquery result {totalSize, done, records} or null');
  const init: RequestInit = options.signal ? { signal: options.signal } : {};
  let page: ChildRecords<T> = value;
  for (;;) {
    yield* page.records;
    if (page.done || !page.nextRecordsUrl) return;
    page = (await (await client.raw(page.nextRecordsUrl, init)).json()) as ChildRecords<T>;
  }
}
