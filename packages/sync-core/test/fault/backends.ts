// Opens one store kind's queue, idempotency and reservation stores, and the two effect sinks the
// fault suite watches. Workers open the stores through the fault proxy and the sinks directly (a
// sink stands for the remote system the effect lands in, not for the store under test).
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type {
  BrokerQueueStore,
  IdempotencyStore,
  KeyValueStore,
  QueueStore,
  ReservationStore,
} from '../../src/index.js';
import {
  mysqlIdempotencyStore,
  mysqlKeyValueStore,
  mysqlQueueStore,
  mysqlReservationStore,
} from '../../src/mysql.js';
import {
  postgresIdempotencyStore,
  postgresKeyValueStore,
  postgresQueueStore,
  postgresReservationStore,
} from '../../src/postgres.js';
import { rabbitmqQueueStore } from '../../src/rabbitmq.js';
import {
  redisIdempotencyStore,
  redisKeyValueStore,
  redisQueueStore,
  redisReservationStore,
} from '../../src/redis.js';
import {
  sqliteIdempotencyStore,
  sqliteKeyValueStore,
  sqliteQueueStore,
  sqliteReservationStore,
} from '../../src/sqlite.js';
import type { StoreKind } from './schedule.js';

export interface Endpoints {
  sqliteFile?: string;
  postgres?: pg.PoolConfig;
  mysql?: mysql.PoolOptions;
  redis?: { host: string; port: number };
  rabbitUrl?: string;
}

export interface Backends {
  queue: QueueStore | BrokerQueueStore;
  idem: IdempotencyStore;
  /** RabbitMQ is only a queue: no reservations there. */
  reservations?: ReservationStore;
  /** The sync runner's checkpoints and dead-letter list (RabbitMQ: in Redis). */
  kv: KeyValueStore;
  close(): Promise<void>;
}

export type ProcessStore = Exclude<StoreKind, 'memory'>;

function redisConnection(endpoint: { host: string; port: number }): Redis {
  const redis = new Redis({ ...endpoint, maxRetriesPerRequest: 3, connectTimeout: 2_000 });
  redis.on('error', () => {}); // dropped connections are the point; commands report them
  return redis;
}

function postgresPool(config: pg.PoolConfig, max: number): pg.Pool {
  const pool = new pg.Pool({ ...config, max, connectionTimeoutMillis: 2_000 });
  pool.on('error', () => {}); // an idle client whose connection was cut
  return pool;
}

function mysqlPool(config: mysql.PoolOptions, max: number): mysql.Pool {
  const pool = mysql.createPool({ ...config, connectionLimit: max, connectTimeout: 2_000 });
  // A connection whose socket was cut: the statement on it rejects; the pool drops it.
  pool.pool.on('connection', (connection) => connection.on('error', () => {}));
  return pool;
}

export function openBackends(store: ProcessStore, at: Endpoints, prefix: string): Backends {
  if (store === 'sqlite') {
    const file = at.sqliteFile!;
    const queue = sqliteQueueStore(file, { prefix });
    const idem = sqliteIdempotencyStore(file, { prefix });
    const reservations = sqliteReservationStore(file, { prefix });
    const kv = sqliteKeyValueStore(file, { prefix });
    return {
      queue,
      idem,
      reservations,
      kv,
      async close() {
        await queue.close?.();
        await idem.close?.();
        await reservations.close?.();
        await kv.close();
      },
    };
  }
  if (store === 'postgres') {
    const pool = postgresPool(at.postgres!, 8);
    return {
      queue: postgresQueueStore(pool, { prefix }),
      idem: postgresIdempotencyStore(pool, { prefix }),
      reservations: postgresReservationStore(pool, { prefix }),
      kv: postgresKeyValueStore(pool, { prefix }),
      close: () => pool.end(),
    };
  }
  if (store === 'mysql') {
    const pool = mysqlPool(at.mysql!, 8);
    return {
      queue: mysqlQueueStore(pool, { prefix }),
      idem: mysqlIdempotencyStore(pool, { prefix }),
      reservations: mysqlReservationStore(pool, { prefix }),
      kv: mysqlKeyValueStore(pool, { prefix }),
      close: () => pool.end(),
    };
  }
  const redis = redisConnection(at.redis!);
  const idem = redisIdempotencyStore(redis, { prefix });
  const kv = redisKeyValueStore(redis, { prefix });
  if (store === 'redis') {
    return {
      queue: redisQueueStore(redis, { prefix }),
      idem,
      reservations: redisReservationStore(redis, { prefix }),
      kv,
      async close() {
        redis.disconnect();
      },
    };
  }
  const queue = rabbitmqQueueStore(at.rabbitUrl!, { prefix, dedupe: kv });
  return {
    queue,
    idem,
    kv,
    async close() {
      await queue.close();
      redis.disconnect();
    },
  };
}

/** Where effects land. `once` is an idempotent sink (an upsert by key, like an external-id write); `log` is not (one entry per execution). */
export interface SinkWriter {
  once(key: string, value: number): Promise<void>;
  log(key: string, pid: number): Promise<void>;
  close(): Promise<void>;
}

export interface SinkContents {
  /** key -> value of the idempotent sink. */
  once: Map<string, number>;
  /** One entry per execution of an effect, with the process that ran it. */
  log: Array<{ key: string; pid: number }>;
}

export interface SinkReader {
  read(): Promise<SinkContents>;
  close(): Promise<void>;
}

/** The store that holds a kind's sinks (RabbitMQ's live in Redis). */
export function sinkHome(store: ProcessStore): 'sqlite' | 'postgres' | 'mysql' | 'redis' {
  return store === 'rabbitmq' ? 'redis' : store;
}

export async function createSinks(store: ProcessStore, at: Endpoints, prefix: string) {
  const home = sinkHome(store);
  if (home === 'sqlite') {
    const db = new Database(at.sqliteFile!);
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS ${prefix}sink_once (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS ${prefix}sink_log (id INTEGER PRIMARY KEY, key TEXT NOT NULL, pid INTEGER NOT NULL);`);
    db.close();
  } else if (home === 'postgres') {
    const pool = postgresPool(at.postgres!, 1);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${prefix}sink_once (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                      CREATE TABLE IF NOT EXISTS ${prefix}sink_log (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, pid INTEGER NOT NULL);`);
    await pool.end();
  } else if (home === 'mysql') {
    const pool = mysqlPool(at.mysql!, 1);
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${prefix}sink_once (k VARCHAR(191) PRIMARY KEY, value INT NOT NULL) ENGINE=InnoDB`,
    );
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${prefix}sink_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(191) NOT NULL, pid INT NOT NULL) ENGINE=InnoDB`,
    );
    await pool.end();
  }
}

export function openSinkWriter(store: ProcessStore, at: Endpoints, prefix: string): SinkWriter {
  const home = sinkHome(store);
  if (home === 'sqlite') {
    const db = new Database(at.sqliteFile!);
    db.pragma('busy_timeout = 10000');
    const once = db.prepare(
      `INSERT INTO ${prefix}sink_once (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    );
    const log = db.prepare(`INSERT INTO ${prefix}sink_log (key, pid) VALUES (?, ?)`);
    return {
      async once(key, value) {
        once.run(key, value);
      },
      async log(key, pid) {
        log.run(key, pid);
      },
      async close() {
        db.close();
      },
    };
  }
  if (home === 'postgres') {
    const pool = postgresPool(at.postgres!, 4);
    return {
      async once(key, value) {
        await pool.query(
          `INSERT INTO ${prefix}sink_once (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
          [key, value],
        );
      },
      async log(key, pid) {
        await pool.query(`INSERT INTO ${prefix}sink_log (key, pid) VALUES ($1, $2)`, [key, pid]);
      },
      close: () => pool.end(),
    };
  }
  if (home === 'mysql') {
    const pool = mysqlPool(at.mysql!, 4);
    return {
      async once(key, value) {
        await pool.execute(
          `INSERT INTO ${prefix}sink_once (k, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE value = ?`,
          [key, value, value],
        );
      },
      async log(key, pid) {
        await pool.execute(`INSERT INTO ${prefix}sink_log (k, pid) VALUES (?, ?)`, [key, pid]);
      },
      close: () => pool.end(),
    };
  }
  const redis = redisConnection(at.redis!);
  return {
    async once(key, value) {
      await redis.hset(`${prefix}sink:once`, key, value);
    },
    async log(key, pid) {
      await redis.rpush(`${prefix}sink:log`, `${pid}|${key}`);
    },
    async close() {
      redis.disconnect();
    },
  };
}

export function openSinkReader(store: ProcessStore, at: Endpoints, prefix: string): SinkReader {
  const home = sinkHome(store);
  const contents = (
    once: Array<{ key: string; value: number | string }>,
    log: Array<{ key: string; pid: number | string }>,
  ): SinkContents => ({
    once: new Map(once.map((row) => [row.key, Number(row.value)])),
    log: log.map((row) => ({ key: row.key, pid: Number(row.pid) })),
  });
  if (home === 'sqlite') {
    const db = new Database(at.sqliteFile!);
    db.pragma('busy_timeout = 10000');
    return {
      async read() {
        return contents(
          db.prepare(`SELECT key, value FROM ${prefix}sink_once`).all() as never,
          db.prepare(`SELECT key, pid FROM ${prefix}sink_log ORDER BY id`).all() as never,
        );
      },
      async close() {
        db.close();
      },
    };
  }
  if (home === 'postgres') {
    const pool = postgresPool(at.postgres!, 2);
    return {
      async read() {
        const once = await pool.query(`SELECT key, value FROM ${prefix}sink_once`);
        const log = await pool.query(`SELECT key, pid FROM ${prefix}sink_log ORDER BY id`);
        return contents(once.rows, log.rows);
      },
      close: () => pool.end(),
    };
  }
  if (home === 'mysql') {
    const pool = mysqlPool(at.mysql!, 2);
    return {
      async read() {
        const [once] = await pool.query<mysql.RowDataPacket[]>(
          `SELECT k AS \`key\`, value FROM ${prefix}sink_once`,
        );
        const [log] = await pool.query<mysql.RowDataPacket[]>(
          `SELECT k AS \`key\`, pid FROM ${prefix}sink_log ORDER BY id`,
        );
        return contents(once as never, log as never);
      },
      close: () => pool.end(),
    };
  }
  const redis = redisConnection(at.redis!);
  return {
    async read() {
      const once = await redis.hgetall(`${prefix}sink:once`);
      const log = await redis.lrange(`${prefix}sink:log`, 0, -1);
      return contents(
        Object.entries(once).map(([key, value]) => ({ key, value })),
        log.map((entry) => {
          const bar = entry.indexOf('|');
          return { pid: entry.slice(0, bar), key: entry.slice(bar + 1) };
        }),
      );
    },
    async close() {
      redis.disconnect();
    },
  };
}
