import { InvalidOptionError } from '../errors.js';
import type { KeyValueStore, KeyValueSweepOptions } from '../kv.js';
import { requireStorableKey, requireStorableValue } from '../stores/input.js';
import { SortedKeys } from './sorted-keys.js';

export interface MemoryKeyValueStoreOptions {
  /**
   * The store's clock source for TTL expiry (epoch ms); defaults to `Date.now`. Tests pass a fake
   * one. The store never lets its time step back: a reading below an earlier one counts as the
   * earlier one, so an entry it has seen expire stays expired.
   */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number | undefined;
}

/** A KeyValueStore that keeps entries in process memory. Atomic within one process; not durable. */
export interface MemoryKeyValueStore extends KeyValueStore {
  take(key: string): Promise<string | undefined>;
  /** Removes expired entries (a walk over the keys under `prefix`); returns how many. */
  sweep(options?: KeyValueSweepOptions): Promise<number>;
  /** The number of live (unexpired) entries. */
  size(): number;
  close(): Promise<void>;
}

/**
 * The longest TTL (2^52 ms, some 140,000 years): the store's clock plus it stays a safe integer
 * and fits PostgreSQL and MySQL BIGINT and Redis PX (omit the TTL for an entry that never expires).
 */
const MAX_TTL_MS = 2 ** 52;

function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && !(Number.isFinite(ttlMs) && ttlMs > 0 && ttlMs <= MAX_TTL_MS)) {
    throw new InvalidOptionError(
      'ttlMs',
      `must be a positive number of milliseconds up to 2^52, got ${ttlMs}`,
    );
  }
}

/**
 * An in-memory KeyValueStore with TTL support: the default for tests and iPaaS code steps.
 * Expired entries are invisible to every call; they are removed when a call meets them or by
 * `sweep()`.
 */
export function memoryKeyValueStore(options: MemoryKeyValueStoreOptions = {}): MemoryKeyValueStore {
  return openMemoryKeyValueStore(options).store;
}

/**
 * The memory key-value store with its key index, for tests that guard its complexity. Keys sit in
 * a Map for get/set and in a sorted index, so `list(prefix)` costs O(log n + matches) instead of
 * sorting every key on each call.
 */
export function openMemoryKeyValueStore(options: MemoryKeyValueStoreOptions = {}): {
  store: MemoryKeyValueStore;
  index: SortedKeys;
} {
  const source = options.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  const now = () => {
    last = Math.max(last, source());
    return last;
  };
  const entries = new Map<string, Entry>();
  const index = new SortedKeys();
  const drop = (key: string) => {
    if (entries.delete(key)) index.delete(key);
  };

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= now()) {
      drop(key);
      return undefined;
    }
    return entry;
  };
  const write = (key: string, value: string, ttlMs: number | undefined): void => {
    if (!entries.has(key)) index.add(key);
    entries.set(key, { value, expiresAt: ttlMs === undefined ? undefined : now() + ttlMs });
  };

  const store: MemoryKeyValueStore = {
    async get(key) {
      requireStorableKey(key);
      return live(key)?.value;
    },
    async set(key, value, setOptions) {
      requireStorableKey(key);
      checkTtl(setOptions?.ttlMs);
      requireStorableValue(value);
      write(key, value, setOptions?.ttlMs);
    },
    async setIfAbsent(key, value, setOptions) {
      requireStorableKey(key);
      checkTtl(setOptions?.ttlMs);
      requireStorableValue(value);
      if (live(key) !== undefined) return false;
      write(key, value, setOptions?.ttlMs);
      return true;
    },
    async delete(key) {
      requireStorableKey(key);
      drop(key);
    },
    async take(key) {
      requireStorableKey(key);
      const entry = live(key);
      if (entry === undefined) return undefined;
      drop(key);
      return entry.value;
    },
    async *list(prefix, listOptions) {
      const keys = index.withPrefix(prefix, listOptions?.after);
      for (const key of keys) {
        const entry = live(key);
        if (entry !== undefined) yield [key, entry.value];
      }
    },
    async sweep(sweepOptions) {
      const limit = sweepOptions?.limit ?? Number.POSITIVE_INFINITY;
      const at = now();
      let removed = 0;
      for (const key of index.withPrefix(sweepOptions?.prefix ?? '')) {
        if (removed >= limit) break;
        const expiresAt = entries.get(key)?.expiresAt;
        if (expiresAt !== undefined && expiresAt <= at) {
          drop(key);
          removed += 1;
        }
      }
      return removed;
    },
    size() {
      let count = 0;
      for (const key of [...entries.keys()]) if (live(key) !== undefined) count += 1;
      return count;
    },
    async close() {
      entries.clear();
      index.clear();
    },
  };
  return { store, index };
}
