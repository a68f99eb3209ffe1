import { ConfigError } from '@plumbline/client-core';
import type { SalesforceClient } from '../client.js';
import { BulkJobError } from '../errors.js';
import { pathSegment } from '../path.js';
import { parseRecord, type RecordSchema } from '../record-schema.js';
import { csvRecords } from './csv.js';
import { type BulkJobInfo, type PollOptions, pollJob } from './poll.js';

export interface BulkQueryOptions<T> {
  /** queryAll: include deleted and archived rows. */
  all?: boolean;
  /** Rows per results page (maxRecords). Default: Salesforce's choice. */
  maxRecords?: number;
  poll?: PollOptions;
  /** Validate and type each row (values are CSV text; empty fields become null). */
  schema?: RecordSchema<T>;
  onJob?: (job: BulkJobInfo) => void;
  signal?: AbortSignal;
}

/**
 * Bulk API 2.0 query: creates a query job, polls it with backoff, then streams the CSV results
 * page by page (`Sforce-Locator`), parsing each page as it arrives, so memory stays flat however
 * many rows there are. Rows are keyed by column (`Account.Name` for parent fields); empty
 * fields are null.
 */
export async function* bulkQuery<T = Record<string, string | null>>(
  client: SalesforceClient,
  soql: string,
  options: BulkQueryOptions<T> = {},
): AsyncGenerator<T> {
  if (typeof soql !== 'string' || soql.trim() === '')
    throw new ConfigError('soql', 'expected a SOQL statement');
  if (
    options.maxRecords !== undefined &&
    !(Number.isInteger(options.maxRecords) && options.maxRecords > 0)
  ) {
    throw new ConfigError(
      'maxRecords',
      `expected a positive integer, got ${String(options.maxRecords)}`,
    );
  }
  const signal = options.signal;
  const withSignal = (init: RequestInit): RequestInit => (signal ? { ...init, signal } : init);
  const created = await client.raw(
    'jobs/query',
    withSignal({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        operation: options.all ? 'queryAll' : 'query',
        query: soql,
        contentType: 'CSV',
        lineEnding: 'LF',
      }),
    }),
  );
  const job = (await created.json()) as BulkJobInfo;
  const final = await pollJob(client, 'query', job.id, options.poll, signal);
  options.onJob?.(final);
  if (final.state !== 'JobComplete') {
    throw new BulkJobError(
      job.id,
      final.state,
      `Bulk query job ${job.id} ended ${final.state}: ${final.errorMessage ?? 'no message'}.`,
    );
  }
  let locator: string | undefined;
  let index = 0;
  for (;;) {
    const params = new URLSearchParams();
    if (locator) params.set('locator', locator);
    if (options.maxRecords) params.set('maxRecords', String(options.maxRecords));
    const qs = params.toString();
    const response = await client.raw(
      `jobs/query/${pathSegment('jobId', job.id)}/results${qs ? `?${qs}` : ''}`,
      withSignal({}),
    );
    const next = response.headers.get('sforce-locator');
    for await (const record of csvRecords(response.body)) {
      const row: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(record)) row[k] = v === '' ? null : v;
      yield options.schema ? parseRecord(options.schema, row, index, 'Bulk query row') : (row as T);
      index++;
    }
    if (!next || next === 'null') return;
    locator = next;
  }
}
