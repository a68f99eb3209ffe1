import { type IdempotencyRow as Row, toRecord } from '../../idempotency/record.js';
import type { TransactionalIdempotencyStore, TransactOutcome } from '../../idempotency/store.js';
import { InvalidInputError } from '../errors.js';
import { SQLITE_NOW } from './clock.js';
import {
  migrateSqlite,
  openSqlite,
  type SqliteDatabase,
  type SqliteSource,
  type SqliteStoreOptions,
} from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}idempotency (
      key TEXT PRIMARY KEY, state TEXT NOT NULL, token TEXT, locked_until INTEGER,
      result TEXT, error TEXT, updated_at INTEGER NOT NULL, expires_at INTEGER);`,
  (p: string) => `
    CREATE INDEX IF NOT EXISTS ${p}idempotency_expiry ON ${p}idempotency (expires_at) WHERE expires_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${p}idempotency_locks ON ${p}idempotency (locked_until) WHERE state = 'running';`,
];

export interface SqliteIdempotencyStore extends TransactionalIdempotencyStore<SqliteDatabase> {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Idempotency keys in SQLite; claims are taken inside BEGIN IMMEDIATE transactions and every
 * expiry is judged by SQLite's own clock inside the statement. `runInTransaction` runs a
 * synchronous `fn(db)` in the transaction that records the key.
 */
export function sqliteIdempotencyStore(
  source: SqliteSource,
  options: SqliteStoreOptions = {},
): SqliteIdempotencyStore {
  const handle = openSqlite(source, options);
  const { db, prefix: p } = handle;
  const t = `${p}idempotency`;
  migrateSqlite(handle, 'idempotency', migrations);
  const live = `(expires_at IS NULL OR expires_at > ${SQLITE_NOW})`;
  const select = db.prepare(`SELECT * FROM ${t} WHERE key = ?`);
  const selectLive = db.prepare(`SELECT * FROM ${t} WHERE key = ? AND ${live}`);
  const claim = db.prepare(
    `INSERT INTO ${t} (key, state, token, locked_until, result, error, updated_at, expires_at)
     VALUES (@key, 'running', @token, ${SQLITE_NOW} + @lockMs, NULL, NULL, ${SQLITE_NOW}, NULL)
     ON CONFLICT(key) DO UPDATE SET state = 'running', token = @token, locked_until = ${SQLITE_NOW} + @lockMs,
       result = NULL, error = NULL, updated_at = ${SQLITE_NOW}, expires_at = NULL
     WHERE (state = 'running' AND locked_until <= ${SQLITE_NOW})
        OR (expires_at IS NOT NULL AND expires_at <= ${SQLITE_NOW})`,
  );
  const renew = db.prepare(
    `UPDATE ${t} SET locked_until = ${SQLITE_NOW} + @lockMs, updated_at = ${SQLITE_NOW}
     WHERE key = @key AND token = @token AND state = 'running'`,
  );
  const finish = db.prepare(
    `UPDATE ${t} SET state = @state, token = NULL, locked_until = NULL, result = @result,
       error = @error, updated_at = ${SQLITE_NOW},
       expires_at = CASE WHEN @ttlMs IS NULL THEN NULL ELSE ${SQLITE_NOW} + @ttlMs END
     WHERE key = @key AND token = @token AND state = 'running'`,
  );
  const releaseKey = db.prepare(
    `DELETE FROM ${t} WHERE key = ? AND token = ? AND state = 'running'`,
  );
  const remove = db.prepare(`DELETE FROM ${t} WHERE key = ?`);
  const sweep = db.prepare(
    `DELETE FROM ${t} WHERE rowid IN (
       SELECT rowid FROM ${t} WHERE (expires_at IS NOT NULL AND expires_at <= ${SQLITE_NOW})
          OR (state = 'running' AND locked_until <= ${SQLITE_NOW}) LIMIT @limit)`,
  );

  const begin = db.transaction((key: string, token: string, lockMs: number) => {
    const changed = claim.run({ key, token, lockMs }).changes;
    if (changed > 0) return { acquired: true as const, token };
    return { acquired: false as const, record: toRecord(select.get(key) as Row) };
  });

  // The claim, fn's writes and the done record in one BEGIN IMMEDIATE transaction: a claim here
  // never needs a lock timeout, since the write lock itself keeps every other writer out.
  const transact = db.transaction(
    (
      key: string,
      token: string,
      ttlMs: number | null,
      fn: (tx: SqliteDatabase) => string | Promise<string>,
    ): TransactOutcome => {
      if (claim.run({ key, token, lockMs: 0 }).changes === 0) {
        return { ran: false, record: toRecord(select.get(key) as Row) };
      }
      const result = fn(db);
      if (typeof (result as Promise<string>)?.then === 'function') {
        (result as Promise<string>).catch(() => {});
        throw new InvalidInputError(
          'fn',
          'must be synchronous in a SQLite transaction (better-sqlite3 transactions cannot span an await); nothing was committed',
        );
      }
      finish.run({ key, token, state: 'done', result, error: null, ttlMs });
      return { ran: true, result: result as string };
    },
  );

  return {
    async begin(key, { token, lockMs }) {
      return begin.immediate(key, token, lockMs);
    },
    async renew(key, token, { lockMs }) {
      return renew.run({ key, token, lockMs }).changes > 0;
    },
    async complete(key, token, { result, ttlMs }) {
      return (
        finish.run({ key, token, state: 'done', result, error: null, ttlMs: ttlMs ?? null })
          .changes > 0
      );
    },
    async fail(key, token, { error, release, ttlMs }) {
      if (release) return releaseKey.run(key, token).changes > 0;
      return (
        finish.run({ key, token, state: 'failed', result: null, error, ttlMs: ttlMs ?? null })
          .changes > 0
      );
    },
    async transact(key, { token, ttlMs }, fn) {
      return transact.immediate(key, token, ttlMs ?? null, fn);
    },
    async get(key) {
      const row = selectLive.get(key) as Row | undefined;
      return row ? toRecord(row) : undefined;
    },
    async delete(key) {
      remove.run(key);
    },
    async sweep(sweepOptions) {
      return sweep.run({ limit: sweepOptions?.limit ?? -1 }).changes;
    },
    async migrate() {
      migrateSqlite(handle, 'idempotency', migrations);
    },
    close: () => handle.close(),
  };
}
