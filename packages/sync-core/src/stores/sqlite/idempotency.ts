import { type IdempotencyRow as Row, toRecord } from '../../idempotency/record.js';
import type { IdempotencyStore } from '../../idempotency/store.js';
import {
  migrateSqlite,
  openSqlite,
  type SqliteSource,
  type SqliteStoreOptions,
} from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}idempotency (
      key TEXT PRIMARY KEY, state TEXT NOT NULL, token TEXT, locked_until INTEGER,
      result TEXT, error TEXT, updated_at INTEGER NOT NULL, expires_at INTEGER);`,
];

export interface SqliteIdempotencyStore extends IdempotencyStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Idempotency keys in SQLite; claims are taken inside BEGIN IMMEDIATE transactions. */
export function sqliteIdempotencyStore(
  source: SqliteSource,
  options: SqliteStoreOptions = {},
): SqliteIdempotencyStore {
  const handle = openSqlite(source, options);
  const { db, prefix: p } = handle;
  migrateSqlite(handle, 'idempotency', migrations);
  const select = db.prepare(`SELECT * FROM ${p}idempotency WHERE key = ?`);
  const claim = db.prepare(
    `INSERT INTO ${p}idempotency (key, state, token, locked_until, result, error, updated_at, expires_at)
     VALUES (@key, 'running', @token, @until, NULL, NULL, @now, NULL)
     ON CONFLICT(key) DO UPDATE SET state = 'running', token = @token, locked_until = @until,
       result = NULL, error = NULL, updated_at = @now, expires_at = NULL
     WHERE (state = 'running' AND locked_until <= @now) OR (expires_at IS NOT NULL AND expires_at <= @now)`,
  );
  const finish = db.prepare(
    `UPDATE ${p}idempotency SET state = @state, token = NULL, locked_until = NULL, result = @result,
       error = @error, updated_at = @now, expires_at = @expires
     WHERE key = @key AND token = @token AND state = 'running'`,
  );
  const releaseKey = db.prepare(
    `DELETE FROM ${p}idempotency WHERE key = ? AND token = ? AND state = 'running'`,
  );
  const remove = db.prepare(`DELETE FROM ${p}idempotency WHERE key = ?`);

  const begin = db.transaction((key: string, token: string, now: number, lockMs: number) => {
    const changed = claim.run({ key, token, until: now + lockMs, now }).changes;
    if (changed > 0) return { acquired: true as const, token };
    return { acquired: false as const, record: toRecord(select.get(key) as Row) };
  });

  return {
    async begin(key, { token, now, lockMs }) {
      return begin.immediate(key, token, now, lockMs);
    },
    async complete(key, token, { result, now, ttlMs }) {
      const expires = ttlMs === undefined ? null : now + ttlMs;
      return (
        finish.run({ key, token, state: 'done', result, error: null, now, expires }).changes > 0
      );
    },
    async fail(key, token, { error, now, release, ttlMs }) {
      if (release) return releaseKey.run(key, token).changes > 0;
      const expires = ttlMs === undefined ? null : now + ttlMs;
      return (
        finish.run({ key, token, state: 'failed', result: null, error, now, expires }).changes > 0
      );
    },
    async get(key, now) {
      const row = select.get(key) as Row | undefined;
      if (!row || (row.expires_at !== null && Number(row.expires_at) <= now)) return undefined;
      return toRecord(row);
    },
    async delete(key) {
      remove.run(key);
    },
    async migrate() {
      migrateSqlite(handle, 'idempotency', migrations);
    },
    close: () => handle.close(),
  };
}
