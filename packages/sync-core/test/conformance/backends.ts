import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import type {
  BrokerQueueStore,
  IdempotencyStore,
  KeyValueStore,
  QueueStore,
  ReservationRetention,
  ReservationStore,
} from '../../src/index.js';
import {
  memoryIdempotencyStore,
  memoryQueueStore,
  memoryReservationStore,
} from '../../src/index.js';
import { memoryKeyValueStore } from '../../src/memory/kv.js';
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
import { dropMysqlPrefix, mysqlPool } from '../support/mysql.js';
import { dropPostgresPrefix, postgresPool } from '../support/postgres.js';
import { deleteRedisPrefix, redisClient } from '../support/redis.js';
import { rabbitUrl, serviceAvailable, uniquePrefix } from '../support/services.js';

export interface Backend {
  name: string;
  reservations?: (options?: ReservationRetention) => Promise<ReservationStore>;
  idempotency?: () => Promise<IdempotencyStore>;
  queue?: () => Promise<QueueStore | BrokerQueueStore>;
  /** `clock` is the memory store's clock; every other store keeps its own (tests wait for it). */
  kv?: (clock?: () => number) => Promise<KeyValueStore>;
  /**
   * One place in the store (a prefix, a file): each call of the returned opener is a new handle
   * on it, as another process would open it (memory: the same store).
   */
  kvPlace?: () => () => Promise<KeyValueStore>;
  /** Leaves one due job taken by a worker that then "dies" (never finishes, never extends). */
  abandon?: (store: QueueStore | BrokerQueueStore, queue: string) => Promise<void>;
  teardown(): Promise<void>;
}

export async function abandonPolled(store: QueueStore | BrokerQueueStore, queue: string) {
  const claimed = await (store as QueueStore).claim(queue, {
    limit: 1,
    leaseMs: 200,
    token: 'dead-worker',
  });
  if (claimed.length !== 1) throw new Error('expected one job to abandon');
}

export function memoryBackend(): Backend {
  return {
    name: 'memory',
    reservations: async (options) => memoryReservationStore(options),
    idempotency: async () => memoryIdempotencyStore(),
    queue: async () => memoryQueueStore(),
    kv: async (clock) => memoryKeyValueStore(clock ? { now: clock } : {}),
    kvPlace: () => {
      const store = memoryKeyValueStore();
      return async () => store;
    },
    abandon: abandonPolled,
    teardown: async () => {},
  };
}

export function sqliteBackend(): Backend {
  const file = join(tmpdir(), `plumbline-conformance-${uniquePrefix()}.db`);
  const closers: Array<() => Promise<void>> = [];
  const track = <T extends { close(): Promise<void> }>(store: T): T => {
    closers.push(() => store.close());
    return store;
  };
  const prefix = () => ({ prefix: uniquePrefix() });
  return {
    name: 'sqlite',
    reservations: async (options) =>
      track(sqliteReservationStore(file, { ...prefix(), ...options })),
    idempotency: async () => track(sqliteIdempotencyStore(file, prefix())),
    queue: async () => track(sqliteQueueStore(file, prefix())),
    kv: async () => track(sqliteKeyValueStore(file, prefix())),
    kvPlace: () => {
      const at = prefix();
      return async () => track(sqliteKeyValueStore(file, at));
    },
    abandon: abandonPolled,
    async teardown() {
      for (const close of closers) await close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    },
  };
}

export function postgresBackend(): Backend {
  const pool = postgresPool(20);
  const prefixes: string[] = [];
  const prefix = () => {
    const value = uniquePrefix('c');
    prefixes.push(value);
    return { prefix: value };
  };
  return {
    name: 'postgres',
    reservations: async (options) => postgresReservationStore(pool, { ...prefix(), ...options }),
    idempotency: async () => postgresIdempotencyStore(pool, prefix()),
    queue: async () => postgresQueueStore(pool, prefix()),
    kv: async () => postgresKeyValueStore(pool, prefix()),
    kvPlace: () => {
      const at = prefix();
      return async () => postgresKeyValueStore(pool, at);
    },
    abandon: abandonPolled,
    async teardown() {
      await dropPostgresPrefix(pool, ...prefixes);
      await pool.end();
    },
  };
}

export function mysqlBackend(): Backend {
  // A pool per store: a test that keeps its connections busy (hundreds of concurrent reserves,
  // each a transaction of several statements) does not starve the tests running beside it.
  const pools: Array<ReturnType<typeof mysqlPool>> = [];
  const pool = () => {
    const created = mysqlPool(10);
    pools.push(created);
    return created;
  };
  const prefixes: string[] = [];
  const prefix = () => {
    const value = uniquePrefix('c');
    prefixes.push(value);
    return { prefix: value };
  };
  return {
    name: 'mysql',
    reservations: async (options) => mysqlReservationStore(pool(), { ...prefix(), ...options }),
    idempotency: async () => mysqlIdempotencyStore(pool(), prefix()),
    queue: async () => mysqlQueueStore(pool(), prefix()),
    kv: async (clock) => mysqlKeyValueStore(pool(), { ...prefix(), ...(clock ? { clock } : {}) }),
    kvPlace: () => {
      const at = prefix();
      const shared = pool();
      return async () => mysqlKeyValueStore(shared, at);
    },
    abandon: abandonPolled,
    async teardown() {
      const admin = mysqlPool(2);
      await dropMysqlPrefix(admin, ...prefixes);
      await admin.end();
      for (const created of pools) await created.end();
    },
  };
}

export function redisBackend(): Backend {
  const redis = redisClient();
  const prefixes: string[] = [];
  const prefix = () => {
    const value = uniquePrefix('c');
    prefixes.push(value);
    return { prefix: value };
  };
  return {
    name: 'redis',
    reservations: async (options) => redisReservationStore(redis, { ...prefix(), ...options }),
    idempotency: async () => redisIdempotencyStore(redis, prefix()),
    queue: async () => redisQueueStore(redis, prefix()),
    kv: async () => redisKeyValueStore(redis, prefix()),
    kvPlace: () => {
      const at = prefix();
      return async () => redisKeyValueStore(redis, at);
    },
    abandon: abandonPolled,
    async teardown() {
      for (const value of prefixes) await deleteRedisPrefix(redis, value);
      redis.disconnect();
    },
  };
}

export function rabbitmqBackend(): Backend {
  const connection = amqp.connect(rabbitUrl);
  type Entry = { store: ReturnType<typeof rabbitmqQueueStore>; prefix: string; names: string[] };
  const entries = new Map<unknown, Entry>();
  return {
    name: 'rabbitmq',
    async queue() {
      const prefix = uniquePrefix('c');
      const store = rabbitmqQueueStore(await connection, { prefix, dedupe: memoryKeyValueStore() });
      const entry: Entry = { store, prefix, names: [] };
      const tracked: BrokerQueueStore = {
        broker: true,
        open(options) {
          entry.names.push(options.name);
          return store.open(options);
        },
      };
      entries.set(tracked, entry);
      return tracked;
    },
    async abandon(store, queue) {
      // A consumer takes the message and dies: closing its channel hands the message back.
      const entry = entries.get(store)!;
      const channel = await (await connection).createChannel();
      const found = await channel.get(`${entry.prefix}${queue}`, { noAck: false });
      if (!found) throw new Error('expected one job to abandon');
      await channel.close();
    },
    async teardown() {
      for (const { store, names } of entries.values()) {
        for (const name of names) await store.deleteQueue(name).catch(() => {});
        await store.close();
      }
      await (await connection).close();
    },
  };
}

/** Every backend this machine can run; service backends are added when their service answers. */
export async function allBackends(): Promise<Backend[]> {
  const backends = [memoryBackend(), sqliteBackend()];
  if (await serviceAvailable('postgres')) backends.push(postgresBackend());
  if (await serviceAvailable('redis')) backends.push(redisBackend());
  if (await serviceAvailable('rabbitmq')) backends.push(rabbitmqBackend());
  if (await serviceAvailable('mysql')) backends.push(mysqlBackend());
  return backends;
}
