import {
  type Hold,
  type ReservationRetention,
  type ReservationStore,
  readStatus,
  retentionOf,
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
  // Hold ids (fencing) and the index sweep purges settled holds by.
  (p: string) => `
    ALTER TABLE ${p}holds ADD COLUMN id TEXT NOT NULL DEFAULT '';
    UPDATE ${p}holds SET id = key WHERE id = '';
    CREATE INDEX IF NOT EXISTS ${p}holds_settled ON ${p}holds (status, updated_at);`,
];

/** The store's time, epoch ms, read by SQLite itself (the machine's clock, not the caller's). */
const NOW = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`;

interface HoldRow {
  id: string;
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

/**
 * Reservations in SQLite: every change runs in a BEGIN IMMEDIATE transaction that reads the time
 * from SQLite (`unixepoch('subsec')`) once and records any hold it finds expired, so processes
 * sharing the file never oversell whatever their own clocks say.
 */
export function sqliteReservationStore(
  source: SqliteSource,
  options: SqliteStoreOptions & ReservationRetention = {},
): SqliteReservationStore {
  const retentionMs = retentionOf(options);
  const handle = openSqlite(source, options);
  const { db, prefix: p } = handle;
  migrateSqlite(handle, 'reservations', migrations);

  const clock = db.prepare(`SELECT ${NOW} AS now`).pluck();
  const selectHold = db.prepare(`SELECT * FROM ${p}holds WHERE key = ?`);
  const selectStock = db.prepare(`SELECT qty FROM ${p}stock WHERE sku = ?`).pluck();
  const selectHeld = db
    .prepare(
      `SELECT COALESCE(SUM(qty), 0) FROM ${p}holds WHERE sku = ? AND status = 'held' AND expires_at > ?`,
    )
    .pluck();
  // What a reserve needs to decide, read in one statement: the store's time, the key's hold (if
  // any), the SKU's stock, its live held quantity and whether any of its holds ran out unrecorded.
  // The held sum counts only unexpired holds, so recording the expired ones does not change it.
  const reserveView = db.prepare(
    `SELECT t.now AS now, h.id, h.key, h.sku, h.qty, h.status, h.created_at, h.expires_at, h.updated_at,
       (SELECT s.qty FROM ${p}stock s WHERE s.sku = @sku) AS stock,
       (SELECT COALESCE(SUM(x.qty), 0) FROM ${p}holds x
         WHERE x.sku = @sku AND x.status = 'held' AND x.expires_at > t.now) AS held,
       EXISTS (SELECT 1 FROM ${p}holds x
         WHERE x.sku = @sku AND x.status = 'held' AND x.expires_at <= t.now) AS lapsed
     FROM (SELECT ${NOW} AS now) t LEFT JOIN ${p}holds h ON h.key = @key`,
  );
  const expireSku = db.prepare(
    `UPDATE ${p}holds SET status = 'expired', updated_at = @now
     WHERE sku = @sku AND status = 'held' AND expires_at <= @now`,
  );
  const insertHold = db.prepare(
    `INSERT INTO ${p}holds (id, key, sku, qty, status, created_at, expires_at, updated_at)
     VALUES (?, ?, ?, ?, 'held', ?, ?, ?)`,
  );
  // A live hold (of the given id, when one is given) settles in one statement; the hold a
  // settle finds in any other state is read back by selectSettled (the rare path).
  const settleLive = db.prepare(
    `UPDATE ${p}holds
     SET status = CASE WHEN expires_at > t.now THEN @to ELSE 'expired' END, updated_at = t.now
     FROM (SELECT ${NOW} AS now) t
     WHERE key = @key AND status = 'held' AND (@holdId IS NULL OR id = @holdId)
     RETURNING *`,
  );
  const selectSettled = db.prepare(`SELECT h.*, ${NOW} AS now FROM ${p}holds h WHERE h.key = ?`);
  const takeStock = db.prepare(`UPDATE ${p}stock SET qty = qty - ?, updated_at = ? WHERE sku = ?`);
  const upsertStock = db.prepare(
    `INSERT INTO ${p}stock (sku, qty, updated_at) VALUES (?, ?, ${NOW})
     ON CONFLICT(sku) DO UPDATE SET qty = excluded.qty, updated_at = excluded.updated_at`,
  );
  const expireAll = db.prepare(
    `UPDATE ${p}holds SET status = 'expired', updated_at = @now WHERE status = 'held' AND expires_at <= @now`,
  );
  const purge = db.prepare(
    `DELETE FROM ${p}holds WHERE status IN ('confirmed', 'released', 'expired') AND updated_at <= ?`,
  );
  const page = db.prepare(`SELECT * FROM ${p}holds WHERE sku = ? AND key > ? ORDER BY key LIMIT ?`);

  const view = (row: HoldRow, now: number): Hold => ({
    id: row.id,
    key: row.key,
    sku: row.sku,
    qty: row.qty,
    status: readStatus(row.status, row.expires_at, now),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    updatedAt: row.updated_at,
  });
  const level = (sku: string, now: number) =>
    stockLevel(
      sku,
      (selectStock.get(sku) as number | undefined) ?? 0,
      selectHeld.get(sku, now) as number,
    );

  // BEGIN IMMEDIATE holds the write lock from the first read, so the view cannot go stale.
  const reserve = db.transaction(
    (key: string, sku: string, qty: number, ttlMs: number, id: string) => {
      const seen = reserveView.get({ key, sku }) as HoldRow & {
        now: number;
        stock: number | null;
        held: number;
        lapsed: number;
      };
      const { now } = seen;
      if (seen.key !== null) return { ok: true as const, hold: view(seen, now), created: false };
      // Whatever this reserve counts as expired is recorded so, before its units are reused.
      if (seen.lapsed) expireSku.run({ now, sku });
      const current = stockLevel(sku, seen.stock ?? 0, seen.held);
      if (current.stock - current.held < qty) return { ok: false as const, level: current };
      const expiresAt = now + ttlMs;
      insertHold.run(id, key, sku, qty, now, expiresAt, now);
      const row = {
        id,
        key,
        sku,
        qty,
        status: 'held',
        created_at: now,
        expires_at: expiresAt,
        updated_at: now,
      };
      return { ok: true as const, hold: view(row, now), created: true };
    },
  );
  const settle = db.transaction(
    (key: string, holdId: string | undefined, to: 'confirmed' | 'released') => {
      const live = settleLive.get({ key, to, holdId: holdId ?? null }) as HoldRow | undefined;
      if (live) {
        // The row was just settled at the store's time, so its updated_at is that time.
        if (live.status === 'confirmed') takeStock.run(live.qty, live.updated_at, live.sku);
        return view(live, live.updated_at);
      }
      const row = selectSettled.get(key) as (HoldRow & { now: number }) | undefined;
      return row ? view(row, row.now) : undefined;
    },
  );
  const sweep = db.transaction(() => {
    const now = clock.get() as number;
    const expired = expireAll.run({ now }).changes;
    const purged = purge.run(now - retentionMs).changes;
    return { expired, purged };
  });

  return {
    async reserve({ key, sku, qty, ttlMs, id }) {
      return reserve.immediate(key, sku, qty, ttlMs, id);
    },
    async confirm(key, holdId) {
      return settle.immediate(key, holdId, 'confirmed');
    },
    async release(key, holdId) {
      return settle.immediate(key, holdId, 'released');
    },
    async sweep() {
      return sweep.immediate();
    },
    async level(sku) {
      return level(sku, clock.get() as number);
    },
    async setStock(sku, qty) {
      upsertStock.run(sku, qty);
    },
    async get(key) {
      const row = selectHold.get(key) as HoldRow | undefined;
      return row ? view(row, clock.get() as number) : undefined;
    },
    async holds(sku, { after, limit }) {
      const now = clock.get() as number;
      return (page.all(sku, after ?? '', limit) as HoldRow[]).map((row) => view(row, now));
    },
    async migrate() {
      migrateSqlite(handle, 'reservations', migrations);
    },
    close: () => handle.close(),
  };
}
