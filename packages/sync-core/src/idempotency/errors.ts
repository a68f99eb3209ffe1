import { SyncError } from '../errors.js';

/** Another caller is running the same key and the duplicate was refused (or waited too long). */
export class IdempotencyInProgressError extends SyncError {
  readonly key: string;
  constructor(key: string, waitedMs: number) {
    super(
      'IDEMPOTENCY_IN_PROGRESS',
      waitedMs > 0
        ? `key ${JSON.stringify(key)} is still being run by another caller after waiting ${waitedMs} ms; try again later`
        : `key ${JSON.stringify(key)} is being run by another caller; this duplicate was refused`,
    );
    this.key = key;
  }
}

/** The first run of this key failed and failures are kept (releaseOnFailure: false). */
export class IdempotencyFailedError extends SyncError {
  readonly key: string;
  readonly reason: string;
  constructor(key: string, reason: string) {
    super(
      'IDEMPOTENCY_FAILED',
      `key ${JSON.stringify(key)} already ran and failed: ${reason}; delete the key to run it again`,
    );
    this.key = key;
    this.reason = reason;
  }
}

/** The run finished after its lock ran out and another caller took the key over. */
export class IdempotencyLockLostError extends SyncError {
  readonly key: string;
  constructor(key: string, lockMs: number) {
    super(
      'IDEMPOTENCY_LOCK_LOST',
      `key ${JSON.stringify(key)} ran longer than lockMs (${lockMs} ms) and another caller took it over; raise lockMs above the longest run`,
    );
    this.key = key;
  }
}
