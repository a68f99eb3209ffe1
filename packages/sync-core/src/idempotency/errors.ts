import { SyncError } from '../errors.js';
import { type LeaseAction, LeaseLostError } from '../lease/errors.js';

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

/**
 * The run lost its lock (it ran out by the store's clock while renewals could not reach the store,
 * or the key was forgotten and taken over): its result was not stored. Code `LEASE_LOST`.
 */
export class IdempotencyLockLostError extends LeaseLostError {
  constructor(key: string, lockMs: number, action: LeaseAction = 'complete') {
    super(`the run of key ${JSON.stringify(key)}`, action, {
      key,
      hint: `its lock (lockMs ${lockMs}) was not renewed in time or the key was forgotten; its effect may have happened, so check it before running the key again`,
    });
  }
}
