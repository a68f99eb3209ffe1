import { StoreConfigError } from '../stores/errors.js';

/**
 * Where a hold stands. `held` holds count against stock until their expiry; `confirmed`,
 * `released` and `expired` are final. A held hold past its expiry reads as `expired` even before
 * any operation recorded it, and once any operation has counted it as expired it is recorded
 * `expired` for good.
 */
export type HoldStatus = 'held' | 'confirmed' | 'released' | 'expired';

export interface Hold {
  /**
   * Unique to this hold. A key reserved again after its old hold was purged gets a new hold with a
   * new id, so `confirm(key, { holdId })` never confirms a hold it did not mean.
   */
  id: string;
  key: string;
  sku: string;
  qty: number;
  status: HoldStatus;
  /** Epoch ms by the store's clock. */
  createdAt: number;
  /** Epoch ms (store clock) after which an unconfirmed hold stops counting against stock. */
  expiresAt: number;
  /** Epoch ms (store clock) of the last change of status. */
  updatedAt: number;
}

export interface StockLevel {
  sku: string;
  /** On-hand quantity: the last ERP figure minus holds confirmed since. */
  stock: number;
  /** Quantity in active (unconfirmed, unexpired) holds. */
  held: number;
  /** `stock - held`, never below zero. */
  available: number;
}

export type StoreReserveResult =
  | { ok: true; hold: Hold; created: boolean }
  | { ok: false; level: StockLevel };

/** What one `sweep()` did: holds it recorded as expired, and settled holds it deleted. */
export interface SweepResult {
  expired: number;
  purged: number;
}

/** One page of a SKU's holds in key order, for audits: `after` is the last key of the previous page. */
export interface HoldPage {
  after?: string;
  limit: number;
}

/** Options every reservation store takes. */
export interface ReservationRetention {
  /**
   * How long a settled hold (confirmed, released or expired) is kept after it settled before
   * `sweep()` deletes it. Until then, reserving its key again returns it. Default 7 days.
   */
  retentionMs?: number;
}

export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60_000;

/**
 * What a reservation backend does atomically. Time is the store's own (the database server's
 * clock, Redis `TIME`, the process for SQLite and memory), never the caller's, so managers on
 * machines whose clocks disagree still agree on which holds are live. Implementations: memory,
 * SQLite, PostgreSQL, Redis.
 */
export interface ReservationStore {
  /**
   * Returns the existing hold for `key` untouched, or creates hold `id` when `stock - held >= qty`.
   * Holds of the SKU found past their expiry are recorded `expired` in the same atomic step.
   */
  reserve(request: {
    key: string;
    sku: string;
    qty: number;
    ttlMs: number;
    id: string;
  }): Promise<StoreReserveResult>;
  /**
   * A live hold (whose id is `holdId`, when given) becomes `confirmed` and its qty leaves stock;
   * a held hold past its expiry is recorded `expired`. Any other hold is returned as is.
   */
  confirm(key: string, holdId?: string): Promise<Hold | undefined>;
  /** A live hold (whose id is `holdId`, when given) becomes `released`; otherwise as confirm. */
  release(key: string, holdId?: string): Promise<Hold | undefined>;
  /** Records every held hold past its expiry as `expired`, and deletes settled holds older than the retention. */
  sweep(): Promise<SweepResult>;
  level(sku: string): Promise<StockLevel>;
  setStock(sku: string, qty: number): Promise<void>;
  get(key: string): Promise<Hold | undefined>;
  /** A SKU's holds (any status, until purged) in key order after `page.after`. */
  holds(sku: string, page: HoldPage): Promise<Hold[]>;
  close?(): Promise<void>;
}

export function readStatus(status: string, expiresAt: number, now: number): HoldStatus {
  if (status === 'held' && expiresAt <= now) return 'expired';
  return status as HoldStatus;
}

export function stockLevel(sku: string, stock: number, held: number): StockLevel {
  return { sku, stock, held, available: Math.max(0, stock - held) };
}

/** The `retentionMs` option of a reservation store, checked. */
export function retentionOf(options: ReservationRetention): number {
  const value = options.retentionMs ?? DEFAULT_RETENTION_MS;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new StoreConfigError(
      'retentionMs',
      `must be a positive whole number of milliseconds, got ${String(value)}`,
    );
  }
  return value;
}
