import type pg from 'pg';
import {
  type Hold,
  type ReservationStore,
  readStatus,
  type StockLevel,
  stockLevel,
} from '../../reservation/store.js';
import {
  openPostgres,
  type PostgresSource,
  type PostgresStoreOptions,
  transaction,
} from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}stock (sku TEXT PRIMARY KEY, qty BIGINT NOT NULL, updated_at BIGINT NOT NULL);
    CREATE TABLE IF NOT EXISTS ${p}holds (
      key TEXT PRIMARY KEY, sku TEXT NOT NULL, qty BIGINT NOT NULL, status TEXT NOT NULL,
      created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${p}holds_active ON ${p}holds (sku, status, expires_at);`,
];

interface HoldRow {
  key: string;
  sku: string;
  qty: string;
  status: string;
  created_at: string;
  expires_at: string;
  updated_at: string;
}

export interface PostgresReservationStore extends ReservationStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Reservations in PostgreSQL. A reserve locks the SKU's stock row (SELECT ... FOR UPDATE), so
 * concurrent reserves for one SKU are serialised by the database and never oversell.
 */
export function postgresReservationStore(
  source: PostgresSource,
  options: PostgresStoreOptions = {},
): PostgresReservationStore {
  const handle = openPostgres(source, options, 'reservations', migrations);
  const { pool, prefix: p } = handle;

  const view = (row: HoldRow, now: number): Hold => ({
    key: row.key,
    sku: row.sku,
    qty: Number(row.qty),
    status: readStatus(row.status, Number(row.expires_at), now),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    updatedAt: Number(row.updated_at),
  });
  const level = async (
    db: pg.Pool | pg.PoolClient,
    sku: string,
    now: number,
    lock: boolean,
  ): Promise<StockLevel> => {
    const stock = await db.query(
      `SELECT qty FROM ${p}stock WHERE sku = $1${lock ? ' FOR UPDATE' : ''}`,
      [sku],
    );
    const held = await db.query(
      `SELECT COALESCE(SUM(qty), 0) AS held FROM ${p}holds WHERE sku = $1 AND status = 'held' AND expires_at > $2`,
      [sku, now],
    );
    return stockLevel(sku, Number(stock.rows[0]?.qty ?? 0), Number(held.rows[0].held));
  };
  const settle = async (key: string, now: number, to: 'confirmed' | 'released') => {
    await handle.ready();
    return transaction(pool, async (client) => {
      const found = await client.query(`SELECT sku FROM ${p}holds WHERE key = $1`, [key]);
      if (found.rowCount === 0) return undefined;
      // Same lock order as reserve (stock row, then hold) so the two never deadlock.
      await client.query(`SELECT qty FROM ${p}stock WHERE sku = $1 FOR UPDATE`, [
        found.rows[0].sku,
      ]);
      const { rows } = await client.query(`SELECT * FROM ${p}holds WHERE key = $1 FOR UPDATE`, [
        key,
      ]);
      const row = rows[0] as HoldRow;
      if (row.status === 'held' && Number(row.expires_at) > now) {
        await client.query(`UPDATE ${p}holds SET status = $2, updated_at = $3 WHERE key = $1`, [
          key,
          to,
          now,
        ]);
        if (to === 'confirmed') {
          await client.query(
            `UPDATE ${p}stock SET qty = qty - $2, updated_at = $3 WHERE sku = $1`,
            [row.sku, row.qty, now],
          );
        }
        return view({ ...row, status: to, updated_at: String(now) }, now);
      }
      return view(row, now);
    });
  };

  return {
    async reserve({ key, sku, qty, expiresAt, now }) {
      await handle.ready();
      try {
        return await transaction(pool, async (client) => {
          const current = await level(client, sku, now, true);
          const existing = await client.query(`SELECT * FROM ${p}holds WHERE key = $1`, [key]);
          if (existing.rowCount)
            return { ok: true as const, hold: view(existing.rows[0], now), created: false };
          if (current.stock - current.held < qty) return { ok: false as const, level: current };
          const { rows } = await client.query(
            `INSERT INTO ${p}holds (key, sku, qty, status, created_at, expires_at, updated_at)
             VALUES ($1, $2, $3, 'held', $4, $5, $4) RETURNING *`,
            [key, sku, qty, now, expiresAt],
          );
          return { ok: true as const, hold: view(rows[0], now), created: true };
        });
      } catch (error) {
        // The same key raced in for a different SKU: hand back the hold that won.
        if ((error as { code?: string }).code !== '23505') throw error;
        const { rows } = await pool.query(`SELECT * FROM ${p}holds WHERE key = $1`, [key]);
        return { ok: true, hold: view(rows[0], now), created: false };
      }
    },
    confirm: (key, now) => settle(key, now, 'confirmed'),
    release: (key, now) => settle(key, now, 'released'),
    async sweep(now) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${p}holds SET status = 'expired', updated_at = $1 WHERE status = 'held' AND expires_at <= $1`,
        [now],
      );
      return result.rowCount ?? 0;
    },
    async level(sku, now) {
      await handle.ready();
      return level(pool, sku, now, false);
    },
    async setStock(sku, qty, now) {
      await handle.ready();
      await pool.query(
        `INSERT INTO ${p}stock (sku, qty, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (sku) DO UPDATE SET qty = EXCLUDED.qty, updated_at = EXCLUDED.updated_at`,
        [sku, qty, now],
      );
    },
    async get(key, now) {
      await handle.ready();
      const { rows } = await pool.query(`SELECT * FROM ${p}holds WHERE key = $1`, [key]);
      return rows[0] ? view(rows[0], now) : undefined;
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
