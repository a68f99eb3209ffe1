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
    CREATE INDEX IF NOT EXISTS ${p}holds_active ON ${p}holds (sku, status, expires_at);
    -- One round trip per reserve; inside a VOLATILE function each statement takes a fresh snapshot,
    -- so the sum of holds read after the stock row lock sees every hold committed before it.
    CREATE OR REPLACE FUNCTION ${p}reserve(p_key TEXT, p_sku TEXT, p_qty BIGINT, p_expires BIGINT, p_now BIGINT)
    RETURNS TABLE (outcome TEXT, on_hand BIGINT, held_qty BIGINT) LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE v_stock BIGINT; v_held BIGINT;
    BEGIN
      IF EXISTS (SELECT 1 FROM ${p}holds h WHERE h.key = p_key) THEN
        RETURN QUERY SELECT 'existing'::TEXT, 0::BIGINT, 0::BIGINT; RETURN;
      END IF;
      SELECT s.qty INTO v_stock FROM ${p}stock s WHERE s.sku = p_sku FOR UPDATE;
      v_stock := COALESCE(v_stock, 0);
      SELECT COALESCE(SUM(h.qty), 0) INTO v_held FROM ${p}holds h
        WHERE h.sku = p_sku AND h.status = 'held' AND h.expires_at > p_now;
      IF v_stock - v_held < p_qty THEN
        RETURN QUERY SELECT 'short'::TEXT, v_stock, v_held; RETURN;
      END IF;
      INSERT INTO ${p}holds (key, sku, qty, status, created_at, expires_at, updated_at)
        VALUES (p_key, p_sku, p_qty, 'held', p_now, p_expires, p_now) ON CONFLICT (key) DO NOTHING;
      IF NOT FOUND THEN
        RETURN QUERY SELECT 'existing'::TEXT, 0::BIGINT, 0::BIGINT; RETURN;
      END IF;
      RETURN QUERY SELECT 'created'::TEXT, v_stock, v_held + p_qty;
    END $fn$;`,
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
      const { rows } = await pool.query(`SELECT * FROM ${p}reserve($1, $2, $3, $4, $5)`, [
        key,
        sku,
        qty,
        expiresAt,
        now,
      ]);
      const outcome = rows[0] as { outcome: string; on_hand: string; held_qty: string };
      if (outcome.outcome === 'short') {
        return {
          ok: false,
          level: stockLevel(sku, Number(outcome.on_hand), Number(outcome.held_qty)),
        };
      }
      const hold = await pool.query(`SELECT * FROM ${p}holds WHERE key = $1`, [key]);
      return { ok: true, hold: view(hold.rows[0], now), created: outcome.outcome === 'created' };
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
