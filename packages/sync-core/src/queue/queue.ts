import { randomUUID } from 'node:crypto';
import { type LeaseAction, LeaseLostError } from '../lease/errors.js';
import { InvalidInputError, StoreConfigError } from '../stores/errors.js';
import { requirePositiveInt, requireText, storableText } from '../stores/input.js';
import { ATTR } from '../telemetry/names.js';
import { syncTelemetry } from '../telemetry/sync-telemetry.js';
import type { ClaimedJob, DeadJob, JobState, ListedJob, QueueStats, QueueStore } from './store.js';

/** A worker's settled action as the `plumbline.job.outcome` of the jobs metric. */
const JOB_OUTCOME = { complete: 'completed', retry: 'retried', bury: 'dead_lettered' } as const;

export interface JobOptions {
  /** Dedupe key: while a job with this key is queued, running or dead, enqueue returns it instead. */
  key?: string;
  /** Run no sooner than this many ms from now. */
  delayMs?: number;
  /** Attempts before the job is dead-lettered. Default: the queue's maxAttempts (5). */
  maxAttempts?: number;
}

export interface Job<P> {
  id: string;
  key?: string;
  payload: P;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  createdAt: number;
}

export interface DeadLetter<P> {
  id: string;
  key?: string;
  payload: P;
  attempts: number;
  lastError: string;
  failedAt: number;
  createdAt: number;
}

export interface BackoffOptions {
  /** Delay before the 2nd attempt. Default 1000. */
  baseMs?: number;
  /** Cap. Default 60 000. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
}

export interface JobContext {
  /**
   * Aborted (reason: a LeaseLostError) when this worker lost the job's lease: a renewal was
   * refused (the lease ran out by the store's clock and another worker may now run the job), or
   * renewals could not reach the store for `leaseMs`. Stop the effect if you still can.
   */
  signal: AbortSignal;
}

export type JobHandler<P> = (job: Job<P>, context: JobContext) => unknown;

export interface WorkOptions {
  /** Jobs run at once by this worker. Default 1. */
  concurrency?: number;
  /** A job not finished or extended within this long returns to the queue. Default 30 000. */
  leaseMs?: number;
  backoff?: BackoffOptions;
  /** Stops taking jobs when aborted; `work` resolves once running jobs finish. */
  signal?: AbortSignal;
  /** How often an idle worker looks for due jobs. Default 100. */
  pollMs?: number;
  /** Errors that skip retries and go straight to the dead-letter list. Default: PermanentJobError, or any error with `permanent: true`. */
  isPermanent?: (error: unknown) => boolean;
  /** Called for store errors while polling and for every failed attempt. */
  onError?: (error: unknown, job?: { id: string; key?: string; attempt: number }) => void;
  /**
   * Called when this worker lost a job's lease (code `LEASE_LOST`): its renewal or its complete /
   * retry / bury was refused because the token no longer holds the job. The job is not counted as
   * completed by this worker. Default: passed to `onError`.
   */
  onLeaseLost?: (error: LeaseLostError, job: { id: string; key?: string; attempt: number }) => void;
}

/** What one `work` call did, once it returns. */
export interface WorkSummary {
  /** Jobs this worker completed (its complete was accepted by the store). */
  completed: number;
  /** Failed attempts this worker handed back for a retry. */
  retried: number;
  /** Jobs this worker moved to the dead-letter list. */
  buried: number;
  /** Jobs whose lease this worker lost (each reported once through onLeaseLost). */
  leaseLost: number;
}

export interface EnqueueResult {
  id: string;
  /** false when the key was already queued and the existing job was returned. */
  created: boolean;
}

export interface Queue<P = unknown> {
  readonly name: string;
  enqueue(payload: P, options?: JobOptions): Promise<EnqueueResult>;
  enqueueMany(jobs: Array<{ payload: P } & JobOptions>): Promise<EnqueueResult[]>;
  /** Runs `handler` on jobs until `options.signal` aborts. At-least-once: pair with idempotency for effectively-once. */
  work(handler: JobHandler<P>, options?: WorkOptions): Promise<WorkSummary>;
  deadLetters(options?: { limit?: number }): Promise<Array<DeadLetter<P>>>;
  /**
   * Jobs in one state, oldest first (default limit 1000). `done` lists finished jobs kept for
   * `keepDoneMs`. RabbitMQ lists `ready` and `dead` only.
   */
  list(options: { state: JobState; limit?: number }): Promise<Array<QueuedJob<P>>>;
  /** Moves a dead-lettered job back into the queue with fresh attempts. */
  replay(id: string): Promise<boolean>;
  /** Deletes a dead job for good (its key no longer dedupes); false when no dead job has that id. */
  discard(id: string): Promise<boolean>;
  stats(): Promise<QueueStats>;
  /** Deletes done jobs kept longer than `keepDoneMs`; returns how many. */
  sweep(options?: { limit?: number }): Promise<number>;
}

export interface QueuedJob<P> {
  id: string;
  key?: string;
  payload: P;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  runAt: number;
  lastError?: string;
  finishedAt?: number;
}

export interface QueueOptions {
  /** Queue name: letters, digits, `_ - . :`. */
  name: string;
  /** Default attempts per job. Default 5. */
  maxAttempts?: number;
  /**
   * Keep completed jobs (state `done`, listed by `list({ state: 'done' })`) this long before
   * `sweep()` deletes them. A done job's key no longer dedupes. Default 0: deleted on completion.
   */
  keepDoneMs?: number;
}

/** A backend that runs the whole queue itself (RabbitMQ) instead of being polled. */
export interface BrokerQueueStore {
  readonly broker: true;
  open<P>(options: QueueOptions): Queue<P>;
}

export function requireQueueName(value: unknown): string {
  const name = requireText('name', value);
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(name)) {
    throw new InvalidInputError(
      'name',
      `may hold only letters, digits and _ - . : (1 to 100), got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

export function backoffDelay(attempt: number, backoff: BackoffOptions = {}): number {
  const base = backoff.baseMs ?? 1000;
  const max = backoff.maxMs ?? 60_000;
  const factor = backoff.factor ?? 2;
  return Math.min(max, Math.round(base * factor ** Math.max(0, attempt - 1)));
}

export function isPermanentError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { permanent?: unknown }).permanent === true
  );
}

export function errorReason(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return storableText(
      `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`,
    );
  }
  return storableText(String(error));
}

/** The longest delay a store adds to its clock: the sum stays a safe integer and fits BIGINT. */
const MAX_DELAY_MS = 2 ** 52;
/** Node's longest timer: a longer one fires after 1 ms, so a heartbeat would hammer the store. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function requireTimerMs(field: string, value: unknown): number {
  const ms = requirePositiveInt(field, value);
  if (ms > MAX_TIMER_MS) {
    throw new InvalidInputError(
      field,
      `must be at most ${MAX_TIMER_MS} (about 24.8 days), got ${ms}`,
    );
  }
  return ms;
}

export function checkJobOptions(options: JobOptions | undefined, fallbackAttempts: number) {
  const key = options?.key === undefined ? undefined : requireText('key', options.key);
  const delayMs = options?.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
    throw new InvalidInputError('delayMs', `must be a number from 0 to 2^52, got ${delayMs}`);
  }
  const maxAttempts = requirePositiveInt('maxAttempts', options?.maxAttempts ?? fallbackAttempts);
  return { key, delayMs, maxAttempts };
}

export function leaseLostReporter(options: WorkOptions) {
  return (error: LeaseLostError, job: { id: string; key?: string; attempt: number }) => {
    if (options.onLeaseLost) options.onLeaseLost(error, job);
    else options.onError?.(error, job);
  };
}

export function jobLeaseLost(
  job: { id: string; key?: string; attempt: number },
  action: LeaseAction,
): LeaseLostError {
  return new LeaseLostError(`the worker running job ${job.id} (attempt ${job.attempt})`, action, {
    jobId: job.id,
    ...(job.key === undefined ? {} : { key: job.key }),
    hint: "its lease ran out by the store's clock before it was renewed, and the job may be running on another worker",
  });
}

export function checkWorkOptions(options: WorkOptions) {
  const backoff = options.backoff ?? {};
  for (const [option, value, least] of [
    ['backoff.baseMs', backoff.baseMs, 0],
    ['backoff.maxMs', backoff.maxMs, 0],
    ['backoff.factor', backoff.factor, 1],
  ] as const) {
    if (
      value !== undefined &&
      !(Number.isFinite(value) && value >= least && value <= MAX_DELAY_MS)
    ) {
      throw new StoreConfigError(option, `must be a number from ${least} to 2^52, got ${value}`);
    }
  }
  const concurrency = requirePositiveInt('concurrency', options.concurrency ?? 1);
  const leaseMs = requireTimerMs('leaseMs', options.leaseMs ?? 30_000);
  const pollMs = requireTimerMs('pollMs', options.pollMs ?? 100);
  return { concurrency, leaseMs, pollMs };
}

export function encodePayload(payload: unknown): string {
  const text = JSON.stringify(payload);
  if (text === undefined) throw new InvalidInputError('payload', 'must be JSON-serialisable');
  return text;
}

function decode<P>(job: { payload: string }): P {
  return JSON.parse(job.payload) as P;
}

function toQueued<P>(row: ListedJob): QueuedJob<P> {
  return {
    id: row.id,
    ...(row.key === undefined ? {} : { key: row.key }),
    payload: safeDecode<P>(row.payload),
    state: row.state,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    createdAt: row.createdAt,
    runAt: row.runAt,
    ...(row.lastError === undefined ? {} : { lastError: row.lastError }),
    ...(row.finishedAt === undefined ? {} : { finishedAt: row.finishedAt }),
  };
}

const JOB_STATES: readonly JobState[] = ['ready', 'delayed', 'running', 'dead', 'done'];

export function checkListOptions(options: { state: JobState; limit?: number } | undefined) {
  const state = options?.state;
  if (!JOB_STATES.includes(state as JobState)) {
    throw new InvalidInputError(
      'state',
      `must be one of ${JOB_STATES.join(', ')}, got ${String(state)}`,
    );
  }
  return { state: state as JobState, limit: requirePositiveInt('limit', options?.limit ?? 1000) };
}

/** A durable queue over any QueueStore (or a BrokerQueueStore such as RabbitMQ). */
export function createQueue<P = unknown>(
  store: QueueStore | BrokerQueueStore,
  options: QueueOptions,
): Queue<P> {
  const queue = openQueue<P>(store, options);
  syncTelemetry()?.watchQueue(queue);
  return queue;
}

function openQueue<P>(store: QueueStore | BrokerQueueStore, options: QueueOptions): Queue<P> {
  if ('broker' in store && store.broker) return store.open<P>(options);
  const polling = store as QueueStore;
  const name = requireQueueName(options?.name);
  const defaultAttempts = requirePositiveInt('maxAttempts', options.maxAttempts ?? 5);
  const keepDoneMs = options.keepDoneMs ?? 0;
  if (!Number.isFinite(keepDoneMs) || keepDoneMs < 0) {
    throw new StoreConfigError('keepDoneMs', `must be a number >= 0, got ${keepDoneMs}`);
  }

  const toNew = (item: { payload: P } & JobOptions) => {
    const { key, delayMs, maxAttempts } = checkJobOptions(item, defaultAttempts);
    return {
      id: randomUUID(),
      ...(key === undefined ? {} : { key }),
      payload: encodePayload(item.payload),
      delayMs,
      maxAttempts,
    };
  };

  return {
    name,
    async enqueue(payload, jobOptions) {
      const [result] = await polling.enqueue(name, [toNew({ ...jobOptions, payload })]);
      return result!;
    },
    async enqueueMany(jobs) {
      if (!Array.isArray(jobs)) throw new InvalidInputError('jobs', 'must be an array');
      if (jobs.length === 0) return [];
      return polling.enqueue(name, jobs.map(toNew));
    },
    work: (handler, workOptions = {}) =>
      runWorker(polling, name, handler, workOptions, keepDoneMs > 0),
    async deadLetters(listOptions) {
      const rows = await polling.deadLetters(name, { limit: listOptions?.limit ?? 100 });
      return rows.map((row: DeadJob) => ({
        id: row.id,
        ...(row.key === undefined ? {} : { key: row.key }),
        payload: safeDecode<P>(row.payload),
        attempts: row.attempts,
        lastError: row.lastError,
        failedAt: row.failedAt,
        createdAt: row.createdAt,
      }));
    },
    async list(listOptions) {
      const { state, limit } = checkListOptions(listOptions);
      return (await polling.list(name, { state, limit })).map((row) => toQueued<P>(row));
    },
    async replay(id) {
      requireText('id', id);
      return polling.replay(name, id);
    },
    async discard(id) {
      requireText('id', id);
      return polling.discard(name, id);
    },
    stats: () => polling.stats(name),
    sweep: (sweepOptions) =>
      polling.sweep(name, {
        doneOlderThanMs: keepDoneMs,
        ...(sweepOptions?.limit === undefined ? {} : { limit: sweepOptions.limit }),
      }),
  };
}

function safeDecode<P>(payload: string): P {
  try {
    return JSON.parse(payload) as P;
  } catch {
    return payload as unknown as P;
  }
}

/**
 * Keeps a claimed job's lease alive while its handler runs: extends every `leaseMs / 3`; a refused
 * extension, or extensions failing for `leaseMs` (the lease may have run out), aborts the
 * handler's signal with LeaseLostError.
 */
function holdLease(
  store: QueueStore,
  name: string,
  claimed: ClaimedJob,
  leaseMs: number,
  onLost: (error: LeaseLostError) => void,
  where: { id: string; key?: string; attempt: number },
  report: (error: unknown) => void,
) {
  const lease = new AbortController();
  let confirmed = performance.now();
  let extending = false;
  const lose = () => {
    if (lease.signal.aborted) return;
    const error = jobLeaseLost(where, 'renew');
    lease.abort(error);
    onLost(error);
  };
  const timer = setInterval(
    () => {
      if (extending || lease.signal.aborted) return;
      extending = true;
      store
        .extend(name, claimed.id, claimed.token, leaseMs)
        .then(
          (kept) => {
            if (kept) confirmed = performance.now();
            else lose();
          },
          (error) => {
            report(error);
            if (performance.now() - confirmed >= leaseMs) lose();
          },
        )
        .finally(() => {
          extending = false;
        });
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  return {
    signal: lease.signal,
    stop: () => clearInterval(timer),
  };
}

async function runWorker<P>(
  store: QueueStore,
  name: string,
  handler: JobHandler<P>,
  options: WorkOptions,
  keepDone: boolean,
): Promise<WorkSummary> {
  if (typeof handler !== 'function') throw new InvalidInputError('handler', 'must be a function');
  const { concurrency, leaseMs, pollMs } = checkWorkOptions(options);
  const signal = options.signal;
  const permanent = options.isPermanent ?? isPermanentError;
  const report = options.onError ?? (() => {});
  const reportLost = leaseLostReporter(options);
  const summary: WorkSummary = { completed: 0, retried: 0, buried: 0, leaseLost: 0 };
  const inflight = new Set<Promise<void>>();
  const claimBatch = Math.max(1, Math.floor(concurrency / 4));
  let finished = false;
  let wake: () => void = () => {};

  const execute = async (claimed: ClaimedJob) => {
    const attempt = claimed.attempts;
    const where = {
      id: claimed.id,
      ...(claimed.key === undefined ? {} : { key: claimed.key }),
      attempt,
    };
    let lost = false;
    const markLost = (error: LeaseLostError) => {
      if (!lost) summary.leaseLost += 1;
      lost = true;
      reportLost(error, where);
    };
    /** Records an outcome; a refusal means the lease was lost, and is reported, never ignored. */
    const settle = async (action: 'complete' | 'retry' | 'bury', write: Promise<boolean>) => {
      const kept = await write;
      if (kept) {
        if (action === 'complete') summary.completed += 1;
        else if (action === 'retry') summary.retried += 1;
        else summary.buried += 1;
      } else markLost(jobLeaseLost(where, action));
      syncTelemetry()?.queueJobs.add(1, {
        [ATTR.queue]: name,
        [ATTR.jobOutcome]: kept ? JOB_OUTCOME[action] : 'lease_lost',
      });
    };
    const lease = holdLease(store, name, claimed, leaseMs, markLost, where, report);
    const bury = (error: string) =>
      settle('bury', store.bury(name, claimed.id, claimed.token, { error }));
    try {
      if (attempt > claimed.maxAttempts) {
        await bury(
          `the worker running attempt ${attempt - 1} of ${claimed.maxAttempts} stopped without finishing (lease expired)${claimed.lastError ? `; earlier: ${claimed.lastError}` : ''}`,
        );
        return;
      }
      let payload: P;
      try {
        payload = decode<P>(claimed);
      } catch (error) {
        await bury(`payload is not valid JSON: ${errorReason(error)}`);
        return;
      }
      try {
        await handler(
          {
            id: claimed.id,
            ...(claimed.key === undefined ? {} : { key: claimed.key }),
            payload,
            attempt,
            maxAttempts: claimed.maxAttempts,
            createdAt: claimed.createdAt,
          },
          { signal: lease.signal },
        );
      } catch (error) {
        lease.stop();
        report(error, where);
        const reason = errorReason(error);
        if (permanent(error) || attempt >= claimed.maxAttempts) await bury(reason);
        else {
          const delayMs = backoffDelay(attempt, options.backoff);
          await settle(
            'retry',
            store.retry(name, claimed.id, claimed.token, { delayMs, error: reason }),
          );
        }
        return;
      }
      lease.stop();
      await settle(
        'complete',
        store.complete(name, claimed.id, claimed.token, keepDone ? { keep: true } : undefined),
      );
    } finally {
      lease.stop();
    }
  };

  while (!signal?.aborted) {
    const free = concurrency - inflight.size;
    let claimed: ClaimedJob[] = [];
    // With jobs still running, wait until a quarter of the slots are free, so one claim query
    // fetches several jobs instead of one per finished job.
    if (free > 0 && (inflight.size === 0 || free >= claimBatch)) {
      try {
        claimed = await store.claim(name, { limit: free, leaseMs, token: randomUUID() });
      } catch (error) {
        report(error);
      }
      for (const job of claimed) {
        const running: Promise<void> = execute(job)
          .catch((error) => report(error, { id: job.id, attempt: job.attempts }))
          .finally(() => {
            inflight.delete(running);
            finished = true;
            wake();
          });
        inflight.add(running);
      }
      if (claimed.length === free) continue;
    }
    if (finished) {
      finished = false;
      continue;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, pollMs);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        wake = () => {};
        finished = false;
        resolve();
      }
      wake = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }
  await Promise.allSettled([...inflight]);
  return summary;
}
