import { type JobRow, toStoredJob } from '../../queue/row.js';
import type { ClaimedJob, DeadJob, NewJob, QueueStore } from '../../queue/store.js';
import { groupCommit } from './batch.js';
import { openPostgres, type PostgresSource, type PostgresStoreOptions } from './connection.js';

const migrations = [
  (p: string) => `
    CREATE TABLE IF NOT EXISTS ${p}jobs (
      seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, queue TEXT NOT NULL, key TEXT,
      payload TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER NOT NULL, run_at BIGINT NOT NULL, lease_until BIGINT, token TEXT,
      last_error TEXT, created_at BIGINT NOT NULL, failed_at BIGINT);
    CREATE UNIQUE INDEX IF NOT EXISTS ${p}jobs_key ON ${p}jobs (queue, key) WHERE key IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ${p}jobs_due ON ${p}jobs (queue, state, run_at, seq);
    CREATE INDEX IF NOT EXISTS ${p}jobs_lease ON ${p}jobs (queue, state, lease_until);`,
];

const CHUNK = 1000;

export interface PostgresQueueStore extends QueueStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A durable queue in PostgreSQL. Workers claim with FOR UPDATE SKIP LOCKED, so any number of
 * processes share one queue without handing a job to two of them; an expired lease makes the job
 * claimable again.
 */
export function postgresQueueStore(
  source: PostgresSource,
  options: PostgresStoreOptions = {},
): PostgresQueueStore {
  const handle = openPostgres(source, options, 'queue', migrations);
  const { pool, prefix: p } = handle;
  const t = `${p}jobs`;

  const completeMany = groupCommit(
    async (items: Array<{ queue: string; id: string; token: string }>) => {
      const { rows } = await pool.query(
        `DELETE FROM ${t} AS j USING unnest($1::text[], $2::text[], $3::text[]) AS d(queue, id, token)
       WHERE j.queue = d.queue AND j.id = d.id AND j.token = d.token AND j.state = 'running'
       RETURNING j.id, j.token`,
        [items.map((i) => i.queue), items.map((i) => i.id), items.map((i) => i.token)],
      );
      const removed = new Set(rows.map((row) => `${row.id}\u0000${row.token}`));
      return items.map((i) => removed.has(`${i.id}\u0000${i.token}`));
    },
  );

  const insertChunk = async (queue: string, jobs: NewJob[]) => {
    const unique = new Map<string, NewJob>();
    const rows: NewJob[] = [];
    for (const job of jobs) {
      if (job.key === undefined) rows.push(job);
      else if (!unique.has(job.key)) {
        unique.set(job.key, job);
        rows.push(job);
      }
    }
    const inserted = await pool.query(
      `INSERT INTO ${t} (id, queue, key, payload, state, attempts, max_attempts, run_at, created_at)
       SELECT id, $1, key, payload, 'ready', 0, max_attempts, run_at, created_at
       FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::bigint[])
         AS j(id, key, payload, max_attempts, run_at, created_at)
       ON CONFLICT (queue, key) WHERE key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        queue,
        rows.map((j) => j.id),
        rows.map((j) => j.key ?? null),
        rows.map((j) => j.payload),
        rows.map((j) => j.maxAttempts),
        rows.map((j) => j.runAt),
        rows.map((j) => j.createdAt),
      ],
    );
    const created = new Set(inserted.rows.map((row) => row.id as string));
    const missingKeys = [...unique.values()].filter((j) => !created.has(j.id)).map((j) => j.key!);
    const existing = new Map<string, string>();
    if (missingKeys.length > 0) {
      const found = await pool.query(
        `SELECT id, key FROM ${t} WHERE queue = $1 AND key = ANY($2::text[])`,
        [queue, missingKeys],
      );
      for (const row of found.rows) existing.set(row.key, row.id);
    }
    return jobs.map((job) => {
      if (created.has(job.id)) return { id: job.id, created: true };
      const winner = job.key === undefined ? undefined : unique.get(job.key);
      const id = winner && created.has(winner.id) ? winner.id : existing.get(job.key ?? '');
      return { id: id ?? job.id, created: false };
    });
  };

  return {
    async enqueue(queue, jobs) {
      await handle.ready();
      const results = [];
      for (let i = 0; i < jobs.length; i += CHUNK) {
        results.push(...(await insertChunk(queue, jobs.slice(i, i + CHUNK))));
      }
      return results;
    },
    async claim(queue, { limit, leaseMs, now, token }) {
      await handle.ready();
      const { rows } = await pool.query(
        `WITH expired AS (
           SELECT seq FROM ${t} WHERE queue = $1 AND state = 'running' AND lease_until <= $2
           ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED),
         due AS (
           SELECT seq FROM ${t} WHERE queue = $1 AND state = 'ready' AND run_at <= $2
           ORDER BY run_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED),
         picked AS (SELECT seq FROM (SELECT seq FROM expired UNION ALL SELECT seq FROM due) AS both_ LIMIT $3)
         UPDATE ${t} AS j SET state = 'running', attempts = j.attempts + 1, token = $4, lease_until = $5
         FROM picked WHERE j.seq = picked.seq
         RETURNING j.*`,
        [queue, now, limit, token, now + leaseMs],
      );
      return (rows as JobRow[])
        .map((row): ClaimedJob => ({ ...toStoredJob(row), token, leaseUntil: now + leaseMs }))
        .sort((a, b) => a.runAt - b.runAt);
    },
    async extend(queue, id, token, leaseUntil) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${t} SET lease_until = $4 WHERE queue = $1 AND id = $2 AND token = $3 AND state = 'running'`,
        [queue, id, token, leaseUntil],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async complete(queue, id, token) {
      await handle.ready();
      return completeMany({ queue, id, token });
    },
    async retry(queue, id, token, { runAt, error }) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${t} SET state = 'ready', run_at = $4, last_error = $5, token = NULL, lease_until = NULL
         WHERE queue = $1 AND id = $2 AND token = $3 AND state = 'running'`,
        [queue, id, token, runAt, error],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async bury(queue, id, token, { error, now }) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${t} SET state = 'dead', last_error = $4, failed_at = $5, token = NULL, lease_until = NULL
         WHERE queue = $1 AND id = $2 AND token = $3 AND state = 'running'`,
        [queue, id, token, error, now],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async deadLetters(queue, { limit }) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT * FROM ${t} WHERE queue = $1 AND state = 'dead' ORDER BY failed_at, seq LIMIT $2`,
        [queue, limit],
      );
      return (rows as JobRow[]).map(
        (row): DeadJob => ({
          ...toStoredJob(row),
          lastError: row.last_error ?? '',
          failedAt: Number(row.failed_at ?? 0),
        }),
      );
    },
    async replay(queue, id, now) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${t} SET state = 'ready', attempts = 0, run_at = $3, failed_at = NULL
         WHERE queue = $1 AND id = $2 AND state = 'dead'`,
        [queue, id, now],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async stats(queue, now) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT
           COUNT(*) FILTER (WHERE state = 'ready' AND run_at <= $2) AS ready,
           COUNT(*) FILTER (WHERE state = 'ready' AND run_at > $2) AS delayed,
           COUNT(*) FILTER (WHERE state = 'running') AS running,
           COUNT(*) FILTER (WHERE state = 'dead') AS dead
         FROM ${t} WHERE queue = $1`,
        [queue, now],
      );
      const row = rows[0];
      return {
        ready: Number(row.ready),
        delayed: Number(row.delayed),
        running: Number(row.running),
        dead: Number(row.dead),
      };
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
