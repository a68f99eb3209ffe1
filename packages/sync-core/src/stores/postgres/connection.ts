import pg from 'pg';
import { SchemaVersionError, StoreConfigError } from '../errors.js';
import { requirePrefix } from '../input.js';

export interface PostgresStoreOptions {
  /** Prefix of every table this store creates (letters, digits, `_`). Default `plumbline_`. */
  prefix?: string;
}

/** An existing pg.Pool (the store never ends it), or pool options (the store owns and ends the pool). */
export type PostgresSource = pg.Pool | pg.PoolConfig;

export interface PostgresHandle {
  pool: pg.Pool;
  prefix: string;
  /** Resolves once the schema is migrated (runs the migration on first call). */
  ready(): Promise<void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export type Migration = (prefix: string) => string;

export function openPostgres(
  source: PostgresSource,
  options: PostgresStoreOptions,
  component: string,
  migrations: Migration[],
): PostgresHandle {
  const prefix = requirePrefix(options.prefix, 'plumbline_');
  if (!source || typeof source !== 'object') {
    throw new StoreConfigError('pool', 'must be a pg.Pool or pg pool options');
  }
  const owned = !(
    typeof (source as pg.Pool).query === 'function' &&
    typeof (source as pg.Pool).connect === 'function'
  );
  const pool = owned ? new pg.Pool(source as pg.PoolConfig) : (source as pg.Pool);
  // An idle pooled connection that the server or the network drops makes the pool emit 'error';
  // unheard, that would end the process. The pool discards the client and the next query reconnects.
  if (owned) pool.on('error', () => {});
  let migrated: Promise<void> | undefined;
  const migrate = () => migratePostgres(pool, prefix, component, migrations);
  return {
    pool,
    prefix,
    ready() {
      migrated ??= migrate().catch((error) => {
        migrated = undefined;
        throw error;
      });
      return migrated;
    },
    migrate,
    async close() {
      if (owned) await pool.end();
    },
  };
}

/**
 * Brings one component's tables to the newest version under a transaction-scoped advisory lock,
 * so several processes starting at once migrate exactly once. `migrations[i]` moves version i to i + 1.
 */
export async function migratePostgres(
  pool: pg.Pool,
  prefix: string,
  component: string,
  migrations: Migration[],
): Promise<void> {
  const { client, release } = await checkout(pool);
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${prefix}plumbline_schema`]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${prefix}schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at BIGINT NOT NULL)`,
    );
    const { rows } = await client.query(
      `SELECT version FROM ${prefix}schema_version WHERE component = $1`,
      [component],
    );
    const current = rows[0] ? Number(rows[0].version) : 0;
    if (current > migrations.length)
      throw new SchemaVersionError(component, current, migrations.length);
    for (let version = current; version < migrations.length; version++) {
      await client.query(migrations[version]!(prefix));
    }
    if (current < migrations.length) {
      await client.query(
        `INSERT INTO ${prefix}schema_version (component, version, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
        [component, migrations.length, Date.now()],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    release();
  }
}

/**
 * Takes one connection from the pool and listens for its 'error' while it is checked out: pg
 * emits 'error' on a checked-out client whose connection resets, and with no listener that ends
 * the process. The failing query rejects on its own; `release()` then destroys the broken client
 * instead of returning it to the pool.
 */
export async function checkout(
  pool: pg.Pool,
): Promise<{ client: pg.PoolClient; release: () => void }> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  return {
    client,
    release() {
      client.off('error', onError);
      client.release(broken);
    },
  };
}

/** Runs `fn` in a transaction on one pooled connection. */
export async function transaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const { client, release } = await checkout(pool);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    release();
  }
}
