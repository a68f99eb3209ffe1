/** A held concurrency slot. Releasing twice is harmless. */
export interface Lease {
  release(): Promise<void>;
}

/**
 * Where limiter state lives. The memory backend serves one process; a shared backend (Redis in
 * sync-core) implements the same shape so several processes respect one account's limits.
 */
export interface LimiterBackend {
  /** Resolves with a lease once fewer than maxConcurrent leases are held for key. A lease expires after leaseMs (its holder died). */
  acquire(
    key: string,
    options: { maxConcurrent: number; leaseMs: number; signal?: AbortSignal },
  ): Promise<Lease>;
  /** Optional requests-per-interval gate; resolves when a slot in the window is free. */
  take?(
    key: string,
    options: { limit: number; intervalMs: number; signal?: AbortSignal },
  ): Promise<void>;
}
