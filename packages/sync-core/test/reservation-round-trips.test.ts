// How many round trips (PostgreSQL) and transactions (SQLite) one reserve and one confirm cost.
// The stores promise one statement / one transaction each (their READMEs and doc comments); these
// tests count what actually reaches the database, so a change that adds a query fails here.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createReservations } from '../src/index.js';
import { postgresReservationStore } from '../src/postgres.js';
import { sqliteReservationStore } from '../src/sqlite.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { serviceAvailable, uniquePrefix } from './support/services.js';

const postgres = await serviceAvailable('postgres');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A pg.Pool whose every statement (pool.query, or a checked-out client's query) is counted. */
function countingPool(pool: pg.Pool) {
  const seen: string[] = [];
  const countClient = (client: pg.PoolClient) =>
    new Proxy(client, {
      get(target, name, receiver) {
        if (name === 'query') {
          return (text: unknown, ...rest: unknown[]) => {
            seen.push(typeof text === 'string' ? text : String((text as { text?: string }).text));
            return (target.query as (...args: unknown[]) => unknown)(text, ...rest);
          };
        }
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const counted = new Proxy(pool, {
    get(target, name, receiver) {
      if (name === 'query') {
        return (text: unknown, ...rest: unknown[]) => {
          seen.push(typeof text === 'string' ? text : String((text as { text?: string }).text));
          return (target.query as (...args: unknown[]) => unknown)(text, ...rest);
        };
      }
      if (name === 'connect') {
        return async () => countClient(await target.connect());
      }
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    pool: counted,
    /** Statements sent since the last call. */
    take(): string[] {
      return seen.splice(0);
    },
  };
}

/** A better-sqlite3 database whose transactions and executed statements are counted. */
function countingSqlite(db: Database.Database) {
  let transactions = 0;
  let statements = 0;
  const countStatement = (statement: Database.Statement) =>
    new Proxy(statement, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        if (name === 'run' || name === 'get' || name === 'all' || name === 'iterate') {
          return (...args: unknown[]) => {
            statements++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        // pluck(), raw() … return the statement itself: keep counting through it.
        return (...args: unknown[]) => {
          const out = (value as (...a: unknown[]) => unknown).apply(target, args);
          return out === target ? receiver : out;
        };
      },
    });
  const counted = new Proxy(db, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (name === 'prepare') {
        return (source: string) => countStatement(target.prepare(source));
      }
      if (name === 'transaction') {
        return (fn: (...args: unknown[]) => unknown) => {
          const tx = target.transaction(fn);
          const wrap =
            (run: (...args: unknown[]) => unknown) =>
            (...args: unknown[]) => {
              transactions++;
              return run(...args);
            };
          return Object.assign(wrap(tx), {
            deferred: wrap(tx.deferred),
            immediate: wrap(tx.immediate),
            exclusive: wrap(tx.exclusive),
          });
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    db: counted,
    take() {
      const out = { transactions, statements };
      transactions = 0;
      statements = 0;
      return out;
    },
  };
}

describe('round trips per reservation operation', () => {
  it.skipIf(!postgres)(
    'PostgreSQL: reserve, repeated reserve, confirm and release are one statement each',
    async () => {
      const prefix = uniquePrefix('rt');
      const raw = postgresPool(4);
      cleanups.push(async () => {
        await dropPostgresPrefix(raw, prefix);
        await raw.end();
      });
      const counting = countingPool(raw);
      const store = postgresReservationStore(counting.pool, { prefix });
      const reservations = createReservations(store);
      await reservations.setStock('SKU-RT', 10);
      counting.take();

      const held = await reservations.reserve({ sku: 'SKU-RT', qty: 2, key: 'a', ttlMs: 60_000 });
      expect(held).toMatchObject({ reserved: true, created: true });
      expect(counting.take()).toHaveLength(1);

      const again = await reservations.reserve({ sku: 'SKU-RT', qty: 2, key: 'a', ttlMs: 60_000 });
      expect(again).toMatchObject({ reserved: true, created: false });
      expect(counting.take()).toHaveLength(1);

      expect((await reservations.confirm('a')).status).toBe('confirmed');
      expect(counting.take()).toHaveLength(1);

      await reservations.reserve({ sku: 'SKU-RT', qty: 1, key: 'b', ttlMs: 60_000 });
      counting.take();
      expect((await reservations.release('b')).status).toBe('released');
      expect(counting.take()).toHaveLength(1);

      // A short reserve answers with the level in the same statement.
      const short = await reservations.reserve({ sku: 'SKU-RT', qty: 99, key: 'c', ttlMs: 60_000 });
      expect(short).toMatchObject({ reserved: false, available: 8 });
      expect(counting.take()).toHaveLength(1);
      expect(await reservations.level('SKU-RT')).toEqual({
        sku: 'SKU-RT',
        stock: 8,
        held: 0,
        available: 8,
      });
    },
  );

  it('SQLite: reserve, repeated reserve, confirm and release are one transaction each', async () => {
    const file = join(tmpdir(), `${uniquePrefix('rt')}reservations.db`);
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    cleanups.push(async () => {
      raw.close();
      const { rm } = await import('node:fs/promises');
      for (const suffix of ['', '-wal', '-shm']) await rm(file + suffix, { force: true });
    });
    const counting = countingSqlite(raw);
    const reservations = createReservations(sqliteReservationStore(counting.db));
    await reservations.setStock('SKU-RT', 10);
    counting.take();

    await reservations.reserve({ sku: 'SKU-RT', qty: 2, key: 'a', ttlMs: 60_000 });
    const reserve = counting.take();
    await reservations.reserve({ sku: 'SKU-RT', qty: 2, key: 'a', ttlMs: 60_000 });
    const repeat = counting.take();
    expect((await reservations.confirm('a')).status).toBe('confirmed');
    const confirm = counting.take();
    await reservations.reserve({ sku: 'SKU-RT', qty: 1, key: 'b', ttlMs: 60_000 });
    counting.take();
    expect((await reservations.release('b')).status).toBe('released');
    const release = counting.take();

    expect(reserve).toEqual({ transactions: 1, statements: 2 });
    expect(repeat).toEqual({ transactions: 1, statements: 1 });
    expect(confirm).toEqual({ transactions: 1, statements: 2 });
    expect(release).toEqual({ transactions: 1, statements: 1 });
  });
});
