import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue } from '../src/index.js';
import { mysqlQueueStore } from '../src/mysql.js';
import { postgresQueueStore } from '../src/postgres.js';
import { rabbitmqQueueStore } from '../src/rabbitmq.js';
import { redisQueueStore } from '../src/redis.js';
import { spawnWorker } from './support/child.js';
import {
  type Ledger,
  mysqlLedger,
  postgresLedger,
  redisLedger,
  summarise,
} from './support/ledger.js';
import { dropMysqlPrefix, mysqlPool } from './support/mysql.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { deleteRedisPrefix, redisClient } from './support/redis.js';
import {
  mysqlConfig,
  postgresConfig,
  rabbitUrl,
  serviceAvailable,
  services,
  uniquePrefix,
  until,
} from './support/services.js';
import type { WorkerConfig } from './workers/worker.js';

const JOBS = 10_000;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const postgres = await serviceAvailable('postgres');
const redis = await serviceAvailable('redis');
const mysql = await serviceAvailable('mysql');
const rabbit = (await serviceAvailable('rabbitmq')) && redis;
const jobs = Array.from({ length: JOBS }, (_, n) => ({ payload: { n }, key: `order-${n}` }));

/** Three worker processes drain one shared queue; every effect must land exactly once. */
async function threeWorkers(config: WorkerConfig, ledger: Ledger, count = JOBS) {
  const workers = [0, 1, 2].map(() => spawnWorker(config));
  await until(async () => (await ledger.effects()).size === count, 110_000, 250);
  const processed = [];
  for (const worker of workers) {
    expect((await worker.stop()).code).toBe(0);
    processed.push(Number(worker.messages.find((m) => m.type === 'done')?.processed));
  }
  expect(summarise(await ledger.effects())).toEqual({ keys: count, total: count, twice: 0 });
  expect(await ledger.done()).toBe(count);
  // Every process took a share of the work.
  expect(processed.every((n) => n > 0)).toBe(true);
  expect(processed.reduce((a, b) => a + b, 0)).toBe(count);
}

describe('scale-out: three worker processes share one queue', () => {
  it.skipIf(!postgres)(
    'PostgreSQL queue: 10,000 jobs, every effect exactly once',
    async () => {
      const prefix = uniquePrefix('scale');
      const pool = postgresPool(4);
      cleanups.push(async () => {
        await dropPostgresPrefix(pool, prefix);
        await pool.end();
      });
      const ledger = await postgresLedger(pool, prefix);
      const queue = createQueue(postgresQueueStore(pool, { prefix }), { name: 'orders' });
      await queue.enqueueMany(jobs);
      await threeWorkers(
        {
          mode: 'queue',
          backend: 'postgres',
          ledger: 'postgres',
          prefix,
          queue: 'orders',
          concurrency: 48,
          leaseMs: 30_000,
          lockMs: 30_000,
          jobMs: 0,
          postgres: postgresConfig,
        },
        ledger,
      );
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, running: 0, dead: 0, done: 0 });
    },
    90_000,
  );

  it.skipIf(!mysql)(
    'MySQL/MariaDB queue: 10,000 jobs, every effect exactly once',
    async () => {
      const prefix = uniquePrefix('scale');
      const pool = mysqlPool(4);
      cleanups.push(async () => {
        await dropMysqlPrefix(pool, prefix);
        await pool.end();
      });
      const ledger = await mysqlLedger(pool, prefix);
      const queue = createQueue(mysqlQueueStore(pool, { prefix }), { name: 'orders' });
      await queue.enqueueMany(jobs);
      await threeWorkers(
        {
          mode: 'queue',
          backend: 'mysql',
          ledger: 'mysql',
          prefix,
          queue: 'orders',
          concurrency: 48,
          leaseMs: 30_000,
          lockMs: 30_000,
          jobMs: 0,
          mysql: mysqlConfig,
        },
        ledger,
      );
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, running: 0, dead: 0, done: 0 });
    },
    90_000,
  );

  it.skipIf(!rabbit)(
    'RabbitMQ queue: 10,000 jobs, every effect exactly once (ledger in Redis)',
    async () => {
      const prefix = uniquePrefix('scale');
      const client = redisClient();
      const connection = await amqp.connect(rabbitUrl);
      const store = rabbitmqQueueStore(connection, { prefix });
      cleanups.push(async () => {
        await store.deleteQueue('orders').catch(() => {});
        await store.close();
        await connection.close();
        await deleteRedisPrefix(client, prefix);
        client.disconnect();
      });
      const queue = createQueue(store, { name: 'orders' });
      await queue.enqueueMany(jobs);
      await threeWorkers(
        {
          mode: 'queue',
          backend: 'rabbitmq',
          ledger: 'redis',
          prefix,
          queue: 'orders',
          concurrency: 32,
          leaseMs: 30_000,
          lockMs: 30_000,
          jobMs: 0,
          rabbitUrl,
          redis: services.redis,
        },
        redisLedger(client, prefix),
      );
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, dead: 0 });
    },
    90_000,
  );
});

describe('scale-out: three worker processes share one Redis queue', () => {
  it.skipIf(!redis)(
    'Redis queue: 3,000 jobs, every effect exactly once',
    async () => {
      const prefix = uniquePrefix('scale');
      const client = redisClient();
      cleanups.push(async () => {
        await deleteRedisPrefix(client, prefix);
        client.disconnect();
      });
      const queue = createQueue(redisQueueStore(client, { prefix }), { name: 'orders' });
      await queue.enqueueMany(jobs.slice(0, 3_000));
      await threeWorkers(
        {
          mode: 'queue',
          backend: 'redis',
          ledger: 'redis',
          prefix,
          queue: 'orders',
          concurrency: 16,
          leaseMs: 30_000,
          lockMs: 30_000,
          jobMs: 0,
          redis: services.redis,
        },
        redisLedger(client, prefix),
        3_000,
      );
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, running: 0, dead: 0, done: 0 });
    },
    150_000,
  );
});

describe('scale-out: a Redis-backed concurrency limit shared by three processes', () => {
  it.skipIf(!redis)(
    'never lets more than 5 holders in at once',
    async () => {
      const prefix = uniquePrefix('limit');
      const client = redisClient();
      cleanups.push(async () => {
        await deleteRedisPrefix(client, prefix);
        client.disconnect();
      });
      const workers = [0, 1, 2].map(() =>
        spawnWorker({
          mode: 'limit',
          backend: 'postgres',
          ledger: 'redis',
          prefix,
          queue: '',
          concurrency: 1,
          leaseMs: 0,
          lockMs: 0,
          jobMs: 0,
          redis: services.redis,
          limit: { key: 'netsuite:account-1', maxConcurrent: 5, tasks: 30, holdMs: 20 },
        }),
      );
      // Start together: with a limit kept per process instead of shared, the three processes'
      // 90 tasks would then overlap and the peak would go past 5 (up to 15).
      for (const worker of workers) await worker.waitFor('armed');
      for (const worker of workers) worker.child.send({ type: 'go' });
      for (const worker of workers) {
        expect((await worker.exited).code).toBe(0);
        expect(worker.messages.find((m) => m.type === 'done')?.processed).toBe(30);
      }
      expect(Number(await client.get(`${prefix}probe:peak`))).toBe(5);
      expect(Number(await client.get(`${prefix}probe:current`))).toBe(0);
    },
    60_000,
  );
});
