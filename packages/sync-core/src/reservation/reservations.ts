import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../stores/errors.js';
import { requireNonNegativeInt, requirePositiveInt, requireText } from '../stores/input.js';
import { ATTR } from '../telemetry/names.js';
import { syncTelemetry } from '../telemetry/sync-telemetry.js';
import {
  ReservationKeyConflictError,
  ReservationNotFoundError,
  ReservationStaleError,
  ReservationStateError,
} from './errors.js';
import type { Hold, ReservationStore, StockLevel, SweepResult } from './store.js';

export interface ReserveRequest {
  sku: string;
  qty: number;
  /** Idempotency key: reserving again with the same key returns the same hold. */
  key: string;
  /** How long the hold lives unless confirmed, measured by the store's clock. */
  ttlMs: number;
}

/**
 * `reserved: true` only while the key's hold is held or confirmed. `reserved: false` when the
 * stock is short, or, with `hold`, when the key's hold already expired or was released: that key
 * is spent, so reserve again under a new key.
 */
export type ReserveResult =
  | { reserved: true; hold: Hold; created: boolean }
  | { reserved: false; available: number; level: StockLevel; hold?: Hold };

/** Fences confirm and release to one hold: the call is refused if the key's hold has another id. */
export interface SettleOptions {
  holdId?: string;
}

export interface HoldsQuery {
  /** The last key of the previous page. */
  after?: string;
  /** Page size, 1 to 10,000. Default 1,000. */
  limit?: number;
}

export interface Reservations {
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /**
   * Commits the hold: its quantity leaves stock for good. Repeating it is harmless. An expired
   * hold raises `RESERVATION_EXPIRED`, a released one `RESERVATION_RELEASED`, a `holdId` that is
   * not the key's hold `RESERVATION_STALE`.
   */
  confirm(key: string, options?: SettleOptions): Promise<Hold>;
  /** Gives the quantity back. Releasing a released or expired hold is harmless. */
  release(key: string, options?: SettleOptions): Promise<Hold>;
  /**
   * Records every unconfirmed hold past its expiry as expired and deletes settled holds older
   * than the store's `retentionMs`. Never changes stock, held or available.
   */
  sweep(): Promise<SweepResult>;
  available(sku: string): Promise<number>;
  level(sku: string): Promise<StockLevel>;
  /** Sets on-hand stock from the ERP. Confirmed holds are assumed to be in the ERP's figure from then on. */
  setStock(sku: string, qty: number): Promise<void>;
  get(key: string): Promise<Hold | undefined>;
  /** A SKU's holds, any status (until swept away), in key order: for audits and invariant checks. */
  holds(sku: string, query?: HoldsQuery): Promise<Hold[]>;
}

/**
 * Reserve-and-confirm stock over any ReservationStore. Never oversells: the check and the hold
 * are one atomic step in the store, and expiry is judged by the store's clock alone.
 */
/** Counts hold operations by outcome (`plumbline.holds`). */
function holdsCounted(
  outcome: 'reserved' | 'refused' | 'confirmed' | 'released' | 'expired',
  n = 1,
): void {
  if (n > 0) syncTelemetry()?.holds.add(n, { [ATTR.holdOutcome]: outcome });
}

export function createReservations(store: ReservationStore): Reservations {
  const settled = async (
    operation: 'confirm' | 'release',
    key: string,
    options: SettleOptions | undefined,
  ) => {
    requireText('key', key);
    const holdId =
      options?.holdId === undefined ? undefined : requireText('holdId', options.holdId);
    const hold = await (operation === 'confirm'
      ? store.confirm(key, holdId)
      : store.release(key, holdId));
    if (!hold) throw new ReservationNotFoundError(key);
    if (holdId !== undefined && hold.id !== holdId) {
      throw new ReservationStaleError(operation, holdId, hold);
    }
    return hold;
  };

  return {
    async reserve(request) {
      const sku = requireText('sku', request?.sku);
      const qty = requirePositiveInt('qty', request.qty);
      const key = requireText('key', request.key);
      const ttlMs = requirePositiveInt('ttlMs', request.ttlMs);
      const result = await store.reserve({ key, sku, qty, ttlMs, id: randomUUID() });
      if (!result.ok) {
        holdsCounted('refused');
        return { reserved: false, available: result.level.available, level: result.level };
      }
      const { hold } = result;
      if (hold.sku !== sku || hold.qty !== qty) {
        throw new ReservationKeyConflictError(hold, sku, qty);
      }
      if (hold.status === 'expired' || hold.status === 'released') {
        holdsCounted('refused');
        const level = await store.level(sku);
        return { reserved: false, available: level.available, level, hold };
      }
      if (result.created) holdsCounted('reserved');
      return { reserved: true, hold, created: result.created };
    },

    async confirm(key, options) {
      const hold = await settled('confirm', key, options);
      if (hold.status === 'expired') holdsCounted('expired');
      if (hold.status !== 'confirmed') throw new ReservationStateError('confirm', hold);
      holdsCounted('confirmed');
      return hold;
    },

    async release(key, options) {
      const hold = await settled('release', key, options);
      if (hold.status === 'confirmed') throw new ReservationStateError('release', hold);
      holdsCounted(hold.status === 'expired' ? 'expired' : 'released');
      return hold;
    },

    async sweep() {
      const result = await store.sweep();
      holdsCounted('expired', result.expired);
      return result;
    },

    async available(sku) {
      requireText('sku', sku);
      return (await store.level(sku)).available;
    },

    async level(sku) {
      requireText('sku', sku);
      return store.level(sku);
    },

    async setStock(sku, qty) {
      requireText('sku', sku);
      requireNonNegativeInt('qty', qty);
      return store.setStock(sku, qty);
    },

    async get(key) {
      requireText('key', key);
      return store.get(key);
    },

    async holds(sku, query = {}) {
      requireText('sku', sku);
      const after = query.after === undefined ? undefined : requireText('after', query.after);
      const limit = query.limit === undefined ? 1_000 : requirePositiveInt('limit', query.limit);
      if (limit > 10_000)
        throw new InvalidInputError('limit', `must be at most 10000, got ${limit}`);
      return store.holds(sku, { ...(after === undefined ? {} : { after }), limit });
    },
  };
}
