import type Database from 'better-sqlite3';
import { type JobRow, toListedJob, toStoredJob } from '../../queue/row.js';
import type { ClaimedJob, DeadJob, JobState, QueueStore } from '../../queue/store.js';
import { SQLITE_NOW as NOW } from './clock.js';
import {
  migrateSqlite,
  openSqlite,
  type SqliteSource,
  type SqliteStoreOptions,
} from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}jobs (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, queue TEXT NOT NULL, key TEXT,
      payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER NOT NULL, run_at INTEGER NOT NULL, lease_until INTEGER, token TEXT,
      last_error TEXT, created_at INTEGER NOT NULL, failed_at INTEGER);
    CREATE UNIQUE INDEX IF NOT EXISTS ${p}jobs_key ON ${p}jobs (queue, key) WHERE key IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${p}jobs_due ON ${p}jobs (queue, state, run_at);
    CREATE INDEX IF NOT EXISTS ${p}jobs_lease ON ${p}jobs (queue, state, lease_until);`,
  // Done jobs may be kept (keepDoneMs): their key no longer dedupes, and they are swept by age.
  (p: string) => `
    ALTER TABLE ${p}jobs ADD COLUMN finished_at INTEGER;
    DROP INDEX IF EXISTS ${p}jobs_key;
    CREATE UNIQUE INDEX IF NOT EXISTS ${p}jobs_live_key ON ${p}jobs (queue, key)
      WHERE key IS NOT NULL AND state <> 'done';
    CREATE INDEX IF NOT EXISTS ${p}jobs_done ON ${p}jobs (queue, state, finished_at);`,
];

/** Which rows a listed state is, in SQL (`ready` and `delayed` split by SQLite's clock). */
const STATE_SQL: Record<JobState, string> = {
  ready: `state = 'ready' AND run_at <= ${NOW}`,
  delayed: `state = 'ready' AND run_at > ${NOW}`,
  running: `state = 'running'`,
  dead: `state = 'dead'`,
  done: `state = 'done'`,
};

export interface SqliteQueueStore extends QueueStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A durable queue in SQLite. Claims run in BEGIN IMMEDIATE transactions, so several processes can
 * share the file; due times and leases are judged by SQLite's clock inside each statement.
 */
export function sqliteQueueStore(
  source: SqliteSource,
  options: SqliteStoreOptions = {},
): SqliteQueueStore {
  const handle = openSqlite(source, options);
  const { db, prefix: p } = handle;
  const t = `${p}jobs`;
  migrateSqlite(handle, 'queue', migrations);

  const insert = db.prepare(
    `INSERT INTO ${t} (id, queue, key, payload, state, attempts, max_attempts, run_at, created_at)
     VALUES (?, ?, ?, ?, 'ready', 0, ?, ${NOW} + ?, ${NOW}) ON CONFLICT DO NOTHING`,
  );
  const byKey = db.prepare(`SELECT id FROM ${t} WHERE queue = ? AND key = ? AND state <> 'done'`);
  const due = db.prepare(
    `SELECT seq FROM ${t} WHERE queue = @queue AND (
       (state = 'ready' AND run_at <= ${NOW}) OR (state = 'running' AND lease_until <= ${NOW}))
     ORDER BY run_at, seq LIMIT @limit`,
  );
  const take = db.prepare(
    `UPDATE ${t} SET state = 'running', attempts = attempts + 1, token = @token,
       lease_until = ${NOW} + @leaseMs
     WHERE seq = @seq RETURNING *`,
  );
  const held = `queue = ? AND id = ? AND token = ? AND state = 'running'`;
  const extend = db.prepare(`UPDATE ${t} SET lease_until = ${NOW} + ? WHERE ${held}`);
  const remove = db.prepare(`DELETE FROM ${t} WHERE ${held}`);
  const keepDone = db.prepare(
    `UPDATE ${t} SET state = 'done', finished_at = ${NOW}, token = NULL, lease_until = NULL WHERE ${held}`,
  );
  const retry = db.prepare(
    `UPDATE ${t} SET state = 'ready', run_at = ${NOW} + ?, last_error = ?, token = NULL, lease_until = NULL
     WHERE ${held}`,
  );
  const bury = db.prepare(
    `UPDATE ${t} SET state = 'dead', last_error = ?, failed_at = ${NOW}, token = NULL, lease_until = NULL
     WHERE ${held}`,
  );
  const dead = db.prepare(
    `SELECT * FROM ${t} WHERE queue = ? AND state = 'dead' ORDER BY failed_at, seq LIMIT ?`,
  );
  const listing = Object.fromEntries(
    (Object.keys(STATE_SQL) as JobState[]).map((state) => [
      state,
      db.prepare<[string, number]>(
        `SELECT * FROM ${t} WHERE queue = ? AND ${STATE_SQL[state]} ORDER BY seq LIMIT ?`,
      ),
    ]),
  ) as Record<JobState, Database.Statement<[string, number]>>;
  const replay = db.prepare(
    `UPDATE ${t} SET state = 'ready', attempts = 0, run_at = ${NOW}, failed_at = NULL
     WHERE queue = ? AND id = ? AND state = 'dead'`,
  );
  const discard = db.prepare(`DELETE FROM ${t} WHERE queue = ? AND id = ? AND state = 'dead'`);
  const stats = db.prepare(
    `SELECT
       SUM(CASE WHEN ${STATE_SQL.ready} THEN 1 ELSE 0 END) AS ready,
       SUM(CASE WHEN ${STATE_SQL.delayed} THEN 1 ELSE 0 END) AS delayed,
       SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) AS running,
       SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END) AS dead,
       SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS done
     FROM ${t} WHERE queue = @queue`,
  );
  const sweep = db.prepare(
    `DELETE FROM ${t} WHERE seq IN (
       SELECT seq FROM ${t} WHERE queue = @queue AND state = 'done'
         AND finished_at <= ${NOW} - @olderThan LIMIT @limit)`,
  );

  const enqueue = db.transaction((queue: string, jobs: Parameters<QueueStore['enqueue']>[1]) =>
    jobs.map((job) => {
      const key = job.key ?? null;
      const created =
        insert.run(job.id, queue, key, job.payload, job.maxAttempts, job.delayMs).changes > 0;
      if (created || key === null) return { id: job.id, created };
      return { id: (byKey.get(queue, key) as { id: string }).id, created: false };
    }),
  );
  const claim = db.transaction((queue: string, limit: number, leaseMs: number, token: string) => {
    const rows = due.all({ queue, limit }) as Array<{ seq: number }>;
    return rows.map(({ seq }): ClaimedJob => {
      const row = take.get({ token, leaseMs, seq }) as JobRow;
      return { ...toStoredJob(row), token, leaseUntil: Number(row.lease_until) };
    });
  });

  return {
    async enqueue(queue, jobs) {
      return enqueue.immediate(queue, jobs);
    },
    async claim(queue, { limit, leaseMs, token }) {
      return claim.immediate(queue, limit, leaseMs, token);
    },
    async extend(queue, id, token, leaseMs) {
      return extend.run(leaseMs, queue, id, token).changes > 0;
    },
    async complete(queue, id, token, completeOptions) {
      const statement = completeOptions?.keep ? keepDone : remove;
      return statement.run(queue, id, token).changes > 0;
    },
    async retry(queue, id, token, { delayMs, error }) {
      return retry.run(delayMs, error, queue, id, token).changes > 0;
    },
    async bury(queue, id, token, { error }) {
      return bury.run(error, queue, id, token).changes > 0;
    },
    async deadLetters(queue, { limit }) {
      return (dead.all(queue, limit) as JobRow[]).map(
        (row): DeadJob => ({
          ...toStoredJob(row),
          lastError: row.last_error ?? '',
          failedAt: Number(row.failed_at ?? 0),
        }),
      );
    },
    async list(queue, { state, limit }) {
      return (listing[state].all(queue, limit) as JobRow[]).map((row) => toListedJob(row, state));
    },
    async replay(queue, id) {
      return replay.run(queue, id).changes > 0;
    },
    async discard(queue, id) {
      return discard.run(queue, id).changes > 0;
    },
    async stats(queue) {
      const row = stats.get({ queue }) as Record<string, number | null>;
      return {
        ready: row.ready ?? 0,
        delayed: row.delayed ?? 0,
        running: row.running ?? 0,
        dead: row.dead ?? 0,
        done: row.done ?? 0,
      };
    },
    async sweep(queue, { doneOlderThanMs, limit }) {
      return sweep.run({ queue, olderThan: doneOlderThanMs, limit: limit ?? -1 }).changes;
    },
    async migrate() {
      migrateSqlite(handle, 'queue', migrations);
    },
    close: () => handle.close(),
  };
}
