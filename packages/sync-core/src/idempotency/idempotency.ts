import { randomUUID } from 'node:crypto';
import { pause } from '../stores/abort.js';
import { InvalidInputError, StoreConfigError } from '../stores/errors.js';
import { requireText, storableText } from '../stores/input.js';
import {
  IdempotencyFailedError,
  IdempotencyInProgressError,
  IdempotencyLockLostError,
} from './errors.js';
import type {
  IdempotencyRecord,
  IdempotencyStore,
  TransactionalIdempotencyStore,
} from './store.js';

export interface IdempotencyOptions {
  /**
   * How long a claim is trusted without a renewal. The holder renews it every `lockMs / 3` while
   * `fn` runs, so a slow `fn` keeps its key; a holder that dies (crash, SIGKILL) or stops (a paused
   * process, a lost connection) frees its key this long after its last renewal, judged by the
   * store's clock. Default 60 000.
   */
  lockMs?: number;
  /** A concurrent duplicate either waits for the first run's result or is refused. Default 'wait'. */
  onDuplicate?: 'wait' | 'refuse';
  /** The longest a waiting duplicate waits before IdempotencyInProgressError. Default lockMs. */
  waitMs?: number;
  /** Poll interval of a waiting duplicate. Default 50. */
  pollMs?: number;
  /** A failed run frees the key so a retry runs again (default true); false stores the failure. */
  releaseOnFailure?: boolean;
  /** Keep results (and stored failures) this long; default forever. `sweep()` deletes expired ones. */
  ttlMs?: number;
}

/** What `fn` gets: the fencing token of its claim and a signal that aborts when the claim is lost. */
export interface IdempotencyContext {
  /** Fences this run: the store refuses to complete the key with any other token. */
  token: string;
  /**
   * Aborted (reason: a LeaseLostError) when the claim is lost: a renewal was refused because the
   * key was taken over or forgotten, or renewals could not reach the store for `lockMs`. Stop the
   * effect if you still can; the result will not be stored.
   */
  signal: AbortSignal;
}

export interface Idempotency {
  /**
   * Runs `fn` once per key and returns its result; repeats get the stored result (round-tripped
   * through JSON). A concurrent duplicate waits or is refused; while `fn` runs its claim is
   * renewed, so no other caller runs it. The claim and `fn`'s effect are separate writes: across a
   * crash after the effect and before the record, the effect can happen again (at-least-once);
   * use `runInTransaction` on SQLite / PostgreSQL, or a vendor idempotency key, for exactly once.
   */
  run<T>(
    key: string,
    fn: (context: IdempotencyContext) => Promise<T> | T,
    signal?: AbortSignal,
  ): Promise<T>;
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Forgets a key so that it runs again (a running holder then loses its claim). */
  forget(key: string): Promise<void>;
  /** Deletes expired results and abandoned claims; returns how many. */
  sweep(options?: { limit?: number }): Promise<number>;
}

export interface TransactionalIdempotency<Tx> extends Idempotency {
  /**
   * Runs `fn` inside the store's database transaction that also records the key as done: `fn`'s
   * writes through `tx` and the record commit together, or neither does (a crash, a failed `fn`,
   * a lost connection). Exactly once for effects written through `tx`. A concurrent duplicate waits
   * on the database's lock (at most `waitMs`) or is refused. On SQLite `fn` must be synchronous
   * (better-sqlite3 transactions are).
   */
  runInTransaction<T>(
    key: string,
    fn: (tx: Tx, context: IdempotencyContext) => Promise<T> | T,
    signal?: AbortSignal,
  ): Promise<T>;
}

/** Node's longest timer: a longer renewal interval fires after 1 ms and hammers the store. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** The longest time a store adds to its clock: the sum stays a safe integer and fits BIGINT. */
const MAX_STORED_MS = 2 ** 52;

function positive(
  option: string,
  value: number | undefined,
  fallback: number,
  max: number,
): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0 || v > max)
    throw new StoreConfigError(option, `must be a positive number up to ${max}, got ${v}`);
  return v;
}

function isTransactional(store: IdempotencyStore): store is TransactionalIdempotencyStore<unknown> {
  return typeof (store as { transact?: unknown }).transact === 'function';
}

function serialise(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch (error) {
    throw new InvalidInputError(
      'result',
      `must be JSON-serialisable to be stored (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  // A function, a symbol or a toJSON that answers undefined has no JSON form, and says so by
  // returning undefined instead of throwing.
  if (text === undefined) {
    throw new InvalidInputError(
      'result',
      `must be JSON-serialisable to be stored (a ${typeof value} has no JSON form)`,
    );
  }
  return text;
}

/**
 * Keeps a claim alive while `fn` runs: renews every `lockMs / 3`; a refused renewal, or renewals
 * failing for `lockMs` (the claim may have run out), aborts the run's signal with LeaseLostError.
 */
function holdClaim(store: IdempotencyStore, key: string, token: string, lockMs: number) {
  const lost = new AbortController();
  let confirmed = performance.now();
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing || lost.signal.aborted) return;
      renewing = true;
      store
        .renew(key, token, { lockMs })
        .then(
          (kept) => {
            if (kept) confirmed = performance.now();
            else lost.abort(new IdempotencyLockLostError(key, lockMs, 'renew'));
          },
          () => {
            if (performance.now() - confirmed >= lockMs) {
              lost.abort(new IdempotencyLockLostError(key, lockMs, 'renew'));
            }
          },
        )
        .finally(() => {
          renewing = false;
        });
    },
    Math.max(1, Math.floor(lockMs / 3)),
  );
  return {
    signal: lost.signal,
    stop() {
      clearInterval(timer);
    },
  };
}

export function createIdempotency<Tx>(
  store: TransactionalIdempotencyStore<Tx>,
  options?: IdempotencyOptions,
): TransactionalIdempotency<Tx>;
export function createIdempotency(
  store: IdempotencyStore,
  options?: IdempotencyOptions,
): Idempotency;
export function createIdempotency(
  store: IdempotencyStore,
  options: IdempotencyOptions = {},
): Idempotency {
  const lockMs = positive('lockMs', options.lockMs, 60_000, MAX_TIMER_MS);
  const waitMs = positive('waitMs', options.waitMs, lockMs, MAX_STORED_MS);
  const pollMs = positive('pollMs', options.pollMs, 50, MAX_TIMER_MS);
  const ttlMs =
    options.ttlMs === undefined ? undefined : positive('ttlMs', options.ttlMs, 1, MAX_STORED_MS);
  const onDuplicate = options.onDuplicate ?? 'wait';
  if (onDuplicate !== 'wait' && onDuplicate !== 'refuse') {
    throw new StoreConfigError(
      'onDuplicate',
      `must be 'wait' or 'refuse', got ${String(onDuplicate)}`,
    );
  }
  const releaseOnFailure = options.releaseOnFailure ?? true;
  const keep = ttlMs === undefined ? {} : { ttlMs };

  const settled = <T>(key: string, record: IdempotencyRecord): T => {
    if (record.state === 'failed') throw new IdempotencyFailedError(key, record.error ?? 'unknown');
    return (record.result === undefined ? undefined : JSON.parse(record.result)) as T;
  };

  /** A duplicate found the key running: refuse, or wait a poll interval (false once waitMs is up). */
  const awaitTurn = async (key: string, started: number, signal?: AbortSignal) => {
    if (onDuplicate === 'refuse') throw new IdempotencyInProgressError(key, 0);
    const waited = performance.now() - started;
    if (waited >= waitMs) throw new IdempotencyInProgressError(key, Math.round(waited));
    await pause(
      Math.min(pollMs, waitMs - waited),
      signal,
      `waiting for key ${JSON.stringify(key)}`,
    );
  };

  /**
   * Records a failed run. If the store cannot (unreachable), the caller still gets fn's own error:
   * the store's error becomes its `cause` when it has none (an existing cause is kept).
   */
  const recordFailure = async (error: unknown, fail: () => Promise<unknown>): Promise<void> => {
    try {
      await fail();
    } catch (storeError) {
      if (error instanceof Error && error.cause === undefined) {
        Object.defineProperty(error, 'cause', {
          value: storeError,
          writable: true,
          configurable: true,
          enumerable: false,
        });
      }
    }
  };

  /** Runs fn under a held claim; records the outcome fenced by the token. */
  const runClaimed = async <T>(
    key: string,
    token: string,
    fn: (context: IdempotencyContext) => Promise<T> | T,
  ): Promise<T> => {
    const claim = holdClaim(store, key, token, lockMs);
    let value: T;
    try {
      value = await fn({ token, signal: claim.signal });
    } catch (error) {
      claim.stop();
      const message = storableText(error instanceof Error ? error.message : String(error));
      await recordFailure(error, () =>
        store.fail(key, token, { error: message, release: releaseOnFailure, ...keep }),
      );
      throw error;
    }
    claim.stop();
    let result: string;
    try {
      result = serialise(value);
    } catch (error) {
      // fn has run: keep the key (never released) so its effect is not repeated.
      await recordFailure(error, () =>
        store.fail(key, token, { error: `the ${(error as Error).message}`, release: false }),
      );
      throw error;
    }
    if (!(await store.complete(key, token, { result, ...keep }))) {
      throw new IdempotencyLockLostError(key, lockMs);
    }
    return JSON.parse(result) as T;
  };

  const manager: TransactionalIdempotency<unknown> = {
    async run<T>(
      key: string,
      fn: (context: IdempotencyContext) => Promise<T> | T,
      signal?: AbortSignal,
    ): Promise<T> {
      requireText('key', key);
      if (typeof fn !== 'function') throw new InvalidInputError('fn', 'must be a function');
      const started = performance.now();
      for (;;) {
        const token = randomUUID();
        const outcome = await store.begin(key, { token, lockMs });
        if (outcome.acquired) return runClaimed(key, token, fn);
        if (outcome.record.state !== 'running') return settled<T>(key, outcome.record);
        await awaitTurn(key, started, signal);
      }
    },

    async runInTransaction<T>(
      key: string,
      fn: (tx: unknown, context: IdempotencyContext) => Promise<T> | T,
      signal?: AbortSignal,
    ): Promise<T> {
      requireText('key', key);
      if (typeof fn !== 'function') throw new InvalidInputError('fn', 'must be a function');
      if (!isTransactional(store)) {
        throw new StoreConfigError(
          'store',
          'has no transactions; runInTransaction needs the SQLite or PostgreSQL idempotency store',
        );
      }
      const started = performance.now();
      for (;;) {
        const token = randomUUID();
        const lost = new AbortController();
        const context = { token, signal: lost.signal };
        const remaining = Math.max(0, waitMs - (performance.now() - started));
        const outcome = await store.transact(
          key,
          {
            token,
            ...keep,
            waitMs: onDuplicate === 'refuse' ? 0 : remaining,
            onLost: (reason) => lost.abort(reason),
          },
          (tx) => {
            const value = fn(tx, context);
            return value instanceof Promise ? value.then(serialise) : serialise(value);
          },
        );
        if (outcome.ran) return JSON.parse(outcome.result) as T;
        if (outcome.record.state !== 'running') return settled<T>(key, outcome.record);
        await awaitTurn(key, started, signal);
      }
    },

    async get(key) {
      requireText('key', key);
      return store.get(key);
    },

    async forget(key) {
      requireText('key', key);
      return store.delete(key);
    },

    async sweep(sweepOptions) {
      return store.sweep(sweepOptions);
    },
  };
  return manager;
}
