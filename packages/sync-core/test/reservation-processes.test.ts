import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createReservations, type ReservationStore } from '../src/index.js';
import { mysqlReservationStore } from '../src/mysql.js';
import { postgresReservationStore } from '../src/postgres.js';
import { redisReservationStore } from '../src/redis.js';
import { sqliteReservationStore } from '../src/sqlite.js';
import { spawnScript, spawnWorker } from './support/child.js';
import { dropMysqlPrefix, mysqlPool } from './support/mysql.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { deleteRedisPrefix, redisClient } from './support/redis.js';
import {
  mysqlConfig,
  postgresConfig,
  serviceAvailable,
  services,
  uniquePrefix,
} from './support/services.js';
import type { KeyOutcome, ReservationWorkerConfig } from './workers/reservation-worker.js';

const prefix = uniquePrefix('res');
const file = join(tmpdir(), `plumbline-${prefix}.db`);
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
});
const postgres = await serviceAvailable('postgres');
const redis = await serviceAvailable('redis');
const mysql = await serviceAvailable('mysql');
const reservationWorker = fileURLToPath(
  new URL('./workers/reservation-worker.ts', import.meta.url),
);

describe('SQLite reservations shared by several processes', () => {
  it('500 reserves from 4 processes racing for 100 units: exactly 100 win and confirm', async () => {
    const store = sqliteReservationStore(file, { prefix });
    const reservations = createReservations(store);
    await reservations.setStock('LAST-100', 100);
    const workers = [0, 1, 2, 3].map(() =>
      spawnWorker({
        mode: 'reserve',
        backend: 'sqlite',
        ledger: 'sqlite',
        prefix,
        queue: '',
        concurrency: 1,
        leaseMs: 0,
        lockMs: 0,
        jobMs: 0,
        sqliteFile: file,
        reserve: { sku: 'LAST-100', calls: 125, ttlMs: 60_000 },
      }),
    );
    for (const worker of workers) await worker.waitFor('armed');
    for (const worker of workers) worker.child.send({ type: 'go' });
    const won: string[] = [];
    for (const worker of workers) {
      expect((await worker.exited).code).toBe(0);
      won.push(...((worker.messages.find((m) => m.type === 'done')?.won as string[]) ?? []));
    }
    expect(won).toHaveLength(100);
    expect(new Set(won).size).toBe(100);
    // More than one process got units: the processes really raced for the file.
    expect(new Set(won.map((key) => key.split('-')[0])).size).toBeGreaterThan(1);
    for (const key of won) expect((await reservations.confirm(key)).status).toBe('confirmed');
    expect(await reservations.level('LAST-100')).toEqual({
      sku: 'LAST-100',
      stock: 0,
      held: 0,
      available: 0,
    });
    await store.close();
  }, 30_000);
});

const PROCESSES = 3;
const KEYS = 500;

/**
 * Three processes reserve the same 500 keys, in the same order, at the same moment; each key
 * takes the one unit of its own SKU, so every race is for a last unit. Every process must get
 * the same hold for every key, and exactly one of them creates it.
 */
async function sameKeysRace(
  backend: ReservationWorkerConfig['backend'],
  store: ReservationStore,
  extra: Partial<ReservationWorkerConfig>,
  prefix: string,
) {
  const reservations = createReservations(store);
  const sku = 'LAST';
  const keys = Array.from({ length: KEYS }, (_, i) => `cart-${i}`);
  for (const key of keys) await reservations.setStock(`${sku}:${key}`, 1);
  const workers = Array.from({ length: PROCESSES }, () =>
    spawnScript(reservationWorker, {
      backend,
      prefix,
      sku,
      keys,
      ttlMs: 600_000,
      concurrency: 8,
      ...extra,
    } satisfies ReservationWorkerConfig),
  );
  for (const worker of workers) await worker.waitFor('armed');
  for (const worker of workers) worker.child.send({ type: 'go' });
  const seen = new Map<string, KeyOutcome[]>();
  for (const worker of workers) {
    expect((await worker.exited).code).toBe(0);
    const done = worker.messages.find((m) => m.type === 'done');
    for (const outcome of (done?.outcomes as KeyOutcome[]) ?? []) {
      seen.set(outcome[0], [...(seen.get(outcome[0]) ?? []), outcome]);
    }
  }
  const refused = [...seen.values()]
    .flat()
    .filter(([, id]) => id === null)
    .map(([key]) => key);
  expect(refused).toEqual([]);
  const split = [...seen].filter(
    ([, outcomes]) => new Set(outcomes.map(([, id]) => id)).size !== 1,
  );
  expect(split).toEqual([]);
  const createdTwice = [...seen].filter(
    ([, outcomes]) => outcomes.filter(([, , created]) => created).length !== 1,
  );
  expect(createdTwice).toEqual([]);
  expect(seen.size).toBe(KEYS);
  expect([...seen.values()].every((outcomes) => outcomes.length === PROCESSES)).toBe(true);
  for (const key of keys.slice(0, 20)) {
    expect(await reservations.level(`${sku}:${key}`)).toMatchObject({ stock: 1, held: 1 });
  }
}

describe('the same key reserved from three processes at once gets one hold', () => {
  it('SQLite: 500 keys, every process gets the same hold for each key', async () => {
    const prefix = uniquePrefix('same');
    const store = sqliteReservationStore(file, { prefix });
    cleanups.push(() => store.close());
    await sameKeysRace('sqlite', store, { sqliteFile: file }, prefix);
  }, 60_000);

  it.skipIf(!postgres)(
    'PostgreSQL: 500 keys, every process gets the same hold for each key',
    async () => {
      const prefix = uniquePrefix('same');
      const pool = postgresPool(4);
      cleanups.push(async () => {
        await dropPostgresPrefix(pool, prefix);
        await pool.end();
      });
      await sameKeysRace(
        'postgres',
        postgresReservationStore(pool, { prefix }),
        { postgres: postgresConfig },
        prefix,
      );
    },
    60_000,
  );

  it.skipIf(!mysql)(
    'MySQL/MariaDB: 500 keys, every process gets the same hold for each key',
    async () => {
      const prefix = uniquePrefix('same');
      const pool = mysqlPool(4);
      cleanups.push(async () => {
        await dropMysqlPrefix(pool, prefix);
        await pool.end();
      });
      await sameKeysRace(
        'mysql',
        mysqlReservationStore(pool, { prefix }),
        { mysql: mysqlConfig },
        prefix,
      );
    },
    60_000,
  );

  it.skipIf(!redis)(
    'Redis: 500 keys, every process gets the same hold for each key',
    async () => {
      const prefix = uniquePrefix('same');
      const client = redisClient();
      cleanups.push(async () => {
        await deleteRedisPrefix(client, prefix);
        client.disconnect();
      });
      await sameKeysRace(
        'redis',
        redisReservationStore(client, { prefix }),
        { redis: services.redis },
        prefix,
      );
    },
    60_000,
  );
});
