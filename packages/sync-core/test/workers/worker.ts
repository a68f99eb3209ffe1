// A worker process for the crash-safety and scale-out tests. Run with `node --import tsx`.
// Config arrives as JSON in PLUMBLINE_WORKER; progress and results go to the parent over IPC.
import { createLimiter } from '@plumbline/client-core';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import {
  createIdempotency,
  createQueue,
  createReservations,
  type IdempotencyStore,
  type QueueStore,
} from '../../src/index.js';
import { postgresIdempotencyStore, postgresQueueStore } from '../../src/postgres.js';
import { rabbitmqQueueStore } from '../../src/rabbitmq.js';
import { redisIdempotencyStore, redisLimiterBackend } from '../../src/redis.js';
import {
  sqliteIdempotencyStore,
  sqliteQueueStore,
  sqliteReservationStore,
} from '../../src/sqlite.js';

export interface WorkerConfig {
  mode: 'queue' | 'limit' | 'reserve';
  backend: 'sqlite' | 'postgres' | 'rabbitmq';
  /** Where idempotency records and effects live. */
  ledger: 'sqlite' | 'postgres' | 'redis';
  prefix: string;
  queue: string;
  concurrency: number;
  leaseMs: number;
  lockMs: number;
  /** Work per job before the effect. */
  jobMs: number;
  /** This job's handler announces itself and then hangs (the parent kills the process there). */
  hangOn?: string;
  sqliteFile?: string;
  postgres?: pg.PoolConfig;
  redis?: { host: string; port: number };
  rabbitUrl?: string;
  limit?: { key: string; maxConcurrent: number; tasks: number; holdMs: number };
  reserve?: { sku: string; calls: number; ttlMs: number };
}

const config = JSON.parse(process.env.PLUMBLINE_WORKER ?? '{}') as WorkerConfig;
const send = (message: Record<string, unknown>) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runLimit() {
  const redis = new Redis(config.redis!);
  const backend = redisLimiterBackend(redis, { prefix: config.prefix });
  const { key, maxConcurrent, tasks, holdMs } = config.limit!;
  const current = `${config.prefix}probe:current`;
  const peak = `${config.prefix}probe:peak`;
  // Records, atomically, how many holders are inside the limit now and the peak of that.
  const enter = `
    local now = redis.call('INCR', KEYS[1])
    if tonumber(redis.call('GET', KEYS[2]) or '0') < now then redis.call('SET', KEYS[2], now) end`;
  // Through client-core's limiter, as an API client would use it: the Redis backend is the only
  // thing the three processes share.
  const limiter = createLimiter({ maxConcurrent, backend, leaseMs: 5_000 });
  const go = new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'go') resolve();
    });
  });
  send({ type: 'armed' });
  await go;
  await Promise.all(
    Array.from({ length: tasks }, () =>
      limiter.run(key, async () => {
        await redis.eval(enter, 2, current, peak);
        await sleep(holdMs);
        await redis.decr(current);
      }),
    ),
  );
  send({ type: 'done', processed: tasks });
  await backend.close();
  redis.disconnect();
}

async function runReserve() {
  const store = sqliteReservationStore(config.sqliteFile!, { prefix: config.prefix });
  const reservations = createReservations(store);
  const { sku, calls, ttlMs } = config.reserve!;
  const won: string[] = [];
  // Wait for the parent's start signal so every process races at the same moment.
  const go = new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'go') resolve();
    });
  });
  send({ type: 'armed' });
  await go;
  await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      // Spread the calls over a few event-loop turns so the processes interleave on the file lock.
      await sleep(i * 2);
      const key = `p${process.pid}-${i}`;
      const result = await reservations.reserve({ sku, qty: 1, key, ttlMs });
      if (result.reserved) won.push(key);
    }),
  );
  send({ type: 'done', processed: calls, won });
  await store.close();
}

async function runQueue() {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  let recordEffect: (key: string) => Promise<void>;
  let idemStore: IdempotencyStore;
  if (config.ledger === 'sqlite') {
    const db = new Database(config.sqliteFile!);
    db.pragma('busy_timeout = 10000');
    const insert = db.prepare(`INSERT INTO ${config.prefix}effects (job_key, pid) VALUES (?, ?)`);
    recordEffect = async (key) => {
      insert.run(key, process.pid);
    };
    idemStore = sqliteIdempotencyStore(db, { prefix: config.prefix });
    closers.push(() => db.close());
  } else if (config.ledger === 'postgres') {
    const pool = new pg.Pool({ ...config.postgres, max: Math.min(config.concurrency + 2, 12) });
    recordEffect = async (key) => {
      await pool.query(`INSERT INTO ${config.prefix}effects (job_key, pid) VALUES ($1, $2)`, [
        key,
        process.pid,
      ]);
    };
    idemStore = postgresIdempotencyStore(pool, { prefix: config.prefix });
    closers.push(() => pool.end());
  } else {
    const redis = new Redis(config.redis!);
    recordEffect = async (key) => {
      await redis.hincrby(`${config.prefix}effects`, key, 1);
    };
    idemStore = redisIdempotencyStore(redis, { prefix: config.prefix });
    closers.push(() => redis.disconnect());
  }

  let store: Parameters<typeof createQueue>[0];
  if (config.backend === 'sqlite')
    store = sqliteQueueStore(config.sqliteFile!, { prefix: config.prefix });
  else if (config.backend === 'postgres') {
    store = postgresQueueStore(
      { ...config.postgres, max: Math.min(config.concurrency + 2, 12) },
      { prefix: config.prefix },
    );
  } else store = rabbitmqQueueStore(config.rabbitUrl!, { prefix: config.prefix });
  closers.unshift(() => (store as QueueStore).close?.());

  const idem = createIdempotency(idemStore, { lockMs: config.lockMs, pollMs: 25 });
  const queue = createQueue<{ n: number }>(store, { name: config.queue });
  const stop = new AbortController();
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stop') stop.abort();
  });
  let processed = 0;
  await queue.work(
    async (job) => {
      await idem.run(job.key!, async () => {
        if (job.key === config.hangOn) {
          send({ type: 'hanging', key: job.key });
          await sleep(600_000);
        }
        if (config.jobMs > 0) await sleep(config.jobMs);
        await recordEffect(job.key!);
        return job.payload.n;
      });
      processed += 1;
    },
    {
      concurrency: config.concurrency,
      leaseMs: config.leaseMs,
      pollMs: 25,
      signal: stop.signal,
      backoff: { baseMs: 50, maxMs: 200 },
    },
  );
  send({ type: 'done', processed });
  for (const close of closers) await close();
}

send({ type: 'ready' });
(config.mode === 'limit' ? runLimit() : config.mode === 'reserve' ? runReserve() : runQueue()).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
