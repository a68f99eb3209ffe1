// The bench leaves nothing behind: every table, function and key a scenario created under its
// run's prefix is dropped when the scenario ends (also when it fails).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { services } from './services.js';

/** A prefix unique to one scenario run: `plumbline_bench_<8 hex>_`. */
export function benchPrefix(): string {
  return `plumbline_bench_${randomBytes(4).toString('hex')}_`;
}

async function withPool<T>(fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ ...services.postgres, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

const TABLES = `SELECT tablename FROM pg_tables
  WHERE schemaname = current_schema() AND left(tablename, char_length($1)) = $1`;
const FUNCTIONS = `SELECT oid::regprocedure AS signature FROM pg_proc
  WHERE pronamespace = current_schema()::regnamespace AND left(proname, char_length($1)) = $1`;

/** Drops every table and function in the current schema whose name starts with `prefix`. */
export function dropPostgresPrefix(prefix: string): Promise<void> {
  return withPool(async (pool) => {
    const functions = await pool.query(FUNCTIONS, [prefix]);
    for (const { signature } of functions.rows) {
      await pool.query(`DROP FUNCTION IF EXISTS ${signature} CASCADE`);
    }
    const tables = await pool.query(TABLES, [prefix]);
    if (tables.rows.length > 0) {
      const names = tables.rows.map((r) => `"${r.tablename}"`).join(', ');
      await pool.query(`DROP TABLE IF EXISTS ${names} CASCADE`);
    }
  });
}

/** Every Redis key that starts with `prefix`, deleted when `remove` is set; returns how many. */
async function scanRedisPrefix(prefix: string, remove: boolean): Promise<number> {
  const redis = new Redis({ ...services.redis, lazyConnect: true, maxRetriesPerRequest: 1 });
  let found = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      found += keys.length;
      if (remove && keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return found;
}

/** Deletes every Redis key that starts with `prefix`. */
export async function deleteRedisPrefix(prefix: string): Promise<void> {
  await scanRedisPrefix(prefix, true);
}

/** What is left under `prefix` (tables, functions, keys): scenarios report it, and it must be 0. */
export async function leftovers(
  prefix: string,
  where: { postgres: boolean; redis: boolean },
): Promise<number> {
  let left = 0;
  if (where.postgres) {
    left += await withPool(
      async (pool) =>
        (await pool.query(TABLES, [prefix])).rows.length +
        (await pool.query(FUNCTIONS, [prefix])).rows.length,
    );
  }
  if (where.redis) left += await scanRedisPrefix(prefix, false);
  return left;
}
