// A reservation worker process for the cross-process tests. Run with `node --import tsx`.
// Config arrives as JSON in PLUMBLINE_WORKER; it waits for the parent's "go", reserves every key
// of its list against the shared store, and reports each key's outcome over IPC.
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createReservations, type ReservationStore } from '../../src/index.js';
import { mysqlReservationStore } from '../../src/mysql.js';
import { postgresReservationStore } from '../../src/postgres.js';
import { redisReservationStore } from '../../src/redis.js';
import { sqliteReservationStore } from '../../src/sqlite.js';

export interface ReservationWorkerConfig {
  backend: 'sqlite' | 'postgres' | 'mysql' | 'redis';
  prefix: string;
  sqliteFile?: string;
  postgres?: pg.PoolConfig;
  mysql?: mysql.PoolOptions;
  redis?: { host: string; port: number };
  /** Each key reserves one unit of its own SKU, `<sku>:<key>`, whose stock is 1: the last unit. */
  sku: string;
  /** The keys this process reserves, one unit each; other processes get the same list. */
  keys: string[];
  ttlMs: number;
  /** Reserves in flight at once in this process. */
  concurrency: number;
}

/** What one process saw for one key: the hold's id, or null when it was refused. */
export type KeyOutcome = [key: string, holdId: string | null, created: boolean];

const config = JSON.parse(process.env.PLUMBLINE_WORKER ?? '{}') as ReservationWorkerConfig;
const send = (message: Record<string, unknown>) => process.send?.(message);

function openStore(): { store: ReservationStore; close(): Promise<void> } {
  if (config.backend === 'sqlite') {
    const store = sqliteReservationStore(config.sqliteFile!, { prefix: config.prefix });
    return { store, close: () => store.close() };
  }
  if (config.backend === 'postgres') {
    const pool = new pg.Pool({ ...config.postgres, max: config.concurrency });
    const store = postgresReservationStore(pool, { prefix: config.prefix });
    return { store, close: () => pool.end() };
  }
  if (config.backend === 'mysql') {
    const pool = mysql.createPool({ ...config.mysql, connectionLimit: config.concurrency });
    const store = mysqlReservationStore(pool, { prefix: config.prefix });
    return { store, close: () => pool.end() };
  }
  const redis = new Redis(config.redis!);
  const store = redisReservationStore(redis, { prefix: config.prefix });
  return {
    store,
    close: async () => {
      redis.disconnect();
    },
  };
}

async function main() {
  const { store, close } = openStore();
  const reservations = createReservations(store);
  // Touch the store once so schema creation is not part of the race.
  await reservations.available(`${config.sku}:${config.keys[0]}`);
  const go = new Promise<void>((resolve) => {
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'go') resolve();
    });
  });
  send({ type: 'armed' });
  await go;
  const outcomes: KeyOutcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < config.keys.length) {
      const key = config.keys[next++]!;
      const result = await reservations.reserve({
        sku: `${config.sku}:${key}`,
        qty: 1,
        key,
        ttlMs: config.ttlMs,
      });
      outcomes.push(result.reserved ? [key, result.hold.id, result.created] : [key, null, false]);
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, lane));
  send({ type: 'done', outcomes });
  await close();
}

send({ type: 'ready' });
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
