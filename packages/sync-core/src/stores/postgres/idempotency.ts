import type pg from 'pg';
import { type IdempotencyRow, toRecord } from '../../idempotency/record.js';
import type {
  BeginOutcome,
  TransactionalIdempotencyStore,
  TransactOutcome,
} from '../../idempotency/store.js';
import { groupCommit } from './batch.js';
import { PG_NOW } from './clock.js';
import { openPostgres, type PostgresSource, type PostgresStoreOptions } from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}idempotency (
      key TEXT PRIMARY KEY, state TEXT NOT NULL, token TEXT, locked_until BIGINT,
      result TEXT, error TEXT, updated_at BIGINT NOT NULL, expires_at BIGINT);`,
  (p: string) => `
    CREATE INDEX IF NOT EXISTS ${p}idempotency_expiry ON ${p}idempotency (expires_at) WHERE expires_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${p}idempotency_locks ON ${p}idempotency (locked_until) WHERE state = 'running';`,
];

export interface PostgresIdempotencyStore extends TransactionalIdempotencyStore<pg.PoolClient> {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** SQLSTATE of a lock wait that ran past `lock_timeout`. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Idempotency keys in PostgreSQL: a claim is one INSERT ... ON CONFLICT DO UPDATE ... WHERE,
 * atomic per key; every expiry is judged by the server's `clock_timestamp()`.
 * `runInTransaction` hands `fn` the transaction's client: its writes and the record commit together.
 */
export function postgresIdempotencyStore(
  source: PostgresSource,
  options: PostgresStoreOptions = {},
): PostgresIdempotencyStore {
  const handle = openPostgres(source, options, 'idempotency', migrations);
  const { pool, prefix: p } = handle;
  const t = `${p}idempotency`;
  const completeMany = groupCommit(
    async (items: Array<{ key: string; token: string; result: string; ttl: number | null }>) => {
      const { rows } = await pool.query(
        `UPDATE ${t} AS i SET state = 'done', token = NULL, locked_until = NULL, result = u.result,
           updated_at = ${PG_NOW}, expires_at = ${PG_NOW} + u.ttl
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(key, token, result, ttl)
         WHERE i.key = u.key AND i.token = u.token AND i.state = 'running'
         RETURNING u.key, u.token`,
        [
          items.map((i) => i.key),
          items.map((i) => i.token),
          items.map((i) => i.result),
          items.map((i) => i.ttl),
        ],
      );
      const kept = new Set(rows.map((row) => `${row.key}\u0000${row.token}`));
      return items.map((i) => kept.has(`${i.key}\u0000${i.token}`));
    },
  );

  type Claim = { key: string; token: string; lockMs: number };
  // Claims of one batch go in one INSERT ... ON CONFLICT; a key may appear once per statement,
  // so repeats of a key in the same batch are told to try again (they then find the first claim).
  const beginMany = groupCommit(async (items: Claim[]) => {
    const first = new Map<string, Claim>();
    for (const item of items) if (!first.has(item.key)) first.set(item.key, item);
    const unique = [...first.values()];
    const claimed = await pool.query(
      `INSERT INTO ${t} AS i (key, state, token, locked_until, updated_at)
       SELECT key, 'running', token, ${PG_NOW} + lock_ms, ${PG_NOW}
       FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(key, token, lock_ms)
       ON CONFLICT (key) DO UPDATE SET state = 'running', token = EXCLUDED.token,
         locked_until = EXCLUDED.locked_until, result = NULL, error = NULL,
         updated_at = EXCLUDED.updated_at, expires_at = NULL
       WHERE (i.state = 'running' AND i.locked_until <= ${PG_NOW})
          OR (i.expires_at IS NOT NULL AND i.expires_at <= ${PG_NOW})
       RETURNING key, token`,
      [unique.map((i) => i.key), unique.map((i) => i.token), unique.map((i) => i.lockMs)],
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

  /**
   * Inside an open transaction: takes the key (a new row, or one whose lock or result expired) and
   * keeps its row locked until the transaction ends; or returns the record that stands.
   */
  const claimInTransaction = async (
    client: pg.PoolClient,
    key: string,
    token: string,
  ): Promise<IdempotencyRow | undefined> => {
    // A concurrent transaction inserting the same key makes this wait (bounded by lock_timeout).
    const inserted = await client.query(
      `INSERT INTO ${t} (key, state, token, locked_until, updated_at)
       VALUES ($1, 'running', $2, NULL, ${PG_NOW}) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, token],
    );
    if ((inserted.rowCount ?? 0) > 0) return undefined;
    const { rows } = await client.query(`SELECT * FROM ${t} WHERE key = $1 FOR UPDATE`, [key]);
    const row = rows[0] as IdempotencyRow | undefined;
    if (!row) return claimInTransaction(client, key, token); // deleted meanwhile: try again
    const taken = await client.query(
      `UPDATE ${t} SET state = 'running', token = $2, locked_until = NULL, result = NULL, error = NULL,
         updated_at = ${PG_NOW}, expires_at = NULL
       WHERE key = $1 AND ((state = 'running' AND locked_until <= ${PG_NOW})
          OR (expires_at IS NOT NULL AND expires_at <= ${PG_NOW}))`,
      [key, token],
    );
    return (taken.rowCount ?? 0) > 0 ? undefined : row;
  };

  return {
    async begin(key, { token, lockMs }) {
      await handle.ready();
      for (;;) {
        const outcome = await beginMany({ key, token, lockMs });
        if (outcome !== 'retry') return outcome;
      }
    },
    async renew(key, token, { lockMs }) {
      await handle.ready();
      const updated = await pool.query(
        `UPDATE ${t} SET locked_until = ${PG_NOW} + $3, updated_at = ${PG_NOW}
         WHERE key = $1 AND token = $2 AND state = 'running'`,
        [key, token, lockMs],
      );
      return (updated.rowCount ?? 0) > 0;
    },
    async complete(key, token, { result, ttlMs }) {
      await handle.ready();
      return completeMany({ key, token, result, ttl: ttlMs ?? null });
    },
    async fail(key, token, { error, release, ttlMs }) {
      await handle.ready();
      const updated = release
        ? await pool.query(`DELETE FROM ${t} WHERE key = $1 AND token = $2 AND state = 'running'`, [
            key,
            token,
          ])
        : await pool.query(
            `UPDATE ${t} SET state = 'failed', token = NULL, locked_until = NULL, error = $3,
               updated_at = ${PG_NOW}, expires_at = ${PG_NOW} + $4
             WHERE key = $1 AND token = $2 AND state = 'running'`,
            [key, token, error, ttlMs ?? null],
          );
      return (updated.rowCount ?? 0) > 0;
    },
    async transact(key, { token, ttlMs, waitMs, onLost }, fn): Promise<TransactOutcome> {
      await handle.ready();
      const client = await pool.connect();
      const lost = (error: unknown) => onLost(error);
      client.on('error', lost);
      let open = false;
      let broken = false;
      try {
        await client.query('BEGIN');
        open = true;
        // Wait for a transaction that holds the key at most waitMs (0 disables the timeout in
        // PostgreSQL, so a refusal waits 1 ms).
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.ceil(waitMs))}`);
        let standing: IdempotencyRow | undefined;
        try {
          standing = await claimInTransaction(client, key, token);
        } catch (error) {
          if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
          await client.query('ROLLBACK');
          open = false;
          return { ran: false, record: { key, state: 'running', updatedAt: Date.now() } };
        }
        if (standing) {
          await client.query('ROLLBACK');
          open = false;
          return { ran: false, record: toRecord(standing) };
        }
        await client.query('SET LOCAL lock_timeout TO DEFAULT');
        const result = await fn(client);
        await client.query(
          `UPDATE ${t} SET state = 'done', token = NULL, result = $3, updated_at = ${PG_NOW},
             expires_at = ${PG_NOW} + $4
           WHERE key = $1 AND token = $2`,
          [key, token, result, ttlMs ?? null],
        );
        await client.query('COMMIT');
        open = false;
        return { ran: true, result };
      } catch (error) {
        if (open)
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
        throw error;
      } finally {
        client.off('error', lost);
        client.release(broken);
      }
    },
    async get(key) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT * FROM ${t} WHERE key = $1 AND (expires_at IS NULL OR expires_at > ${PG_NOW})`,
        [key],
      );
      return rows[0] ? toRecord(rows[0] as IdempotencyRow) : undefined;
    },
    async delete(key) {
      await handle.ready();
      await pool.query(`DELETE FROM ${t} WHERE key = $1`, [key]);
    },
    async sweep(sweepOptions) {
      await handle.ready();
      const { rowCount } = await pool.query(
        `DELETE FROM ${t} WHERE key IN (
           SELECT key FROM ${t} WHERE (expires_at IS NOT NULL AND expires_at <= ${PG_NOW})
              OR (state = 'running' AND locked_until <= ${PG_NOW})
           LIMIT $1 FOR UPDATE SKIP LOCKED)`,
        [sweepOptions?.limit ?? null],
      );
      return rowCount ?? 0;
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
