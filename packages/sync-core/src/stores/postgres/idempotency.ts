import { type IdempotencyRow, toRecord } from '../../idempotency/record.js';
import type { IdempotencyStore } from '../../idempotency/store.js';
import { groupCommit } from './batch.js';
import { openPostgres, type PostgresSource, type PostgresStoreOptions } from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}idempotency (
      key TEXT PRIMARY KEY, state TEXT NOT NULL, token TEXT, locked_until BIGINT,
      result TEXT, error TEXT, updated_at BIGINT NOT NULL, expires_at BIGINT);`,
];

export interface PostgresIdempotencyStore extends IdempotencyStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** Idempotency keys in PostgreSQL: a claim is one INSERT ... ON CONFLICT DO UPDATE ... WHERE, atomic per key. */
export function postgresIdempotencyStore(
  source: PostgresSource,
  options: PostgresStoreOptions = {},
): PostgresIdempotencyStore {
  const handle = openPostgres(source, options, 'idempotency', migrations);
  const { pool, prefix: p } = handle;
  const t = `${p}idempotency`;
  const completeMany = groupCommit(
    async (
      items: Array<{
        key: string;
        token: string;
        result: string;
        now: number;
        expires: number | null;
      }>,
    ) => {
      const { rows } = await pool.query(
        `UPDATE ${t} AS i SET state = 'done', token = NULL, locked_until = NULL, result = u.result,
           updated_at = u.now, expires_at = u.expires
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS u(key, token, result, now, expires)
         WHERE i.key = u.key AND i.token = u.token AND i.state = 'running'
         RETURNING u.key, u.token`,
        [
          items.map((i) => i.key),
          items.map((i) => i.token),
          items.map((i) => i.result),
          items.map((i) => i.now),
          items.map((i) => i.expires),
        ],
      );
      const kept = new Set(rows.map((row) => `${row.key}\u0000${row.token}`));
      return items.map((i) => kept.has(`${i.key}\u0000${i.token}`));
    },
  );

  return {
    async begin(key, { token, now, lockMs }) {
      await handle.ready();
      const claimed = await pool.query(
        `INSERT INTO ${t} AS i (key, state, token, locked_until, updated_at)
         VALUES ($1, 'running', $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET state = 'running', token = EXCLUDED.token,
           locked_until = EXCLUDED.locked_until, result = NULL, error = NULL,
           updated_at = EXCLUDED.updated_at, expires_at = NULL
         WHERE (i.state = 'running' AND i.locked_until <= $4) OR (i.expires_at IS NOT NULL AND i.expires_at <= $4)
         RETURNING token`,
        [key, token, now + lockMs, now],
      );
      if (claimed.rowCount) return { acquired: true, token };
      const { rows } = await pool.query(`SELECT * FROM ${t} WHERE key = $1`, [key]);
      if (!rows[0]) return this.begin(key, { token, now, lockMs });
      return { acquired: false, record: toRecord(rows[0] as IdempotencyRow) };
    },
    async complete(key, token, { result, now, ttlMs }) {
      await handle.ready();
      return completeMany({
        key,
        token,
        result,
        now,
        expires: ttlMs === undefined ? null : now + ttlMs,
      });
    },
    async fail(key, token, { error, now, release, ttlMs }) {
      await handle.ready();
      const updated = release
        ? await pool.query(`DELETE FROM ${t} WHERE key = $1 AND token = $2 AND state = 'running'`, [
            key,
            token,
          ])
        : await pool.query(
            `UPDATE ${t} SET state = 'failed', token = NULL, locked_until = NULL, error = $3, updated_at = $4, expires_at = $5
             WHERE key = $1 AND token = $2 AND state = 'running'`,
            [key, token, error, now, ttlMs === undefined ? null : now + ttlMs],
          );
      return (updated.rowCount ?? 0) > 0;
    },
    async get(key, now) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT * FROM ${t} WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`,
        [key, now],
      );
      return rows[0] ? toRecord(rows[0] as IdempotencyRow) : undefined;
    },
    async delete(key) {
      await handle.ready();
      await pool.query(`DELETE FROM ${t} WHERE key = $1`, [key]);
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
