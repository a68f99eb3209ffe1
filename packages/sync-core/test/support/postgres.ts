import pg from 'pg';
import { postgresConfig } from './services.js';

export function postgresPool(max = 10): pg.Pool {
  return new pg.Pool({ ...postgresConfig, max });
}

/** Drops every table a test created under `prefix`. */
export async function dropPostgresPrefix(pool: pg.Pool, prefix: string): Promise<void> {
  const { rows } = await pool.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND left(tablename, char_length($1)) = $1`,
    [prefix],
  );
  if (rows.length > 0) {
    await pool.query(
      `DROP TABLE IF EXISTS ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`,
    );
  }
}
