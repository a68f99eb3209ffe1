import type mysql from 'mysql2/promise';
import {
  type Hold,
  type ReservationRetention,
  type ReservationStore,
  readStatus,
  retentionOf,
  stockLevel,
} from '../../reservation/store.js';
import { requireNonNegativeInt, requirePositiveInt } from '../input.js';
import {
  ER_DUP_ENTRY,
  errno,
  type MysqlSource,
  type MysqlStoreOptions,
  MYSQL_NOW as NOW,
  openMysql,
  type Result,
  type Row,
  requireBytes,
  TABLE_OPTIONS,
  text,
  transaction,
} from './connection.js';

/** Longest hold key, SKU and hold id, in bytes of UTF-8 (they are indexed). */
export const MYSQL_RESERVATION_LIMITS = { key: 1024, sku: 512, id: 255 } as const;

const migrations = [
  (p: string) => [
    `CREATE TABLE IF NOT EXISTS \`${p}stock\` (
       sku VARBINARY(${MYSQL_RESERVATION_LIMITS.sku}) NOT NULL PRIMARY KEY, qty BIGINT NOT NULL,
       updated_at BIGINT NOT NULL) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS \`${p}holds\` (
       k VARBINARY(${MYSQL_RESERVATION_LIMITS.key}) NOT NULL PRIMARY KEY,
       id VARBINARY(${MYSQL_RESERVATION_LIMITS.id}) NOT NULL,
       sku VARBINARY(${MYSQL_RESERVATION_LIMITS.sku}) NOT NULL, qty BIGINT NOT NULL,
       status VARCHAR(10) NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
       updated_at BIGINT NOT NULL,
       KEY \`${p}holds_active\` (sku, status, expires_at),
       KEY \`${p}holds_settled\` (status, updated_at)) ${TABLE_OPTIONS}`,
  ],
];

export interface MysqlReservationStore extends ReservationStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

type Runner = Pick<mysql.PoolConnection, 'execute'>;

/** The server's clock, read once inside a transaction: every decision of that transaction uses it. */
async function serverNow(runner: Runner): Promise<number> {
  const [rows] = await runner.execute<Row[]>(`SELECT ${NOW} AS now_ms`);
  return Number(rows[0]!.now_ms);
}

function toHold(row: Row, now: number): Hold {
  const expiresAt = Number(row.expires_at);
  return {
    id: text(row.id),
    key: text(row.k),
    sku: text(row.sku),
    qty: Number(row.qty),
    status: readStatus(String(row.status), expiresAt, now),
    createdAt: Number(row.created_at),
    expiresAt,
    updatedAt: Number(row.updated_at),
  };
}

/**
 * Reservations in MySQL 8 / MariaDB 10.6+. A reserve is one transaction that locks the SKU's stock
 * row (SELECT ... FOR UPDATE), so concurrent reserves for one SKU are serialised by the database
 * and never oversell; the transaction reads the server's clock once after taking that lock and
 * judges every expiry by it, recording the holds it counts as expired before their units are reused.
 */
export function mysqlReservationStore(
  source: MysqlSource,
  options: MysqlStoreOptions & ReservationRetention = {},
): MysqlReservationStore {
  const retentionMs = retentionOf(options);
  const handle = openMysql(source, options, 'reservations', migrations);
  const { pool, prefix: p } = handle;
  const stock = `\`${p}stock\``;
  const holds = `\`${p}holds\``;
  const check = {
    key: (v: string) => requireBytes('key', v, MYSQL_RESERVATION_LIMITS.key),
    sku: (v: string) => requireBytes('sku', v, MYSQL_RESERVATION_LIMITS.sku),
    id: (v: string) => requireBytes('id', v, MYSQL_RESERVATION_LIMITS.id),
  };
  const holdOf = async (runner: Runner, key: string, lock = false) => {
    const [rows] = await runner.execute<Row[]>(
      `SELECT * FROM ${holds} WHERE k = ?${lock ? ' FOR UPDATE' : ''}`,
      [key],
    );
    return rows[0];
  };

  /** Lock the stock row, then the hold (reserve's order), and decide by the server's clock. */
  const settle = async (key: string, to: 'confirmed' | 'released', holdId?: string) => {
    check.key(key);
    await handle.ready();
    return transaction(pool, async (connection) => {
      const first = await holdOf(connection, key);
      if (!first) return undefined;
      await connection.execute(`SELECT 1 FROM ${stock} WHERE sku = ? FOR UPDATE`, [first.sku]);
      const row = await holdOf(connection, key, true);
      if (!row) return undefined;
      if (text(row.sku) !== text(first.sku)) {
        await connection.execute(`SELECT 1 FROM ${stock} WHERE sku = ? FOR UPDATE`, [row.sku]);
      }
      const now = await serverNow(connection);
      if (row.status === 'held' && (holdId === undefined || text(row.id) === holdId)) {
        const status = Number(row.expires_at) > now ? to : 'expired';
        await connection.execute(`UPDATE ${holds} SET status = ?, updated_at = ? WHERE k = ?`, [
          status,
          now,
          key,
        ]);
        if (status === 'confirmed') {
          await connection.execute(
            `UPDATE ${stock} SET qty = qty - ?, updated_at = ? WHERE sku = ?`,
            [row.qty, now, row.sku],
          );
        }
        row.status = status;
        row.updated_at = now;
      }
      return toHold(row, now);
    });
  };

  return {
    async reserve({ key, sku, qty, ttlMs, id }) {
      check.key(key);
      check.sku(sku);
      check.id(id);
      requirePositiveInt('qty', qty);
      await handle.ready();
      return transaction(pool, async (connection) => {
        const [rows] = await connection.execute<Row[]>(
          `SELECT qty FROM ${stock} WHERE sku = ? FOR UPDATE`,
          [sku],
        );
        const onHand = rows[0] ? Number(rows[0].qty) : 0;
        // Read after the lock: the clock (so a wait for the lock cannot leave it stale) and the
        // key (another process may have created it while this one waited).
        const [found] = await connection.execute<Row[]>(
          `SELECT ${NOW} AS now_ms, h.* FROM (SELECT 1 AS one) AS d LEFT JOIN ${holds} AS h ON h.k = ?`,
          [key],
        );
        const now = Number(found[0]!.now_ms);
        const existing = found[0]!.k === null ? undefined : found[0]!;
        if (existing) return { ok: true as const, hold: toHold(existing, now), created: false };
        // What this reserve counts as expired is recorded so before its units can be reused.
        await connection.execute(
          `UPDATE ${holds} SET status = 'expired', updated_at = ?
           WHERE sku = ? AND status = 'held' AND expires_at <= ? ORDER BY k`,
          [now, sku, now],
        );
        const [sums] = await connection.execute<Row[]>(
          `SELECT COALESCE(SUM(qty), 0) AS held FROM ${holds}
           WHERE sku = ? AND status = 'held' AND expires_at > ?`,
          [sku, now],
        );
        const held = Number(sums[0]!.held);
        if (onHand - held < qty) {
          return { ok: false as const, level: stockLevel(sku, onHand, held) };
        }
        const expiresAt = now + Math.round(ttlMs);
        try {
          await connection.execute(
            `INSERT INTO ${holds} (k, id, sku, qty, status, created_at, expires_at, updated_at)
             VALUES (?, ?, ?, ?, 'held', ?, ?, ?)`,
            [key, id, sku, qty, now, expiresAt, now],
          );
        } catch (error) {
          // The same key reserved at once for another SKU (whose stock row this one did not
          // lock): the insert waited for that hold and found it; that hold stands.
          if (errno(error) !== ER_DUP_ENTRY) throw error;
          const [rows] = await connection.execute<Row[]>(
            `SELECT h.*, ${NOW} AS now_ms FROM ${holds} h WHERE h.k = ?`,
            [key],
          );
          return {
            ok: true as const,
            hold: toHold(rows[0]!, Number(rows[0]!.now_ms)),
            created: false,
          };
        }
        const hold: Hold = {
          id,
          key,
          sku,
          qty,
          status: 'held',
          createdAt: now,
          expiresAt,
          updatedAt: now,
        };
        return { ok: true as const, hold, created: true };
      });
    },
    confirm: (key, holdId) => settle(key, 'confirmed', holdId),
    release: (key, holdId) => settle(key, 'released', holdId),
    async sweep() {
      await handle.ready();
      return transaction(pool, async (connection) => {
        const now = await serverNow(connection);
        // Locked in key order, as reserve locks a SKU's expired holds, so the two never deadlock.
        const [expired] = await connection.execute<Result>(
          `UPDATE ${holds} SET status = 'expired', updated_at = ?
           WHERE status = 'held' AND expires_at <= ? ORDER BY k`,
          [now, now],
        );
        const [purged] = await connection.execute<Result>(
          `DELETE FROM ${holds}
           WHERE status IN ('confirmed', 'released', 'expired') AND updated_at <= ?`,
          [now - retentionMs],
        );
        return { expired: expired.affectedRows, purged: purged.affectedRows };
      });
    },
    async level(sku) {
      check.sku(sku);
      await handle.ready();
      const [rows] = await pool.execute<Row[]>(
        `SELECT (SELECT s.qty FROM ${stock} s WHERE s.sku = ?) AS stock,
           (SELECT COALESCE(SUM(h.qty), 0) FROM ${holds} h
             WHERE h.sku = ? AND h.status = 'held' AND h.expires_at > ${NOW}) AS held`,
        [sku, sku],
      );
      return stockLevel(sku, Number(rows[0]!.stock ?? 0), Number(rows[0]!.held));
    },
    async setStock(sku, qty) {
      check.sku(sku);
      await handle.ready();
      await pool.execute(
        `INSERT INTO ${stock} (sku, qty, updated_at) VALUES (?, ?, ${NOW})
         ON DUPLICATE KEY UPDATE qty = ?, updated_at = ${NOW}`,
        [sku, qty, qty],
      );
    },
    async get(key) {
      check.key(key);
      await handle.ready();
      const [rows] = await pool.execute<Row[]>(
        `SELECT h.*, ${NOW} AS now_ms FROM ${holds} h WHERE h.k = ?`,
        [key],
      );
      return rows[0] ? toHold(rows[0], Number(rows[0].now_ms)) : undefined;
    },
    async holds(sku, { after, limit }) {
      check.sku(sku);
      await handle.ready();
      const max = requireNonNegativeInt('limit', limit);
      const [rows] = await pool.execute<Row[]>(
        `SELECT h.*, ${NOW} AS now_ms FROM ${holds} h
         WHERE h.sku = ? AND h.k > ? ORDER BY h.k LIMIT ${max}`,
        [sku, after ?? ''],
      );
      return rows.map((row) => toHold(row, Number(row.now_ms)));
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
