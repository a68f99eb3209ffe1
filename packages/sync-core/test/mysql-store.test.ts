// What the MySQL / MariaDB stores promise beyond the shared suites: hostile identifiers are
// refused with a typed error, hostile keys are stored as data, keys that a PAD SPACE collation
// would merge stay apart, over-long keys are refused instead of cut short, and the schema is
// versioned once for many processes.
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidInputError, SchemaVersionError, StoreConfigError } from '../src/index.js';
import {
  mysqlIdempotencyStore,
  mysqlKeyValueStore,
  mysqlQueueStore,
  mysqlReservationStore,
} from '../src/mysql.js';
import { dropMysqlPrefix, mysqlPool } from './support/mysql.js';
import { serviceAvailable, uniquePrefix } from './support/services.js';

const mysql = await serviceAvailable('mysql');
const pool = mysql ? mysqlPool(6) : undefined;
const prefixes: string[] = [];
const prefix = () => {
  const value = uniquePrefix('my');
  prefixes.push(value);
  return value;
};
afterAll(async () => {
  if (!pool) return;
  await dropMysqlPrefix(pool, ...prefixes);
  await pool.end();
});

async function collect(iterable: AsyncIterable<[string, string]>) {
  const out: Array<[string, string]> = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

describe.skipIf(!mysql)('MySQL / MariaDB stores', () => {
  it('refuses a hostile table prefix with a typed error naming the option, before any SQL runs', () => {
    for (const hostile of ['x`; DROP TABLE users; --', 'a b', 'kv` (k INT); --', '', 'é']) {
      for (const open of [
        mysqlKeyValueStore,
        mysqlQueueStore,
        mysqlIdempotencyStore,
        mysqlReservationStore,
      ]) {
        const error = (() => {
          try {
            open(pool!, { prefix: hostile });
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(StoreConfigError);
        expect((error as StoreConfigError).option).toBe('prefix');
      }
    }
  });

  it('stores hostile keys, values, queue names and SKUs as data', async () => {
    const p = prefix();
    const hostile = 'x\'); DROP TABLE `users`; -- \\ " %_ ?';
    const kv = mysqlKeyValueStore(pool!, { prefix: p });
    await kv.set(hostile, hostile);
    expect(await kv.get(hostile)).toBe(hostile);
    expect(await collect(kv.list("x'"))).toEqual([[hostile, hostile]]);
    // `%` and `_` are literal in a prefix, not wildcards.
    await kv.set('a%b', '1');
    await kv.set('axb', '2');
    expect(await collect(kv.list('a%'))).toEqual([['a%b', '1']]);

    const queue = mysqlQueueStore(pool!, { prefix: p });
    const [job] = await queue.enqueue(hostile, [
      { id: hostile, key: hostile, payload: hostile, delayMs: 0, maxAttempts: 3 },
    ]);
    expect(job).toEqual({ id: hostile, created: true });
    const [claimed] = await queue.claim(hostile, { limit: 1, leaseMs: 5_000, token: hostile });
    expect(claimed).toMatchObject({ id: hostile, key: hostile, payload: hostile });

    const holds = mysqlReservationStore(pool!, { prefix: p });
    await holds.setStock(hostile, 3);
    const reserved = await holds.reserve({
      key: hostile,
      sku: hostile,
      qty: 2,
      ttlMs: 60_000,
      id: hostile,
    });
    expect(reserved).toMatchObject({
      ok: true,
      created: true,
      hold: { key: hostile, sku: hostile },
    });
    expect(await holds.level(hostile)).toMatchObject({ stock: 3, held: 2, available: 1 });

    const idem = mysqlIdempotencyStore(pool!, { prefix: p });
    expect(await idem.begin(hostile, { token: hostile, lockMs: 5_000 })).toEqual({
      acquired: true,
      token: hostile,
    });
    expect(await idem.complete(hostile, hostile, { result: hostile })).toBe(true);
    expect(await idem.get(hostile)).toMatchObject({ state: 'done', result: hostile });

    // The tables are all still there.
    const [tables] = await pool!.query<Array<{ n: number } & import('mysql2').RowDataPacket>>(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE '${p}%'`,
    );
    expect(Number(tables[0]!.n)).toBe(6);
  });

  it('keeps keys apart that differ only in trailing spaces or case (no PAD SPACE, no case folding)', async () => {
    const p = prefix();
    const kv = mysqlKeyValueStore(pool!, { prefix: p });
    await kv.set('sku-1', 'plain');
    await kv.set('sku-1 ', 'one space');
    await kv.set('SKU-1', 'upper');
    expect(await kv.get('sku-1')).toBe('plain');
    expect(await kv.get('sku-1 ')).toBe('one space');
    expect(await kv.get('SKU-1')).toBe('upper');
    expect(await kv.setIfAbsent('sku-1  ', 'two spaces')).toBe(true);

    const queue = mysqlQueueStore(pool!, { prefix: p });
    const results = await queue.enqueue('q', [
      { id: 'j1', key: 'order-7', payload: '{}', delayMs: 0, maxAttempts: 1 },
      { id: 'j2', key: 'order-7 ', payload: '{}', delayMs: 0, maxAttempts: 1 },
    ]);
    expect(results.map((r) => r.created)).toEqual([true, true]);

    const idem = mysqlIdempotencyStore(pool!, { prefix: p });
    expect((await idem.begin('call-1', { token: 'a', lockMs: 5_000 })).acquired).toBe(true);
    expect((await idem.begin('call-1 ', { token: 'b', lockMs: 5_000 })).acquired).toBe(true);
  });

  it('refuses a key longer than its column with a typed error instead of storing it cut short', async () => {
    const p = prefix();
    const kv = mysqlKeyValueStore(pool!, { prefix: p });
    const long = 'k'.repeat(3_073);
    const error = await kv.set(long, 'v').catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('key');
    expect(await collect(kv.list('k'))).toEqual([]);

    const queue = mysqlQueueStore(pool!, { prefix: p });
    const jobError = await queue
      .enqueue('q', [
        { id: 'j', key: 'é'.repeat(1_025), payload: '{}', delayMs: 0, maxAttempts: 1 },
      ])
      .catch((e) => e);
    expect(jobError).toBeInstanceOf(InvalidInputError);
    expect(jobError.field).toBe('key');

    const holds = mysqlReservationStore(pool!, { prefix: p });
    const skuError = await holds.setStock('s'.repeat(513), 1).catch((e) => e);
    expect(skuError).toBeInstanceOf(InvalidInputError);
    expect(skuError.field).toBe('sku');
  });

  it('refuses a value or payload over max_allowed_packet with a typed error naming it and the limit', async () => {
    // Sent as it is, the server dropped the connection and the caller saw a bare ECONNRESET.
    const [rows] = await pool!.query<import('mysql2').RowDataPacket[]>(
      'SELECT @@max_allowed_packet AS m',
    );
    const max = Number(rows[0]!.m);
    const huge = 'x'.repeat(max);
    const kv = mysqlKeyValueStore(pool!, { prefix: prefix() });
    for (const method of ['set', 'setIfAbsent'] as const) {
      const error = await kv[method]('big', huge).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'value' });
      expect(error.message).toContain(`max_allowed_packet is ${max} bytes`);
    }
    const queue = mysqlQueueStore(pool!, { prefix: prefix() });
    const job = (id: string, payload: string) => ({ id, payload, maxAttempts: 1, delayMs: 0 });
    const error = await queue.enqueue('q', [job('j1', huge)]).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'payload' });
    expect(error.message).toContain(`max_allowed_packet is ${max} bytes`);
    // The store still works after the refusal, and jobs that fit one by one but not together go in.
    await kv.set('small', 'v');
    expect(await kv.get('small')).toBe('v');
    const third = 'y'.repeat(Math.floor(max / 3));
    const results = await queue.enqueue('q', [job('a', third), job('b', third), job('c', third)]);
    expect(results.map((r) => r.created)).toEqual([true, true, true]);
  });

  it('records each component once, migrate() is idempotent, a newer schema is refused', async () => {
    const p = prefix();
    const stores = [
      mysqlReservationStore(pool!, { prefix: p }),
      mysqlIdempotencyStore(pool!, { prefix: p }),
      mysqlQueueStore(pool!, { prefix: p }),
      mysqlKeyValueStore(pool!, { prefix: p }),
    ];
    // Many openers at once: the named lock makes them migrate one after the other.
    await Promise.all(stores.flatMap((store) => [store.migrate(), store.migrate()]));
    const [rows] = await pool!.query(
      `SELECT component, version FROM \`${p}schema_version\` ORDER BY component`,
    );
    expect(rows).toEqual([
      { component: 'idempotency', version: 1 },
      { component: 'kv', version: 1 },
      { component: 'queue', version: 1 },
      { component: 'reservations', version: 1 },
    ]);
    await pool!.query(`UPDATE \`${p}schema_version\` SET version = 99 WHERE component = 'queue'`);
    await expect(mysqlQueueStore(pool!, { prefix: p }).migrate()).rejects.toBeInstanceOf(
      SchemaVersionError,
    );
  });

  it('one key reserved at once for two different SKUs gets one hold, not a duplicate-key error', async () => {
    const p = prefix();
    const holds = mysqlReservationStore(pool!, { prefix: p });
    await holds.setStock('A', 1_000);
    await holds.setStock('B', 1_000);
    // The two reserves lock different stock rows, so only the hold's primary key orders them.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        holds.reserve({
          key: `cart-${i >> 1}`,
          sku: i % 2 === 0 ? 'A' : 'B',
          qty: 1,
          ttlMs: 60_000,
          id: `hold-${i}`,
        }),
      ),
    );
    for (let cart = 0; cart < 20; cart++) {
      const pair = [results[cart * 2]!, results[cart * 2 + 1]!];
      expect(pair.every((r) => r.ok)).toBe(true);
      const ids = pair.map((r) => (r.ok ? r.hold.id : ''));
      expect(ids[0]).toBe(ids[1]);
      expect(pair.filter((r) => r.ok && r.created)).toHaveLength(1);
    }
    const a = await holds.level('A');
    const b = await holds.level('B');
    expect(a.held + b.held).toBe(20);
  });
});
