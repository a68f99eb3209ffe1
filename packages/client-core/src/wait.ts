import { AbortedError, ConfigError, TimeoutError } from './errors.js';

/**
 * Waiting belongs here: every Plumbline package sleeps and polls through these two functions, so
 * abort, backoff and timeout behave the same everywhere.
 */

function abortedWait(what: string, signal: AbortSignal): AbortedError {
  return new AbortedError({
    method: what,
    url: '',
    cause: signal.reason,
    message: `The ${what} was aborted by the caller's signal; nothing more was waited for.`,
  });
}

/**
 * Resolves after `ms`. If `signal` aborts first (or already has), rejects at once with an
 * AbortedError whose `cause` is the signal's reason, and clears the timer.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedWait('sleep', signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedWait('sleep', signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One check of a poll: a result, or "not yet", optionally with how long the server asked to wait. */
export type PollStep<T> = { done: true; value: T } | { done: false; retryAfterMs?: number };

export interface PollOptions {
  /** Wait after the first unfinished check. */
  intervalMs: number;
  /** Longest backoff wait between checks. Default unlimited. */
  maxIntervalMs?: number;
  /** Backoff multiplier per check. Default 1.5. */
  factor?: number;
  /** Give up (TimeoutError) rather than wait or check past this long after the first check started. Default none. */
  timeoutMs?: number;
  /** Aborts the wait and the check in progress (AbortedError). */
  signal?: AbortSignal;
  /** Called before every wait, with the number of the check that was not done and the wait. */
  onWait?: (info: { attempt: number; delayMs: number }) => void;
}

function nonNegative(option: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new ConfigError(option, `expected a number of milliseconds >= 0, got ${String(value)}`);
  }
  return value;
}

interface ResolvedPoll {
  intervalMs: number;
  maxIntervalMs: number;
  factor: number;
  timeoutMs: number | undefined;
}

function resolvePoll(options: PollOptions): ResolvedPoll {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError('options', 'expected poll options with at least intervalMs');
  }
  const intervalMs = nonNegative('intervalMs', options.intervalMs);
  const maxIntervalMs =
    options.maxIntervalMs === undefined
      ? Number.POSITIVE_INFINITY
      : nonNegative('maxIntervalMs', options.maxIntervalMs);
  const factor = options.factor ?? 1.5;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) {
    throw new ConfigError('factor', `expected a finite number >= 1, got ${String(factor)}`);
  }
  const timeoutMs =
    options.timeoutMs === undefined ? undefined : nonNegative('timeoutMs', options.timeoutMs);
  return { intervalMs, maxIntervalMs, factor, timeoutMs };
}

/**
 * Calls `check` until it says done and returns its value. Between checks it waits `retryAfterMs`
 * when the check gave one, else a backoff delay (intervalMs, then × factor each time, capped by
 * maxIntervalMs). With `timeoutMs`, it never waits or checks past it: when the next wait would
 * reach it, it stops at once, and a check still running at the timeout has its signal aborted;
 * either way it throws a TimeoutError naming how long it waited. The caller's signal rejects with
 * AbortedError.
 */
export async function poll<T>(
  check: (context: { attempt: number; signal?: AbortSignal }) => Promise<PollStep<T>>,
  options: PollOptions,
): Promise<T> {
  if (typeof check !== 'function') throw new ConfigError('check', 'expected a function');
  const { intervalMs, maxIntervalMs, factor, timeoutMs } = resolvePoll(options);
  const { signal: callerSignal, onWait } = options;
  if (callerSignal?.aborted) throw abortedWait('poll', callerSignal);
  const startedAt = performance.now();
  const expiry = timeoutMs === undefined ? undefined : new AbortController();
  const expiryTimer = expiry && setTimeout(() => expiry.abort(), timeoutMs);
  const signal =
    expiry === undefined
      ? callerSignal
      : callerSignal === undefined
        ? expiry.signal
        : AbortSignal.any([callerSignal, expiry.signal]);
  let attempt = 0;
  const timedOut = (cause?: unknown, nextWaitMs?: number) =>
    new TimeoutError({
      method: 'poll',
      url: '',
      timeoutMs: timeoutMs ?? 0,
      kind: 'deadline',
      attempts: attempt,
      message:
        `Polling gave up after waiting ${Math.round(performance.now() - startedAt)} ms over ` +
        `${attempt} check(s) without a result: ` +
        (nextWaitMs === undefined
          ? `timeoutMs (${timeoutMs} ms) ran out. `
          : `the next wait of ${nextWaitMs} ms would pass timeoutMs (${timeoutMs} ms). `) +
        'Raise timeoutMs, or check the job on the server: it may still be running.',
      ...(cause === undefined ? {} : { cause }),
    });
  const stopped = (cause?: unknown) =>
    callerSignal?.aborted
      ? cause instanceof AbortedError
        ? cause
        : abortedWait('poll', callerSignal)
      : timedOut(cause);
  try {
    let backoff = intervalMs;
    for (;;) {
      attempt += 1;
      let step: PollStep<T>;
      try {
        step = await check(signal === undefined ? { attempt } : { attempt, signal });
      } catch (err) {
        if (signal?.aborted) throw stopped(err);
        throw err;
      }
      if (step?.done === true) return step.value;
      if (signal?.aborted) throw stopped();
      const hinted = step?.retryAfterMs;
      const useHint = typeof hinted === 'number' && hinted >= 0;
      const delayMs = useHint ? hinted : Math.min(backoff, maxIntervalMs);
      backoff = Math.min(backoff * factor, maxIntervalMs);
      if (timeoutMs !== undefined && performance.now() - startedAt + delayMs >= timeoutMs) {
        throw timedOut(undefined, delayMs);
      }
      onWait?.({ attempt, delayMs });
      try {
        await sleep(delayMs, signal);
      } catch {
        throw stopped();
      }
    }
  } finally {
    clearTimeout(expiryTimer);
  }
}
