/**
 * The small key-value contract that the simple stores (cursor checkpoints, content hashes, echo
 * fingerprints, conflict logs) are built on, so every backend implements it once.
 * Values are strings (JSON-encoded by the caller). Keys are namespaced by the caller.
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
   * literally (no wildcards) and the order is by code unit, as JavaScript compares strings. The
   * primitives' keys are ASCII (percent-encoded parts joined by `/`, e.g. `hash/product/SKU-1`),
   * and the conflict log relies on this order to read decisions oldest first.
   */
  list(prefix: string): AsyncIterable<[key: string, value: string]>;
  close?(): Promise<void>;
}
