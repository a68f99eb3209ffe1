import { ConfigError } from '../errors.js';
import type { LimiterBackend } from './backend.js';
import { memoryLimiterBackend } from './memory-backend.js';

/** A slot taken with Limiter.acquire. Releasing twice is harmless. */
export interface LimiterSlot {
  release(): Promise<void>;
}

export interface Limiter {
  /** Runs fn once a slot for key is free (and the per-interval gate allows it); frees it when fn settles. */
  run<T>(key: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /**
   * Takes a slot for key once one is free (and the per-interval gate allows it) and holds it until
   * release() — for work that outlives one function call, such as a response body.
   */
  acquire(key: string, signal?: AbortSignal): Promise<LimiterSlot>;
  /** Calls currently running through this limiter for key (this process). */
  inFlight(key: string): number;
  /**
   * The in-flight cap per key, when the limiter has one: how many requests a partitioned read
   * may keep in flight. Limiters made by createLimiter always say it.
   */
  readonly maxConcurrent?: number;
}

export interface LimiterOptions {
  /** In-flight cap per key. */
  maxConcurrent: number;
  /** Optional requests-per-interval cap per key, e.g. { limit: 10, intervalMs: 1000 }. */
  perInterval?: { limit: number; intervalMs: number };
  /** Where the state lives. Default: in-process memory. */
  backend?: LimiterBackend;
  /** A held slot is given back after this long even if never released (holder died). Default 120 000 ms. */
  leaseMs?: number;
}

function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(option, `expected a whole number >= 1, got ${String(value)}`);
  }
  return value;
}

/**
 * A concurrency (and optional rate) limiter. Every transport given the same limiter and limitKey
 * shares the same slots, e.g. one key per vendor account.
 */
export function createLimiter(options: LimiterOptions): Limiter {
  const maxConcurrent = positiveInteger('maxConcurrent', options?.maxConcurrent);
  const leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 120_000);
  const backend = options.backend ?? memoryLimiterBackend();
  const perInterval = options.perInterval;
  if (perInterval) {
    positiveInteger('perInterval.limit', perInterval.limit);
    positiveInteger('perInterval.intervalMs', perInterval.intervalMs);
    if (!backend.take) {
      throw new ConfigError('perInterval', 'the limiter backend has no take() for rate limits');
    }
  }
  const counts = new Map<string, number>();

  const acquire = async (key: string, signal?: AbortSignal): Promise<LimiterSlot> => {
    const lease = await backend.acquire(key, {
      maxConcurrent,
      leaseMs,
      ...(signal ? { signal } : {}),
    });
    counts.set(key, (counts.get(key) ?? 0) + 1);
    let released = false;
    const slot: LimiterSlot = {
      release() {
        if (released) return Promise.resolve();
        released = true;
        const left = (counts.get(key) ?? 1) - 1;
        if (left === 0) counts.delete(key);
        else counts.set(key, left);
        return lease.release();
      },
    };
    if (perInterval && backend.take) {
      try {
        await backend.take(key, { ...perInterval, ...(signal ? { signal } : {}) });
      } catch (err) {
        await slot.release();
        throw err;
      }
    }
    return slot;
  };

  return {
    async run(key, fn, signal) {
      const slot = await acquire(key, signal);
      try {
        return await fn();
      } finally {
        await slot.release();
      }
    },
    acquire,
    inFlight: (key) => counts.get(key) ?? 0,
    maxConcurrent,
  };
}
