import { type IdempotencyRow, toRecord } from '../../idempotency/record.js';
import type { BeginOutcome, IdempotencyStore } from '../../idempotency/store.js';
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

  type Claim = { key: string; token: string; until: number; now: number };
  // Claims of one batch go in one INSERT ... ON CONFLICT; a key may appear once per statement,
  // so repeats of a key in the same batch are told to try again (they then find the first claim).
  const beginMany = groupCommit(async (items: Claim[]) => {
    const first = new Map<string, Claim>();
    for (const item of items) if (!first.has(item.key)) first.set(item.key, item);
    const unique = [...first.values()];
    const claimed = await pool.query(
      `INSERT INTO ${t} AS i (key, state, token, locked_until, updated_at)
       SELECT key, 'running', token, until, now
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS u(key, token, until, now)
       ON CONFLICT (key) DO UPDATE SET state = 'running', token = EXCLUDED.token,
         locked_until = EXCLUDED.locked_until, result = NULL, error = NULL,
         updated_at = EXCLUDED.updated_at, expires_at = NULL
       WHERE (i.state = 'running' AND i.locked_until <= EXCLUDED.updated_at)
          OR (i.expires_at IS NOT NULL AND i.expires_at <= EXCLUDED.updated_at)
       RETURNING key, token`,
      [
        unique.map((i) => i.key),
        unique.map((i) => i.token),
        unique.map((i) => i.until),
        unique.map((i) => i.now),
      ],
    );
    const won = new Set(claimed.rows.map((row) => `${row.key}\u0000${row.token}`));
    const lost = unique.filter((i) => !won.has(`${i.key}\u0000${i.token}`)).map((i) => i.key);
    const records = new Map<string, IdempotencyRow>();
    if (lost.length > 0) {
      const { rows } = await pool.query(`SELECT * FROM ${t} WHERE key = ANY($1::text[])`, [lost]);
      for (const row of rows) records.set(row.key, row as IdempotencyRow);
    }
    return items.map((item): BeginOutcome | 'retry' => {
      if (first.get(item.key) !== item) return 'retry';
      if (won.has(`${item.key}\u0000${item.token}`)) return { acquired: true, token: item.token };
      const row = records.get(item.key);
      return row ? { acquired: false, record: toRecord(row) } : 'retry';
    });
  });

  return {
    async begin(key, { token, now, lockMs }) {
      await handle.ready();
      for (;;) {
        const outcome = await beginMany({ key, token, until: now + lockMs, now });
        if (outcome !== 'retry') return outcome;
      }
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
