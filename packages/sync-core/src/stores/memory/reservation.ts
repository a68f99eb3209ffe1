import {
  type Hold,
  type ReservationStore,
  readStatus,
  type StockLevel,
  stockLevel,
} from '../../reservation/store.js';
import { MinHeap } from './heap.js';

interface Row {
  key: string;
  sku: string;
  qty: number;
  status: 'held' | 'confirmed' | 'released' | 'expired';
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
  /** Whether `qty` is still in its SKU's `held` sum (unsettled and not seen expired). */
  counted: boolean;
}

interface Expiry {
  row: Row;
  expiresAt: number;
}

/** One SKU's unsettled holds, with their quantity summed as of `seen`. */
interface SkuHolds {
  /** Unconfirmed, unreleased, unswept holds. */
  active: Set<Row>;
  /** Sum of `qty` over counted rows: the active holds not yet expired at `seen`. */
  held: number;
  /** Counted rows by expiry; uncounted entries are skipped when they surface. */
  expiries: MinHeap<Expiry>;
  /** The latest `now` this SKU's sum was brought up to. */
  seen: number;
}

/** Sizes and work counters of one SKU, for tests that guard the store's complexity. */
export interface MemoryReservationShape {
  active: number;
  expiryEntries: number;
  sweepEntries: number;
  /** Heap comparisons plus holds summed one by one (a read with a clock behind `seen`). */
  work: number;
}

const byExpiry = (a: Expiry, b: Expiry) => a.expiresAt < b.expiresAt;

/**
 * The memory reservation store with a view of its internals. Each SKU keeps the sum of its live
 * holds and a heap of their expiries, so reserve and level cost O(log n) amortised however many
 * holds a SKU has; sweep pops expired holds off one heap instead of walking every hold. A read
 * whose clock is behind an earlier one (`now` going backwards) sums that SKU's holds one by one,
 * so every answer stays exact.
 */
export function openMemoryReservationStore(): {
  store: ReservationStore;
  shape(sku: string): MemoryReservationShape;
} {
  const stock = new Map<string, number>();
  const holds = new Map<string, Row>();
  const skus = new Map<string, SkuHolds>();
  /** Every held row by expiry, for sweep; settled rows are skipped when they surface. */
  const sweepHeap = new MinHeap<Expiry>(byExpiry);
  let activeTotal = 0;
  let summed = 0;

  const holdsOf = (sku: string) => {
    let entry = skus.get(sku);
    if (!entry) {
      entry = { active: new Set(), held: 0, expiries: new MinHeap(byExpiry), seen: -Infinity };
      skus.set(sku, entry);
    }
    return entry;
  };
  const uncount = (entry: SkuHolds, row: Row) => {
    if (!row.counted) return;
    row.counted = false;
    entry.held -= row.qty;
  };
  /** Takes a hold out of the live set (confirmed, released or swept). */
  const settle = (row: Row) => {
    const entry = holdsOf(row.sku);
    entry.active.delete(row);
    activeTotal -= 1;
    uncount(entry, row);
    if (entry.expiries.size > 2 * entry.active.size + 64) {
      entry.expiries.retain((item) => item.row.counted);
    }
    if (sweepHeap.size > 2 * activeTotal + 64) {
      sweepHeap.retain((item) => item.row.status === 'held');
    }
  };
  const view = (row: Row, now: number): Hold => ({
    key: row.key,
    sku: row.sku,
    qty: row.qty,
    status: readStatus(row.status, row.expiresAt, now),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    updatedAt: row.updatedAt,
  });
  const level = (sku: string, now: number): StockLevel => {
    const entry = skus.get(sku);
    if (!entry) return stockLevel(sku, stock.get(sku) ?? 0, 0);
    if (now < entry.seen) {
      let held = 0;
      for (const row of entry.active) {
        summed += 1;
        if (row.expiresAt > now) held += row.qty;
      }
      return stockLevel(sku, stock.get(sku) ?? 0, held);
    }
    for (;;) {
      const top = entry.expiries.peek();
      if (!top || (top.row.counted && top.expiresAt > now)) break;
      entry.expiries.pop();
      uncount(entry, top.row);
    }
    entry.seen = now;
    return stockLevel(sku, stock.get(sku) ?? 0, entry.held);
  };

  const store: ReservationStore = {
    async reserve({ key, sku, qty, expiresAt, now }) {
      const existing = holds.get(key);
      if (existing) return { ok: true, hold: view(existing, now), created: false };
      const current = level(sku, now);
      if (current.stock - current.held < qty) return { ok: false, level: current };
      const entry = holdsOf(sku);
      const row: Row = {
        key,
        sku,
        qty,
        status: 'held',
        createdAt: now,
        expiresAt,
        updatedAt: now,
        counted: expiresAt > entry.seen,
      };
      holds.set(key, row);
      entry.active.add(row);
      activeTotal += 1;
      if (row.counted) {
        entry.held += qty;
        entry.expiries.push({ row, expiresAt });
      }
      sweepHeap.push({ row, expiresAt });
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
      for (;;) {
        const top = sweepHeap.peek();
        if (!top || (top.row.status === 'held' && top.expiresAt > now)) break;
        sweepHeap.pop();
        const row = top.row;
        if (row.status !== 'held') continue;
        row.status = 'expired';
        row.updatedAt = now;
        settle(row);
        count += 1;
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

  return {
    store,
    shape(sku) {
      const entry = holdsOf(sku);
      return {
        active: entry.active.size,
        expiryEntries: entry.expiries.size,
        sweepEntries: sweepHeap.size,
        work: entry.expiries.comparisons + sweepHeap.comparisons + summed,
      };
    },
  };
}

/** An in-process ReservationStore. Every method runs synchronously, so each is atomic. */
export function memoryReservationStore(): ReservationStore {
  return openMemoryReservationStore().store;
}
