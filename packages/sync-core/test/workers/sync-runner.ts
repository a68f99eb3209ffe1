// A process that runs a sync runner for the runner crash test. Run with `node --import tsx`.
// The source is a deterministic table of rows sharing timestamps, read like a SQL query
// (`WHERE updated_at >= since ORDER BY updated_at, id`, in pages). The sink is a table in the same
// database, idempotent by key: it upserts each row (counting deliveries) and records the row's
// effect only when the upsert created it, in one transaction. Checkpoints and the durable
// dead-letter list go to the database's KeyValueStore. Config arrives as JSON in PLUMBLINE_WORKER; progress goes to the parent over IPC.
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import {
  type CheckpointStore,
  createCheckpointStore,
  createDeadLetterList,
  createRunner,
  type DeadLetterTarget,
} from '../../src/index.js';
import { mysqlKeyValueStore } from '../../src/mysql.js';
import { postgresKeyValueStore } from '../../src/postgres.js';
import { sqliteKeyValueStore } from '../../src/sqlite.js';
import { type SourceRow, SYNC_NAME, sourceRows } from '../support/source-table.js';

export interface RunnerWorkerConfig {
  store: 'sqlite' | 'postgres' | 'mysql';
  sqliteFile?: string;
  postgres?: pg.PoolConfig;
  mysql?: mysql.PoolOptions;
  /** Table and key prefix. */
  prefix: string;
  rows: number;
  /** Consecutive rows that share one `updatedAt` (1 s apart). */
  rowsPerTimestamp: number;
  pageSize: number;
  batchSize: number;
  concurrency: number;
  lookBackMs: number;
  /** Time the sink takes per batch, so the parent can kill the process mid-run. */
  sinkMs: number;
  /** Sends `committed` once this many checkpoints were committed (0: never); the sink then slows to 250 ms a batch. */
  reportAfter: number;
  /** Rows whose id % invalidEvery === invalidEvery - 1 fail validation and are parked (0: none). */
  invalidEvery?: number;
  /** After this many parks, sends `parked` and hangs inside the dead-letter target (0: never). */
  hangAfterPark?: number;
}

const config = JSON.parse(process.env.PLUMBLINE_WORKER ?? '{}') as RunnerWorkerConfig;
const send = (message: Record<string, unknown>) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const p = config.prefix;
  const closers: Array<() => unknown> = [];
  let writeBatch: (rows: SourceRow[]) => Promise<void>;
  let store: Parameters<typeof createCheckpointStore>[0]['store'];
  if (config.store === 'sqlite') {
    const db = new Database(config.sqliteFile!);
    db.pragma('busy_timeout = 10000');
    const upsert = db.prepare(
      `INSERT INTO ${p}sink (id, updated_at, deliveries) VALUES (?, ?, 1)
       ON CONFLICT(id) DO UPDATE SET deliveries = deliveries + 1 RETURNING deliveries`,
    );
    const effect = db.prepare(`INSERT INTO ${p}effects (row_id, pid) VALUES (?, ?)`);
    const write = db.transaction((rows: SourceRow[]) => {
      for (const row of rows) {
        const { deliveries } = upsert.get(row.id, row.updatedAt) as { deliveries: number };
        if (deliveries === 1) effect.run(row.id, process.pid);
      }
    });
    writeBatch = async (rows) => write(rows);
    store = sqliteKeyValueStore(db, { prefix: p });
    closers.push(() => db.close());
  } else if (config.store === 'mysql') {
    const pool = mysql.createPool({ ...config.mysql, connectionLimit: config.concurrency + 1 });
    // One transaction per batch: a row's upsert reports 1 when it created the row (2 when it
    // counted another delivery), and only then is the effect recorded; both commit together.
    writeBatch = async (rows) => {
      const connection = await pool.getConnection();
      try {
        await connection.query('START TRANSACTION');
        for (const row of rows) {
          const [up] = await connection.execute<mysql.ResultSetHeader>(
            `INSERT INTO ${p}sink (id, updated_at, deliveries) VALUES (?, ?, 1)
             ON DUPLICATE KEY UPDATE deliveries = deliveries + 1`,
            [row.id, row.updatedAt],
          );
          if (up.affectedRows === 1) {
            await connection.execute(`INSERT INTO ${p}effects (row_id, pid) VALUES (?, ?)`, [
              row.id,
              process.pid,
            ]);
          }
        }
        await connection.query('COMMIT');
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    };
    store = mysqlKeyValueStore(pool, { prefix: p });
    closers.push(() => pool.end());
  } else {
    const pool = new pg.Pool({ ...config.postgres, max: config.concurrency + 1 });
    // One statement, so the upsert and the effect commit together.
    writeBatch = async (rows) => {
      await pool.query(
        `WITH up AS (
           INSERT INTO ${p}sink AS s (id, updated_at, deliveries)
           SELECT id, updated_at, 1 FROM unnest($1::int[], $2::bigint[]) AS r(id, updated_at)
           ON CONFLICT (id) DO UPDATE SET deliveries = s.deliveries + 1
           RETURNING s.id, s.deliveries)
         INSERT INTO ${p}effects (row_id, pid) SELECT id, $3 FROM up WHERE deliveries = 1`,
        [rows.map((row) => row.id), rows.map((row) => row.updatedAt), process.pid],
      );
    };
    store = postgresKeyValueStore(pool, { prefix: p });
    closers.push(() => pool.end());
  }

  // Counts the checkpoints committed, to tell the parent when to kill this process.
  const inner = createCheckpointStore({ store });
  let commits = 0;
  let slow = false;
  const checkpoints: CheckpointStore = {
    ...inner,
    async commit(name, cursor) {
      await inner.commit(name, cursor);
      commits += 1;
      if (commits === config.reportAfter) {
        send({ type: 'committed', commits });
        slow = true; // from here the sink crawls, so the kill lands mid-run even on a loaded machine
      }
    },
  };

  // The dead-letter target the runner parks bad rows in: a durable list in the same database as
  // the checkpoints, keyed by row id so a row parked again after a crash keeps one entry.
  const parkedIn = createDeadLetterList<SourceRow>({
    store,
    name: SYNC_NAME,
    key: (row) => row.id,
  });
  let parks = 0;
  const deadLetter: DeadLetterTarget<SourceRow> = {
    async park(record, reason) {
      await parkedIn.park(record, reason);
      parks += 1;
      if (parks === config.hangAfterPark) {
        send({ type: 'parked', id: record.id, parks });
        await new Promise(() => {}); // the parent kills this process now, right after the park
      }
    },
  };
  const invalidEvery = config.invalidEvery ?? 0;

  const table = sourceRows(config.rows, config.rowsPerTimestamp);
  let read = 0;
  let since: number | null = null;
  const runner = createRunner<SourceRow>({
    source: async function* ({ window }) {
      since = window?.since?.getTime() ?? null;
      send({ type: 'window', since });
      // WHERE updated_at >= since: rows before the window are never read.
      let start = since === null ? 0 : table.findIndex((row) => row.updatedAt >= since!);
      if (start < 0) start = table.length;
      for (let offset = start; offset < table.length; offset += config.pageSize) {
        const page = table.slice(offset, offset + config.pageSize);
        read += page.length;
        yield page;
      }
    },
    sink: async (batch) => {
      if (slow) await sleep(250);
      else if (config.sinkMs > 0) await sleep(config.sinkMs);
      await writeBatch(batch);
    },
    batchSize: config.batchSize,
    concurrency: config.concurrency,
    cursor: { checkpoints, name: SYNC_NAME, options: { lookBackMs: config.lookBackMs } },
    validate: (row) =>
      invalidEvery > 0 && row.id % invalidEvery === invalidEvery - 1
        ? `row ${row.id} is invalid`
        : undefined,
    deadLetter,
  });
  const summary = await runner.run();
  send({
    type: 'done',
    since,
    read,
    commits,
    status: summary.status,
    done: summary.done,
    failed: summary.failed,
    parks,
  });
  await store.close?.();
  for (const close of closers) await close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
