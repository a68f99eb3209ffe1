import {
  type Hold,
  type ReservationStore,
  readStatus,
  type StockLevel,
  stockLevel,
} from '../../reservation/store.js';

interface Row {
  key: string;
  sku: string;
  qty: number;
  status: 'held' | 'confirmed' | 'released' | 'expired';
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
}

/** An in-process ReservationStore. Every method runs synchronously, so each is atomic. */
export function memoryReservationStore(): ReservationStore {
  const stock = new Map<string, number>();
  const holds = new Map<string, Row>();
  /** Unconfirmed holds per SKU, so a reserve looks only at its own SKU's holds. */
  const active = new Map<string, Set<Row>>();
  const settle = (row: Row) => active.get(row.sku)?.delete(row);

  const view = (row: Row, now: number): Hold => ({
    ...row,
    status: readStatus(row.status, row.expiresAt, now),
  });
  const level = (sku: string, now: number): StockLevel => {
    let held = 0;
    for (const row of active.get(sku) ?? []) {
      if (row.expiresAt > now) held += row.qty;
    }
    return stockLevel(sku, stock.get(sku) ?? 0, held);
  };

  return {
    async reserve({ key, sku, qty, expiresAt, now }) {
      const existing = holds.get(key);
      if (existing) return { ok: true, hold: view(existing, now), created: false };
      const current = level(sku, now);
      if (current.stock - current.held < qty) return { ok: false, level: current };
      const row: Row = { key, sku, qty, status: 'held', createdAt: now, expiresAt, updatedAt: now };
      holds.set(key, row);
      const set = active.get(sku) ?? new Set<Row>();
      active.set(sku, set);
      set.add(row);
      return { ok: true, hold: view(row, now), created: true };
    },
    async confirm(key, now) {
      const row = holds.get(key);
      if (!row) return undefined;
      if (row.status === 'held' && row.expiresAt > now) {
        row.status = 'confirmed';
        row.updatedAt = now;
        settle(row);
        stock.set(row.sku, (stock.get(row.sku) ?? 0) - row.qty);
      }
      return view(row, now);
    },
    async release(key, now) {
      const row = holds.get(key);
      if (!row) return undefined;
      if (row.status === 'held' && row.expiresAt > now) {
        row.status = 'released';
        row.updatedAt = now;
        settle(row);
      }
      return view(row, now);
    },
    async sweep(now) {
      let count = 0;
      for (const set of active.values()) {
        for (const row of set) {
          if (row.expiresAt <= now) {
            row.status = 'expired';
            row.updatedAt = now;
            set.delete(row);
            count += 1;
          }
        }
      }
      return count;
    },
    async level(sku, now) {
      return level(sku, now);
    },
    async setStock(sku, qty) {
      stock.set(sku, qty);
    },
    async get(key, now) {
      const row = holds.get(key);
      return row ? view(row, now) : undefined;
    },
  };
}
