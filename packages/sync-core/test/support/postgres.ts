import pg from 'pg';
import { postgresConfig } from './services.js';

export function postgresPool(max = 10): pg.Pool {
  return new pg.Pool({ ...postgresConfig, max });
}

/** Drops every table (and the reserve function) tests created under these prefixes. */
export async function dropPostgresPrefix(pool: pg.Pool, ...prefixes: string[]): Promise<void> {
  if (prefixes.length === 0) return;
  const { rows } = await pool.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS p(v) WHERE left(tablename, char_length(p.v)) = p.v)`,
    [prefixes],
  );
  const functions = await pool.query(
    `SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS p(v) WHERE left(proname, char_length(p.v)) = p.v)`,
    [prefixes],
  );
  for (const { proname } of functions.rows)
    await pool.query(`DROP FUNCTION IF EXISTS "${proname}" CASCADE`);
  if (rows.length > 0) {
    await pool.query(
      `DROP TABLE IF EXISTS ${rows.map((r) => `"${r.tablename}"`).join(', ')} CASCADE`,
    );
  }
}
