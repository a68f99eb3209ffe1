import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaVersionError } from '../src/index.js';
import {
  postgresIdempotencyStore,
  postgresKeyValueStore,
  postgresQueueStore,
  postgresReservationStore,
} from '../src/postgres.js';
import {
  sqliteIdempotencyStore,
  sqliteKeyValueStore,
  sqliteQueueStore,
  sqliteReservationStore,
} from '../src/sqlite.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { serviceAvailable, uniquePrefix } from './support/services.js';

const postgres = await serviceAvailable('postgres');
const pool = postgres ? postgresPool(4) : undefined;
const prefixes: string[] = [];
const file = join(tmpdir(), `plumbline-migrations-${uniquePrefix()}.db`);
afterAll(async () => {
  if (pool) {
    await dropPostgresPrefix(pool, ...prefixes);
    await pool.end();
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
});

describe('schema creation and migrations', () => {
  it('SQLite: every store records its version once, migrate() is idempotent, a newer schema is refused', async () => {
    const db = new Database(file);
    const prefix = uniquePrefix('m');
    const stores = [
      sqliteReservationStore(db, { prefix }),
      sqliteIdempotencyStore(db, { prefix }),
      sqliteQueueStore(db, { prefix }),
      sqliteKeyValueStore(db, { prefix }),
    ];
    for (const store of stores) {
      await store.migrate();
      await store.migrate();
    }
    const rows = db
      .prepare(`SELECT component, version FROM ${prefix}schema_version ORDER BY component`)
      .all();
    expect(rows).toEqual([
      { component: 'idempotency', version: 2 },
      { component: 'kv', version: 1 },
      { component: 'queue', version: 2 },
      { component: 'reservations', version: 2 },
    ]);
    db.prepare(`UPDATE ${prefix}schema_version SET version = 99 WHERE component = 'queue'`).run();
    expect(() => sqliteQueueStore(db, { prefix })).toThrow(SchemaVersionError);
    expect(() => sqliteQueueStore(db, { prefix: 'bad-prefix' })).toThrow(/prefix/);
    db.close();
  });

  it.skipIf(!postgres)(
    'PostgreSQL: concurrent first use migrates once; a newer schema is refused',
    async () => {
      const prefix = uniquePrefix('m');
      prefixes.push(prefix);
      // Ten stores of each kind starting at once, as ten workers would.
      const stores = Array.from({ length: 10 }, () => [
        postgresReservationStore(pool!, { prefix }),
        postgresIdempotencyStore(pool!, { prefix }),
        postgresQueueStore(pool!, { prefix }),
        postgresKeyValueStore(pool!, { prefix }),
      ]).flat();
      await Promise.all(stores.map((store) => store.migrate()));
      const { rows } = await pool!.query(
        `SELECT component, version FROM ${prefix}schema_version ORDER BY component`,
      );
      expect(rows).toEqual([
        { component: 'idempotency', version: 2 },
        { component: 'kv', version: 1 },
        { component: 'queue', version: 2 },
        { component: 'reservations', version: 2 },
      ]);
      await pool!.query(`UPDATE ${prefix}schema_version SET version = 99 WHERE component = 'kv'`);
      const kv = postgresKeyValueStore(pool!, { prefix });
      await expect(kv.get('x')).rejects.toBeInstanceOf(SchemaVersionError);
      await expect(kv.get('x')).rejects.toMatchObject({ code: 'SCHEMA_VERSION' });
    },
  );
});
