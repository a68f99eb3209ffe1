// A worker process for the crash-safety and scale-out tests. Run with `node --import tsx`.
// Config arrives as JSON in PLUMBLINE_WORKER; progress and results go to the parent over IPC.
import { writeFileSync } from 'node:fs';
import { createLimiter } from '@plumbline/client-core';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import {
  createIdempotency,
  createQueue,
  createReservations,
  type QueueStore,
} from '../../src/index.js';
import { mysqlIdempotencyStore, mysqlQueueStore } from '../../src/mysql.js';
import { postgresIdempotencyStore, postgresQueueStore } from '../../src/postgres.js';
import { rabbitmqQueueStore } from '../../src/rabbitmq.js';
import {
  redisIdempotencyStore,
  redisKeyValueStore,
  redisLimiterBackend,
  redisQueueStore,
} from '../../src/redis.js';
import {
  sqliteIdempotencyStore,
  sqliteQueueStore,
  sqliteReservationStore,
} from '../../src/sqlite.js';

export interface WorkerConfig {
  mode: 'queue' | 'limit' | 'reserve' | 'idempotency' | 'enqueue';
  backend: 'sqlite' | 'postgres' | 'mysql' | 'rabbitmq' | 'redis';
  /** Where idempotency records and effects live. */
  ledger: 'sqlite' | 'postgres' | 'mysql' | 'redis';
  prefix: string;
  queue: string;
  concurrency: number;
  leaseMs: number;
  lockMs: number;
  /** Work per job before the effect. */
  jobMs: number;
  /**
   * This job's handler records its effect, announces itself and then hangs before its
   * idempotency record is written (the parent kills the process there).
   */
  hangOn?: string;
  /** A file this worker writes when it hangs (a synchronous SQLite transaction cannot send IPC). */
  hangMarker?: string;
  /**
   * The effect is written through runInTransaction (SQLite / PostgreSQL ledgers): effect and
   * idempotency record commit together. Otherwise through run: at-least-once across a kill.
   */
  transactional?: boolean;
  /**
   * mode 'idempotency': every process runs these keys at once (a same-key race); mode 'enqueue':
   * every process enqueues a job for each of these keys at once.
   */
  keys?: string[];
  sqliteFile?: string;
  postgres?: pg.PoolConfig;
  mysql?: mysql.PoolOptions;
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

/** Blocks this process (event loop included) until it is killed: a hang inside sync code. */
function hangHere(): never {
  if (config.hangMarker) writeFileSync(config.hangMarker, String(process.pid));
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);
  throw new Error('not killed within 600 s');
}

/**
 * The idempotent effect of one key. Transactional: the effect row is written in the transaction
 * that records the key (SQLite synchronously, PostgreSQL on the transaction's client). Otherwise
 * the effect is written, then the record: a kill in between repeats the effect (at-least-once).
 */
async function openEffects() {
  const closers: Array<() => Promise<unknown> | unknown> = [];
  const hangs = (key: string) => key === config.hangOn;
  let runOnce: (key: string, result: number) => Promise<unknown>;
  if (config.ledger === 'sqlite') {
    const db = new Database(config.sqliteFile!);
    db.pragma('busy_timeout = 10000');
    const insert = db.prepare(`INSERT INTO ${config.prefix}effects (job_key, pid) VALUES (?, ?)`);
    const store = sqliteIdempotencyStore(db, { prefix: config.prefix });
    const idem = createIdempotency(store, { lockMs: config.lockMs, pollMs: 25 });
    runOnce = config.transactional
      ? (key, result) =>
          idem.runInTransaction(key, () => {
            insert.run(key, process.pid);
            if (hangs(key)) hangHere();
            return result;
          })
      : (key, result) =>
          idem.run(key, async () => {
            insert.run(key, process.pid);
            if (hangs(key)) await announceAndHang(key);
            return result;
          });
    closers.push(() => db.close());
  } else if (config.ledger === 'postgres') {
    const pool = new pg.Pool({ ...config.postgres, max: Math.min(config.concurrency + 2, 12) });
    const insert = `INSERT INTO ${config.prefix}effects (job_key, pid) VALUES ($1, $2)`;
    const idem = createIdempotency(postgresIdempotencyStore(pool, { prefix: config.prefix }), {
      lockMs: config.lockMs,
      pollMs: 25,
      waitMs: 60_000,
    });
    runOnce = config.transactional
      ? (key, result) =>
          idem.runInTransaction(key, async (tx) => {
            await tx.query(insert, [key, process.pid]);
            if (hangs(key)) await announceAndHang(key);
            return result;
          })
      : (key, result) =>
          idem.run(key, async () => {
            await pool.query(insert, [key, process.pid]);
            if (hangs(key)) await announceAndHang(key);
            return result;
          });
    closers.push(() => pool.end());
  } else if (config.ledger === 'mysql') {
    const pool = mysql.createPool({
      ...config.mysql,
      connectionLimit: Math.min(config.concurrency + 2, 12),
    });
    const insert = `INSERT INTO ${config.prefix}effects (job_key, pid) VALUES (?, ?)`;
    const idem = createIdempotency(mysqlIdempotencyStore(pool, { prefix: config.prefix }), {
      lockMs: config.lockMs,
      pollMs: 25,
      waitMs: 60_000,
    });
    runOnce = config.transactional
      ? (key, result) =>
          idem.runInTransaction(key, async (tx) => {
            await tx.execute(insert, [key, process.pid]);
            if (hangs(key)) await announceAndHang(key);
            return result;
          })
      : (key, result) =>
          idem.run(key, async () => {
            await pool.execute(insert, [key, process.pid]);
            if (hangs(key)) await announceAndHang(key);
            return result;
          });
    closers.push(() => pool.end());
  } else {
    const redis = new Redis(config.redis!);
    const idem = createIdempotency(redisIdempotencyStore(redis, { prefix: config.prefix }), {
      lockMs: config.lockMs,
      pollMs: 25,
      waitMs: 60_000,
    });
    runOnce = (key, result) =>
      idem.run(key, async () => {
        await redis.hincrby(`${config.prefix}effects`, key, 1);
        if (hangs(key)) await announceAndHang(key);
        return result;
      });
    closers.push(() => redis.disconnect());
  }
  return { runOnce, closers };
}

async function announceAndHang(key: string) {
  if (config.hangMarker) writeFileSync(config.hangMarker, String(process.pid));
  send({ type: 'hanging', key });
  await sleep(600_000);
}

/** The backend's queue store (RabbitMQ dedupes keys in Redis when `redis` is given). */
function openQueueStore(): Parameters<typeof createQueue>[0] & { close?(): Promise<void> } {
  if (config.backend === 'sqlite')
    return sqliteQueueStore(config.sqliteFile!, { prefix: config.prefix });
  if (config.backend === 'postgres') {
    return postgresQueueStore(
      { ...config.postgres, max: Math.min(config.concurrency + 2, 12) },
      { prefix: config.prefix },
    );
  }
  if (config.backend === 'mysql') {
    return mysqlQueueStore(
      { ...config.mysql, connectionLimit: Math.min(config.concurrency + 2, 12) },
      { prefix: config.prefix },
    );
  }
  if (config.backend === 'redis') return redisQueueStore(config.redis!, { prefix: config.prefix });
  return rabbitmqQueueStore(config.rabbitUrl!, {
    prefix: config.prefix,
    ...(config.mode === 'enqueue' && config.redis
      ? { dedupe: redisKeyValueStore(config.redis, { prefix: config.prefix }) }
      : {}),
  });
}

async function runQueue() {
  const { runOnce, closers } = await openEffects();
  const store = openQueueStore();
  closers.unshift(() => (store as QueueStore).close?.());

  const queue = createQueue<{ n: number }>(store, { name: config.queue });
  const stop = new AbortController();
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stop') stop.abort();
  });
  let processed = 0;
  const summary = await queue.work(
    async (job) => {
      if (config.jobMs > 0) await sleep(config.jobMs);
      await runOnce(job.key!, job.payload.n);
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
  send({ type: 'done', processed, summary });
  for (const close of closers) await close();
}

/** Every process runs the same keys at the same moment; the ledger shows how often each ran. */
async function runIdempotencyRace() {
  const { runOnce, closers } = await openEffects();
  const go = new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'go') resolve();
    });
  });
  send({ type: 'armed' });
  await go;
  const keys = config.keys ?? [];
  let next = 0;
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        await runOnce(key, keys.indexOf(key));
      }
    }),
  );
  send({ type: 'done', processed: keys.length });
  for (const close of closers) await close();
}

/** Every process enqueues a job for each of the same keys at the same moment. */
async function runEnqueueRace() {
  const store = openQueueStore();
  const queue = createQueue<{ key: string }>(store, { name: config.queue });
  const go = new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'go') resolve();
    });
  });
  send({ type: 'armed' });
  await go;
  const keys = config.keys ?? [];
  const enqueued: Array<{ key: string; id: string; created: boolean }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        enqueued.push({ key, ...(await queue.enqueue({ key }, { key })) });
      }
    }),
  );
  send({ type: 'done', processed: keys.length, enqueued });
  await store.close?.();
}

send({ type: 'ready' });
const modes = {
  enqueue: runEnqueueRace,
  limit: runLimit,
  reserve: runReserve,
  queue: runQueue,
  idempotency: runIdempotencyRace,
};
modes[config.mode]().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
