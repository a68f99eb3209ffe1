import { type JobRow, toStoredJob } from '../../queue/row.js';
import type { ClaimedJob, DeadJob, QueueStore } from '../../queue/store.js';
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
];

export interface SqliteQueueStore extends QueueStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** A durable queue in SQLite. Claims run in BEGIN IMMEDIATE transactions, so several processes can share the file. */
export function sqliteQueueStore(
  source: SqliteSource,
  options: SqliteStoreOptions = {},
): SqliteQueueStore {
  const handle = openSqlite(source, options);
  const { db, prefix: p } = handle;
  migrateSqlite(handle, 'queue', migrations);

  const insert = db.prepare(
    `INSERT INTO ${p}jobs (id, queue, key, payload, state, attempts, max_attempts, run_at, created_at)
     VALUES (?, ?, ?, ?, 'ready', 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const byKey = db.prepare(`SELECT id FROM ${p}jobs WHERE queue = ? AND key = ?`);
  const due = db.prepare(
    `SELECT seq FROM ${p}jobs WHERE queue = @queue AND (
       (state = 'ready' AND run_at <= @now) OR (state = 'running' AND lease_until <= @now))
     ORDER BY run_at, seq LIMIT @limit`,
  );
  const take = db.prepare(
    `UPDATE ${p}jobs SET state = 'running', attempts = attempts + 1, token = @token, lease_until = @until
     WHERE seq = @seq RETURNING *`,
  );
  const extend = db.prepare(
    `UPDATE ${p}jobs SET lease_until = ? WHERE queue = ? AND id = ? AND token = ? AND state = 'running'`,
  );
  const remove = db.prepare(
    `DELETE FROM ${p}jobs WHERE queue = ? AND id = ? AND token = ? AND state = 'running'`,
  );
  const retry = db.prepare(
    `UPDATE ${p}jobs SET state = 'ready', run_at = ?, last_error = ?, token = NULL, lease_until = NULL
     WHERE queue = ? AND id = ? AND token = ? AND state = 'running'`,
  );
  const bury = db.prepare(
    `UPDATE ${p}jobs SET state = 'dead', last_error = ?, failed_at = ?, token = NULL, lease_until = NULL
     WHERE queue = ? AND id = ? AND token = ? AND state = 'running'`,
  );
  const dead = db.prepare(
    `SELECT * FROM ${p}jobs WHERE queue = ? AND state = 'dead' ORDER BY failed_at, seq LIMIT ?`,
  );
  const replay = db.prepare(
    `UPDATE ${p}jobs SET state = 'ready', attempts = 0, run_at = ?, failed_at = NULL
     WHERE queue = ? AND id = ? AND state = 'dead'`,
  );
  const stats = db.prepare(
    `SELECT
       SUM(CASE WHEN state = 'ready' AND run_at <= @now THEN 1 ELSE 0 END) AS ready,
       SUM(CASE WHEN state = 'ready' AND run_at > @now THEN 1 ELSE 0 END) AS delayed,
       SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) AS running,
       SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END) AS dead
     FROM ${p}jobs WHERE queue = @queue`,
  );

  const enqueue = db.transaction((queue: string, jobs: Parameters<QueueStore['enqueue']>[1]) =>
    jobs.map((job) => {
      const key = job.key ?? null;
      const created =
        insert.run(job.id, queue, key, job.payload, job.maxAttempts, job.runAt, job.createdAt)
          .changes > 0;
      if (created || key === null) return { id: job.id, created };
      return { id: (byKey.get(queue, key) as { id: string }).id, created: false };
    }),
  );
  const claim = db.transaction(
    (queue: string, limit: number, leaseMs: number, now: number, token: string) => {
      const rows = due.all({ queue, now, limit }) as Array<{ seq: number }>;
      return rows.map(({ seq }): ClaimedJob => {
        const row = take.get({ token, until: now + leaseMs, seq }) as JobRow;
        return { ...toStoredJob(row), token, leaseUntil: now + leaseMs };
      });
    },
  );

  return {
    async enqueue(queue, jobs) {
      return enqueue.immediate(queue, jobs);
    },
    async claim(queue, { limit, leaseMs, now, token }) {
      return claim.immediate(queue, limit, leaseMs, now, token);
    },
    async extend(queue, id, token, leaseUntil) {
      return extend.run(leaseUntil, queue, id, token).changes > 0;
    },
    async complete(queue, id, token) {
      return remove.run(queue, id, token).changes > 0;
    },
    async retry(queue, id, token, { runAt, error }) {
      return retry.run(runAt, error, queue, id, token).changes > 0;
    },
    async bury(queue, id, token, { error, now }) {
      return bury.run(error, now, queue, id, token).changes > 0;
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
    async replay(queue, id, now) {
      return replay.run(now, queue, id).changes > 0;
    },
    async stats(queue, now) {
      const row = stats.get({ queue, now }) as Record<string, number | null>;
      return {
        ready: row.ready ?? 0,
        delayed: row.delayed ?? 0,
        running: row.running ?? 0,
        dead: row.dead ?? 0,
      };
    },
    async migrate() {
      migrateSqlite(handle, 'queue', migrations);
    },
    close: () => handle.close(),
  };
}
