import type { KeyValueStore, KeyValueSweepOptions } from '../../kv.js';
import { checkTtl } from '../input.js';
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

/** The KeyValueStore contract in SQLite (keys compare bytewise, so `list` is in ascending key order). */
export function sqliteKeyValueStore(
  source: SqliteSource,
  options: SqliteStoreOptions & { clock?: () => number } = {},
): SqliteKeyValueStore {
  const handle = openSqlite(source, options);
  const { db, prefix: p } = handle;
  const clock = options.clock ?? Date.now;
  migrateSqlite(handle, 'kv', migrations);
  const get = db.prepare(
    `SELECT value FROM ${p}kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)`,
  );
  const set = db.prepare(
    `INSERT INTO ${p}kv (key, value, expires_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
  );
  const setIfAbsent = db.prepare(
    `INSERT INTO ${p}kv (key, value, expires_at) VALUES (@key, @value, @expires)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
     WHERE expires_at IS NOT NULL AND expires_at <= @now`,
  );
  const remove = db.prepare(`DELETE FROM ${p}kv WHERE key = ?`);
  const take = db.prepare(
    `DELETE FROM ${p}kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?) RETURNING value`,
  );
  const sweep = db.prepare(
    `DELETE FROM ${p}kv WHERE key IN (
       SELECT key FROM ${p}kv
       WHERE expires_at IS NOT NULL AND expires_at <= @now AND key >= @prefix
         AND substr(key, 1, length(@prefix)) = @prefix
       LIMIT @limit)`,
  );
  const page = db.prepare(
    `SELECT key, value FROM ${p}kv WHERE key > ? AND (expires_at IS NULL OR expires_at > ?)
     ORDER BY key LIMIT ${PAGE}`,
  );
  const first = db.prepare(
    `SELECT key, value FROM ${p}kv WHERE key >= ? AND (expires_at IS NULL OR expires_at > ?)
     ORDER BY key LIMIT ${PAGE}`,
  );
  const expiry = (ttlMs: number | undefined) => (ttlMs === undefined ? null : clock() + ttlMs);

  return {
    async get(key) {
      return (get.get(key, clock()) as { value: string } | undefined)?.value;
    },
    async set(key, value, opts) {
      checkTtl(opts?.ttlMs);
      set.run(key, value, expiry(opts?.ttlMs));
    },
    async setIfAbsent(key, value, opts) {
      checkTtl(opts?.ttlMs);
      const now = clock();
      const expires = opts?.ttlMs === undefined ? null : now + opts.ttlMs;
      return setIfAbsent.run({ key, value, expires, now }).changes > 0;
    },
    async delete(key) {
      remove.run(key);
    },
    async take(key) {
      return (take.get(key, clock()) as { value: string } | undefined)?.value;
    },
    async *list(prefix, listOptions) {
      const after = listOptions?.after;
      let rows = (
        after !== undefined && after >= prefix
          ? page.all(after, clock())
          : first.all(prefix, clock())
      ) as Array<{ key: string; value: string }>;
      while (rows.length > 0) {
        for (const row of rows) {
          if (!row.key.startsWith(prefix)) return;
          yield [row.key, row.value] as [string, string];
        }
        if (rows.length < PAGE) return;
        rows = page.all(rows[rows.length - 1]!.key, clock()) as Array<{
          key: string;
          value: string;
        }>;
      }
    },
    async sweep(sweepOptions) {
      const limit = sweepOptions?.limit ?? -1; // SQLite: a negative LIMIT means no limit
      return sweep.run({ now: clock(), prefix: sweepOptions?.prefix ?? '', limit }).changes;
    },
    async migrate() {
      migrateSqlite(handle, 'kv', migrations);
    },
    close: () => handle.close(),
  };
}
