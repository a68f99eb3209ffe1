import { randomUUID } from 'node:crypto';
import { InvalidInputError, StoreConfigError } from '../stores/errors.js';
import { requirePositiveInt, requireText } from '../stores/input.js';
import type { ClaimedJob, DeadJob, QueueStats, QueueStore } from './store.js';

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
  /** Aborted when this worker lost the job's lease (another worker may now run it). */
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
  work(handler: JobHandler<P>, options?: WorkOptions): Promise<void>;
  deadLetters(options?: { limit?: number }): Promise<Array<DeadLetter<P>>>;
  /** Moves a dead-lettered job back into the queue with fresh attempts. */
  replay(id: string): Promise<boolean>;
  stats(): Promise<QueueStats>;
}

export interface QueueOptions {
  /** Queue name: letters, digits, `_ - . :`. */
  name: string;
  /** Default attempts per job. Default 5. */
  maxAttempts?: number;
  clock?: () => number;
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
    return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
  }
  return String(error);
}

export function checkJobOptions(options: JobOptions | undefined, fallbackAttempts: number) {
  const key = options?.key === undefined ? undefined : requireText('key', options.key);
  const delayMs = options?.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw new InvalidInputError('delayMs', `must be a number >= 0, got ${delayMs}`);
  }
  const maxAttempts = requirePositiveInt('maxAttempts', options?.maxAttempts ?? fallbackAttempts);
  return { key, delayMs, maxAttempts };
}

export function checkWorkOptions(options: WorkOptions) {
  const backoff = options.backoff ?? {};
  for (const [option, value, least] of [
    ['backoff.baseMs', backoff.baseMs, 0],
    ['backoff.maxMs', backoff.maxMs, 0],
    ['backoff.factor', backoff.factor, 1],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= least)) {
      throw new StoreConfigError(option, `must be a number >= ${least}, got ${value}`);
    }
  }
  const concurrency = requirePositiveInt('concurrency', options.concurrency ?? 1);
  const leaseMs = requirePositiveInt('leaseMs', options.leaseMs ?? 30_000);
  const pollMs = requirePositiveInt('pollMs', options.pollMs ?? 100);
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

/** A durable queue over any QueueStore (or a BrokerQueueStore such as RabbitMQ). */
export function createQueue<P = unknown>(
  store: QueueStore | BrokerQueueStore,
  options: QueueOptions,
): Queue<P> {
  if ('broker' in store && store.broker) return store.open<P>(options);
  const polling = store as QueueStore;
  const name = requireQueueName(options?.name);
  const defaultAttempts = requirePositiveInt('maxAttempts', options.maxAttempts ?? 5);
  const clock = options.clock ?? Date.now;

  const toNew = (item: { payload: P } & JobOptions) => {
    const { key, delayMs, maxAttempts } = checkJobOptions(item, defaultAttempts);
    const now = clock();
    return {
      id: randomUUID(),
      ...(key === undefined ? {} : { key }),
      payload: encodePayload(item.payload),
      runAt: now + delayMs,
      maxAttempts,
      createdAt: now,
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
    work: (handler, workOptions = {}) => runWorker(polling, name, handler, workOptions, clock),
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
    async replay(id) {
      requireText('id', id);
      return polling.replay(name, id, clock());
    },
    stats: () => polling.stats(name, clock()),
  };
}

function safeDecode<P>(payload: string): P {
  try {
    return JSON.parse(payload) as P;
  } catch {
    return payload as unknown as P;
  }
}

async function runWorker<P>(
  store: QueueStore,
  name: string,
  handler: JobHandler<P>,
  options: WorkOptions,
  clock: () => number,
): Promise<void> {
  if (typeof handler !== 'function') throw new InvalidInputError('handler', 'must be a function');
  const { concurrency, leaseMs, pollMs } = checkWorkOptions(options);
  const signal = options.signal;
  const permanent = options.isPermanent ?? isPermanentError;
  const report = options.onError ?? (() => {});
  const inflight = new Set<Promise<void>>();
  const claimBatch = Math.max(1, Math.floor(concurrency / 4));
  let finished = false;
  let wake: () => void = () => {};

  const execute = async (claimed: ClaimedJob) => {
    const lease = new AbortController();
    const heartbeat = setInterval(
      () => {
        store
          .extend(name, claimed.id, claimed.token, clock() + leaseMs)
          .then((kept) => {
            if (!kept) lease.abort();
          })
          .catch((error) => report(error));
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    const attempt = claimed.attempts;
    const where = {
      id: claimed.id,
      ...(claimed.key === undefined ? {} : { key: claimed.key }),
      attempt,
    };
    try {
      if (attempt > claimed.maxAttempts) {
        await store.bury(name, claimed.id, claimed.token, {
          error: `the worker running attempt ${attempt - 1} of ${claimed.maxAttempts} stopped without finishing (lease expired)${claimed.lastError ? `; earlier: ${claimed.lastError}` : ''}`,
          now: clock(),
        });
        return;
      }
      let payload: P;
      try {
        payload = decode<P>(claimed);
      } catch (error) {
        await store.bury(name, claimed.id, claimed.token, {
          error: `payload is not valid JSON: ${errorReason(error)}`,
          now: clock(),
        });
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
        report(error, where);
        const reason = errorReason(error);
        if (permanent(error) || attempt >= claimed.maxAttempts) {
          await store.bury(name, claimed.id, claimed.token, { error: reason, now: clock() });
        } else {
          await store.retry(name, claimed.id, claimed.token, {
            runAt: clock() + backoffDelay(attempt, options.backoff),
            error: reason,
          });
        }
        return;
      }
      await store.complete(name, claimed.id, claimed.token);
    } finally {
      clearInterval(heartbeat);
    }
  };

  while (!signal?.aborted) {
    const free = concurrency - inflight.size;
    let claimed: ClaimedJob[] = [];
    // With jobs still running, wait until a quarter of the slots are free, so one claim query
    // fetches several jobs instead of one per finished job.
    if (free > 0 && (inflight.size === 0 || free >= claimBatch)) {
      try {
        claimed = await store.claim(name, {
          limit: free,
          leaseMs,
          now: clock(),
          token: randomUUID(),
        });
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
}
