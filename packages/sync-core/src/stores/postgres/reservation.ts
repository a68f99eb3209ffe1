import {
  type Hold,
  type ReservationRetention,
  type ReservationStore,
  readStatus,
  retentionOf,
  stockLevel,
} from '../../reservation/store.js';
import { openPostgres, type PostgresSource, type PostgresStoreOptions } from './connection.js';

/** The database server's time in epoch ms: the one clock every reservation decision uses. */
const NOW = `(extract(epoch FROM clock_timestamp()) * 1000)::BIGINT`;

/** The hold columns every function returns, after its own outcome columns. */
const HOLD_OUT = `o_id TEXT, o_key TEXT, o_sku TEXT, o_qty BIGINT, o_status TEXT, o_created BIGINT, o_expires BIGINT, o_updated BIGINT`;
const HOLD_OF = (h: string) =>
  `${h}.id, ${h}.key, ${h}.sku, ${h}.qty, ${h}.status, ${h}.created_at, ${h}.expires_at, ${h}.updated_at`;

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
  // Version 2: the server's clock decides expiry; hold ids fence confirm and release; expiry a
  // reserve counts is recorded in the same statement; settled holds are purged by sweep.
  (p: string) => `
    ALTER TABLE ${p}holds ADD COLUMN IF NOT EXISTS id TEXT NOT NULL DEFAULT '';
    UPDATE ${p}holds SET id = key WHERE id = '';
    CREATE INDEX IF NOT EXISTS ${p}holds_settled ON ${p}holds (status, updated_at);
    DROP FUNCTION IF EXISTS ${p}reserve(TEXT, TEXT, BIGINT, BIGINT, BIGINT);

    -- One round trip per reserve. Inside a VOLATILE function each statement takes a fresh
    -- snapshot, so what is read after the stock row lock includes every hold committed before it.
    CREATE OR REPLACE FUNCTION ${p}reserve(p_key TEXT, p_sku TEXT, p_qty BIGINT, p_ttl BIGINT, p_id TEXT)
    RETURNS TABLE (o_outcome TEXT, o_stock BIGINT, o_held BIGINT, o_now BIGINT, ${HOLD_OUT})
    LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE v_stock BIGINT; v_held BIGINT; v_now BIGINT; h ${p}holds%ROWTYPE;
    BEGIN
      SELECT * INTO h FROM ${p}holds x WHERE x.key = p_key;
      IF NOT FOUND THEN
        SELECT s.qty INTO v_stock FROM ${p}stock s WHERE s.sku = p_sku FOR UPDATE;
        -- Another process may have created this key while this one waited for the lock.
        SELECT * INTO h FROM ${p}holds x WHERE x.key = p_key;
      END IF;
      v_now := ${NOW};
      IF FOUND THEN
        RETURN QUERY SELECT 'existing'::TEXT, 0::BIGINT, 0::BIGINT, v_now, ${HOLD_OF('h')};
        RETURN;
      END IF;
      -- What this reserve counts as expired is recorded so before its units can be reused.
      UPDATE ${p}holds x SET status = 'expired', updated_at = v_now
        WHERE x.key IN (SELECT d.key FROM ${p}holds d
          WHERE d.sku = p_sku AND d.status = 'held' AND d.expires_at <= v_now ORDER BY d.key FOR UPDATE)
        AND x.status = 'held';
      SELECT COALESCE(SUM(x.qty), 0) INTO v_held FROM ${p}holds x
        WHERE x.sku = p_sku AND x.status = 'held' AND x.expires_at > v_now;
      v_stock := COALESCE(v_stock, 0);
      IF v_stock - v_held < p_qty THEN
        RETURN QUERY SELECT 'short'::TEXT, v_stock, v_held, v_now,
          NULL::TEXT, NULL::TEXT, NULL::TEXT, NULL::BIGINT, NULL::TEXT, NULL::BIGINT, NULL::BIGINT, NULL::BIGINT;
        RETURN;
      END IF;
      INSERT INTO ${p}holds AS x (id, key, sku, qty, status, created_at, expires_at, updated_at)
        VALUES (p_id, p_key, p_sku, p_qty, 'held', v_now, v_now + p_ttl, v_now)
        ON CONFLICT (key) DO NOTHING RETURNING * INTO h;
      IF FOUND THEN
        RETURN QUERY SELECT 'created'::TEXT, v_stock, v_held + p_qty, v_now, ${HOLD_OF('h')};
        RETURN;
      END IF;
      SELECT * INTO h FROM ${p}holds x WHERE x.key = p_key;
      RETURN QUERY SELECT 'existing'::TEXT, 0::BIGINT, 0::BIGINT, v_now, ${HOLD_OF('h')};
    END $fn$;

    -- Confirm or release in one round trip: lock the stock row, then the hold (reserve's order),
    -- and decide by the server's clock. A held hold found past its expiry is recorded expired.
    CREATE OR REPLACE FUNCTION ${p}settle(p_key TEXT, p_to TEXT, p_id TEXT)
    RETURNS TABLE (o_now BIGINT, ${HOLD_OUT}) LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE v_sku TEXT; v_now BIGINT; v_status TEXT; h ${p}holds%ROWTYPE;
    BEGIN
      SELECT x.sku INTO v_sku FROM ${p}holds x WHERE x.key = p_key;
      IF NOT FOUND THEN RETURN; END IF;
      PERFORM 1 FROM ${p}stock s WHERE s.sku = v_sku FOR UPDATE;
      SELECT * INTO h FROM ${p}holds x WHERE x.key = p_key FOR UPDATE;
      IF NOT FOUND THEN RETURN; END IF;
      IF h.sku <> v_sku THEN
        PERFORM 1 FROM ${p}stock s WHERE s.sku = h.sku FOR UPDATE;
      END IF;
      v_now := ${NOW};
      IF h.status = 'held' AND (p_id IS NULL OR h.id = p_id) THEN
        v_status := CASE WHEN h.expires_at > v_now THEN p_to ELSE 'expired' END;
        UPDATE ${p}holds x SET status = v_status, updated_at = v_now WHERE x.key = p_key;
        IF v_status = 'confirmed' THEN
          UPDATE ${p}stock s SET qty = s.qty - h.qty, updated_at = v_now WHERE s.sku = h.sku;
        END IF;
        h.status := v_status;
        h.updated_at := v_now;
      END IF;
      RETURN QUERY SELECT v_now, ${HOLD_OF('h')};
    END $fn$;

    -- Records expired holds (locked in key order, as reserve does, so the two never deadlock)
    -- and deletes settled holds older than the retention. Stock, held and available are unchanged.
    CREATE OR REPLACE FUNCTION ${p}sweep(p_retention BIGINT)
    RETURNS TABLE (o_expired BIGINT, o_purged BIGINT) LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE v_now BIGINT := ${NOW}; v_expired BIGINT; v_purged BIGINT;
    BEGIN
      UPDATE ${p}holds x SET status = 'expired', updated_at = v_now
        WHERE x.key IN (SELECT d.key FROM ${p}holds d
          WHERE d.status = 'held' AND d.expires_at <= v_now ORDER BY d.key FOR UPDATE)
        AND x.status = 'held';
      GET DIAGNOSTICS v_expired = ROW_COUNT;
      DELETE FROM ${p}holds x
        WHERE x.status IN ('confirmed', 'released', 'expired') AND x.updated_at <= v_now - p_retention;
      GET DIAGNOSTICS v_purged = ROW_COUNT;
      RETURN QUERY SELECT v_expired, v_purged;
    END $fn$;`,
];

interface HoldOut {
  o_now: string;
  o_id: string;
  o_key: string;
  o_sku: string;
  o_qty: string;
  o_status: string;
  o_created: string;
  o_expires: string;
  o_updated: string;
}

interface HoldRow {
  id: string;
  key: string;
  sku: string;
  qty: string;
  status: string;
  created_at: string;
  expires_at: string;
  updated_at: string;
  now_ms: string;
}

export interface PostgresReservationStore extends ReservationStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Reservations in PostgreSQL. Reserve, confirm and release are one function call each; a reserve
 * locks the SKU's stock row (SELECT ... FOR UPDATE), so concurrent reserves for one SKU are
 * serialised by the database and never oversell, and every expiry is judged by the server's
 * `clock_timestamp()`.
 */
export function postgresReservationStore(
  source: PostgresSource,
  options: PostgresStoreOptions & ReservationRetention = {},
): PostgresReservationStore {
  const retentionMs = retentionOf(options);
  const handle = openPostgres(source, options, 'reservations', migrations);
  const { pool, prefix: p } = handle;

  const fromOut = (row: HoldOut): Hold => {
    const expiresAt = Number(row.o_expires);
    return {
      id: row.o_id,
      key: row.o_key,
      sku: row.o_sku,
      qty: Number(row.o_qty),
      status: readStatus(row.o_status, expiresAt, Number(row.o_now)),
      createdAt: Number(row.o_created),
      expiresAt,
      updatedAt: Number(row.o_updated),
    };
  };
  const fromRow = (row: HoldRow): Hold => {
    const expiresAt = Number(row.expires_at);
    return {
      id: row.id,
      key: row.key,
      sku: row.sku,
      qty: Number(row.qty),
      status: readStatus(row.status, expiresAt, Number(row.now_ms)),
      createdAt: Number(row.created_at),
      expiresAt,
      updatedAt: Number(row.updated_at),
    };
  };
  const settle = async (key: string, to: 'confirmed' | 'released', holdId?: string) => {
    await handle.ready();
    const { rows } = await pool.query(`SELECT * FROM ${p}settle($1, $2, $3)`, [
      key,
      to,
      holdId ?? null,
    ]);
    return rows[0] ? fromOut(rows[0]) : undefined;
  };

  return {
    async reserve({ key, sku, qty, ttlMs, id }) {
      await handle.ready();
      const { rows } = await pool.query(`SELECT * FROM ${p}reserve($1, $2, $3, $4, $5)`, [
        key,
        sku,
        qty,
        ttlMs,
        id,
      ]);
      const out = rows[0] as HoldOut & { o_outcome: string; o_stock: string; o_held: string };
      if (out.o_outcome === 'short') {
        return { ok: false, level: stockLevel(sku, Number(out.o_stock), Number(out.o_held)) };
      }
      return { ok: true, hold: fromOut(out), created: out.o_outcome === 'created' };
    },
    confirm: (key, holdId) => settle(key, 'confirmed', holdId),
    release: (key, holdId) => settle(key, 'released', holdId),
    async sweep() {
      await handle.ready();
      const { rows } = await pool.query(`SELECT * FROM ${p}sweep($1)`, [retentionMs]);
      return { expired: Number(rows[0].o_expired), purged: Number(rows[0].o_purged) };
    },
    async level(sku) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT (SELECT s.qty FROM ${p}stock s WHERE s.sku = $1) AS stock,
           (SELECT COALESCE(SUM(h.qty), 0) FROM ${p}holds h
             WHERE h.sku = $1 AND h.status = 'held' AND h.expires_at > (SELECT ${NOW})) AS held`,
        [sku],
      );
      return stockLevel(sku, Number(rows[0].stock ?? 0), Number(rows[0].held));
    },
    async setStock(sku, qty) {
      await handle.ready();
      await pool.query(
        `INSERT INTO ${p}stock (sku, qty, updated_at) VALUES ($1, $2, ${NOW})
         ON CONFLICT (sku) DO UPDATE SET qty = EXCLUDED.qty, updated_at = EXCLUDED.updated_at`,
        [sku, qty],
      );
    },
    async get(key) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT h.*, (SELECT ${NOW}) AS now_ms FROM ${p}holds h WHERE h.key = $1`,
        [key],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async holds(sku, { after, limit }) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT h.*, (SELECT ${NOW}) AS now_ms FROM ${p}holds h
         WHERE h.sku = $1 AND h.key COLLATE "C" > $2 ORDER BY h.key COLLATE "C" LIMIT $3`,
        [sku, after ?? '', limit],
      );
      return rows.map(fromRow);
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
