import { requireNonNegativeInt, requirePositiveInt, requireText } from '../stores/input.js';
import {
  ReservationKeyConflictError,
  ReservationNotFoundError,
  ReservationStateError,
} from './errors.js';
import type { Hold, ReservationStore, StockLevel } from './store.js';

export interface ReserveRequest {
  sku: string;
  qty: number;
  /** Idempotency key: reserving again with the same key returns the same hold. */
  key: string;
  /** How long the hold lives unless confirmed. */
  ttlMs: number;
}

export type ReserveResult =
  | { reserved: true; hold: Hold; created: boolean }
  | { reserved: false; available: number; level: StockLevel };

export interface Reservations {
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** Commits the hold: its quantity leaves stock for good. Repeating it is harmless. */
  confirm(key: string): Promise<Hold>;
  /** Gives the quantity back. Releasing a released or expired hold is harmless. */
  release(key: string): Promise<Hold>;
  /** Marks every unconfirmed hold past its expiry as expired; returns how many. */
  sweep(): Promise<number>;
  available(sku: string): Promise<number>;
  level(sku: string): Promise<StockLevel>;
  /** Sets on-hand stock from the ERP. Confirmed holds are assumed to be in the ERP's figure from then on. */
  setStock(sku: string, qty: number): Promise<void>;
  get(key: string): Promise<Hold | undefined>;
}

export interface ReservationsOptions {
  /** Epoch-ms clock; tests pass a fake one. Default Date.now. */
  clock?: () => number;
}

/** Reserve-and-confirm stock over any ReservationStore. Never oversells: the check and the hold are one atomic step in the store. */
export function createReservations(
  store: ReservationStore,
  options: ReservationsOptions = {},
): Reservations {
  const clock = options.clock ?? Date.now;

  return {
    async reserve(request) {
      const sku = requireText('sku', request?.sku);
      const qty = requirePositiveInt('qty', request.qty);
      const key = requireText('key', request.key);
      const ttlMs = requirePositiveInt('ttlMs', request.ttlMs);
      const now = clock();
      const result = await store.reserve({ key, sku, qty, expiresAt: now + ttlMs, now });
      if (!result.ok)
        return { reserved: false, available: result.level.available, level: result.level };
      if (result.hold.sku !== sku || result.hold.qty !== qty) {
        throw new ReservationKeyConflictError(result.hold, sku, qty);
      }
      return { reserved: true, hold: result.hold, created: result.created };
    },

    async confirm(key) {
      requireText('key', key);
      const hold = await store.confirm(key, clock());
      if (!hold) throw new ReservationNotFoundError(key);
      if (hold.status !== 'confirmed') throw new ReservationStateError('confirm', hold);
      return hold;
    },

    async release(key) {
      requireText('key', key);
      const hold = await store.release(key, clock());
      if (!hold) throw new ReservationNotFoundError(key);
      if (hold.status === 'confirmed') throw new ReservationStateError('release', hold);
      return hold;
    },

    async sweep() {
      return store.sweep(clock());
    },

    async available(sku) {
      requireText('sku', sku);
      return (await store.level(sku, clock())).available;
    },

    async level(sku) {
      requireText('sku', sku);
      return store.level(sku, clock());
    },

    async setStock(sku, qty) {
      requireText('sku', sku);
      requireNonNegativeInt('qty', qty);
      return store.setStock(sku, qty, clock());
    },

    async get(key) {
      requireText('key', key);
      return store.get(key, clock());
    },
  };
}
