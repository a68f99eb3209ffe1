import type { KeyValueStore, KeyValueSweepOptions } from '../../kv.js';
import { checkTtl, requireStorableKey, requireStorableValue } from '../input.js';
import { PG_NOW as NOW } from './clock.js';
import { openPostgres, type PostgresSource, type PostgresStoreOptions } from './connection.js';

const migrations = [
  // COLLATE "C" orders keys bytewise, whatever the database's locale.
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}kv (key TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL, expires_at BIGINT);`,
];

const PAGE = 500;

export interface PostgresKeyValueStore extends KeyValueStore {
  take(key: string): Promise<string | undefined>;
  /** Deletes expired rows (they are already invisible to reads); returns how many. */
  sweep(options?: KeyValueSweepOptions): Promise<number>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The KeyValueStore contract in PostgreSQL. Every TTL is set and judged by the server's
 * `clock_timestamp()` inside the statement, never by a caller's clock.
 */
export function postgresKeyValueStore(
  source: PostgresSource,
  options: PostgresStoreOptions = {},
): PostgresKeyValueStore {
  const handle = openPostgres(source, options, 'kv', migrations);
  const { pool, prefix: p } = handle;
  const t = `${p}kv`;
  const live = `(expires_at IS NULL OR expires_at > ${NOW})`;
  // NULL + a number is NULL: no ttl, no expiry.
  const ttl = (ttlMs: number | undefined) => (ttlMs === undefined ? null : Math.ceil(ttlMs));

  return {
    async get(key) {
      requireStorableKey(key);
      await handle.ready();
      const { rows } = await pool.query(`SELECT value FROM ${t} WHERE key = $1 AND ${live}`, [key]);
      return rows[0]?.value;
    },
    async set(key, value, opts) {
      requireStorableKey(key);
      checkTtl(opts?.ttlMs);
      requireStorableValue(value);
      await handle.ready();
      await pool.query(
        `INSERT INTO ${t} (key, value, expires_at) VALUES ($1, $2, ${NOW} + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
        [key, value, ttl(opts?.ttlMs)],
      );
    },
    async setIfAbsent(key, value, opts) {
      requireStorableKey(key);
      checkTtl(opts?.ttlMs);
      requireStorableValue(value);
      await handle.ready();
      const result = await pool.query(
        `INSERT INTO ${t} AS kv (key, value, expires_at) VALUES ($1, $2, ${NOW} + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
         WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= ${NOW}`,
        [key, value, ttl(opts?.ttlMs)],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async delete(key) {
      requireStorableKey(key);
      await handle.ready();
      await pool.query(`DELETE FROM ${t} WHERE key = $1`, [key]);
    },
    async take(key) {
      requireStorableKey(key);
      await handle.ready();
      const { rows } = await pool.query(
        `DELETE FROM ${t} WHERE key = $1 AND ${live} RETURNING value`,
        [key],
      );
      return rows[0]?.value;
    },
    async sweep(sweepOptions) {
      await handle.ready();
      const prefix = sweepOptions?.prefix ?? '';
      // The outer expiry test is re-checked on a row a concurrent set changed (and committed)
      // while this statement waited for its lock, so a key set live again is kept.
      const result = await pool.query(
        `DELETE FROM ${t} WHERE expires_at IS NOT NULL AND expires_at <= ${NOW} AND key IN (
           SELECT key FROM ${t}
           WHERE expires_at IS NOT NULL AND expires_at <= ${NOW}
             AND key >= $1 AND left(key, char_length($1)) = $1
           ${sweepOptions?.limit === undefined ? '' : 'LIMIT $2'})`,
        sweepOptions?.limit === undefined ? [prefix] : [prefix, sweepOptions.limit],
      );
      return result.rowCount ?? 0;
    },
    async *list(prefix, listOptions) {
      await handle.ready();
      let after: string | undefined =
        listOptions?.after !== undefined && listOptions.after >= prefix
          ? listOptions.after
          : undefined;
      for (;;) {
        const { rows } = await pool.query(
          `SELECT key, value FROM ${t}
           WHERE ${after === undefined ? 'key >= $1' : 'key > $1'} AND left(key, char_length($2)) = $2
             AND ${live}
           ORDER BY key LIMIT ${PAGE}`,
          [after ?? prefix, prefix],
        );
        for (const row of rows) yield [row.key, row.value] as [string, string];
        if (rows.length < PAGE) return;
        after = rows[rows.length - 1].key;
      }
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
