// Tables written by a version-1 schema (idempotency, queue and reservations as the code at commit
// 9cd17f7 created them, DDL copied verbatim below) opened with today's code: the stores migrate
// them to version 2 in place, and every row written under version 1 survives and works.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createIdempotency,
  createQueue,
  createReservations,
  type IdempotencyStore,
  type QueueStore,
  type ReservationStore,
} from '../src/index.js';
import {
  postgresIdempotencyStore,
  postgresQueueStore,
  postgresReservationStore,
} from '../src/postgres.js';
import { redisReservationStore } from '../src/redis.js';
import { sqliteIdempotencyStore, sqliteQueueStore, sqliteReservationStore } from '../src/sqlite.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { deleteRedisPrefix, redisClient } from './support/redis.js';
import { serviceAvailable, uniquePrefix, until } from './support/services.js';

/** `git show 9cd17f7:packages/sync-core/src/stores/sqlite/{idempotency,queue,reservation}.ts` */
const SQLITE_V1 = (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS ${p}idempotency (
      key TEXT PRIMARY KEY, state TEXT NOT NULL, token TEXT, locked_until INTEGER,
      result TEXT, error TEXT, updated_at INTEGER NOT NULL, expires_at INTEGER);
    CREATE TABLE IF NOT EXISTS ${p}jobs (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, queue TEXT NOT NULL, key TEXT,
      payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER NOT NULL, run_at INTEGER NOT NULL, lease_until INTEGER, token TEXT,
      last_error TEXT, created_at INTEGER NOT NULL, failed_at INTEGER);
    CREATE UNIQUE INDEX IF NOT EXISTS ${p}jobs_key ON ${p}jobs (queue, key) WHERE key IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${p}jobs_due ON ${p}jobs (queue, state, run_at);
    CREATE INDEX IF NOT EXISTS ${p}jobs_lease ON ${p}jobs (queue, state, lease_until);
    CREATE TABLE IF NOT EXISTS ${p}stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS ${p}holds (
      key TEXT PRIMARY KEY, sku TEXT NOT NULL, qty INTEGER NOT NULL, status TEXT NOT NULL,
      created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS ${p}holds_active ON ${p}holds (sku, status, expires_at);`;

/** `git show 9cd17f7:packages/sync-core/src/stores/postgres/{connection,idempotency,queue,reservation}.ts` */
const POSTGRES_V1 = (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at BIGINT NOT NULL);
    CREATE TABLE IF NOT EXISTS ${p}idempotency (
      key TEXT PRIMARY KEY, state TEXT NOT NULL, token TEXT, locked_until BIGINT,
      result TEXT, error TEXT, updated_at BIGINT NOT NULL, expires_at BIGINT);
    CREATE TABLE IF NOT EXISTS ${p}jobs (
      seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, queue TEXT NOT NULL, key TEXT,
      payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER NOT NULL, run_at BIGINT NOT NULL, lease_until BIGINT, token TEXT,
      last_error TEXT, created_at BIGINT NOT NULL, failed_at BIGINT);
    CREATE UNIQUE INDEX IF NOT EXISTS ${p}jobs_key ON ${p}jobs (queue, key) WHERE key IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${p}jobs_due ON ${p}jobs (queue, state, run_at, seq);
    CREATE INDEX IF NOT EXISTS ${p}jobs_lease ON ${p}jobs (queue, state, lease_until);
    CREATE TABLE IF NOT EXISTS ${p}stock (sku TEXT PRIMARY KEY, qty BIGINT NOT NULL, updated_at BIGINT NOT NULL);
    CREATE TABLE IF NOT EXISTS ${p}holds (
      key TEXT PRIMARY KEY, sku TEXT NOT NULL, qty BIGINT NOT NULL, status TEXT NOT NULL,
      created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${p}holds_active ON ${p}holds (sku, status, expires_at);
    CREATE OR REPLACE FUNCTION ${p}reserve(p_key TEXT, p_sku TEXT, p_qty BIGINT, p_expires BIGINT, p_now BIGINT)
    RETURNS TABLE (outcome TEXT, on_hand BIGINT, held_qty BIGINT) LANGUAGE plpgsql VOLATILE AS $fn$
    DECLARE v_stock BIGINT; v_held BIGINT;
    BEGIN
      IF EXISTS (SELECT 1 FROM ${p}holds h WHERE h.key = p_key) THEN
        RETURN QUERY SELECT 'existing'::TEXT, 0::BIGINT, 0::BIGINT; RETURN;
      END IF;
      SELECT s.qty INTO v_stock FROM ${p}stock s WHERE s.sku = p_sku FOR UPDATE;
      v_stock := COALESCE(v_stock, 0);
      SELECT COALESCE(SUM(h.qty), 0) INTO v_held FROM ${p}holds h
        WHERE h.sku = p_sku AND h.status = 'held' AND h.expires_at > p_now;
      IF v_stock - v_held < p_qty THEN
        RETURN QUERY SELECT 'short'::TEXT, v_stock, v_held; RETURN;
      END IF;
      INSERT INTO ${p}holds (key, sku, qty, status, created_at, expires_at, updated_at)
        VALUES (p_key, p_sku, p_qty, 'held', p_now, p_expires, p_now) ON CONFLICT (key) DO NOTHING;
      IF NOT FOUND THEN
        RETURN QUERY SELECT 'existing'::TEXT, 0::BIGINT, 0::BIGINT; RETURN;
      END IF;
      RETURN QUERY SELECT 'created'::TEXT, v_stock, v_held + p_qty;
    END $fn$;`;

type Value = string | number | null;

/** The rows a version-1 deployment left behind, as its code wrote them (times: epoch ms). */
function v1Rows(now: number): Record<string, Array<Record<string, Value>>> {
  return {
    schema_version: ['idempotency', 'queue', 'reservations'].map((component) => ({
      component,
      version: 1,
      updated_at: now - 86_400_000,
    })),
    idempotency: [
      // A finished key with its stored result, and a claim whose holder died 5 s ago.
      {
        key: 'invoice-1',
        state: 'done',
        token: null,
        locked_until: null,
        result: '{"invoice":41}',
        error: null,
        updated_at: now - 60_000,
        expires_at: null,
      },
      {
        key: 'invoice-2',
        state: 'running',
        token: 'dead-holder',
        locked_until: now - 5_000,
        result: null,
        error: null,
        updated_at: now - 65_000,
        expires_at: null,
      },
    ],
    jobs: [
      {
        id: 'job-ready',
        queue: 'orders',
        key: 'order-1',
        payload: '{"order":1}',
        state: 'ready',
        attempts: 0,
        max_attempts: 5,
        run_at: now - 1_000,
        lease_until: null,
        token: null,
        last_error: null,
        created_at: now - 1_000,
        failed_at: null,
      },
      {
        id: 'job-dead',
        queue: 'orders',
        key: 'order-2',
        payload: '{"order":2}',
        state: 'dead',
        attempts: 5,
        max_attempts: 5,
        run_at: now - 9_000,
        lease_until: null,
        token: null,
        last_error: 'Error: ERP said no',
        created_at: now - 60_000,
        failed_at: now - 9_000,
      },
    ],
    stock: [{ sku: 'MUG', qty: 5, updated_at: now - 60_000 }],
    holds: [
      // A live hold, a hold past its expiry nobody recorded, and a confirmed one.
      {
        key: 'cart-1',
        sku: 'MUG',
        qty: 2,
        status: 'held',
        created_at: now - 1_000,
        expires_at: now + 600_000,
        updated_at: now - 1_000,
      },
      {
        key: 'cart-2',
        sku: 'MUG',
        qty: 1,
        status: 'held',
        created_at: now - 20_000,
        expires_at: now - 10_000,
        updated_at: now - 20_000,
      },
      {
        key: 'cart-3',
        sku: 'MUG',
        qty: 1,
        status: 'confirmed',
        created_at: now - 30_000,
        expires_at: now + 570_000,
        updated_at: now - 25_000,
      },
    ],
  };
}

interface Upgraded {
  idem: IdempotencyStore;
  queue: QueueStore;
  reservations: ReservationStore;
  versions(): Promise<Array<{ component: string; version: number }>>;
}

/** Today's code on the version-1 rows: each row is read, and each keeps working. */
async function rowsSurviveAndWork(open: () => Upgraded) {
  const stores = open();
  // Idempotency: a stored result is handed back without running fn; a dead claim is taken over.
  const once = createIdempotency(stores.idem, { lockMs: 1_000 });
  let ran = 0;
  expect(await once.run('invoice-1', async () => ++ran)).toEqual({ invoice: 41 });
  expect(await once.run('invoice-2', async () => ++ran)).toBe(1);
  expect(ran).toBe(1);

  // Queue: the ready job runs, its key no longer dedupes once done; the dead job is listed,
  // its key still dedupes, and replay runs it.
  const queue = createQueue<{ order: number }>(stores.queue, { name: 'orders' });
  expect(await queue.enqueue({ order: 2 }, { key: 'order-2' })).toEqual({
    id: 'job-dead',
    created: false,
  });
  expect(await queue.enqueue({ order: 1 }, { key: 'order-1' })).toEqual({
    id: 'job-ready',
    created: false,
  });
  expect((await queue.deadLetters()).map((d) => [d.id, d.key, d.lastError, d.attempts])).toEqual([
    ['job-dead', 'order-2', 'Error: ERP said no', 5],
  ]);
  const seen: number[] = [];
  const stop = new AbortController();
  const worker = queue.work(
    (job) => {
      seen.push(job.payload.order);
    },
    { pollMs: 20, signal: stop.signal },
  );
  await until(() => seen.length === 1, 10_000);
  expect(await queue.replay('job-dead')).toBe(true);
  await until(() => seen.length === 2, 10_000).finally(() => stop.abort());
  await worker;
  expect(seen).toEqual([1, 2]);
  expect(await queue.deadLetters()).toEqual([]);
  expect((await queue.enqueue({ order: 1 }, { key: 'order-1' })).created).toBe(true);

  // Reservations: the old hold's id is its key; a hold past its expiry is expired for good; the
  // live one confirms; the stock figure counts the hold confirmed under version 1.
  const stock = createReservations(stores.reservations);
  expect(await stock.level('MUG')).toMatchObject({ stock: 5, held: 2, available: 3 });
  expect((await stock.get('cart-1'))?.id).toBe('cart-1');
  await expect(stock.confirm('cart-2')).rejects.toMatchObject({ code: 'RESERVATION_EXPIRED' });
  expect((await stock.confirm('cart-1', { holdId: 'cart-1' })).status).toBe('confirmed');
  expect((await stock.reserve({ sku: 'MUG', qty: 3, key: 'cart-4', ttlMs: 60_000 })).reserved).toBe(
    true,
  );
  expect((await stock.holds('MUG')).map((h) => [h.key, h.status])).toEqual([
    ['cart-1', 'confirmed'],
    ['cart-2', 'expired'],
    ['cart-3', 'confirmed'],
    ['cart-4', 'held'],
  ]);
  expect(await stock.level('MUG')).toMatchObject({ stock: 3, held: 3, available: 0 });

  expect(await stores.versions()).toEqual([
    { component: 'idempotency', version: 2 },
    { component: 'queue', version: 2 },
    { component: 'reservations', version: 2 },
  ]);
}

const postgres = await serviceAvailable('postgres');
const pool = postgres ? postgresPool(4) : undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await pool?.end();
});

describe('a version-1 schema opened by today’s code', () => {
  it('SQLite: idempotency, queue and reservation rows written under version 1 survive the upgrade and work', async () => {
    const prefix = uniquePrefix('v1');
    const file = join(tmpdir(), `plumbline-${prefix}.db`);
    cleanups.push(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    });
    const db = new Database(file);
    db.exec(SQLITE_V1(prefix));
    for (const [table, rows] of Object.entries(v1Rows(Date.now()))) {
      for (const row of rows) {
        const columns = Object.keys(row);
        db.prepare(
          `INSERT INTO ${prefix}${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
        ).run(row);
      }
    }
    db.close();
    const opened: Array<{ close(): Promise<void> }> = [];
    await rowsSurviveAndWork(() => {
      const stores = {
        idem: sqliteIdempotencyStore(file, { prefix }),
        queue: sqliteQueueStore(file, { prefix }),
        reservations: sqliteReservationStore(file, { prefix }),
      };
      opened.push(stores.idem, stores.queue, stores.reservations);
      return {
        ...stores,
        async versions() {
          const check = new Database(file, { readonly: true });
          try {
            return check
              .prepare(`SELECT component, version FROM ${prefix}schema_version ORDER BY component`)
              .all() as Array<{ component: string; version: number }>;
          } finally {
            check.close();
          }
        },
      };
    });
    for (const store of opened) await store.close();
  });

  it.skipIf(!postgres)(
    'PostgreSQL: idempotency, queue and reservation rows written under version 1 survive the upgrade and work',
    async () => {
      const prefix = uniquePrefix('v1');
      cleanups.push(() => dropPostgresPrefix(pool!, prefix));
      await pool!.query(POSTGRES_V1(prefix));
      for (const [table, rows] of Object.entries(v1Rows(Date.now()))) {
        for (const row of rows) {
          const columns = Object.keys(row);
          await pool!.query(
            `INSERT INTO ${prefix}${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
            Object.values(row),
          );
        }
      }
      await rowsSurviveAndWork(() => ({
        idem: postgresIdempotencyStore(pool!, { prefix }),
        queue: postgresQueueStore(pool!, { prefix }),
        reservations: postgresReservationStore(pool!, { prefix }),
        async versions() {
          const { rows } = await pool!.query(
            `SELECT component, version FROM ${prefix}schema_version ORDER BY component`,
          );
          return rows;
        },
      }));
    },
  );
});

// Redis has no schema version: its keys are read as they are. A hold written by the release before
// hold ids (9cd17f7's reserve script: HSET key sku qty status created expires updated, no `id`)
// must be fenced by the id `get` reports for it, its key.
const redis = await serviceAvailable('redis');
describe.skipIf(!redis)('Redis holds written before hold ids', () => {
  it('an old hold reports its key as its id, is listed and purged like any hold, and confirm and release fenced by that id act on it', async () => {
    const client = redisClient();
    const prefix = uniquePrefix('v1');
    cleanups.push(async () => {
      await deleteRedisPrefix(client, prefix);
      client.disconnect();
    });
    const p = `${prefix}res:`;
    const now = Date.now();
    await client.set(`${p}stock:MUG`, 5);
    await client.sadd(`${p}skus`, 'MUG');
    for (const [key, qty] of [
      ['cart-1', 2],
      ['cart-2', 1],
    ] as const) {
      // As the old reserve script wrote a hold, verbatim.
      await client.hset(`${p}hold:${key}`, 'key', key, 'sku', 'MUG', 'qty', qty, 'status', 'held');
      await client.hset(
        `${p}hold:${key}`,
        'created',
        now,
        'expires',
        now + 600_000,
        'updated',
        now,
      );
      await client.zadd(`${p}held:MUG`, now + 600_000, key);
      await client.incrby(`${p}heldqty:MUG`, qty);
    }
    // And one confirmed 8 days ago (past the default 7-day retention), as the old settle left it.
    await client.hset(`${p}hold:cart-0`, 'key', 'cart-0', 'sku', 'MUG', 'qty', 1);
    await client.hset(`${p}hold:cart-0`, 'status', 'confirmed', 'created', now - 8 * 86_400_000);
    await client.hset(`${p}hold:cart-0`, 'expires', now - 8 * 86_400_000 + 600_000);
    await client.hset(`${p}hold:cart-0`, 'updated', now - 8 * 86_400_000);
    const stock = createReservations(redisReservationStore(client, { prefix }));
    // Listed for audits like any hold, and the old settled one is purged by sweep.
    expect((await stock.holds('MUG')).map((h) => [h.key, h.id, h.status])).toEqual([
      ['cart-0', 'cart-0', 'confirmed'],
      ['cart-1', 'cart-1', 'held'],
      ['cart-2', 'cart-2', 'held'],
    ]);
    expect(await stock.sweep()).toMatchObject({ purged: 1 });
    expect(await stock.get('cart-0')).toBeUndefined();
    expect(await stock.level('MUG')).toMatchObject({ stock: 5, held: 3, available: 2 });
    const hold = await stock.get('cart-1');
    expect(hold?.id).toBe('cart-1');
    expect((await stock.confirm('cart-1', { holdId: hold!.id })).status).toBe('confirmed');
    expect((await stock.release('cart-2', { holdId: 'cart-2' })).status).toBe('released');
    await expect(stock.confirm('cart-2', { holdId: 'another-id' })).rejects.toMatchObject({
      code: 'RESERVATION_STALE',
    });
    expect(await stock.level('MUG')).toMatchObject({ stock: 3, held: 0, available: 3 });
  });
});
