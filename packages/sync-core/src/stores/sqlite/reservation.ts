import {
  type Hold,
  type ReservationStore,
  readStatus,
  stockLevel,
} from '../../reservation/store.js';
import {
  migrateSqlite,
  openSqlite,
  type SqliteSource,
  type SqliteStoreOptions,
} from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS ${p}holds (
      key TEXT PRIMARY KEY, sku TEXT NOT NULL, qty INTEGER NOT NULL, status TEXT NOT NULL,
      created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS ${p}holds_active ON ${p}holds (sku, status, expires_at);`,
];

interface HoldRow {
  key: string;
  sku: string;
  qty: number;
  status: string;
  created_at: number;
  expires_at: number;
  updated_at: number;
}

export interface SqliteReservationStore extends ReservationStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Reservations in SQLite: every change runs in a BEGIN IMMEDIATE transaction, so processes sharing the file never oversell. */
export function sqliteReservationStore(
  source: SqliteSource,
  options: SqliteStoreOptions = {},
): SqliteReservationStore {
  const handle = openSqlite(source, options);
  const { db, prefix: p } = handle;
  migrateSqlite(handle, 'reservations', migrations);

  const selectHold = db.prepare(`SELECT * FROM ${p}holds WHERE key = ?`);
  const selectStock = db.prepare(`SELECT qty FROM ${p}stock WHERE sku = ?`);
  const selectHeld = db.prepare(
    `SELECT COALESCE(SUM(qty), 0) AS held FROM ${p}holds WHERE sku = ? AND status = 'held' AND expires_at > ?`,
  );
  const insertHold = db.prepare(
    `INSERT INTO ${p}holds (key, sku, qty, status, created_at, expires_at, updated_at) VALUES (?, ?, ?, 'held', ?, ?, ?)`,
  );
  const setStatus = db.prepare(`UPDATE ${p}holds SET status = ?, updated_at = ? WHERE key = ?`);
  const addStock = db.prepare(`UPDATE ${p}stock SET qty = qty - ?, updated_at = ? WHERE sku = ?`);
  const upsertStock = db.prepare(
    `INSERT INTO ${p}stock (sku, qty, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(sku) DO UPDATE SET qty = excluded.qty, updated_at = excluded.updated_at`,
  );
  const expire = db.prepare(
    `UPDATE ${p}holds SET status = 'expired', updated_at = ? WHERE status = 'held' AND expires_at <= ?`,
  );

  const view = (row: HoldRow, now: number): Hold => ({
    key: row.key,
    sku: row.sku,
    qty: row.qty,
    status: readStatus(row.status, row.expires_at, now),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
  });
  const level = (sku: string, now: number) => {
    const stock = (selectStock.get(sku) as { qty: number } | undefined)?.qty ?? 0;
    const held = (selectHeld.get(sku, now) as { held: number }).held;
    return stockLevel(sku, stock, held);
  };

  const reserve = db.transaction(
    (key: string, sku: string, qty: number, expiresAt: number, now: number) => {
      const existing = selectHold.get(key) as HoldRow | undefined;
      if (existing) return { ok: true as const, hold: view(existing, now), created: false };
      const current = level(sku, now);
      if (current.stock - current.held < qty) return { ok: false as const, level: current };
      insertHold.run(key, sku, qty, now, expiresAt, now);
      return { ok: true as const, hold: view(selectHold.get(key) as HoldRow, now), created: true };
    },
  );
  const settle = db.transaction((key: string, now: number, to: 'confirmed' | 'released') => {
    const row = selectHold.get(key) as HoldRow | undefined;
    if (!row) return undefined;
    if (row.status === 'held' && row.expires_at > now) {
      setStatus.run(to, now, key);
      if (to === 'confirmed') addStock.run(row.qty, now, row.sku);
      return view({ ...row, status: to, updated_at: now }, now);
    }
    return view(row, now);
  });

  return {
    async reserve({ key, sku, qty, expiresAt, now }) {
      return reserve.immediate(key, sku, qty, expiresAt, now);
    },
    async confirm(key, now) {
      return settle.immediate(key, now, 'confirmed');
    },
    async release(key, now) {
      return settle.immediate(key, now, 'released');
    },
    async sweep(now) {
      return expire.run(now, now).changes;
    },
    async level(sku, now) {
      return level(sku, now);
    },
    async setStock(sku, qty, now) {
      upsertStock.run(sku, qty, now);
    },
    async get(key, now) {
      const row = selectHold.get(key) as HoldRow | undefined;
      return row ? view(row, now) : undefined;
    },
    async migrate() {
      migrateSqlite(handle, 'reservations', migrations);
    },
    close: () => handle.close(),
  };
}
