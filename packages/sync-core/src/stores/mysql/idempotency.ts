import type mysql from 'mysql2/promise';
import { type IdempotencyRow, toRecord } from '../../idempotency/record.js';
import type {
  BeginOutcome,
  IdempotencyRecord,
  TransactionalIdempotencyStore,
  TransactOutcome,
} from '../../idempotency/store.js';
import { requireNonNegativeInt } from '../input.js';
import {
  beginReadCommitted,
  checkout,
  ER_DUP_ENTRY,
  ER_LOCK_DEADLOCK,
  ER_LOCK_WAIT_TIMEOUT,
  errno,
  type MysqlRunner,
  type MysqlSource,
  type MysqlStoreOptions,
  MYSQL_NOW as NOW,
  openMysql,
  type Result,
  type Row,
  requireBytes,
  TABLE_OPTIONS,
  text,
  textOrNull,
} from './connection.js';

/** The longest idempotency key, in bytes of UTF-8. */
export const MYSQL_IDEMPOTENCY_KEY_BYTES = 3072;

const migrations = [
  (p: string) => [
    `CREATE TABLE IF NOT EXISTS \`${p}idempotency\` (
       k VARBINARY(${MYSQL_IDEMPOTENCY_KEY_BYTES}) NOT NULL PRIMARY KEY, state VARCHAR(8) NOT NULL,
       token VARBINARY(255) NULL, locked_until BIGINT NULL, result LONGTEXT NULL, error LONGTEXT NULL,
       updated_at BIGINT NOT NULL, expires_at BIGINT NULL,
       KEY \`${p}idempotency_expiry\` (expires_at),
       KEY \`${p}idempotency_locks\` (state, locked_until)) ${TABLE_OPTIONS}`,
  ],
];

/** Whether a row's claim can be taken over: its holder's lock or its stored outcome ran out. */
const TAKEABLE = `((state = 'running' AND locked_until <= ${NOW})
  OR (expires_at IS NOT NULL AND expires_at <= ${NOW}))`;

export interface MysqlIdempotencyStore extends TransactionalIdempotencyStore<mysql.PoolConnection> {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

function toRow(row: Row): IdempotencyRow {
  return {
    key: text(row.k),
    state: row.state,
    token: textOrNull(row.token),
    locked_until: row.locked_until,
    result: row.result ?? null,
    error: row.error ?? null,
    updated_at: row.updated_at,
    expires_at: row.expires_at,
  };
}

/**
 * Idempotency keys in MySQL 8 / MariaDB 10.6+. A claim is an INSERT, or (the key exists) one
 * UPDATE whose WHERE admits only a row whose lock or outcome expired, so of many claimers one
 * wins; every expiry is judged by the server's clock inside the statement. `runInTransaction`
 * hands `fn` the transaction's connection: its writes and the record commit together.
 */
export function mysqlIdempotencyStore(
  source: MysqlSource,
  options: MysqlStoreOptions = {},
): MysqlIdempotencyStore {
  const handle = openMysql(source, options, 'idempotency', migrations);
  const { pool, prefix: p } = handle;
  const t = `\`${p}idempotency\``;
  const key = (value: string) => requireBytes('key', value, MYSQL_IDEMPOTENCY_KEY_BYTES);
  let mariadb: Promise<boolean> | undefined;
  const isMariadb = () => {
    mariadb ??= pool
      .query<Row[]>('SELECT VERSION() AS v')
      .then(([rows]) => /mariadb/i.test(String(rows[0]?.v)));
    return mariadb;
  };

  const read = async (runner: MysqlRunner, k: string, lock = false) => {
    const [rows] = await runner.execute<Row[]>(
      `SELECT * FROM ${t} WHERE k = ?${lock ? ' FOR UPDATE' : ''}`,
      [k],
    );
    return rows[0] ? toRow(rows[0]) : undefined;
  };

  /**
   * Inside an open transaction: takes the key (a new row, or one whose lock or result expired) and
   * keeps its row locked until the transaction ends; or returns the record that stands.
   */
  const claimInTransaction = async (
    connection: mysql.PoolConnection,
    k: string,
    token: string,
  ): Promise<IdempotencyRow | undefined> => {
    for (;;) {
      try {
        // A concurrent transaction inserting the same key makes this wait (bounded by the lock timeout).
        await connection.execute(
          `INSERT INTO ${t} (k, state, token, locked_until, updated_at)
           VALUES (?, 'running', ?, NULL, ${NOW})`,
          [k, token],
        );
        return undefined;
      } catch (error) {
        if (errno(error) !== ER_DUP_ENTRY) throw error;
      }
      const row = await read(connection, k, true);
      if (!row) continue; // deleted meanwhile: try again
      const [taken] = await connection.execute<Result>(
        `UPDATE ${t} SET state = 'running', token = ?, locked_until = NULL, result = NULL,
           error = NULL, updated_at = ${NOW}, expires_at = NULL
         WHERE k = ? AND ${TAKEABLE}`,
        [token, k],
      );
      return taken.affectedRows > 0 ? undefined : row;
    }
  };

  return {
    async begin(k, { token, lockMs }) {
      key(k);
      await handle.ready();
      for (;;) {
        try {
          await pool.execute(
            `INSERT INTO ${t} (k, state, token, locked_until, updated_at)
             VALUES (?, 'running', ?, ${NOW} + ?, ${NOW})`,
            [k, token, Math.round(lockMs)],
          );
          return { acquired: true, token };
        } catch (error) {
          if (errno(error) !== ER_DUP_ENTRY) throw error;
        }
        const [taken] = await pool.execute<Result>(
          `UPDATE ${t} SET state = 'running', token = ?, locked_until = ${NOW} + ?, result = NULL,
             error = NULL, updated_at = ${NOW}, expires_at = NULL
           WHERE k = ? AND ${TAKEABLE}`,
          [token, Math.round(lockMs), k],
        );
        if (taken.affectedRows > 0) return { acquired: true, token };
        const row = await read(pool, k);
        // Deleted between the statements: try again.
        if (row) return { acquired: false, record: toRecord(row) } satisfies BeginOutcome;
      }
    },
    async renew(k, token, { lockMs }) {
      await handle.ready();
      const [updated] = await pool.execute<Result>(
        `UPDATE ${t} SET locked_until = ${NOW} + ?, updated_at = ${NOW}
         WHERE k = ? AND token = ? AND state = 'running'`,
        [Math.round(lockMs), k, token],
      );
      return updated.affectedRows > 0;
    },
    async complete(k, token, { result, ttlMs }) {
      await handle.ready();
      const [updated] = await pool.execute<Result>(
        `UPDATE ${t} SET state = 'done', token = NULL, locked_until = NULL, result = ?,
           updated_at = ${NOW}, expires_at = ${NOW} + ?
         WHERE k = ? AND token = ? AND state = 'running'`,
        [result, ttlMs === undefined ? null : Math.round(ttlMs), k, token],
      );
      return updated.affectedRows > 0;
    },
    async fail(k, token, { error, release, ttlMs }) {
      await handle.ready();
      const [updated] = release
        ? await pool.execute<Result>(
            `DELETE FROM ${t} WHERE k = ? AND token = ? AND state = 'running'`,
            [k, token],
          )
        : await pool.execute<Result>(
            `UPDATE ${t} SET state = 'failed', token = NULL, locked_until = NULL, error = ?,
               updated_at = ${NOW}, expires_at = ${NOW} + ?
             WHERE k = ? AND token = ? AND state = 'running'`,
            [error, ttlMs === undefined ? null : Math.round(ttlMs), k, token],
          );
      return updated.affectedRows > 0;
    },
    async transact(k, { token, ttlMs, waitMs, onLost }, fn): Promise<TransactOutcome> {
      key(k);
      await handle.ready();
      // InnoDB's lock wait is set in whole seconds: a wait rounds up; 0 refuses at once on
      // MariaDB (MySQL's least is 1 s).
      const waitSeconds = waitMs <= 0 ? ((await isMariadb()) ? 0 : 1) : Math.ceil(waitMs / 1000);
      const deadline = Date.now() + Math.max(0, waitMs);
      const running = (): TransactOutcome => ({
        ran: false,
        record: { key: k, state: 'running', updatedAt: Date.now() } satisfies IdempotencyRecord,
      });
      for (;;) {
        const { connection, release } = await checkout(pool, (error) => onLost(error));
        let open = false;
        let broken = false;
        try {
          await connection.query(`SET SESSION innodb_lock_wait_timeout = ${waitSeconds}`);
          await beginReadCommitted(connection);
          open = true;
          let standing: IdempotencyRow | undefined;
          try {
            standing = await claimInTransaction(connection, k, token);
          } catch (error) {
            const code = errno(error);
            if (code !== ER_LOCK_WAIT_TIMEOUT && code !== ER_LOCK_DEADLOCK) throw error;
            await connection.query('ROLLBACK');
            open = false;
            // A deadlock among waiters for the same key: the key's holder is still deciding, so
            // wait again while time is left; a lock wait past the limit is the refusal.
            if (code === ER_LOCK_DEADLOCK && Date.now() < deadline) continue;
            return running();
          }
          if (standing) {
            await connection.query('ROLLBACK');
            open = false;
            return { ran: false, record: toRecord(standing) };
          }
          await connection.query('SET SESSION innodb_lock_wait_timeout = DEFAULT');
          const result = await fn(connection);
          await connection.execute(
            `UPDATE ${t} SET state = 'done', token = NULL, result = ?, updated_at = ${NOW},
               expires_at = ${NOW} + ?
             WHERE k = ? AND token = ?`,
            [result, ttlMs === undefined ? null : Math.round(ttlMs), k, token],
          );
          await connection.query('COMMIT');
          open = false;
          return { ran: true, result };
        } catch (error) {
          if (open)
            await connection.query('ROLLBACK').catch(() => {
              broken = true;
            });
          throw error;
        } finally {
          // The connection goes back to the pool with the server's default lock wait.
          await connection.query('SET SESSION innodb_lock_wait_timeout = DEFAULT').catch(() => {
            broken = true;
          });
          release(broken);
        }
      }
    },
    async get(k) {
      key(k);
      await handle.ready();
      const [rows] = await pool.execute<Row[]>(
        `SELECT * FROM ${t} WHERE k = ? AND (expires_at IS NULL OR expires_at > ${NOW})`,
        [k],
      );
      return rows[0] ? toRecord(toRow(rows[0])) : undefined;
    },
    async delete(k) {
      key(k);
      await handle.ready();
      await pool.execute(`DELETE FROM ${t} WHERE k = ?`, [k]);
    },
    async sweep(sweepOptions) {
      await handle.ready();
      const limit = sweepOptions?.limit;
      if (limit !== undefined) requireNonNegativeInt('limit', limit);
      const [result] = await pool.execute<Result>(
        `DELETE FROM ${t} WHERE (expires_at IS NOT NULL AND expires_at <= ${NOW})
            OR (state = 'running' AND locked_until <= ${NOW})
         ${limit === undefined ? '' : `LIMIT ${limit}`}`,
      );
      return result.affectedRows;
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
