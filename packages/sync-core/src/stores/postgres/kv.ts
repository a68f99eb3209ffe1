import type { KeyValueStore, KeyValueSweepOptions } from '../../kv.js';
import { checkTtl } from '../input.js';
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

/** The KeyValueStore contract in PostgreSQL. */
export function postgresKeyValueStore(
  source: PostgresSource,
  options: PostgresStoreOptions & { clock?: () => number } = {},
): PostgresKeyValueStore {
  const handle = openPostgres(source, options, 'kv', migrations);
  const { pool, prefix: p } = handle;
  const clock = options.clock ?? Date.now;
  const t = `${p}kv`;

  return {
    async get(key) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT value FROM ${t} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`,
        [key, clock()],
      );
      return rows[0]?.value;
    },
    async set(key, value, opts) {
      checkTtl(opts?.ttlMs);
      await handle.ready();
      await pool.query(
        `INSERT INTO ${t} (key, value, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
        [key, value, opts?.ttlMs === undefined ? null : clock() + opts.ttlMs],
      );
    },
    async setIfAbsent(key, value, opts) {
      checkTtl(opts?.ttlMs);
      await handle.ready();
      const now = clock();
      const result = await pool.query(
        `INSERT INTO ${t} AS kv (key, value, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
         WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= $4`,
        [key, value, opts?.ttlMs === undefined ? null : now + opts.ttlMs, now],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async delete(key) {
      await handle.ready();
      await pool.query(`DELETE FROM ${t} WHERE key = $1`, [key]);
    },
    async take(key) {
      await handle.ready();
      const { rows } = await pool.query(
        `DELETE FROM ${t} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2) RETURNING value`,
        [key, clock()],
      );
      return rows[0]?.value;
    },
    async sweep(sweepOptions) {
      await handle.ready();
      const prefix = sweepOptions?.prefix ?? '';
      // The outer expiry test is re-checked on a row a concurrent set changed (and committed)
      // while this statement waited for its lock, so a key set live again is kept.
      const result = await pool.query(
        `DELETE FROM ${t} WHERE expires_at IS NOT NULL AND expires_at <= $1 AND key IN (
           SELECT key FROM ${t}
           WHERE expires_at IS NOT NULL AND expires_at <= $1
             AND key >= $2 AND left(key, char_length($2)) = $2
           ${sweepOptions?.limit === undefined ? '' : 'LIMIT $3'})`,
        sweepOptions?.limit === undefined
          ? [clock(), prefix]
          : [clock(), prefix, sweepOptions.limit],
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
             AND (expires_at IS NULL OR expires_at > $3)
           ORDER BY key LIMIT ${PAGE}`,
          [after ?? prefix, prefix, clock()],
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
