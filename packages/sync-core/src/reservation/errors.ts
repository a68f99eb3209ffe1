import { SyncError } from '../errors.js';
import type { Hold } from './store.js';

/** confirm/release named a key that has no hold. */
export class ReservationNotFoundError extends SyncError {
  readonly key: string;
  constructor(key: string) {
    super('RESERVATION_NOT_FOUND', `no reservation has key ${JSON.stringify(key)}; reserve first`);
    this.key = key;
  }
}

/**
 * The hold is not in a state that allows the operation: confirming an expired or released hold,
 * or releasing a confirmed one. `hold` is the hold as stored.
 */
export class ReservationStateError extends SyncError {
  readonly hold: Hold;
  constructor(operation: 'confirm' | 'release', hold: Hold) {
    super(
      hold.status === 'expired'
        ? 'RESERVATION_EXPIRED'
        : hold.status === 'released'
          ? 'RESERVATION_RELEASED'
          : 'RESERVATION_CONFIRMED',
      `cannot ${operation} reservation ${JSON.stringify(hold.key)}: it is ${hold.status}` +
        (hold.status === 'expired' ? '; reserve again with a new key' : ''),
    );
    this.hold = hold;
  }
}

/** The same key was reused for a different sku or quantity. */
export class ReservationKeyConflictError extends SyncError {
  readonly hold: Hold;
  constructor(hold: Hold, sku: string, qty: number) {
    super(
      'RESERVATION_KEY_CONFLICT',
      `reservation key ${JSON.stringify(hold.key)} already holds ${hold.qty} of ${JSON.stringify(hold.sku)}; it cannot be reused for ${qty} of ${JSON.stringify(sku)}`,
    );
    this.hold = hold;
  }
}

/**
 * confirm/release named a hold id that is not the key's hold: the caller's hold was purged and the
 * key reserved again, or the id belongs to another reservation. Nothing was changed.
 */
export class ReservationStaleError extends SyncError {
  readonly hold: Hold;
  readonly holdId: string;
  constructor(operation: 'confirm' | 'release', holdId: string, hold: Hold) {
    super(
      'RESERVATION_STALE',
      `cannot ${operation} hold ${JSON.stringify(holdId)}: key ${JSON.stringify(hold.key)} now belongs to hold ${JSON.stringify(hold.id)}; nothing was changed`,
    );
    this.hold = hold;
    this.holdId = holdId;
  }
}
