import { SyncError } from '../errors.js';

/** What a holder tried to do when it found its lease or lock gone. */
export type LeaseAction = 'renew' | 'complete' | 'fail' | 'retry' | 'bury';

/**
 * A holder's lease (queue job) or lock (idempotency key) ran out by the store's clock, or was
 * taken over, and its write was refused: its token is stale. Never ignored: the write did not
 * happen, the holder's AbortSignal is aborted with this error, and it is reported.
 */
export class LeaseLostError extends SyncError {
  /** The idempotency key or the job's dedupe key, when it has one. */
  readonly key?: string;
  /** The job id (queue leases). */
  readonly jobId?: string;
  readonly action: LeaseAction;

  constructor(
    what: string,
    action: LeaseAction,
    detail: { key?: string; jobId?: string; hint?: string } = {},
  ) {
    super(
      'LEASE_LOST',
      `${what} lost its lease before it could ${action}: another holder may have taken it over, so this ${action} was refused${detail.hint ? `; ${detail.hint}` : ''}`,
    );
    if (detail.key !== undefined) this.key = detail.key;
    if (detail.jobId !== undefined) this.jobId = detail.jobId;
    this.action = action;
  }
}
