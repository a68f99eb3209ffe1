import type { KeyValueStore, KeyValueSweepOptions } from '../../kv.js';
import {
  checkTtl,
  requireNonNegativeInt,
  requireStorableKey,
  requireStorableValue,
} from '../input.js';
import {
  ER_DUP_ENTRY,
  errno,
  MYSQL_NOW,
  type MysqlSource,
  type MysqlStoreOptions,
  maxAllowedPacket,
  openMysql,
  type Result,
  type Row,
  requireBytes,
  requirePacketRoom,
  TABLE_OPTIONS,
  text,
  transaction,
} from './connection.js';

/** The longest key, in bytes of UTF-8 (InnoDB's index limit). */
export const MYSQL_KV_KEY_BYTES = 3072;

const migrations = [
  // VARBINARY keys compare bytewise (UTF-8 order, as PostgreSQL's "C") and never pad: 'a' and
  // 'a ' are two keys, which a PAD SPACE collation such as MariaDB's utf8mb4_bin would merge.
  (p: string) => [
    `CREATE TABLE IF NOT EXISTS \`${p}kv\` (
       k VARBINARY(${MYSQL_KV_KEY_BYTES}) NOT NULL PRIMARY KEY, v LONGTEXT NOT NULL, expires_at BIGINT NULL,
       KEY \`${p}kv_expiry\` (expires_at)) ${TABLE_OPTIONS}`,
  ],
];

const PAGE = 500;

export interface MysqlKeyValueStore extends KeyValueStore {
  take(key: string): Promise<string | undefined>;
  /** Deletes expired rows (they are already invisible to reads); returns how many. */
  sweep(options?: KeyValueSweepOptions): Promise<number>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The KeyValueStore contract in MySQL 8 / MariaDB 10.6+. Expiry is judged by the server's clock
 * inside each statement, unless a `clock` is given (tests pass a fake one).
 */
export function mysqlKeyValueStore(
  source: MysqlSource,
  options: MysqlStoreOptions & { clock?: () => number } = {},
): MysqlKeyValueStore {
  const handle = openMysql(source, options, 'kv', migrations);
  const { pool, prefix: p } = handle;
  const t = `\`${p}kv\``;
  // `now` is the given clock's reading, or NULL for the server's clock in the statement.
  const now = () => (options.clock ? options.clock() : null);
  const NOW = `COALESCE(?, ${MYSQL_NOW})`;
  const key = (value: string) => {
    requireStorableKey(value);
    return requireBytes('key', value, MYSQL_KV_KEY_BYTES);
  };
  const expiry = (ttlMs: number | undefined, at: number | null) =>
    ttlMs === undefined ? null : at === null ? Math.ceil(ttlMs) : at + Math.ceil(ttlMs);

  return {
    async get(k) {
      key(k);
      await handle.ready();
      const [rows] = await pool.execute<Row[]>(
        `SELECT v FROM ${t} WHERE k = ? AND (expires_at IS NULL OR expires_at > ${NOW})`,
        [k, now()],
      );
      return rows[0]?.v as string | undefined;
    },
    async set(k, value, opts) {
      key(k);
      checkTtl(opts?.ttlMs);
      requireStorableValue(value);
      await handle.ready();
      // The upsert carries the value twice (insert and update).
      requirePacketRoom('value', value, 2, await maxAllowedPacket(pool));
      const at = now();
      const expires = expiry(opts?.ttlMs, at);
      // With the server's clock, the TTL is added to the statement's own now.
      const expiresSql = expires === null ? '?' : at === null ? `${MYSQL_NOW} + ?` : '?';
      await pool.execute(
        `INSERT INTO ${t} (k, v, expires_at) VALUES (?, ?, ${expiresSql})
         ON DUPLICATE KEY UPDATE v = ?, expires_at = ${expiresSql}`,
        [k, value, expires, value, expires],
      );
    },
    async setIfAbsent(k, value, opts) {
      key(k);
      checkTtl(opts?.ttlMs);
      requireStorableValue(value);
      await handle.ready();
      requirePacketRoom('value', value, 1, await maxAllowedPacket(pool));
      for (;;) {
        const at = now();
        const expires = expiry(opts?.ttlMs, at);
        const expiresSql = expires === null ? '?' : at === null ? `${MYSQL_NOW} + ?` : '?';
        try {
          await pool.execute(`INSERT INTO ${t} (k, v, expires_at) VALUES (?, ?, ${expiresSql})`, [
            k,
            value,
            expires,
          ]);
          return true;
        } catch (error) {
          if (errno(error) !== ER_DUP_ENTRY) throw error;
        }
        // The key exists: take it only if it expired (one statement, so one of many writers wins).
        const [updated] = await pool.execute<Result>(
          `UPDATE ${t} SET v = ?, expires_at = ${expiresSql}
           WHERE k = ? AND expires_at IS NOT NULL AND expires_at <= ${NOW}`,
          [value, expires, k, at],
        );
        if (updated.affectedRows > 0) return true;
        // Deleted between the two statements: try again; otherwise it stands.
        const [live] = await pool.execute<Row[]>(`SELECT 1 FROM ${t} WHERE k = ?`, [k]);
        if (live.length > 0) return false;
      }
    },
    async delete(k) {
      key(k);
      await handle.ready();
      await pool.execute(`DELETE FROM ${t} WHERE k = ?`, [k]);
    },
    async take(k) {
      key(k);
      await handle.ready();
      return transaction(pool, async (connection) => {
        const [rows] = await connection.execute<Row[]>(
          `SELECT v FROM ${t} WHERE k = ? AND (expires_at IS NULL OR expires_at > ${NOW}) FOR UPDATE`,
          [k, now()],
        );
        if (rows.length === 0) return undefined;
        await connection.execute(`DELETE FROM ${t} WHERE k = ?`, [k]);
        return rows[0]!.v as string;
      });
    },
    async sweep(sweepOptions) {
      await handle.ready();
      const prefix = sweepOptions?.prefix ?? '';
      const limit = sweepOptions?.limit;
      if (limit !== undefined) requireNonNegativeInt('limit', limit);
      // One statement: a row a concurrent set made live again is re-checked and kept.
      const [result] = await pool.execute<Result>(
        `DELETE FROM ${t} WHERE expires_at IS NOT NULL AND expires_at <= ${NOW}
           AND k >= ? AND LEFT(k, ?) = ?
         ORDER BY k ${limit === undefined ? '' : `LIMIT ${limit}`}`,
        [now(), prefix, Buffer.byteLength(prefix), prefix],
      );
      return result.affectedRows;
    },
    async *list(prefix, listOptions) {
      await handle.ready();
      let after: string | undefined =
        listOptions?.after !== undefined && listOptions.after >= prefix
          ? listOptions.after
          : undefined;
      for (;;) {
        const [rows] = await pool.execute<Row[]>(
          `SELECT k, v FROM ${t}
           WHERE ${after === undefined ? 'k >= ?' : 'k > ?'} AND LEFT(k, ?) = ?
             AND (expires_at IS NULL OR expires_at > ${NOW})
           ORDER BY k LIMIT ${PAGE}`,
          [after ?? prefix, Buffer.byteLength(prefix), prefix, now()],
        );
        for (const row of rows) yield [text(row.k), row.v as string] as [string, string];
        if (rows.length < PAGE) return;
        after = text(rows[rows.length - 1]!.k);
      }
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
