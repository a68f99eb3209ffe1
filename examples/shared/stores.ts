/**
 * The durable state of an example: key-value (cursors, hashes, echo fingerprints, conflict log),
 * reservations, idempotency keys and the job queue, all from one backend.
 *
 * - `memory`: nothing survives the process (tests, iPaaS steps).
 * - `sqlite` (default for the CLIs): one file per program under the state directory
 *   (`./.plumbline/` by default), so a second run resumes where the first stopped.
 * - `postgres`: tables prefixed `plumbline_<name>_` in the database of `PLUMBLINE_PG_URL`
 *   (default `postgres://postgres@127.0.0.1:5432/test`).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  type IdempotencyStore,
  type KeyValueStore,
  memoryIdempotencyStore,
  memoryKeyValueStore,
  memoryQueueStore,
  memoryReservationStore,
  type QueueStore,
  type ReservationStore,
} from '@plumbline/sync-core';
import {
  postgresIdempotencyStore,
  postgresKeyValueStore,
  postgresQueueStore,
  postgresReservationStore,
} from '@plumbline/sync-core/postgres';
import {
  sqliteIdempotencyStore,
  sqliteKeyValueStore,
  sqliteQueueStore,
  sqliteReservationStore,
} from '@plumbline/sync-core/sqlite';

export type StoreKind = 'memory' | 'sqlite' | 'postgres';

export const STORE_KINDS: readonly StoreKind[] = ['memory', 'sqlite', 'postgres'];

/** The PostgreSQL the `postgres` kind connects to: `PLUMBLINE_PG_URL`, else the local `test` database. */
export function postgresUrl(env: Record<string, string | undefined> = process.env): string {
  return env.PLUMBLINE_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export interface StoreOptions {
  kind: StoreKind;
  /** Directory for SQLite files; default `./.plumbline`. */
  stateDir?: string;
  /** Names the file (`<name>.db`) so every program keeps its own state. */
  name: string;
  /**
   * Start from empty state (SQLite: the file is removed first). Used with the emulators, which
   * start empty every time: state recorded against the previous run's emulators would describe
   * systems that are gone.
   */
  fresh?: boolean;
}

export interface Stores {
  kind: StoreKind;
  /** Where the state lives, for the start-up banner. */
  location: string;
  kv: KeyValueStore;
  reservations: ReservationStore;
  idempotency: IdempotencyStore;
  queue: QueueStore;
  close(): Promise<void>;
}

export class StoreOptionError extends Error {
  readonly code = 'STORE_OPTION';
  constructor(message: string) {
    super(message);
    this.name = 'StoreOptionError';
  }
}

export function parseStoreKind(value: string | undefined): StoreKind {
  if (value === undefined) return 'sqlite';
  if ((STORE_KINDS as readonly string[]).includes(value)) return value as StoreKind;
  throw new StoreOptionError(
    `--store must be one of ${STORE_KINDS.join(', ')}, got ${JSON.stringify(value)}`,
  );
}

export async function openStores(options: StoreOptions): Promise<Stores> {
  if (options.kind === 'memory') {
    return {
      kind: 'memory',
      location: 'memory (nothing is kept after exit)',
      kv: memoryKeyValueStore(),
      reservations: memoryReservationStore(),
      idempotency: memoryIdempotencyStore(),
      queue: memoryQueueStore(),
      async close() {},
    };
  }
  if (options.kind === 'sqlite') {
    const dir = options.stateDir ?? join(process.cwd(), '.plumbline');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${options.name}.db`);
    if (options.fresh) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    }
    const kv = sqliteKeyValueStore(file);
    const reservations = sqliteReservationStore(file);
    const idempotency = sqliteIdempotencyStore(file);
    const queue = sqliteQueueStore(file);
    return {
      kind: 'sqlite',
      location: file,
      kv,
      reservations,
      idempotency,
      queue,
      async close() {
        await Promise.all([kv.close(), reservations.close(), idempotency.close(), queue.close()]);
      },
    };
  }
  if (options.kind === 'postgres') {
    const url = postgresUrl();
    const prefix = postgresPrefix(options.name);
    const config = { connectionString: url, max: 4 };
    if (options.fresh) await truncatePrefixed(url, prefix);
    const kv = postgresKeyValueStore(config, { prefix });
    try {
      await kv.get('plumbline/ping');
    } catch (error) {
      await kv.close();
      throw new StoreOptionError(
        `--store postgres could not reach ${redactUrl(url)}: ${(error as Error).message}; set PLUMBLINE_PG_URL`,
      );
    }
    const reservations = postgresReservationStore(config, { prefix });
    const idempotency = postgresIdempotencyStore(config, { prefix });
    const queue = postgresQueueStore(config, { prefix });
    return {
      kind: 'postgres',
      location: `${redactUrl(url)} (tables ${prefix}*)`,
      kv,
      reservations,
      idempotency,
      queue,
      async close() {
        await Promise.all([kv.close(), reservations.close(), idempotency.close(), queue.close()]);
      },
    };
  }
  throw new StoreOptionError(`unknown store kind ${JSON.stringify(options.kind)}`);
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured PostgreSQL URL';
  }
}

/** Drops every table of `name`'s state in PostgreSQL (tests that used a unique name). */
export async function dropPostgresState(name: string): Promise<void> {
  await truncatePrefixed(postgresUrl(), postgresPrefix(name), 'DROP TABLE');
}

function postgresPrefix(name: string): string {
  return `plumbline_${name.replace(/[^A-Za-z0-9]/g, '_')}_`;
}

/** Empties (or drops) this program's tables (those named `<prefix>…`). */
async function truncatePrefixed(
  url: string,
  prefix: string,
  statement: 'TRUNCATE' | 'DROP TABLE' = 'TRUNCATE',
): Promise<void> {
  // pg is a dependency of the stores; its types are not installed here, hence the plain require.
  const pg = createRequire(import.meta.url)('pg') as {
    Client: new (config: {
      connectionString: string;
    }) => {
      connect(): Promise<void>;
      query(text: string, values?: unknown[]): Promise<{ rows: { tablename: string }[] }>;
      end(): Promise<void>;
    };
  };
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1${statement === 'TRUNCATE' ? " AND tablename NOT LIKE '%schema_version'" : ''}`,
      [`${prefix.replace(/_/g, '\\_')}%`],
    );
    if (rows.length > 0) {
      await client.query(`${statement} ${rows.map((r) => `"${r.tablename}"`).join(', ')}`);
    }
  } catch (error) {
    throw new StoreOptionError(
      `--store postgres could not reach ${redactUrl(url)}: ${(error as Error).message}; set PLUMBLINE_PG_URL`,
    );
  } finally {
    await client.end().catch(() => {});
  }
}
