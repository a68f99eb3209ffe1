import { randomUUID } from 'node:crypto';
import { HttpError, poll, TimeoutError } from '@plumbline/client-core';
import type { NetSuiteClient } from '../client.js';
import { AsyncJobError, NetSuiteProtocolError } from '../errors.js';
import { idFromLocation } from './location.js';
import { pathSegment } from './path.js';
import {
  call,
  checkBody,
  externalIdPath,
  type RecordBody,
  type RecordRef,
  type RecordType,
  recordPath,
  replaceParam,
  transformPath,
} from './record.js';

/** The state of an asynchronous request (`GET /async/v1/job/{id}`). */
export interface AsyncJobState {
  id: string;
  completed?: boolean;
  progress?: string;
  createdTime?: string;
  lastModifiedTime?: string;
  [key: string]: unknown;
}

export interface AsyncSubmitOptions {
  /**
   * `X-NetSuite-Idempotency-Key`: one UUID per logical write. Default a new UUID per call; pass
   * your own (stored with the work item) to make a write that is re-run after a crash idempotent.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface AsyncSubmission {
  jobId: string;
  location: string;
  idempotencyKey: string;
  /** True when NetSuite answered IDEMPOTENCY_ERROR and the earlier job was followed instead. */
  repeated: boolean;
}

export interface AsyncWaitOptions {
  /** First delay between polls. Default 500 ms; doubles up to maxPollIntervalMs. */
  pollIntervalMs?: number;
  /** Default 10,000 ms. */
  maxPollIntervalMs?: number;
  /** Give up after this long (AsyncJobError ASYNC_JOB_TIMEOUT). Default 15 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface AsyncTaskResult {
  /** The HTTP status the task would have answered synchronously (204 for a write). */
  status: number;
  /** Location of the written record, if any. */
  location?: string;
  /** The written record's id, from location. */
  id?: string;
  body?: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function jobIdFrom(location: string): string {
  const m = /\/async\/v1\/job\/([^/?#]+)/.exec(location);
  if (!m) throw new NetSuiteProtocolError(`"${location}" is not an asynchronous job URL`);
  return decodeURIComponent(m[1]!);
}

/** `/async/v1/job/<id>`, the job id in its own encoded segment. */
function jobPath(jobId: unknown): string {
  return `/async/v1/job/${pathSegment(jobId, 'jobId', 'an asynchronous job id')}`;
}

/**
 * Sends a record write as an asynchronous request (`Prefer: respond-async`) with an
 * `X-NetSuite-Idempotency-Key`. NetSuite answers 202 with the job in `Location`. The key makes the
 * request safe to retry; when NetSuite has already seen it (400 IDEMPOTENCY_ERROR with the earlier
 * job in `Location`) that job is followed, so a retried write never makes a second record.
 */
export async function submitAsync(
  client: NetSuiteClient,
  request: {
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    path: string;
    body?: RecordBody;
    query?: Record<string, string | undefined>;
  },
  options: AsyncSubmitOptions = {},
): Promise<AsyncSubmission> {
  const idempotencyKey = options.idempotencyKey ?? randomUUID();
  if (!UUID.test(idempotencyKey)) {
    throw new NetSuiteProtocolError(
      `idempotencyKey "${idempotencyKey}" is not a UUID; NetSuite expects X-NetSuite-Idempotency-Key to be one`,
    );
  }
  try {
    const { response } = await call(client, request.method, request.path, {
      ...(request.body === undefined ? {} : { body: request.body }),
      ...(request.query ? { query: request.query } : {}),
      headers: { Prefer: 'respond-async', 'X-NetSuite-Idempotency-Key': idempotencyKey },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const { location } = idFromLocation(response, 'the asynchronous request');
    return { jobId: jobIdFrom(location), location, idempotencyKey, repeated: false };
  } catch (error) {
    const location =
      error instanceof HttpError ? error.response?.headers.get('location') : undefined;
    if (error instanceof HttpError && error.vendorCode === 'IDEMPOTENCY_ERROR' && location) {
      return { jobId: jobIdFrom(location), location, idempotencyKey, repeated: true };
    }
    throw error;
  }
}

/**
 * Polls a job with client-core's `poll` until NetSuite reports it completed: `pollIntervalMs`,
 * doubling up to `maxPollIntervalMs`. A job still running after `timeoutMs` throws AsyncJobError
 * `ASYNC_JOB_TIMEOUT` with its last progress; the caller's signal rejects with AbortedError.
 */
export async function waitForJob(
  client: NetSuiteClient,
  jobId: string,
  options: AsyncWaitOptions = {},
): Promise<AsyncJobState> {
  const path = jobPath(jobId);
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  let last: AsyncJobState | undefined;
  try {
    return await poll<AsyncJobState>(
      async ({ signal }) => {
        const { data } = await call(client, 'GET', path, signal ? { signal } : {});
        last = data as AsyncJobState;
        return last?.completed === true ? { done: true, value: last } : { done: false };
      },
      {
        intervalMs: options.pollIntervalMs ?? 500,
        maxIntervalMs: options.maxPollIntervalMs ?? 10_000,
        factor: 2,
        timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    );
  } catch (error) {
    if (error instanceof TimeoutError && error.method === 'poll') {
      const progress = last?.progress;
      throw new AsyncJobError(
        'ASYNC_JOB_TIMEOUT',
        jobId,
        `asynchronous job ${jobId} did not complete within ${timeoutMs} ms (last progress: ${progress ?? 'unknown'}); poll it again later with waitForJob`,
        { ...(progress ? { progress } : {}) },
      );
    }
    throw error;
  }
}

/** The result of a completed job's (first) task: status, and the written record's Location. */
export async function asyncJobResult(
  client: NetSuiteClient,
  jobId: string,
  options: { signal?: AbortSignal } = {},
): Promise<AsyncTaskResult> {
  const signal = options.signal ? { signal: options.signal } : {};
  const job = jobPath(jobId);
  const { data: tasks } = await call(client, 'GET', `${job}/task`, signal);
  const first = (tasks as { items?: { id?: string; links?: { href: string }[] }[] })?.items?.[0];
  const taskId = first?.id ?? first?.links?.[0]?.href.split('/').pop();
  if (!taskId) throw new NetSuiteProtocolError(`asynchronous job ${jobId} lists no task`);
  try {
    const { data, response } = await call(
      client,
      'GET',
      `${job}/task/${pathSegment(taskId, 'taskId', 'a task id')}/result`,
      signal,
    );
    const location = response.headers.get('location') ?? undefined;
    const result: AsyncTaskResult = { status: response.status };
    if (location) {
      result.location = location;
      result.id = idFromLocation(response, 'the job result').id;
    }
    if (data !== undefined && !(typeof data === 'object' && data && !Object.keys(data).length)) {
      result.body = data;
      // A result that answers with the record itself names it by its `self` link and `id`.
      const record = data as { id?: unknown; links?: { rel?: string; href?: string }[] };
      const selfHref = Array.isArray(record.links)
        ? record.links.find((l) => l?.rel === 'self')?.href
        : undefined;
      if (!result.location && typeof selfHref === 'string') result.location = selfHref;
      if (!result.id && typeof record.id === 'string') result.id = record.id;
      if (!result.id && result.location) {
        const path = new URL(result.location, 'https://netsuite.invalid').pathname;
        const last = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
        if (last) result.id = last;
      }
    }
    return result;
  } catch (error) {
    if (error instanceof HttpError && error.status >= 400 && error.status < 500 && error.details) {
      throw new AsyncJobError(
        'ASYNC_JOB_FAILED',
        jobId,
        `asynchronous job ${jobId} failed: ${error.vendorMessage ?? error.message}`,
        { progress: 'failed', details: error.details },
      );
    }
    throw error;
  }
}

/** Submit, wait and read the result: the whole asynchronous write. Returns the record's id. */
export async function runAsync(
  client: NetSuiteClient,
  request: Parameters<typeof submitAsync>[1],
  options: AsyncSubmitOptions & AsyncWaitOptions = {},
): Promise<RecordRef & { jobId: string; idempotencyKey: string; repeated: boolean }> {
  const submission = await submitAsync(client, request, options);
  await waitForJob(client, submission.jobId, options);
  const result = await asyncJobResult(client, submission.jobId, options);
  if (!result.id || !result.location) {
    throw new NetSuiteProtocolError(
      `asynchronous job ${submission.jobId} completed with status ${result.status} but named no record`,
    );
  }
  return {
    id: result.id,
    location: result.location,
    jobId: submission.jobId,
    idempotencyKey: submission.idempotencyKey,
    repeated: submission.repeated,
  };
}

/** Creates a record asynchronously (safe to retry with the same idempotency key). */
export async function createRecordAsync(
  client: NetSuiteClient,
  type: RecordType,
  body: RecordBody,
  options: AsyncSubmitOptions & AsyncWaitOptions = {},
) {
  return runAsync(
    client,
    { method: 'POST', path: recordPath(type), body: checkBody(body) },
    options,
  );
}

/** Upserts by external id asynchronously. */
export async function upsertByExternalIdAsync(
  client: NetSuiteClient,
  type: RecordType,
  externalId: string,
  body: RecordBody,
  options: AsyncSubmitOptions & AsyncWaitOptions & { replace?: string[] } = {},
) {
  return runAsync(
    client,
    {
      method: 'PUT',
      path: externalIdPath(type, externalId),
      body: checkBody(body),
      query: { replace: replaceParam(options.replace) },
    },
    options,
  );
}

/** Transforms a record asynchronously (e.g. a sales order into an invoice). */
export async function transformRecordAsync(
  client: NetSuiteClient,
  from: RecordType,
  id: string,
  to: RecordType,
  body: RecordBody = {},
  options: AsyncSubmitOptions & AsyncWaitOptions = {},
) {
  return runAsync(
    client,
    {
      method: 'POST',
      path: transformPath(from, id, to),
      body: checkBody(body),
    },
    options,
  );
}
