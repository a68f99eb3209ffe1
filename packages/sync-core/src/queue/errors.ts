import { SyncError } from '../errors.js';

/**
 * Thrown by a job handler for input that will never succeed (validation, transformation): the
 * job goes straight to the dead-letter list with this reason instead of being retried.
 */
export class PermanentJobError extends SyncError {
  readonly permanent = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super('JOB_REJECTED', message, options);
  }
}
