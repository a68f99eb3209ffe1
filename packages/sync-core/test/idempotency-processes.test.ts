// Three processes race for the same keys at the same moment: every effect lands exactly once.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnWorker } from './support/child.js';
import {
  type Ledger,
  mysqlLedger,
  postgresLedger,
  redisLedger,
  sqliteLedger,
  summarise,
} from './support/ledger.js';
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
import type { WorkerConfig } from './workers/worker.js';

const postgres = await serviceAvailable('postgres');
const redis = await serviceAvailable('redis');
const mysql = await serviceAvailable('mysql');
const KEYS = Array.from({ length: 150 }, (_, n) => `order-${n}`);
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function race(config: WorkerConfig, ledger: Ledger) {
  const workers = [0, 1, 2].map(() => spawnWorker({ ...config, keys: KEYS }));
  for (const worker of workers) await worker.waitFor('armed', 60_000);
  for (const worker of workers) worker.child.send({ type: 'go' });
  for (const worker of workers) expect((await worker.exited).code).toBe(0);
  expect(summarise(await ledger.effects())).toEqual({
    keys: KEYS.length,
    total: KEYS.length,
    twice: 0,
  });
  expect(await ledger.done()).toBe(KEYS.length);
}

const base = (prefix: string) => ({
  mode: 'idempotency' as const,
  prefix,
  queue: '',
  concurrency: 8,
  leaseMs: 0,
  lockMs: 5_000,
  jobMs: 0,
});

describe('idempotency: three processes, the same keys at once', () => {
  it('SQLite, runInTransaction: each effect exactly once', async () => {
    const prefix = uniquePrefix('race');
    const file = join(tmpdir(), `plumbline-${prefix}.db`);
    const ledger = sqliteLedger(file, prefix);
    cleanups.push(() => {
      ledger.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    });
    await race(
      {
        ...base(prefix),
        backend: 'sqlite',
        ledger: 'sqlite',
        sqliteFile: file,
        transactional: true,
      },
      ledger,
    );
  }, 120_000);

  it.skipIf(!postgres)(
    'PostgreSQL, runInTransaction: each effect exactly once',
    async () => {
      const prefix = uniquePrefix('race');
      const pool = postgresPool(2);
      cleanups.push(async () => {
        await dropPostgresPrefix(pool, prefix);
        await pool.end();
      });
      await race(
        {
          ...base(prefix),
          backend: 'postgres',
          ledger: 'postgres',
          postgres: postgresConfig,
          transactional: true,
        },
        await postgresLedger(pool, prefix),
      );
    },
    120_000,
  );

  it.skipIf(!mysql)(
    'MySQL/MariaDB, runInTransaction: each effect exactly once',
    async () => {
      const prefix = uniquePrefix('race');
      const pool = mysqlPool(2);
      cleanups.push(async () => {
        await dropMysqlPrefix(pool, prefix);
        await pool.end();
      });
      await race(
        {
          ...base(prefix),
          backend: 'mysql',
          ledger: 'mysql',
          mysql: mysqlConfig,
          transactional: true,
        },
        await mysqlLedger(pool, prefix),
      );
    },
    120_000,
  );

  it.skipIf(!redis)(
    'Redis, run (no crash): each effect exactly once',
    async () => {
      const prefix = uniquePrefix('race');
      const client = redisClient();
      cleanups.push(async () => {
        await deleteRedisPrefix(client, prefix);
        client.disconnect();
      });
      await race(
        { ...base(prefix), backend: 'redis', ledger: 'redis', redis: services.redis },
        redisLedger(client, prefix),
      );
    },
    120_000,
  );
});
