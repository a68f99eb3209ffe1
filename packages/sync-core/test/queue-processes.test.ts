// Three processes enqueue a job for each of the same keys at the same moment: each key becomes
// one job, created once, and every process is answered with that job's id.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue, type QueueStore } from '../src/index.js';
import { mysqlQueueStore } from '../src/mysql.js';
import { postgresQueueStore } from '../src/postgres.js';
import { rabbitmqQueueStore } from '../src/rabbitmq.js';
import { redisQueueStore } from '../src/redis.js';
import { sqliteQueueStore } from '../src/sqlite.js';
import { spawnWorker } from './support/child.js';
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
} from './support/services.js';
import type { WorkerConfig } from './workers/worker.js';

const KEYS = Array.from({ length: 150 }, (_, n) => `order-${n}`);
const QUEUE = 'orders';
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type Answer = { key: string; id: string; created: boolean };

/** Runs the race and checks every answer; `store` reads the queue afterwards. */
async function race(config: WorkerConfig, store: Parameters<typeof createQueue>[0]) {
  const workers = [0, 1, 2].map(() => spawnWorker({ ...config, keys: KEYS }));
  for (const worker of workers) await worker.waitFor('armed', 60_000);
  for (const worker of workers) worker.child.send({ type: 'go' });
  const answers: Answer[] = [];
  for (const worker of workers) {
    expect((await worker.exited).code).toBe(0);
    const done = worker.messages.find((m) => m.type === 'done');
    answers.push(...((done?.enqueued ?? []) as Answer[]));
  }
  expect(answers).toHaveLength(3 * KEYS.length);
  for (const key of KEYS) {
    const forKey = answers.filter((a) => a.key === key);
    expect(
      forKey.filter((a) => a.created),
      key,
    ).toHaveLength(1);
    expect(new Set(forKey.map((a) => a.id)).size, key).toBe(1);
  }
  const ready = await createQueue(store, { name: QUEUE }).list({ state: 'ready', limit: 1_000 });
  expect(ready.map((job) => job.key).sort()).toEqual([...KEYS].sort());
}

const base = (prefix: string) => ({
  mode: 'enqueue' as const,
  prefix,
  queue: QUEUE,
  ledger: 'sqlite' as const, // unused by this mode
  concurrency: 8,
  leaseMs: 0,
  lockMs: 0,
  jobMs: 0,
});

const [postgres, mysql, redis, rabbitmq] = await Promise.all([
  serviceAvailable('postgres'),
  serviceAvailable('mysql'),
  serviceAvailable('redis'),
  serviceAvailable('rabbitmq'),
]);

describe('queue: three processes enqueue the same keys at once', () => {
  it('SQLite: each key is one job, created once', async () => {
    const prefix = uniquePrefix('eq');
    const file = join(tmpdir(), `plumbline-${prefix}.db`);
    const store = sqliteQueueStore(file, { prefix });
    cleanups.push(async () => {
      await store.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    });
    await race({ ...base(prefix), backend: 'sqlite', sqliteFile: file }, store);
  }, 120_000);

  it.skipIf(!postgres)(
    'PostgreSQL: each key is one job, created once',
    async () => {
      const prefix = uniquePrefix('eq');
      const pool = postgresPool(2);
      cleanups.push(async () => {
        await dropPostgresPrefix(pool, prefix);
        await pool.end();
      });
      await race(
        { ...base(prefix), backend: 'postgres', postgres: postgresConfig },
        postgresQueueStore(pool, { prefix }),
      );
    },
    120_000,
  );

  it.skipIf(!mysql)(
    'MySQL: each key is one job, created once',
    async () => {
      const prefix = uniquePrefix('eq');
      const pool = mysqlPool(2);
      cleanups.push(async () => {
        await dropMysqlPrefix(pool, prefix);
        await pool.end();
      });
      await race(
        { ...base(prefix), backend: 'mysql', mysql: mysqlConfig },
        mysqlQueueStore(pool, { prefix }),
      );
    },
    120_000,
  );

  it.skipIf(!redis)(
    'Redis: each key is one job, created once',
    async () => {
      const prefix = uniquePrefix('eq');
      const client = redisClient();
      cleanups.push(async () => {
        await deleteRedisPrefix(client, prefix);
        client.disconnect();
      });
      await race(
        { ...base(prefix), backend: 'redis', redis: services.redis },
        redisQueueStore(client, { prefix }),
      );
    },
    120_000,
  );

  it.skipIf(!rabbitmq || !redis)(
    'RabbitMQ (dedupe in Redis): each key is one job, created once',
    async () => {
      const prefix = uniquePrefix('eq');
      const client = redisClient();
      const store = rabbitmqQueueStore(rabbitUrl, { prefix });
      cleanups.push(async () => {
        await store.deleteQueue(QUEUE).catch(() => {});
        await store.close();
        await deleteRedisPrefix(client, prefix);
        client.disconnect();
      });
      await race(
        { ...base(prefix), backend: 'rabbitmq', rabbitUrl, redis: services.redis },
        store as unknown as QueueStore,
      );
    },
    120_000,
  );
});
