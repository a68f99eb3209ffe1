import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { RowDataPacket } from 'mysql2';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CheckpointStore,
  createCheckpointStore,
  createDeadLetterList,
  type DeadLetterEntry,
  type KeyValueStore,
} from '../src/index.js';
import { mysqlKeyValueStore } from '../src/mysql.js';
import { postgresKeyValueStore } from '../src/postgres.js';
import { sqliteKeyValueStore } from '../src/sqlite.js';
import { spawnScript } from './support/child.js';
import { dropMysqlPrefix, mysqlPool } from './support/mysql.js';
import { dropPostgresPrefix, postgresPool } from './support/postgres.js';
import { mysqlConfig, postgresConfig, serviceAvailable, uniquePrefix } from './support/services.js';
import { type SourceRow, SYNC_NAME, sourceRows } from './support/source-table.js';
import type { RunnerWorkerConfig } from './workers/sync-runner.js';

const workerPath = fileURLToPath(new URL('./workers/sync-runner.ts', import.meta.url));
const ROWS = 5_000;
const PER_TIMESTAMP = 70; // batch boundaries fall inside groups of rows sharing a timestamp
const BATCH = 50;
const KILL_AFTER = 20; // committed checkpoints before the SIGKILL
const LOOK_BACK_MS = 1_000; // one timestamp group of overlap, which the cursor de-duplicates
const table = sourceRows(ROWS, PER_TIMESTAMP);

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Reads the sink table and the checkpoint the worker processes wrote. */
interface SinkView {
  /** Every sink row by id ascending, with how many times a batch delivered it. */
  rows(): Promise<Array<{ id: number; deliveries: number }>>;
  /** How many times each row's effect happened. */
  effects(): Promise<Map<number, number>>;
  checkpoints: CheckpointStore;
}

/**
 * Process A runs the sync (slowly) and is SIGKILLed after it committed KILL_AFTER checkpoints.
 * Process B then runs the same sync to the end. Every source row must be in the sink with its
 * effect exactly once; B must start from A's checkpoint (its source reads only the window) and
 * deliver again only the rows A wrote past its last checkpoint.
 */
async function crashAndResume(config: RunnerWorkerConfig, sink: SinkView) {
  const a = spawnScript(workerPath, { ...config, sinkMs: 15, reportAfter: KILL_AFTER });
  await a.waitFor('committed', 120_000);
  a.child.kill('SIGKILL');
  expect((await a.exited).signal).toBe('SIGKILL');
  expect(a.messages.find((m) => m.type === 'window')?.since).toBeNull(); // A began at the start
  expect(a.messages.some((m) => m.type === 'done')).toBe(false); // killed mid-run

  const written = await sink.rows();
  expect(written.length).toBeGreaterThanOrEqual(KILL_AFTER * BATCH);
  expect(written.length).toBeLessThan(ROWS);
  const cursor = await sink.checkpoints.load<SourceRow>(SYNC_NAME, { lookBackMs: LOOK_BACK_MS });
  const watermark = Number(cursor.state.watermark?.id);
  expect(watermark + 1).toBeGreaterThanOrEqual(KILL_AFTER * BATCH);
  // Commit after sink: every row the checkpoint covers is in the sink.
  const writtenIds = new Set(written.map((row) => row.id));
  expect(table.filter((row) => row.id <= watermark && !writtenIds.has(row.id))).toEqual([]);
  const pastCheckpoint = written.filter((row) => row.id > watermark).length;
  const since = cursor.window().since?.getTime();
  expect(since).toBe((table[watermark]?.updatedAt ?? Number.NaN) - LOOK_BACK_MS);

  const b = spawnScript(workerPath, { ...config, sinkMs: 0, reportAfter: 0 });
  expect((await b.exited).code).toBe(0);
  const inWindow = table.filter((row) => row.updatedAt >= (since as number)).length;
  expect(b.messages.find((m) => m.type === 'done')).toMatchObject({
    status: 'completed',
    since, // resumed from the checkpoint's window...
    read: inWindow, // ...so the source read only rows from there on, not from the beginning
    done: ROWS - (watermark + 1), // and the overlap before the watermark was not written again
    failed: 0,
  });
  expect(inWindow).toBeLessThanOrEqual(ROWS - KILL_AFTER * BATCH + 2 * PER_TIMESTAMP);

  const after = await sink.rows();
  expect(after.map((row) => row.id)).toEqual(table.map((row) => row.id)); // nothing skipped
  // At-least-once only for what A wrote past its last checkpoint (batches in flight at the kill).
  expect(after.reduce((sum, row) => sum + row.deliveries - 1, 0)).toBe(pastCheckpoint);
  const effects = await sink.effects();
  expect(effects.size).toBe(ROWS);
  expect([...effects.values()].filter((n) => n !== 1)).toEqual([]); // no effect twice
}

const base = (prefix: string): Omit<RunnerWorkerConfig, 'store' | 'sinkMs' | 'reportAfter'> => ({
  prefix,
  rows: ROWS,
  rowsPerTimestamp: PER_TIMESTAMP,
  pageSize: 200,
  batchSize: BATCH,
  concurrency: 2,
  lookBackMs: LOOK_BACK_MS,
});

const postgres = await serviceAvailable('postgres');
const mysql = await serviceAvailable('mysql');

/** The sink and effect tables of a MySQL run, and the pool the test reads them with. */
async function mysqlSink(prefix: string) {
  const pool = mysqlPool(2);
  await pool.query(
    `CREATE TABLE ${prefix}sink (id INT PRIMARY KEY, updated_at BIGINT NOT NULL, deliveries INT NOT NULL) ENGINE=InnoDB`,
  );
  await pool.query(
    `CREATE TABLE ${prefix}effects (row_id INT NOT NULL, pid INT NOT NULL) ENGINE=InnoDB`,
  );
  cleanups.push(async () => {
    await dropMysqlPrefix(pool, prefix);
    await pool.end();
  });
  const rows = async () => {
    const [found] = await pool.query<Array<{ id: number; deliveries: number } & RowDataPacket>>(
      `SELECT id, deliveries FROM ${prefix}sink ORDER BY id`,
    );
    return found.map((row) => ({ id: Number(row.id), deliveries: Number(row.deliveries) }));
  };
  return { pool, rows };
}

describe.concurrent('a sync runner killed with SIGKILL mid-run resumes from its cursor with nothing skipped', () => {
  it('sink and checkpoints in SQLite', async () => {
    const prefix = uniquePrefix('rc');
    const file = join(tmpdir(), `plumbline-${prefix}.db`);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(`
      CREATE TABLE ${prefix}sink (id INTEGER PRIMARY KEY, updated_at INTEGER NOT NULL, deliveries INTEGER NOT NULL);
      CREATE TABLE ${prefix}effects (row_id INTEGER NOT NULL, pid INTEGER NOT NULL);`);
    const store = sqliteKeyValueStore(file, { prefix });
    cleanups.push(async () => {
      await store.close();
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    });
    await crashAndResume(
      { ...base(prefix), store: 'sqlite', sqliteFile: file, sinkMs: 0, reportAfter: 0 },
      {
        rows: async () =>
          db.prepare(`SELECT id, deliveries FROM ${prefix}sink ORDER BY id`).all() as Array<{
            id: number;
            deliveries: number;
          }>,
        effects: async () => {
          const rows = db
            .prepare(`SELECT row_id, COUNT(*) AS n FROM ${prefix}effects GROUP BY row_id`)
            .all() as Array<{ row_id: number; n: number }>;
          return new Map(rows.map((row) => [row.row_id, row.n]));
        },
        checkpoints: createCheckpointStore({ store }),
      },
    );
  }, 240_000);

  it.skipIf(!postgres)(
    'sink and checkpoints in PostgreSQL',
    async () => {
      const prefix = uniquePrefix('rc');
      const pool = postgresPool(2);
      await pool.query(`
        CREATE TABLE ${prefix}sink (id int PRIMARY KEY, updated_at bigint NOT NULL, deliveries int NOT NULL);
        CREATE TABLE ${prefix}effects (row_id int NOT NULL, pid int NOT NULL);`);
      cleanups.push(async () => {
        await dropPostgresPrefix(pool, prefix);
        await pool.end();
      });
      await crashAndResume(
        { ...base(prefix), store: 'postgres', postgres: postgresConfig, sinkMs: 0, reportAfter: 0 },
        {
          rows: async () =>
            (await pool.query(`SELECT id, deliveries FROM ${prefix}sink ORDER BY id`)).rows,
          effects: async () => {
            const { rows } = await pool.query(
              `SELECT row_id, COUNT(*)::int AS n FROM ${prefix}effects GROUP BY row_id`,
            );
            return new Map(rows.map((row) => [row.row_id as number, row.n as number]));
          },
          checkpoints: createCheckpointStore({ store: postgresKeyValueStore(pool, { prefix }) }),
        },
      );
    },
    240_000,
  );

  it.skipIf(!mysql)(
    'sink and checkpoints in MySQL/MariaDB',
    async () => {
      const prefix = uniquePrefix('rc');
      const { pool, rows } = await mysqlSink(prefix);
      await crashAndResume(
        { ...base(prefix), store: 'mysql', mysql: mysqlConfig, sinkMs: 0, reportAfter: 0 },
        {
          rows,
          effects: async () => {
            const [found] = await pool.query<Array<{ row_id: number; n: number } & RowDataPacket>>(
              `SELECT row_id, COUNT(*) AS n FROM ${prefix}effects GROUP BY row_id`,
            );
            return new Map(found.map((row) => [Number(row.row_id), Number(row.n)]));
          },
          checkpoints: createCheckpointStore({ store: mysqlKeyValueStore(pool, { prefix }) }),
        },
      );
    },
    240_000,
  );
});

// Durable dead letters (issue 11, defect 8): bad rows are parked while the checkpoint moves on; a
// SIGKILL must never leave the checkpoint past a row that is neither in the sink nor durably parked.
const DL_ROWS = 2_000;
const INVALID_EVERY = 37;
const dlTable = sourceRows(DL_ROWS, PER_TIMESTAMP);
const isInvalid = (row: SourceRow) => row.id % INVALID_EVERY === INVALID_EVERY - 1;

interface DeadLetterView {
  rows(): Promise<Array<{ id: number; deliveries: number }>>;
  store: KeyValueStore;
}

/** Every entry of the runner's durable dead-letter list, read page by page (the public API). */
async function parkedEntries(store: KeyValueStore) {
  const dead = createDeadLetterList<SourceRow>({ store, name: SYNC_NAME, key: (row) => row.id });
  const entries: DeadLetterEntry<SourceRow>[] = [];
  let after: string | undefined;
  do {
    const page = await dead.list({ limit: 25, after });
    entries.push(...page.entries);
    after = page.next;
  } while (after !== undefined);
  return entries;
}

/**
 * The invariant the fault suite checks, through the public API only: every source row the
 * checkpoint has passed (rows `cursor.filter` no longer returns) is in the sink or in the durable
 * dead-letter list. Returns the rows the checkpoint passed.
 */
async function checkpointCoversOnlyWrittenOrParked(view: DeadLetterView) {
  const cursor = await createCheckpointStore({ store: view.store }).load<SourceRow>(SYNC_NAME, {
    lookBackMs: LOOK_BACK_MS,
  });
  const pending = new Set(cursor.filter(dlTable).map((row) => row.id));
  const passed = dlTable.filter((row) => !pending.has(row.id));
  const written = new Set((await view.rows()).map((row) => row.id));
  const parked = new Set((await parkedEntries(view.store)).map((entry) => entry.record?.id));
  expect(passed.filter((row) => !written.has(row.id) && !parked.has(row.id))).toEqual([]);
  return passed;
}

async function parkCrashAndResume(
  config: RunnerWorkerConfig,
  view: DeadLetterView,
  killOn: 'committed' | 'parked',
) {
  const a = spawnScript(workerPath, {
    ...config,
    sinkMs: 15,
    reportAfter: killOn === 'committed' ? 10 : 0,
    hangAfterPark: killOn === 'parked' ? 3 : 0,
  });
  const signal = await a.waitFor(killOn, 120_000);
  a.child.kill('SIGKILL');
  expect((await a.exited).signal).toBe('SIGKILL');

  const passed = await checkpointCoversOnlyWrittenOrParked(view);
  if (killOn === 'committed') {
    // The checkpoint is past parked rows, so the check above had parked rows to find.
    expect(passed.filter(isInvalid).length).toBeGreaterThan(0);
  } else {
    // Killed right after the park returned: the row is in the durable list with its reason.
    const entry = (await parkedEntries(view.store)).find((e) => e.record?.id === signal.id);
    expect(entry).toMatchObject({
      reason: {
        stage: 'validate',
        message: `row ${signal.id} is invalid`,
        code: 'VALIDATE_FAILED',
      },
      attempts: 1,
    });
  }

  const b = spawnScript(workerPath, { ...config, sinkMs: 0, reportAfter: 0, hangAfterPark: 0 });
  expect((await b.exited).code).toBe(0);
  expect(b.messages.find((m) => m.type === 'done')).toMatchObject({ status: 'completed' });
  await checkpointCoversOnlyWrittenOrParked(view);

  // In the end every row is written or parked, never both, never neither; each bad row once.
  const written = (await view.rows()).map((row) => row.id);
  expect(written).toEqual(dlTable.filter((row) => !isInvalid(row)).map((row) => row.id));
  const entries = await parkedEntries(view.store);
  expect(entries.map((e) => e.record?.id).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(
    dlTable.filter(isInvalid).map((row) => row.id),
  );
  for (const entry of entries) {
    expect(entry.reason).toEqual({
      stage: 'validate',
      message: `row ${entry.record?.id} is invalid`,
      code: 'VALIDATE_FAILED',
    });
    expect(entry.attempts).toBeGreaterThanOrEqual(1);
    expect(Date.parse(entry.parkedAt)).not.toBeNaN();
  }
}

const dlBase = (prefix: string) => ({
  ...base(prefix),
  rows: DL_ROWS,
  invalidEvery: INVALID_EVERY,
  sinkMs: 0,
  reportAfter: 0,
});

describe.concurrent('a sync runner killed with SIGKILL around a parked record loses no parked record', () => {
  const sqlite = () => {
    const prefix = uniquePrefix('rd');
    const file = join(tmpdir(), `plumbline-${prefix}.db`);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(`
      CREATE TABLE ${prefix}sink (id INTEGER PRIMARY KEY, updated_at INTEGER NOT NULL, deliveries INTEGER NOT NULL);
      CREATE TABLE ${prefix}effects (row_id INTEGER NOT NULL, pid INTEGER NOT NULL);`);
    const store = sqliteKeyValueStore(file, { prefix });
    cleanups.push(async () => {
      await store.close();
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    });
    const view: DeadLetterView = {
      store,
      rows: async () =>
        db.prepare(`SELECT id, deliveries FROM ${prefix}sink ORDER BY id`).all() as Array<{
          id: number;
          deliveries: number;
        }>,
    };
    return { config: { ...dlBase(prefix), store: 'sqlite' as const, sqliteFile: file }, view };
  };

  it('SQLite: killed right after a park, before its checkpoint', async () => {
    const { config, view } = sqlite();
    await parkCrashAndResume(config, view, 'parked');
  }, 240_000);

  it('SQLite: killed after the checkpoint moved past parked records', async () => {
    const { config, view } = sqlite();
    await parkCrashAndResume(config, view, 'committed');
  }, 240_000);

  it.skipIf(!postgres)(
    'PostgreSQL: killed after the checkpoint moved past parked records',
    async () => {
      const prefix = uniquePrefix('rd');
      const pool = postgresPool(2);
      await pool.query(`
        CREATE TABLE ${prefix}sink (id int PRIMARY KEY, updated_at bigint NOT NULL, deliveries int NOT NULL);
        CREATE TABLE ${prefix}effects (row_id int NOT NULL, pid int NOT NULL);`);
      cleanups.push(async () => {
        await dropPostgresPrefix(pool, prefix);
        await pool.end();
      });
      await parkCrashAndResume(
        { ...dlBase(prefix), store: 'postgres', postgres: postgresConfig },
        {
          store: postgresKeyValueStore(pool, { prefix }),
          rows: async () =>
            (await pool.query(`SELECT id, deliveries FROM ${prefix}sink ORDER BY id`)).rows,
        },
        'committed',
      );
    },
    240_000,
  );

  it.skipIf(!mysql)(
    'MySQL/MariaDB: killed after the checkpoint moved past parked records',
    async () => {
      const prefix = uniquePrefix('rd');
      const { pool, rows } = await mysqlSink(prefix);
      await parkCrashAndResume(
        { ...dlBase(prefix), store: 'mysql', mysql: mysqlConfig },
        { store: mysqlKeyValueStore(pool, { prefix }), rows },
        'committed',
      );
    },
    240_000,
  );
});
