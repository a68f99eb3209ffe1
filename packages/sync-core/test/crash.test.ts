import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue, type QueueStore } from '../src/index.js';
import { postgresQueueStore } from '../src/postgres.js';
import { rabbitmqQueueStore } from '../src/rabbitmq.js';
import { sqliteQueueStore } from '../src/sqlite.js';
import { spawnWorker } from './support/child.js';
import {
  type Ledger,
  postgresLedger,
  redisLedger,
  sqliteLedger,
  summarise,
} from './support/ledger.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { deleteRedisPrefix, redisClient } from './support/redis.js';
import {
  postgresConfig,
  rabbitUrl,
  serviceAvailable,
  services,
  uniquePrefix,
  until,
} from './support/services.js';
import type { WorkerConfig } from './workers/worker.js';

const JOBS = 120;
const HANG = 'job-40';
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const base = (prefix: string): Omit<WorkerConfig, 'backend' | 'ledger'> => ({
  mode: 'queue',
  prefix,
  queue: 'crash',
  concurrency: 1,
  leaseMs: 600,
  lockMs: 900,
  jobMs: 2,
});

/**
 * Worker A takes jobs one at a time and is SIGKILLed while it is inside job-40's effect (its queue
 * lease and idempotency claim still held). Worker B then drains the queue. Every job must have run
 * its effect exactly once: none lost with A, none repeated by B.
 */
async function crashAndRecover(
  config: WorkerConfig,
  ledger: Ledger,
  pending: () => Promise<number>,
) {
  const a = spawnWorker({ ...config, hangOn: HANG });
  await a.waitFor('hanging');
  a.child.kill('SIGKILL');
  expect((await a.exited).signal).toBe('SIGKILL');
  const before = await ledger.effects();
  expect(before.has(HANG)).toBe(false);
  expect(before.size).toBeGreaterThan(0);
  expect(before.size).toBeLessThan(JOBS);

  const b = spawnWorker({ ...config, concurrency: 4 });
  await until(
    async () => (await ledger.effects()).size === JOBS && (await pending()) === 0,
    30_000,
    100,
  );
  expect((await b.stop()).code).toBe(0);

  const after = summarise(await ledger.effects());
  expect(after).toEqual({ keys: JOBS, total: JOBS, twice: 0 });
  expect(await ledger.done()).toBe(JOBS);
}

const postgres = await serviceAvailable('postgres');
const rabbit = (await serviceAvailable('rabbitmq')) && (await serviceAvailable('redis'));
const jobs = Array.from({ length: JOBS }, (_, n) => ({ payload: { n }, key: `job-${n}` }));

describe.concurrent('crash safety: a worker killed with SIGKILL mid-run loses no job and repeats no effect', () => {
  it('on SQLite', async () => {
    const prefix = uniquePrefix('crash');
    const file = join(tmpdir(), `plumbline-${prefix}.db`);
    cleanups.push(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    });
    const ledger = sqliteLedger(file, prefix);
    const store = sqliteQueueStore(file, { prefix });
    cleanups.push(async () => {
      ledger.close();
      await store.close();
    });
    const queue = createQueue(store, { name: 'crash' });
    await queue.enqueueMany(jobs);
    await crashAndRecover(
      { ...base(prefix), backend: 'sqlite', ledger: 'sqlite', sqliteFile: file },
      ledger,
      async () => {
        const stats = await queue.stats();
        return stats.ready + stats.delayed + (stats.running ?? 0) + stats.dead;
      },
    );
  }, 60_000);

  it.skipIf(!postgres)(
    'on PostgreSQL',
    async () => {
      const prefix = uniquePrefix('crash');
      const pool = postgresPool(4);
      cleanups.push(async () => {
        await dropPostgresPrefix(pool, prefix);
        await pool.end();
      });
      const ledger = await postgresLedger(pool, prefix);
      const store: QueueStore = postgresQueueStore(pool, { prefix });
      const queue = createQueue(store, { name: 'crash' });
      await queue.enqueueMany(jobs);
      await crashAndRecover(
        { ...base(prefix), backend: 'postgres', ledger: 'postgres', postgres: postgresConfig },
        ledger,
        async () => {
          const stats = await queue.stats();
          return stats.ready + stats.delayed + (stats.running ?? 0) + stats.dead;
        },
      );
    },
    60_000,
  );

  it.skipIf(!rabbit)(
    'on RabbitMQ (idempotency and effects in Redis)',
    async () => {
      const prefix = uniquePrefix('crash');
      const redis = redisClient();
      const connection = await amqp.connect(rabbitUrl);
      const store = rabbitmqQueueStore(connection, { prefix });
      cleanups.push(async () => {
        await store.deleteQueue('crash').catch(() => {});
        await store.close();
        await connection.close();
        await deleteRedisPrefix(redis, prefix);
        redis.disconnect();
      });
      const queue = createQueue(store, { name: 'crash' });
      await queue.enqueueMany(jobs);
      const ledger = redisLedger(redis, prefix);
      await crashAndRecover(
        { ...base(prefix), backend: 'rabbitmq', ledger: 'redis', rabbitUrl, redis: services.redis },
        ledger,
        async () => {
          const stats = await queue.stats();
          return stats.ready + stats.delayed + stats.dead;
        },
      );
    },
    60_000,
  );
});
