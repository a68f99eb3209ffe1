import {
  type Hold,
  type HoldStatus,
  type ReservationRetention,
  type ReservationStore,
  readStatus,
  retentionOf,
  type StockLevel,
  stockLevel,
} from '../../reservation/store.js';
import { MinHeap } from './heap.js';

interface Row {
  id: string;
  key: string;
  sku: string;
  qty: number;
  status: HoldStatus;
  createdAt: number;
  expiresAt: number;
  updatedAt: number;
}

/** One SKU's live holds: the sum of their quantity and a heap of their expiries. */
interface SkuHolds {
  /** Sum of `qty` over the SKU's `held` rows. */
  held: number;
  /** How many of the SKU's rows are `held`. */
  live: number;
  /** The SKU's held rows by expiry; rows settled meanwhile are skipped when they surface. */
  expiries: MinHeap<Row>;
  /** Every key of the SKU still stored, for `holds()`. */
  keys: Set<string>;
}

/** Sizes and work counters of one SKU, for tests that guard the store's complexity. */
export interface MemoryReservationShape {
  active: number;
  expiryEntries: number;
  sweepEntries: number;
  /** Settled holds kept until their retention ends. */
  settled: number;
  /** Heap comparisons so far. */
  work: number;
}

export interface MemoryReservationOptions extends ReservationRetention {
  /**
   * The store's clock, epoch ms (this process's clock by default; tests pass a fake one). A
   * reading below an earlier one is taken as the earlier one: the store's time never goes back.
   */
  clock?: () => number;
}

const byExpiry = (a: Row, b: Row) => a.expiresAt < b.expiresAt;

/**
 * The memory reservation store with a view of its internals. Each SKU keeps the sum of its live
 * holds and a heap of their expiries, so reserve and level cost O(log n) amortised however many
 * holds a SKU has; sweep pops expired holds off one heap instead of walking every hold. A hold
 * found past its expiry by any operation is recorded `expired` on the spot.
 */
export function openMemoryReservationStore(options: MemoryReservationOptions = {}): {
  store: ReservationStore;
  shape(sku: string): MemoryReservationShape;
} {
  const retentionMs = retentionOf(options);
  const clock = options.clock ?? (() => Date.now());
  const stock = new Map<string, number>();
  const holds = new Map<string, Row>();
  const skus = new Map<string, SkuHolds>();
  /** Every held row by expiry, for sweep; settled rows are skipped when they surface. */
  const sweepHeap = new MinHeap<Row>(byExpiry);
  /** Settled rows in the order they settled (so by `updatedAt`, the clock never going back). */
  const settledRows: Row[] = [];
  let settledHead = 0;
  let liveTotal = 0;
  let last = -Infinity;

  const now = () => {
    last = Math.max(last, clock());
    return last;
  };
  const holdsOf = (sku: string) => {
    let entry = skus.get(sku);
    if (!entry) {
      entry = { held: 0, live: 0, expiries: new MinHeap(byExpiry), keys: new Set() };
      skus.set(sku, entry);
    }
    return entry;
  };
  /** Moves a held row to a final status, out of every live sum. */
  const settle = (row: Row, to: Exclude<HoldStatus, 'held'>, at: number) => {
    const entry = holdsOf(row.sku);
    row.status = to;
    row.updatedAt = at;
    entry.held -= row.qty;
    entry.live -= 1;
    liveTotal -= 1;
    settledRows.push(row);
    if (entry.expiries.size > 2 * entry.live + 64) {
      entry.expiries.retain((item) => item.status === 'held');
    }
    if (sweepHeap.size > 2 * liveTotal + 64) sweepHeap.retain((item) => item.status === 'held');
  };
  /** Records the SKU's held rows past their expiry as expired. */
  const expireSku = (entry: SkuHolds, at: number) => {
    for (;;) {
      const top = entry.expiries.peek();
      if (!top || (top.status === 'held' && top.expiresAt > at)) return;
      entry.expiries.pop();
      if (top.status === 'held') settle(top, 'expired', at);
    }
  };
  const view = (row: Row, at: number): Hold => ({
    id: row.id,
    key: row.key,
    sku: row.sku,
    qty: row.qty,
    status: readStatus(row.status, row.expiresAt, at),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    updatedAt: row.updatedAt,
  });
  const level = (sku: string, at: number): StockLevel => {
    const entry = skus.get(sku);
    if (entry) expireSku(entry, at);
    return stockLevel(sku, stock.get(sku) ?? 0, entry?.held ?? 0);
  };
  const decide = (key: string, holdId: string | undefined, to: 'confirmed' | 'released') => {
    const at = now();
    const row = holds.get(key);
    if (!row) return undefined;
    if (row.status === 'held' && (holdId === undefined || row.id === holdId)) {
      if (row.expiresAt <= at) settle(row, 'expired', at);
      else {
        settle(row, to, at);
        if (to === 'confirmed') stock.set(row.sku, (stock.get(row.sku) ?? 0) - row.qty);
      }
    }
    return view(row, at);
  };
  const purge = (at: number) => {
    let purged = 0;
    while (settledHead < settledRows.length) {
      const row = settledRows[settledHead]!;
      if (row.updatedAt > at - retentionMs) break;
      settledHead += 1;
      if (holds.get(row.key) === row) {
        holds.delete(row.key);
        skus.get(row.sku)?.keys.delete(row.key);
        purged += 1;
      }
    }
    if (settledHead > 1024 && settledHead * 2 > settledRows.length) {
      settledRows.splice(0, settledHead);
      settledHead = 0;
    }
    return purged;
  };

  const store: ReservationStore = {
    async reserve({ key, sku, qty, ttlMs, id }) {
      const at = now();
      const existing = holds.get(key);
      if (existing) return { ok: true, hold: view(existing, at), created: false };
      const current = level(sku, at);
      if (current.stock - current.held < qty) return { ok: false, level: current };
      const entry = holdsOf(sku);
      const row: Row = {
        id,
        key,
        sku,
        qty,
        status: 'held',
        createdAt: at,
        expiresAt: at + ttlMs,
        updatedAt: at,
      };
      holds.set(key, row);
      entry.keys.add(key);
      entry.held += qty;
      entry.live += 1;
      liveTotal += 1;
      entry.expiries.push(row);
      sweepHeap.push(row);
      return { ok: true, hold: view(row, at), created: true };
    },
    async confirm(key, holdId) {
      return decide(key, holdId, 'confirmed');
    },
    async release(key, holdId) {
      return decide(key, holdId, 'released');
    },
    async sweep() {
      const at = now();
      let expired = 0;
      for (;;) {
        const top = sweepHeap.peek();
        if (!top || (top.status === 'held' && top.expiresAt > at)) break;
        sweepHeap.pop();
        if (top.status !== 'held') continue;
        settle(top, 'expired', at);
        expired += 1;
      }
      return { expired, purged: purge(at) };
    },
    async level(sku) {
      return level(sku, now());
    },
    async setStock(sku, qty) {
      now();
      stock.set(sku, qty);
    },
    async get(key) {
      const at = now();
      const row = holds.get(key);
      return row ? view(row, at) : undefined;
    },
    async holds(sku, { after, limit }) {
      const at = now();
      const keys = [...(skus.get(sku)?.keys ?? [])]
        .filter((key) => after === undefined || key > after)
        .sort()
        .slice(0, limit);
      return keys.map((key) => view(holds.get(key)!, at));
    },
  };

  return {
    store,
    shape(sku) {
      const entry = holdsOf(sku);
      return {
        active: entry.live,
        expiryEntries: entry.expiries.size,
        sweepEntries: sweepHeap.size,
        settled: settledRows.length - settledHead,
        work: entry.expiries.comparisons + sweepHeap.comparisons,
      };
    },
  };
}

/** An in-process ReservationStore. Every method runs synchronously, so each is atomic. */
export function memoryReservationStore(options: MemoryReservationOptions = {}): ReservationStore {
  return openMemoryReservationStore(options).store;
}
