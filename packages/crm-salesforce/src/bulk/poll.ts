import { ConfigError, poll, TimeoutError } from '@plumbline/client-core';
import type { SalesforceClient } from '../client.js';
import { BulkJobError } from '../errors.js';
import { pathSegment } from '../path.js';

/** Backoff for polling a Bulk API 2.0 job until it finishes. */
export interface PollOptions {
  /** First wait. Default 500 ms. */
  initialDelayMs?: number;
  /** Longest wait between polls. Default 10 000 ms. */
  maxDelayMs?: number;
  /** Growth per poll. Default 1.5. */
  factor?: number;
  /** Give up after this long. Default 30 minutes. */
  timeoutMs?: number;
}

export interface BulkJobInfo {
  id: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';
  object?: string;
  operation?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
  [key: string]: unknown;
}

const FINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

function checkPoll(options: PollOptions): Required<PollOptions> {
  const resolved = {
    initialDelayMs: options.initialDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    factor: options.factor ?? 1.5,
    timeoutMs: options.timeoutMs ?? 30 * 60_000,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new ConfigError(`poll.${name}`, `expected a non-negative number, got ${String(value)}`);
    }
  }
  if (resolved.factor < 1)
    throw new ConfigError('poll.factor', `expected 1 or more, got ${resolved.factor}`);
  return resolved;
}

/**
 * Polls `jobs/{kind}/{id}` through client-core's `poll` (backoff from initialDelayMs by factor up
 * to maxDelayMs) until JobComplete, Failed or Aborted. Past `timeoutMs` it throws BulkJobError
 * naming the job and the state it was last seen in.
 */
export async function pollJob(
  client: SalesforceClient,
  kind: 'ingest' | 'query',
  jobId: string,
  options: PollOptions = {},
  signal?: AbortSignal,
): Promise<BulkJobInfo> {
  const { initialDelayMs, maxDelayMs, factor, timeoutMs } = checkPoll(options);
  const path = `jobs/${kind}/${pathSegment('jobId', jobId)}`;
  let lastState = 'unknown';
  try {
    return await poll<BulkJobInfo>(
      async ({ signal: checkSignal }) => {
        const response = await client.raw(path, checkSignal ? { signal: checkSignal } : {});
        const info = (await response.json()) as BulkJobInfo;
        lastState = String(info.state);
        return FINAL.has(info.state) ? { done: true, value: info } : { done: false };
      },
      {
        intervalMs: initialDelayMs,
        maxIntervalMs: maxDelayMs,
        factor,
        timeoutMs,
        ...(signal ? { signal } : {}),
      },
    );
  } catch (error) {
    if (error instanceof TimeoutError && error.method === 'poll' && !signal?.aborted) {
      throw new BulkJobError(
        jobId,
        lastState,
        `Bulk ${kind} job ${jobId} is still ${lastState} after ${timeoutMs} ms (poll.timeoutMs).`,
        { stage: 'poll', cause: error },
      );
    }
    throw error;
  }
}
