export type IdempotencyState = 'running' | 'done' | 'failed';

export interface IdempotencyRecord {
  key: string;
  state: IdempotencyState;
  /** JSON text of the result (state `done`). */
  result?: string;
  /** The error message of the failed run (state `failed`). */
  error?: string;
  /** While `running`: epoch ms (the store's clock) after which the claim counts as abandoned. */
  lockedUntil?: number;
  /** Epoch ms of the store's clock. */
  updatedAt: number;
}

export type BeginOutcome =
  | { acquired: true; token: string }
  | { acquired: false; record: IdempotencyRecord };

/**
 * What an idempotency backend does atomically: claim a key, renew the claim, record its outcome,
 * release it. A claim is fenced by `token`: a holder whose lock ran out cannot renew, complete or
 * fail the key. Every expiry is judged by the store's own clock (PostgreSQL `clock_timestamp()`,
 * Redis `TIME`, SQLite's time functions inside the statement, the process for memory), never by
 * the caller's.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` when it is new, when its previous holder's lock ran out, or when its stored
   * outcome expired. Otherwise returns the record as it stands.
   */
  begin(key: string, options: { token: string; lockMs: number }): Promise<BeginOutcome>;
  /** Extends a held claim to the store's now + lockMs; false when the token no longer holds it. */
  renew(key: string, token: string, options: { lockMs: number }): Promise<boolean>;
  /** Stores the result; returns false when the claim was lost (the token no longer holds it). */
  complete(
    key: string,
    token: string,
    options: { result: string; ttlMs?: number },
  ): Promise<boolean>;
  /** Stores the failure (`release: false`) or frees the key for a new attempt (`release: true`). */
  fail(
    key: string,
    token: string,
    options: { error: string; release: boolean; ttlMs?: number },
  ): Promise<boolean>;
  get(key: string): Promise<IdempotencyRecord | undefined>;
  delete(key: string): Promise<void>;
  /**
   * Deletes what no caller can see any more: results and failures past their `ttlMs`, and claims
   * whose holder's lock ran out (a holder that died). Returns how many records were deleted.
   */
  sweep(options?: { limit?: number }): Promise<number>;
  close?(): Promise<void>;
}

export type TransactOutcome =
  | { ran: true; result: string }
  | { ran: false; record: IdempotencyRecord };

/**
 * A store that can run `fn` inside the same database transaction that records the key (SQLite,
 * PostgreSQL): `fn`'s own writes through `tx` and the `done` record commit together or not at
 * all, so a crash at any point leaves either both or neither.
 */
export interface TransactionalIdempotencyStore<Tx> extends IdempotencyStore {
  transact(
    key: string,
    options: {
      token: string;
      ttlMs?: number;
      /** How long to wait for another transaction holding the key; 0 refuses at once. */
      waitMs: number;
      /** Called when the transaction's connection is lost while `fn` runs (nothing will commit). */
      onLost: (reason: unknown) => void;
    },
    fn: (tx: Tx) => string | Promise<string>,
  ): Promise<TransactOutcome>;
}
