import { ConfigError } from '@plumbline/client-core';
import type { SalesforceClient } from '../client.js';
import { BulkJobError } from '../errors.js';

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

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function checkPoll(poll: PollOptions): Required<PollOptions> {
  const resolved = {
    initialDelayMs: poll.initialDelayMs ?? 500,
    maxDelayMs: poll.maxDelayMs ?? 10_000,
    factor: poll.factor ?? 1.5,
    timeoutMs: poll.timeoutMs ?? 30 * 60_000,
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

/** Polls `jobs/{kind}/{id}` with exponential backoff until JobComplete, Failed or Aborted. */
export async function pollJob(
  client: SalesforceClient,
  kind: 'ingest' | 'query',
  jobId: string,
  poll: PollOptions = {},
  signal?: AbortSignal,
): Promise<BulkJobInfo> {
  const { initialDelayMs, maxDelayMs, factor, timeoutMs } = checkPoll(poll);
  const started = Date.now();
  let delay = initialDelayMs;
  for (;;) {
    const response = await client.raw(`jobs/${kind}/${jobId}`, signal ? { signal } : {});
    const info = (await response.json()) as BulkJobInfo;
    if (info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted')
      return info;
    if (Date.now() - started > timeoutMs) {
      throw new BulkJobError(
        jobId,
        info.state,
        `Bulk ${kind} job ${jobId} is still ${info.state} after ${timeoutMs} ms (poll.timeoutMs); it keeps running in Salesforce, check it in Setup > Bulk Data Load Jobs or poll again.`,
      );
    }
    await sleep(delay, signal);
    delay = Math.min(maxDelayMs, Math.max(1, delay * factor));
  }
}
