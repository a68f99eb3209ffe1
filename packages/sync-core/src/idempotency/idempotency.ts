import { randomUUID } from 'node:crypto';
import { pause } from '../stores/abort.js';
import { InvalidInputError, StoreConfigError } from '../stores/errors.js';
import { requireText } from '../stores/input.js';
import {
  IdempotencyFailedError,
  IdempotencyInProgressError,
  IdempotencyLockLostError,
} from './errors.js';
import type { IdempotencyRecord, IdempotencyStore } from './store.js';

export interface IdempotencyOptions {
  /**
   * How long a running claim is trusted. A holder that dies (crash, SIGKILL) frees its key after
   * this long; keep it above your longest run. Default 60 000.
   */
  lockMs?: number;
  /** A concurrent duplicate either waits for the first run's result or is refused. Default 'wait'. */
  onDuplicate?: 'wait' | 'refuse';
  /** The longest a waiting duplicate polls before IdempotencyInProgressError. Default lockMs. */
  waitMs?: number;
  /** Poll interval of a waiting duplicate. Default 50. */
  pollMs?: number;
  /** A failed run frees the key so a retry runs again (default true); false stores the failure. */
  releaseOnFailure?: boolean;
  /** Keep results (and stored failures) this long; default forever. */
  ttlMs?: number;
  clock?: () => number;
}

export interface Idempotency {
  /**
   * Runs `fn` once per key and returns its result; repeats get the stored result (round-tripped
   * through JSON). A concurrent duplicate waits or is refused; it never runs `fn` a second time.
   */
  run<T>(key: string, fn: () => Promise<T> | T, signal?: AbortSignal): Promise<T>;
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Forgets a key so that it runs again. */
  forget(key: string): Promise<void>;
}

function positive(option: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0)
    throw new StoreConfigError(option, `must be a positive number, got ${v}`);
  return v;
}

export function createIdempotency(
  store: IdempotencyStore,
  options: IdempotencyOptions = {},
): Idempotency {
  const lockMs = positive('lockMs', options.lockMs, 60_000);
  const waitMs = positive('waitMs', options.waitMs, lockMs);
  const pollMs = positive('pollMs', options.pollMs, 50);
  const ttlMs = options.ttlMs === undefined ? undefined : positive('ttlMs', options.ttlMs, 1);
  const onDuplicate = options.onDuplicate ?? 'wait';
  if (onDuplicate !== 'wait' && onDuplicate !== 'refuse') {
    throw new StoreConfigError(
      'onDuplicate',
      `must be 'wait' or 'refuse', got ${String(onDuplicate)}`,
    );
  }
  const releaseOnFailure = options.releaseOnFailure ?? true;
  const clock = options.clock ?? Date.now;

  const settled = <T>(key: string, record: IdempotencyRecord): T => {
    if (record.state === 'failed') throw new IdempotencyFailedError(key, record.error ?? 'unknown');
    return (record.result === undefined ? undefined : JSON.parse(record.result)) as T;
  };

  return {
    async run<T>(key: string, fn: () => Promise<T> | T, signal?: AbortSignal): Promise<T> {
      requireText('key', key);
      if (typeof fn !== 'function') throw new InvalidInputError('fn', 'must be a function');
      const started = Date.now();
      for (;;) {
        const token = randomUUID();
        const outcome = await store.begin(key, { token, now: clock(), lockMs });
        if (outcome.acquired) {
          let value: T;
          try {
            value = await fn();
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            await store.fail(key, token, {
              error: message,
              now: clock(),
              release: releaseOnFailure,
              ...(ttlMs === undefined ? {} : { ttlMs }),
            });
            throw error;
          }
          let result: string;
          try {
            result = JSON.stringify(value === undefined ? null : value);
          } catch (error) {
            // fn has run: keep the key (never released) so its effect is not repeated.
            const problem = `must be JSON-serialisable to be stored (${error instanceof Error ? error.message : String(error)})`;
            await store.fail(key, token, {
              error: `the result ${problem}`,
              now: clock(),
              release: false,
            });
            throw new InvalidInputError('result', problem);
          }
          const kept = await store.complete(key, token, {
            result,
            now: clock(),
            ...(ttlMs === undefined ? {} : { ttlMs }),
          });
          if (!kept) throw new IdempotencyLockLostError(key, lockMs);
          return JSON.parse(result) as T;
        }
        if (outcome.record.state !== 'running') return settled<T>(key, outcome.record);
        if (onDuplicate === 'refuse') throw new IdempotencyInProgressError(key, 0);
        const waited = Date.now() - started;
        if (waited >= waitMs) throw new IdempotencyInProgressError(key, waited);
        await pause(
          Math.min(pollMs, waitMs - waited),
          signal,
          `waiting for key ${JSON.stringify(key)}`,
        );
      }
    },

    async get(key) {
      requireText('key', key);
      return store.get(key, clock());
    },

    async forget(key) {
      requireText('key', key);
      return store.delete(key);
    },
  };
}
