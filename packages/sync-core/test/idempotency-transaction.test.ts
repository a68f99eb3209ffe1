// runInTransaction on SQLite and PostgreSQL: fn's own writes and the idempotency record commit
// together or not at all.
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createIdempotency, IdempotencyInProgressError, InvalidInputError } from '../src/index.js';
import { mysqlIdempotencyStore } from '../src/mysql.js';
import { postgresIdempotencyStore } from '../src/postgres.js';
import { sqliteIdempotencyStore } from '../src/sqlite.js';
import { dropMysqlPrefix, mysqlPool } from './support/mysql.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { serviceAvailable, uniquePrefix, until } from './support/services.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runInTransaction on SQLite', () => {
  const prefix = uniquePrefix('tx');
  const file = join(tmpdir(), `plumbline-${prefix}.db`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE ${prefix}orders (key TEXT NOT NULL, total INTEGER NOT NULL)`);
  const store = sqliteIdempotencyStore(db, { prefix });
  cleanups.push(() => {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  });
  const count = (key: string) =>
    (
      db.prepare(`SELECT COUNT(*) AS n FROM ${prefix}orders WHERE key = ?`).get(key) as {
        n: number;
      }
    ).n;
  const idem = createIdempotency(store);

  it('commits the effect with the record; a repeat returns the result without running fn', async () => {
    let calls = 0;
    const book = (tx: Database.Database, context: { token: string }) => {
      calls += 1;
      expect(typeof context.token).toBe('string');
      tx.prepare(`INSERT INTO ${prefix}orders (key, total) VALUES (?, ?)`).run('o-1', 42);
      return { booked: 'o-1' };
    };
    expect(await idem.runInTransaction('o-1', book)).toEqual({ booked: 'o-1' });
    expect(await idem.runInTransaction('o-1', book)).toEqual({ booked: 'o-1' });
    expect(calls).toBe(1);
    expect(count('o-1')).toBe(1);
    expect(await idem.get('o-1')).toMatchObject({ state: 'done', result: '{"booked":"o-1"}' });
  });

  it('a failing fn leaves neither its writes nor the record, so a retry runs again', async () => {
    await expect(
      idem.runInTransaction('o-2', (tx) => {
        tx.prepare(`INSERT INTO ${prefix}orders (key, total) VALUES (?, ?)`).run('o-2', 1);
        throw new Error('ERP rejected the order');
      }),
    ).rejects.toThrow('ERP rejected the order');
    expect(count('o-2')).toBe(0);
    expect(await idem.get('o-2')).toBeUndefined();
    expect(
      await idem.runInTransaction('o-2', (tx) => {
        tx.prepare(`INSERT INTO ${prefix}orders (key, total) VALUES (?, ?)`).run('o-2', 1);
        return 'second try';
      }),
    ).toBe('second try');
    expect(count('o-2')).toBe(1);
  });

  it('refuses an async fn with a typed error and commits nothing', async () => {
    const error = await idem
      .runInTransaction('o-3', async () => 'too late for the transaction')
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.field).toBe('fn');
    expect(await idem.get('o-3')).toBeUndefined();
  });
});

const postgres = await serviceAvailable('postgres');

describe.skipIf(!postgres)('runInTransaction on PostgreSQL', () => {
  const prefix = uniquePrefix('tx');
  const pool = postgresPool(24);
  const store = postgresIdempotencyStore(pool, { prefix });
  cleanups.push(async () => {
    await dropPostgresPrefix(pool, prefix);
    await pool.end();
  });
  const ready = pool.query(
    `CREATE TABLE ${prefix}orders (key TEXT NOT NULL, total INTEGER NOT NULL)`,
  );
  const count = async (key: string) =>
    Number(
      (await pool.query(`SELECT COUNT(*) AS n FROM ${prefix}orders WHERE key = $1`, [key])).rows[0]
        .n,
    );
  const idem = createIdempotency(store, { pollMs: 10, waitMs: 10_000 });

  it('20 concurrent callers of one key: fn runs once, its write commits once, all get its result', async () => {
    await ready;
    let calls = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        idem.runInTransaction('o-1', async (tx) => {
          calls += 1;
          await tx.query(`INSERT INTO ${prefix}orders (key, total) VALUES ($1, $2)`, ['o-1', 42]);
          await sleep(50);
          return { booked: 'o-1' };
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(results).toEqual(Array(20).fill({ booked: 'o-1' }));
    expect(await count('o-1')).toBe(1);
  });

  it('a failing fn leaves neither its writes nor the record', async () => {
    await ready;
    await expect(
      idem.runInTransaction('o-2', async (tx) => {
        await tx.query(`INSERT INTO ${prefix}orders (key, total) VALUES ($1, $2)`, ['o-2', 1]);
        throw new Error('ERP rejected the order');
      }),
    ).rejects.toThrow('ERP rejected the order');
    expect(await count('o-2')).toBe(0);
    expect(await idem.get('o-2')).toBeUndefined();
  });

  it("a refused duplicate gets IDEMPOTENCY_IN_PROGRESS while the holder's transaction is open", async () => {
    await ready;
    const refuse = createIdempotency(store, { onDuplicate: 'refuse' });
    let inside = false;
    let release: (() => void) | undefined;
    const holder = idem.runInTransaction('o-3', async (tx) => {
      await tx.query(`INSERT INTO ${prefix}orders (key, total) VALUES ($1, $2)`, ['o-3', 1]);
      inside = true;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return 'held';
    });
    await until(() => inside);
    await expect(refuse.runInTransaction('o-3', async () => 'dup')).rejects.toBeInstanceOf(
      IdempotencyInProgressError,
    );
    release!();
    expect(await holder).toBe('held');
    expect(await refuse.runInTransaction('o-3', async () => 'dup')).toBe('held');
    expect(await count('o-3')).toBe(1);
  });

  it('a connection killed mid-fn commits nothing; the next caller runs the key once', async () => {
    await ready;
    let pid = 0;
    const victim = idem.runInTransaction('o-4', async (tx, context) => {
      await tx.query(`INSERT INTO ${prefix}orders (key, total) VALUES ($1, $2)`, ['o-4', 1]);
      pid = Number((await tx.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
      await until(() => context.signal.aborted, 10_000).catch(() => {});
      return 'never committed';
    });
    // Heard from the start: it may reject while the kill is still being sent, before expect below.
    victim.catch(() => {});
    await until(() => pid !== 0);
    await pool.query('SELECT pg_terminate_backend($1)', [pid]);
    await expect(victim).rejects.toThrow();
    expect(await count('o-4')).toBe(0);
    expect(
      await idem.runInTransaction('o-4', async (tx) => {
        await tx.query(`INSERT INTO ${prefix}orders (key, total) VALUES ($1, $2)`, ['o-4', 1]);
        return 'ran once';
      }),
    ).toBe('ran once');
    expect(await count('o-4')).toBe(1);
  });
});

const mysql = await serviceAvailable('mysql');

describe.skipIf(!mysql)('runInTransaction on MySQL/MariaDB', () => {
  const prefix = uniquePrefix('tx');
  const pool = mysqlPool(24);
  const store = mysqlIdempotencyStore(pool, { prefix });
  cleanups.push(async () => {
    await dropMysqlPrefix(pool, prefix);
    await pool.end();
  });
  const ready = pool.query(
    `CREATE TABLE ${prefix}orders (k VARCHAR(64) NOT NULL, total INT NOT NULL) ENGINE=InnoDB`,
  );
  const count = async (key: string) => {
    const [rows] = await pool.execute<Array<{ n: number } & import('mysql2').RowDataPacket>>(
      `SELECT COUNT(*) AS n FROM ${prefix}orders WHERE k = ?`,
      [key],
    );
    return Number(rows[0]!.n);
  };
  const idem = createIdempotency(store, { pollMs: 10, waitMs: 10_000 });
  const book = `INSERT INTO ${prefix}orders (k, total) VALUES (?, ?)`;

  it('20 concurrent callers of one key: fn runs once, its write commits once, all get its result', async () => {
    await ready;
    let calls = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        idem.runInTransaction('o-1', async (tx) => {
          calls += 1;
          await tx.execute(book, ['o-1', 42]);
          await sleep(50);
          return { booked: 'o-1' };
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(results).toEqual(Array(20).fill({ booked: 'o-1' }));
    expect(await count('o-1')).toBe(1);
  });

  it('a failing fn leaves neither its writes nor the record', async () => {
    await ready;
    await expect(
      idem.runInTransaction('o-2', async (tx) => {
        await tx.execute(book, ['o-2', 1]);
        throw new Error('ERP rejected the order');
      }),
    ).rejects.toThrow('ERP rejected the order');
    expect(await count('o-2')).toBe(0);
    expect(await idem.get('o-2')).toBeUndefined();
  });

  it("a refused duplicate gets IDEMPOTENCY_IN_PROGRESS while the holder's transaction is open", async () => {
    await ready;
    const refuse = createIdempotency(store, { onDuplicate: 'refuse' });
    let inside = false;
    let release: (() => void) | undefined;
    const holder = idem.runInTransaction('o-3', async (tx) => {
      await tx.execute(book, ['o-3', 1]);
      inside = true;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return 'held';
    });
    await until(() => inside);
    await expect(refuse.runInTransaction('o-3', async () => 'dup')).rejects.toBeInstanceOf(
      IdempotencyInProgressError,
    );
    release!();
    expect(await holder).toBe('held');
    expect(await refuse.runInTransaction('o-3', async () => 'dup')).toBe('held');
    expect(await count('o-3')).toBe(1);
  });

  it('a connection killed mid-fn commits nothing; the next caller runs the key once', async () => {
    await ready;
    let id = 0;
    const victim = idem.runInTransaction('o-4', async (tx, context) => {
      await tx.execute(book, ['o-4', 1]);
      const [rows] = await tx.query<Array<{ id: number } & import('mysql2').RowDataPacket>>(
        'SELECT CONNECTION_ID() AS id',
      );
      id = Number(rows[0]!.id);
      await until(() => context.signal.aborted, 10_000).catch(() => {});
      return 'never committed';
    });
    // Heard from the start: it may reject while the kill is still being sent, before expect below.
    victim.catch(() => {});
    await until(() => id !== 0);
    await pool.query(`KILL CONNECTION ${id}`);
    await expect(victim).rejects.toThrow();
    expect(await count('o-4')).toBe(0);
    expect(
      await idem.runInTransaction('o-4', async (tx) => {
        await tx.execute(book, ['o-4', 1]);
        return 'ran once';
      }),
    ).toBe('ran once');
    expect(await count('o-4')).toBe(1);
  });

  it('the connection goes back to the pool with the server default lock wait', async () => {
    await ready;
    const one = mysqlPool(1);
    try {
      const refuse = createIdempotency(mysqlIdempotencyStore(one, { prefix }), {
        onDuplicate: 'refuse',
      });
      expect(await refuse.runInTransaction('o-5', async () => 'ok')).toBe('ok');
      const [rows] = await one.query<
        Array<{ session: number; global: number } & import('mysql2').RowDataPacket>
      >(
        'SELECT @@SESSION.innodb_lock_wait_timeout AS session, @@GLOBAL.innodb_lock_wait_timeout AS global',
      );
      expect(Number(rows[0]!.session)).toBe(Number(rows[0]!.global));
    } finally {
      await one.end();
    }
  });
});
