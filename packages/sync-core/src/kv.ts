/**
 * The small key-value contract that the simple stores (cursor checkpoints, content hashes, echo
 * fingerprints, conflict logs, dead-letter lists) are built on, so every backend implements it
 * once. Values are strings (JSON-encoded by the caller). Keys are namespaced by the caller.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  /** Writes the value; with `ttlMs` the key disappears after that many milliseconds. */
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  /** Writes only when the key is absent (or expired); returns whether it wrote. Atomic. */
  setIfAbsent(key: string, value: string, options?: { ttlMs?: number }): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Every live entry whose key starts with `prefix`, in ascending key order. The prefix matches
   * literally (no wildcards) and the order is by the keys' UTF-8 bytes (the same as by code point),
   * on every store of this package: SQLite, PostgreSQL, MySQL and Redis compare the bytes, and the
   * memory store compares the same way. This differs from JavaScript's `<` (by UTF-16 code unit)
   * for keys above U+FFFF: `a\u{1F600}` sorts after `a\uFF01` here. The
   * primitives' keys are ASCII (percent-encoded parts joined by `/`, e.g. `hash/product/SKU-1`),
   * and the conflict log relies on this order to read decisions oldest first. With `after`, only
   * keys greater than it (for paging: pass the last key of the previous page).
   */
  list(prefix: string, options?: KeyValueListOptions): AsyncIterable<[key: string, value: string]>;
  /**
   * Deletes the key and returns the value it held, in one atomic step: of several concurrent
   * callers (in any process) at most one gets the value. Optional for custom stores; every store
   * of this package has it. Without it, callers fall back to `get` then `delete` (not atomic).
   */
  take?(key: string): Promise<string | undefined>;
  /**
   * Removes expired entries from storage (they are already invisible to every read) and returns
   * how many it removed: with `prefix`, only keys under it; with `limit`, at most that many.
   */
  sweep?(options?: KeyValueSweepOptions): Promise<number>;
  close?(): Promise<void>;
}

export interface KeyValueListOptions {
  /** Only keys strictly greater than this one (a paging cursor). */
  after?: string;
}

export interface KeyValueSweepOptions {
  /** Only keys that start with this prefix. */
  prefix?: string;
  /** At most this many removals in one call (default: all). */
  limit?: number;
}
