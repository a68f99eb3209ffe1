import { type PollStep, poll, TimeoutError } from '@plumbline/client-core';
import type { Client } from 'openapi-fetch';
import {
  BulkIncompleteError,
  BulkTimeoutError,
  CommerceInputError,
  CommerceResponseError,
  type FailedBulkChunk,
} from './errors.js';
import type { components } from './generated/schema.js';
import { encodePathSegment } from './path-params.js';

type Schemas = components['schemas'];
export type AsyncResponse = Schemas['AsyncResponse'];
export type BulkDetailedStatus = Schemas['BulkDetailedStatus'];
export type BulkOperation = Schemas['BulkOperation'];

/** Magento's operation statuses. */
export const BULK_OPERATION_STATUS = {
  1: 'complete',
  2: 'failed',
  3: 'failed',
  4: 'open',
  5: 'rejected',
} as const;

export type BulkItemStatus = 'complete' | 'failed' | 'rejected' | 'open';

/** The outcome of one input item. */
export interface BulkItemResult<T> {
  /** Index of the item in the `items` you passed. */
  index: number;
  item: T;
  status: BulkItemStatus;
  /** Magento's message for failed or rejected items. */
  message?: string;
  /** Whether Magento marks the failure as retriable (status 2). */
  retriable?: boolean;
  errorCode?: number;
  bulkUuid?: string;
  /** The decoded `result_serialized_data` of a completed operation (e.g. the saved entity), when sent. */
  result?: unknown;
}

export interface BulkResult<T> {
  results: BulkItemResult<T>[];
  succeeded: number;
  failed: number;
  bulkUuids: string[];
}

export interface BulkProgress {
  total: number;
  submitted: number;
  complete: number;
  failed: number;
  open: number;
}

export interface WaitOptions {
  /** Give up after this long (default 10 minutes): BulkTimeoutError carries the uuid to resume. */
  timeoutMs?: number;
  /** First poll delay (default 250 ms), doubled each poll up to maxDelayMs (default 10 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
}

export interface BulkOptions<T> extends WaitOptions {
  /**
   * The synchronous route, e.g. `/V1/products` or `/V1/products/{sku}`. It is sent to
   * `/async/bulk/V1/products/bySku` (ACCS: `/V1/async/bulk/products/bySku`); every body must then
   * carry the path parameter (`sku`).
   */
  path: string;
  method?: 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  items: readonly T[];
  /** Request body of one item (default: the item itself). */
  toBody?: (item: T, index: number) => unknown;
  /** Items per bulk request (default 100; Magento's optional async input limit is 5,000). */
  chunkSize?: number;
  onProgress?: (progress: BulkProgress) => void;
}

type AnyClient = Client<any, any> & { readonly platform?: 'paas' | 'accs' };

function rawRequest(client: AnyClient) {
  return client.request as unknown as (
    method: string,
    url: string,
    init?: unknown,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

/** The bulk route of a synchronous route: `{sku}` becomes `bySku`. */
export function bulkPath(path: string, platform: 'paas' | 'accs' = 'paas'): string {
  if (typeof path !== 'string' || !path.startsWith('/V1/')) {
    throw new CommerceInputError(
      'path',
      `"${String(path)}" is not a synchronous route such as "/V1/products"`,
    );
  }
  const converted = path.replace(
    /\{([A-Za-z0-9_]+)\}/g,
    (_, name: string) => `by${name[0]?.toUpperCase()}${name.slice(1)}`,
  );
  return platform === 'accs' ? `/V1/async/bulk/${converted.slice(4)}` : `/async/bulk${converted}`;
}

/** Every operation of the bulk has left the open state (4). */
function finished(status: BulkDetailedStatus): boolean {
  const operations = status.operations_list ?? [];
  return (
    operations.every((op) => op.status !== 4) &&
    operations.length >= Number(status.operation_count ?? 0)
  );
}

/**
 * Poll `/V1/bulk/{uuid}/detailed-status` with exponential backoff (client-core's `poll`) until
 * no operation is open. Gives up with `BulkTimeoutError` (the poll's `TimeoutError` as `cause`)
 * after `timeoutMs`; the caller's `signal` stops it with `AbortedError`.
 */
export async function waitForBulk(
  client: AnyClient,
  bulkUuid: string,
  options: WaitOptions = {},
): Promise<BulkDetailedStatus> {
  if (typeof bulkUuid !== 'string')
    throw new CommerceInputError('bulkUuid', 'expected the bulk_uuid string');
  encodePathSegment('bulkUuid', bulkUuid);
  const timeoutMs = options.timeoutMs ?? 600_000;
  const started = Date.now();
  const check = async ({
    signal,
  }: {
    signal?: AbortSignal;
  }): Promise<PollStep<BulkDetailedStatus>> => {
    const { data, response } = await rawRequest(client)(
      'GET',
      '/V1/bulk/{bulkUuid}/detailed-status',
      {
        params: { path: { bulkUuid } },
        ...(signal ? { signal } : {}),
      },
    );
    const status = data as BulkDetailedStatus | undefined;
    if (!status || !Array.isArray(status.operations_list)) {
      throw new CommerceResponseError(`GET /V1/bulk/${bulkUuid}/detailed-status`, response.status);
    }
    return finished(status) ? { done: true, value: status } : { done: false };
  };
  try {
    return await poll(check, {
      intervalMs: options.minDelayMs ?? 250,
      factor: 2,
      maxIntervalMs: options.maxDelayMs ?? 10_000,
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    // The poll's own timeout (not a request's): say which bulk, so the caller can wait again.
    if (error instanceof TimeoutError && error.method === 'poll') {
      throw new BulkTimeoutError(bulkUuid, Date.now() - started, { cause: error });
    }
    throw error;
  }
}

function decode(data: string | null | undefined): unknown {
  if (data === null || data === undefined || data === '') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

interface Submission {
  uuid: string;
  offset: number;
  count: number;
  finished: boolean;
}

interface BulkRun<T> {
  method: string;
  url: string;
  chunks: { offset: number; bodies: unknown[] }[];
  results: BulkItemResult<T>[];
  progress: BulkProgress;
  submissions: Submission[];
  report: () => void;
}

/** Stage 1: check the options and build every body before anything is sent. */
function prepareBulk<T>(client: AnyClient, options: BulkOptions<T>): BulkRun<T> {
  const { items } = options;
  if (!Array.isArray(items))
    throw new CommerceInputError('items', 'expected an array of request bodies');
  const chunkSize = options.chunkSize ?? 100;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new CommerceInputError('chunkSize', `${chunkSize} is not a positive integer`);
  }
  const method = options.method ?? (/\{[^}]+\}/.test(options.path) ? 'PUT' : 'POST');
  const url = bulkPath(options.path, client.platform ?? 'paas');
  const params = [...options.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string);
  const chunks: BulkRun<T>['chunks'] = [];
  for (let offset = 0; offset < items.length; offset += chunkSize) {
    const bodies = items.slice(offset, offset + chunkSize).map((item, i) => {
      const body = options.toBody ? options.toBody(item, offset + i) : item;
      for (const name of params) {
        if (!body || typeof body !== 'object' || !(name in body)) {
          throw new CommerceInputError(
            `items[${offset + i}].${name}`,
            `the bulk route ${url} takes the path parameter "${name}" from each body; add it (toBody)`,
          );
        }
      }
      return body;
    });
    chunks.push({ offset, bodies });
  }
  const progress: BulkProgress = {
    total: items.length,
    submitted: 0,
    complete: 0,
    failed: 0,
    open: 0,
  };
  return {
    method,
    url,
    chunks,
    results: items.map((item, index) => ({ index, item, status: 'open' })),
    progress,
    submissions: [],
    report: () => options.onProgress?.({ ...progress }),
  };
}

/** 4xx: the store refused the chunk; anything else may have been queued before it failed. */
function chunkOutcome(error: unknown): FailedBulkChunk['outcome'] {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    !(error instanceof CommerceResponseError)
    ? 'refused'
    : 'unknown';
}

function incomplete<T>(
  run: BulkRun<T>,
  stage: 'submit' | 'wait',
  cause: unknown,
  failedChunk?: FailedBulkChunk,
): BulkIncompleteError<T> {
  const last = run.submissions.at(-1);
  return new BulkIncompleteError<T>({
    stage,
    accepted: run.submissions.map((s) => ({
      bulkUuid: s.uuid,
      firstIndex: s.offset,
      count: s.count,
      finished: s.finished,
    })),
    ...(failedChunk ? { failedChunk } : {}),
    resumeFrom: last ? last.offset + last.count : 0,
    results: run.results,
    cause,
  });
}

/** Stage 2: send the chunks in order; a failure stops here and reports every accepted uuid. */
async function submitChunks<T>(
  client: AnyClient,
  run: BulkRun<T>,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { method, url, results, progress } = run;
  for (const { offset, bodies } of run.chunks) {
    let accepted: AsyncResponse;
    try {
      const { data, response } = await rawRequest(client)(method, url, {
        body: bodies,
        ...(signal ? { signal } : {}),
      });
      const answer = data as AsyncResponse | undefined;
      if (!answer || typeof answer.bulk_uuid !== 'string') {
        throw new CommerceResponseError(`${method} ${url}`, response.status);
      }
      accepted = answer;
    } catch (error) {
      throw incomplete(run, 'submit', error, {
        firstIndex: offset,
        count: bodies.length,
        outcome: chunkOutcome(error),
      });
    }
    run.submissions.push({
      uuid: accepted.bulk_uuid,
      offset,
      count: bodies.length,
      finished: false,
    });
    for (const requestItem of accepted.request_items ?? []) {
      const result = results[offset + Number(requestItem.id)];
      if (!result) continue;
      result.bulkUuid = accepted.bulk_uuid;
      if (requestItem.status !== 'accepted') {
        result.status = 'rejected';
        result.message = requestItem.error_message ?? 'Rejected by the store.';
        progress.failed++;
      }
    }
    progress.submitted += bodies.length;
    progress.open = progress.submitted - progress.complete - progress.failed;
    run.report();
  }
}

/** Stage 3 (per bulk): map the operations of a finished bulk back to the input items. */
function recordOutcomes<T>(
  run: BulkRun<T>,
  submission: Submission,
  status: BulkDetailedStatus,
): void {
  const { results, progress } = run;
  const { offset, count } = submission;
  const operations = status.operations_list ?? [];
  // 2.4 numbers operations by request item (0 … count-1). 2.3 used the table's global id: then
  // pair the operations, in id order, with the accepted items, in input order.
  const byIndex = operations.every((op) => Number.isInteger(op.id) && op.id >= 0 && op.id < count);
  const acceptedIndexes = results
    .slice(offset, offset + count)
    .filter((r) => r.status !== 'rejected')
    .map((r) => r.index);
  const ordered = byIndex ? operations : [...operations].sort((a, b) => a.id - b.id);
  for (const [position, op] of ordered.entries()) {
    const index = byIndex ? offset + Number(op.id) : acceptedIndexes[position];
    const result = index === undefined ? undefined : results[index];
    if (!result || result.status === 'rejected') continue;
    const code = op.status;
    if (code === 1) {
      result.status = 'complete';
      const decoded = decode(op.result_serialized_data);
      if (decoded !== undefined && decoded !== null) result.result = decoded;
      progress.complete++;
    } else {
      result.status = code === 5 ? 'rejected' : 'failed';
      result.retriable = code === 2;
      result.message =
        op.result_message ??
        (code in BULK_OPERATION_STATUS
          ? 'The operation failed without a message.'
          : `The operation ended with status ${code}, which Magento does not document.`);
      if (op.error_code !== null && op.error_code !== undefined) result.errorCode = op.error_code;
      progress.failed++;
    }
  }
  submission.finished = true;
  progress.open = progress.submitted - progress.complete - progress.failed;
  run.report();
}

/**
 * Submit items through Magento's async bulk API in chunks, wait for every operation, and return
 * one result per input item (in input order). Failed items carry Magento's message.
 *
 * If a chunk's request fails, or waiting fails, nothing more is sent and `BulkIncompleteError`
 * lists every bulk uuid already accepted with the items it carries, and `resumeFrom`.
 *
 * ```ts
 * const { results, failed } = await runBulk(client, {
 *   path: '/V1/products', items: products.map((product) => ({ product })),
 * });
 * ```
 */
export async function runBulk<T>(
  client: AnyClient,
  options: BulkOptions<T>,
): Promise<BulkResult<T>> {
  const run = prepareBulk(client, options);
  await submitChunks(client, run, options.signal);
  for (const submission of run.submissions) {
    let status: BulkDetailedStatus;
    try {
      status = await waitForBulk(client, submission.uuid, options);
    } catch (error) {
      throw incomplete(run, 'wait', error);
    }
    recordOutcomes(run, submission, status);
  }
  const { results } = run;
  return {
    results,
    succeeded: results.filter((r) => r.status === 'complete').length,
    failed: results.filter((r) => r.status === 'failed' || r.status === 'rejected').length,
    bulkUuids: run.submissions.map((s) => s.uuid),
  };
}
