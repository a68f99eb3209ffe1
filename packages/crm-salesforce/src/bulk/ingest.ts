import { ConfigError, sleep } from '@plumbline/client-core';
import type { SalesforceClient } from '../client.js';
import {
  BulkJobError,
  type BulkJobStage,
  RecordShapeError,
  SalesforceApiError,
  SalesforceResponseError,
} from '../errors.js';
import { pathSegment } from '../path.js';
import { csvRecords, csvValue, encodeCsvRow } from './csv.js';
import { type BulkJobInfo, type PollOptions, pollJob } from './poll.js';

export type BulkIngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

export interface BulkIngestOptions<R extends Record<string, unknown>> {
  object: string;
  operation: BulkIngestOperation;
  /** Required for upsert. */
  externalIdFieldName?: string;
  records: Iterable<R> | AsyncIterable<R>;
  /** CSV columns. Default: the keys of the first record (a later record with another key is refused). */
  columns?: string[];
  /**
   * Most CSV bytes per job. Salesforce takes at most 150 MB of base64-encoded upload per job,
   * so the default is 100,000,000 raw bytes; rows beyond it start another job.
   */
  maxUploadBytes?: number;
  poll?: PollOptions;
  /** Called with each job's final info. */
  onJob?: (job: BulkJobInfo) => void;
  /** Called after each job's results are in: rows read from `records` and rows reported so far. */
  onProgress?: (progress: { jobs: number; rowsRead: number; rowsReported: number }) => void;
  signal?: AbortSignal;
}

/** One input row's outcome. `index` is the row's position in `records`. */
export interface BulkIngestResult {
  index: number;
  jobId: string;
  status: 'success' | 'failed' | 'unprocessed';
  /** sf__Id: the record id (success; for failed updates the id that was given). */
  id?: string;
  /** sf__Created. */
  created?: boolean;
  /** sf__Error, e.g. "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --". */
  error?: string;
  /** The status code that starts sf__Error (`REQUIRED_FIELD_MISSING`), when it has one. */
  errorCode?: string;
  /** The row as Salesforce echoed it (original columns, CSV text). */
  row: Record<string, string>;
  /**
   * How the result was tied to its input: 'content' (the echoed columns equal the row sent) or
   * 'order' (Salesforce echoed different values; paired by position with the rows left over).
   */
  matchedBy: 'content' | 'order';
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** sf__Error reads `STATUS_CODE:message:fields --`. */
const ERROR_CODE = /^([A-Z][A-Z0-9_]*):/;
const COLUMN = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/;
const encoder = new TextEncoder();

interface PendingJob {
  lines: string[];
  bytes: number;
  firstIndex: number;
  /** row key -> indices (in input order) of rows with exactly that content */
  keys: Map<string, number[]>;
  count: number;
}

const rowKey = (values: readonly string[]) => values.join('\u0000');

/**
 * Bulk API 2.0 ingest: encodes records as CSV (RFC 4180, `#N/A` for null), splits them into jobs
 * under `maxUploadBytes`, uploads, closes each job with UploadComplete, polls with backoff and
 * yields one result per input row.
 *
 * Mapping results to inputs: Salesforce's result files echo each row's original columns but
 * not its position, and do not promise input order. Within each job we match every result row
 * to the earliest not-yet-matched input row with exactly the same column values (identical rows
 * are interchangeable, so their outcomes are assigned in input order). Result rows whose echoed
 * values differ from what was sent are paired in order with the input rows left over
 * (`matchedBy: 'order'`). Rows the result files do not mention come back as `unprocessed`. Results of one job are yielded sorted by input index,
 * job after job.
 */
export async function* bulkIngest<R extends Record<string, unknown>>(
  client: SalesforceClient,
  options: BulkIngestOptions<R>,
): AsyncGenerator<BulkIngestResult> {
  const { object, operation } = options;
  if (!NAME.test(object ?? ''))
    throw new ConfigError('object', `expected an sObject API name, got ${JSON.stringify(object)}`);
  if (!['insert', 'update', 'upsert', 'delete', 'hardDelete'].includes(operation)) {
    throw new ConfigError(
      'operation',
      `expected insert, update, upsert, delete or hardDelete, got ${JSON.stringify(operation)}`,
    );
  }
  if (operation === 'upsert' && !NAME.test(options.externalIdFieldName ?? '')) {
    throw new ConfigError('externalIdFieldName', 'is required for upsert (a field API name)');
  }
  const maxBytes = options.maxUploadBytes ?? 100_000_000;
  if (!Number.isInteger(maxBytes) || maxBytes < 1024) {
    throw new ConfigError(
      'maxUploadBytes',
      `expected an integer of at least 1024, got ${String(maxBytes)}`,
    );
  }
  let columns = options.columns;
  if (columns) {
    if (!Array.isArray(columns) || columns.length === 0)
      throw new ConfigError('columns', 'expected a non-empty array of field names');
    for (const c of columns)
      if (!COLUMN.test(c))
        throw new ConfigError('columns', `${JSON.stringify(c)} is not a field name`);
  }
  let header = '';
  let headerBytes = 0;
  let columnSet = new Set<string>();
  const setColumns = (cols: string[]) => {
    columns = cols;
    columnSet = new Set(cols);
    header = encodeCsvRow(cols);
    headerBytes = encoder.encode(header).length + 1;
  };
  if (columns) setColumns(columns);

  let job: PendingJob | undefined;
  let index = 0;
  const progress = { jobs: 0, rowsRead: 0, rowsReported: 0 };
  const report = (count: number) => {
    progress.jobs++;
    progress.rowsRead = index;
    progress.rowsReported += count;
    options.onProgress?.({ ...progress });
  };
  for await (const record of options.records as AsyncIterable<R>) {
    if (typeof record !== 'object' || record === null) {
      throw new RecordShapeError(`Bulk record #${index} is not an object.`, [], index);
    }
    if (!columns) {
      const keys = Object.keys(record).filter((k) => k !== 'attributes');
      for (const k of keys)
        if (!COLUMN.test(k))
          throw new RecordShapeError(
            `Bulk record #${index} has field ${JSON.stringify(k)}, which is not a field name.`,
            [k],
            index,
          );
      setColumns(keys);
    }
    for (const key of Object.keys(record)) {
      if (key !== 'attributes' && !columnSet.has(key)) {
        throw new RecordShapeError(
          `Bulk record #${index} has field ${key}, which is not among the CSV columns (${(columns as string[]).join(', ')}); pass options.columns listing every field.`,
          [key],
          index,
        );
      }
    }
    const values = (columns as string[]).map((c) => csvValue(record[c]));
    const line = encodeCsvRow(values);
    const bytes = encoder.encode(line).length + 1;
    if (headerBytes + bytes > maxBytes) {
      throw new RecordShapeError(
        `Bulk record #${index} alone is ${bytes} bytes of CSV, more than maxUploadBytes (${maxBytes}).`,
        [],
        index,
      );
    }
    if (job && job.bytes + bytes > maxBytes) {
      const count = job.count;
      yield* runJob(client, options, header, columns as string[], job);
      report(count);
      job = undefined;
    }
    if (!job) job = { lines: [], bytes: headerBytes, firstIndex: index, keys: new Map(), count: 0 };
    job.lines.push(line);
    job.bytes += bytes;
    job.count++;
    const key = rowKey(values);
    const list = job.keys.get(key);
    if (list) list.push(index);
    else job.keys.set(key, [index]);
    index++;
  }
  if (job) {
    const count = job.count;
    yield* runJob(client, options, header, columns as string[], job);
    report(count);
  }
}

async function* runJob<R extends Record<string, unknown>>(
  client: SalesforceClient,
  options: BulkIngestOptions<R>,
  header: string,
  columns: string[],
  job: PendingJob,
): AsyncGenerator<BulkIngestResult> {
  const signal = options.signal;
  const withSignal = (init: RequestInit): RequestInit => (signal ? { ...init, signal } : init);
  // Encoding a job's rows can hold the event loop for seconds; let it turn once so connections
  // the server closed meanwhile leave the pool before the job-create POST, which cannot be
  // retried (without this, a loaded machine sent it on a dead keep-alive socket: ECONNRESET).
  await sleep(0, signal);
  const created = await client.raw(
    'jobs/ingest',
    withSignal({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        object: options.object,
        operation: options.operation,
        contentType: 'CSV',
        lineEnding: 'LF',
        columnDelimiter: 'COMMA',
        ...(options.externalIdFieldName
          ? { externalIdFieldName: options.externalIdFieldName }
          : {}),
      }),
    }),
  );
  const info = (await created.json()) as BulkJobInfo;
  const jobId = createdJobId(info);
  const jobPath = `jobs/ingest/${pathSegment('jobId', jobId)}`;
  const csv = `${header}\n${job.lines.join('\n')}\n`;
  job.lines = [];
  // From here on the job exists in the org: whatever fails, it is aborted, not left Open.
  let stage: BulkJobStage = 'upload';
  let final: BulkJobInfo;
  try {
    await client.raw(
      `${jobPath}/batches`,
      withSignal({ method: 'PUT', headers: { 'content-type': 'text/csv' }, body: csv }),
    );
    stage = 'close';
    await client.raw(
      jobPath,
      withSignal({
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'UploadComplete' }),
      }),
    );
    stage = 'poll';
    final = await pollJob(client, 'ingest', jobId, options.poll, signal);
  } catch (error) {
    throw await abortFailedJob(client, jobPath, jobId, stage, error);
  }
  options.onJob?.(final);

  const results: BulkIngestResult[] = [];
  const strays: BulkIngestResult[] = [];
  const take = (record: Record<string, string>): number | undefined => {
    const key = rowKey(columns.map((c) => record[c] ?? ''));
    const list = job.keys.get(key);
    if (!list || list.length === 0) return undefined;
    const i = list.shift() as number;
    if (list.length === 0) job.keys.delete(key);
    return i;
  };
  const original = (record: Record<string, string>) => {
    const row: Record<string, string> = {};
    for (const c of columns) row[c] = record[c] ?? '';
    return row;
  };
  const files = [
    ['successfulResults', 'success'],
    ['failedResults', 'failed'],
    ['unprocessedrecords', 'unprocessed'],
  ] as const;
  for (const [path, status] of files) {
    let response: Response;
    try {
      response = await client.raw(`${jobPath}/${path}`, withSignal({}));
    } catch (error) {
      // A Failed or Aborted job may have no result files; its rows are reported below.
      if (final.state !== 'JobComplete' && error instanceof SalesforceApiError) continue;
      throw error;
    }
    for await (const record of csvRecords(response.body)) {
      const i = take(record);
      const result: BulkIngestResult = {
        index: i ?? -1,
        jobId,
        status,
        matchedBy: 'content',
        row: original(record),
      };
      if (record.sf__Id) result.id = record.sf__Id;
      if (status === 'success') result.created = record.sf__Created === 'true';
      if (status === 'failed') {
        result.error = record.sf__Error ?? '';
        const code = ERROR_CODE.exec(result.error)?.[1];
        if (code) result.errorCode = code;
      }
      if (i === undefined) strays.push(result);
      else results.push(result);
    }
  }
  // Result rows whose columns came back different from what we sent: pair them, in file order,
  // with the input rows still unmatched, in input order (marked matchedBy 'order').
  if (strays.length > 0) {
    const left = [...job.keys.values()].flat().sort((a, b) => a - b);
    const used = new Set<number>();
    strays.forEach((stray, k) => {
      const i = left[k];
      if (i === undefined) return;
      used.add(i);
      results.push({ ...stray, index: i, matchedBy: 'order' });
    });
    for (const [key, indices] of job.keys) {
      const rest = indices.filter((i) => !used.has(i));
      if (rest.length > 0) job.keys.set(key, rest);
      else job.keys.delete(key);
    }
  }
  const unreported =
    final.state === 'JobComplete'
      ? 'not reported in the job results'
      : `job ${final.state}: ${final.errorMessage ?? 'no message'}`;
  for (const [key, indices] of job.keys) {
    const values = key.split('\u0000');
    const row: Record<string, string> = {};
    columns.forEach((c, k) => {
      row[c] = values[k] ?? '';
    });
    for (const i of indices) {
      results.push({
        index: i,
        jobId,
        status: final.state === 'JobComplete' ? 'unprocessed' : 'failed',
        error: unreported,
        matchedBy: 'content',
        row,
      });
    }
  }
  results.sort((a, b) => a.index - b.index);
  yield* results;
}

function createdJobId(info: BulkJobInfo): string {
  if (typeof info?.id !== 'string' || info.id === '') {
    throw new SalesforceResponseError(
      200,
      'jobs/ingest',
      'Salesforce created a Bulk ingest job but its answer names no job id; nothing was uploaded.',
    );
  }
  return info.id;
}

const STAGE_TEXT: Record<BulkJobStage, string> = {
  upload: 'uploading its CSV',
  close: 'closing it (UploadComplete)',
  poll: 'waiting for it to finish',
};

/**
 * A step of the job failed: abort the job (PATCH state Aborted, without the caller's signal,
 * which may be what failed) so it is not left Open or running, and name it in the error.
 */
async function abortFailedJob(
  client: SalesforceClient,
  jobPath: string,
  jobId: string,
  stage: BulkJobStage,
  cause: unknown,
): Promise<BulkJobError> {
  let abortError: unknown;
  try {
    await client.raw(jobPath, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'Aborted' }),
    });
  } catch (error) {
    abortError = error;
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  const aborted = abortError === undefined;
  const after =
    stage === 'poll'
      ? ' Rows it had already processed stay written; its result files list them.'
      : ' None of its rows were processed.';
  const outcome = aborted
    ? `The job was aborted.${after}`
    : `The job could not be aborted (${abortError instanceof Error ? abortError.message : String(abortError)}); abort it in Setup > Bulk Data Load Jobs.`;
  return new BulkJobError(
    jobId,
    aborted ? 'Aborted' : stage === 'poll' ? 'InProgress' : 'Open',
    `Bulk ingest job ${jobId} failed while ${STAGE_TEXT[stage]}: ${reason} ${outcome}`,
    { stage, jobAborted: aborted, cause },
  );
}
