/** Where a hold stands. An unconfirmed hold past its expiry reads as `expired` even before a sweep. */
export type HoldStatus = 'held' | 'confirmed' | 'released' | 'expired';

export interface Hold {
  key: string;
  sku: string;
  qty: number;
  status: HoldStatus;
  createdAt: number;
  /** Epoch ms after which an unconfirmed hold stops counting against stock. */
  expiresAt: number;
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

/**
 * What a reservation backend does atomically. `now` comes from the caller's clock so that every
 * backend judges expiry alike. Implementations: memory, SQLite, PostgreSQL, Redis.
 */
export interface ReservationStore {
  /** Returns the existing hold for `key` untouched, or creates one when `stock - held >= qty`. */
  reserve(request: {
    key: string;
    sku: string;
    qty: number;
    expiresAt: number;
    now: number;
  }): Promise<StoreReserveResult>;
  /** A live hold becomes `confirmed` and its qty leaves stock. Any other hold is returned as is. */
  confirm(key: string, now: number): Promise<Hold | undefined>;
  /** A live hold becomes `released`. Any other hold is returned as is. */
  release(key: string, now: number): Promise<Hold | undefined>;
  /** Marks unconfirmed holds past expiry as `expired`; returns how many. */
  sweep(now: number): Promise<number>;
  level(sku: string, now: number): Promise<StockLevel>;
  setStock(sku: string, qty: number, now: number): Promise<void>;
  get(key: string, now: number): Promise<Hold | undefined>;
  close?(): Promise<void>;
}

export function readStatus(status: string, expiresAt: number, now: number): HoldStatus {
  if (status === 'held' && expiresAt <= now) return 'expired';
  return status as HoldStatus;
}

export function stockLevel(sku: string, stock: number, held: number): StockLevel {
  return { sku, stock, held, available: Math.max(0, stock - held) };
}
