import { afterAll, describe, expect, it } from 'vitest';
import { postgresKeyValueStore } from '../src/postgres.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { serviceAvailable, uniquePrefix } from './support/services.js';

const postgres = await serviceAvailable('postgres');
const pool = postgres ? postgresPool(4) : undefined;
const prefix = uniquePrefix('sweeprace');
afterAll(async () => {
  if (pool) {
    await dropPostgresPrefix(pool, prefix);
    await pool.end();
  }
});

describe.skipIf(!postgres)('PostgreSQL KeyValueStore sweep racing a set', () => {
  it('never deletes an entry that a concurrent set made live again', async () => {
    const kv = postgresKeyValueStore(pool!, { prefix });
    await kv.set('k', 'old', { ttlMs: 1 });
    // Wait until the store sees it expired (bounded; no wall-time assertion).
    for (let i = 0; i < 200 && (await kv.get('k')) !== undefined; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    // Another process sets the key again (live, no TTL) and holds the row lock while sweep runs.
    const other = await pool!.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE ${prefix}kv SET value = 'new', expires_at = NULL WHERE key = 'k'`);
      const sweeping = kv.sweep();
      // Let sweep reach the locked row before the set commits.
      for (let i = 0; i < 200; i++) {
        const { rows } = await pool!.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
          [`DELETE FROM ${prefix}kv%`],
        );
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await other.query('COMMIT');
      expect(await sweeping).toBe(0);
    } finally {
      other.release();
    }
    expect(await kv.get('k')).toBe('new');
  });
});
