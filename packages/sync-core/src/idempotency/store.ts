export type IdempotencyState = 'running' | 'done' | 'failed';

export interface IdempotencyRecord {
  key: string;
  state: IdempotencyState;
  /** JSON text of the result (state `done`). */
  result?: string;
  /** The error message of the failed run (state `failed`). */
  error?: string;
  /** While `running`: epoch ms after which the claim counts as abandoned (its holder died). */
  lockedUntil?: number;
  updatedAt: number;
}

export type BeginOutcome =
  | { acquired: true; token: string }
  | { acquired: false; record: IdempotencyRecord };

/**
 * What an idempotency backend does atomically: claim a key, record its outcome, release it.
 * A claim is fenced by `token`, so a holder whose lock ran out cannot overwrite a successor.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` when it is new, when its previous holder's lock ran out, or when its stored
   * outcome expired. Otherwise returns the record as it stands.
   */
  begin(
    key: string,
    options: { token: string; now: number; lockMs: number },
  ): Promise<BeginOutcome>;
  /** Stores the result; returns false when the claim was lost (the token no longer holds it). */
  complete(
    key: string,
    token: string,
    options: { result: string; now: number; ttlMs?: number },
  ): Promise<boolean>;
  /** Stores the failure (`release: false`) or frees the key for a new attempt (`release: true`). */
  fail(
    key: string,
    token: string,
    options: { error: string; now: number; release: boolean; ttlMs?: number },
  ): Promise<boolean>;
  get(key: string, now: number): Promise<IdempotencyRecord | undefined>;
  delete(key: string): Promise<void>;
  close?(): Promise<void>;
}
