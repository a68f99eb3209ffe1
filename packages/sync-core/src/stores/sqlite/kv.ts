import type { KeyValueStore, KeyValueSweepOptions } from '../../kv.js';
import { checkTtl, requireStorableKey, requireStorableValue } from '../input.js';
import { SQLITE_NOW as NOW } from './clock.js';
import {
  migrateSqlite,
  openSqlite,
  type SqliteSource,
  type SqliteStoreOptions,
} from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER);`,
];

const PAGE = 500;

export interface SqliteKeyValueStore extends KeyValueStore {
  take(key: string): Promise<string | undefined>;
  /** Deletes expired rows (they are already invisible to reads); returns how many. */
  sweep(options?: KeyValueSweepOptions): Promise<number>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The KeyValueStore contract in SQLite (keys compare bytewise, so `list` is in ascending key order).
 * Every TTL is set and judged by SQLite's clock inside the statement, never by a caller's.
 */
export function sqliteKeyValueStore(
  source: SqliteSource,
  options: SqliteStoreOptions = {},
): SqliteKeyValueStore {
  const handle = openSqlite(source, options);
  const { db, prefix: p } = handle;
  migrateSqlite(handle, 'kv', migrations);
  const live = `(expires_at IS NULL OR expires_at > ${NOW})`;
  // NULL + a number is NULL: no ttl, no expiry.
  const get = db.prepare(`SELECT value FROM ${p}kv WHERE key = ? AND ${live}`);
  const set = db.prepare(
    `INSERT INTO ${p}kv (key, value, expires_at) VALUES (@key, @value, ${NOW} + @ttl)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
  );
  const setIfAbsent = db.prepare(
    `INSERT INTO ${p}kv (key, value, expires_at) VALUES (@key, @value, ${NOW} + @ttl)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
     WHERE expires_at IS NOT NULL AND expires_at <= ${NOW}`,
  );
  const remove = db.prepare(`DELETE FROM ${p}kv WHERE key = ?`);
  const take = db.prepare(`DELETE FROM ${p}kv WHERE key = ? AND ${live} RETURNING value`);
  const sweep = db.prepare(
    `DELETE FROM ${p}kv WHERE key IN (
       SELECT key FROM ${p}kv
       WHERE expires_at IS NOT NULL AND expires_at <= ${NOW} AND key >= @prefix
         AND substr(key, 1, length(@prefix)) = @prefix
       LIMIT @limit)`,
  );
  const page = db.prepare(
    `SELECT key, value FROM ${p}kv WHERE key > ? AND ${live} ORDER BY key LIMIT ${PAGE}`,
  );
  const first = db.prepare(
    `SELECT key, value FROM ${p}kv WHERE key >= ? AND ${live} ORDER BY key LIMIT ${PAGE}`,
  );
  const ttl = (ttlMs: number | undefined) => (ttlMs === undefined ? null : Math.ceil(ttlMs));

  return {
    async get(key) {
      requireStorableKey(key);
      return (get.get(key) as { value: string } | undefined)?.value;
    },
    async set(key, value, opts) {
      requireStorableKey(key);
      checkTtl(opts?.ttlMs);
      requireStorableValue(value);
      set.run({ key, value, ttl: ttl(opts?.ttlMs) });
    },
    async setIfAbsent(key, value, opts) {
      requireStorableKey(key);
      checkTtl(opts?.ttlMs);
      requireStorableValue(value);
      return setIfAbsent.run({ key, value, ttl: ttl(opts?.ttlMs) }).changes > 0;
    },
    async delete(key) {
      requireStorableKey(key);
      remove.run(key);
    },
    async take(key) {
      requireStorableKey(key);
      return (take.get(key) as { value: string } | undefined)?.value;
    },
    async *list(prefix, listOptions) {
      const after = listOptions?.after;
      let rows = (
        after !== undefined && after >= prefix ? page.all(after) : first.all(prefix)
      ) as Array<{ key: string; value: string }>;
      while (rows.length > 0) {
        for (const row of rows) {
          if (!row.key.startsWith(prefix)) return;
          yield [row.key, row.value] as [string, string];
        }
        if (rows.length < PAGE) return;
        rows = page.all(rows[rows.length - 1]!.key) as Array<{
          key: string;
          value: string;
        }>;
      }
    },
    async sweep(sweepOptions) {
      const limit = sweepOptions?.limit ?? -1; // SQLite: a negative LIMIT means no limit
      return sweep.run({ prefix: sweepOptions?.prefix ?? '', limit }).changes;
    },
    async migrate() {
      migrateSqlite(handle, 'kv', migrations);
    },
    close: () => handle.close(),
  };
}
