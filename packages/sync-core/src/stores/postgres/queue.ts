import { type JobRow, toListedJob, toStoredJob } from '../../queue/row.js';
import type { ClaimedJob, DeadJob, JobState, NewJob, QueueStore } from '../../queue/store.js';
import { groupCommit } from './batch.js';
import { PG_NOW as NOW } from './clock.js';
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
  // Done jobs may be kept (keepDoneMs): their key no longer dedupes, and they are swept by age.
  (p: string) => `
    ALTER TABLE ${p}jobs ADD COLUMN IF NOT EXISTS finished_at BIGINT;
    DROP INDEX IF EXISTS ${p}jobs_key;
    CREATE UNIQUE INDEX IF NOT EXISTS ${p}jobs_live_key ON ${p}jobs (queue, key)
      WHERE key IS NOT NULL AND state <> 'done';
    CREATE INDEX IF NOT EXISTS ${p}jobs_done ON ${p}jobs (queue, state, finished_at);`,
];

/** Which rows a listed state is, in SQL (`ready` and `delayed` split by the server's clock). */
const STATE_SQL: Record<JobState, string> = {
  ready: `state = 'ready' AND run_at <= ${NOW}`,
  delayed: `state = 'ready' AND run_at > ${NOW}`,
  running: `state = 'running'`,
  dead: `state = 'dead'`,
  done: `state = 'done'`,
};

const CHUNK = 1000;

export interface PostgresQueueStore extends QueueStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A durable queue in PostgreSQL. Workers claim with FOR UPDATE SKIP LOCKED, so any number of
 * processes share one queue without handing a job to two of them; an expired lease makes the job
 * claimable again. Due times and leases are judged by the server's `clock_timestamp()`.
 */
export function postgresQueueStore(
  source: PostgresSource,
  options: PostgresStoreOptions = {},
): PostgresQueueStore {
  const handle = openPostgres(source, options, 'queue', migrations);
  const { pool, prefix: p } = handle;
  const t = `${p}jobs`;

  // Completions of one batch in one statement: removed, or kept as done (keepDoneMs).
  const completeMany = groupCommit(
    async (items: Array<{ queue: string; id: string; token: string; keep: boolean }>) => {
      const { rows } = await pool.query(
        `WITH d AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[])
                      AS d(queue, id, token, keep)),
           removed AS (
             DELETE FROM ${t} AS j USING d
             WHERE j.queue = d.queue AND j.id = d.id AND j.token = d.token AND j.state = 'running'
               AND NOT d.keep
             RETURNING j.id, d.token),
           kept AS (
             UPDATE ${t} AS j SET state = 'done', finished_at = ${NOW}, token = NULL, lease_until = NULL
             FROM d
             WHERE j.queue = d.queue AND j.id = d.id AND j.token = d.token AND j.state = 'running'
               AND d.keep
             RETURNING j.id, d.token)
         SELECT id, token FROM removed UNION ALL SELECT id, token FROM kept`,
        [
          items.map((i) => i.queue),
          items.map((i) => i.id),
          items.map((i) => i.token),
          items.map((i) => i.keep),
        ],
      );
      const done = new Set(rows.map((row) => `${row.id}\u0000${row.token}`));
      return items.map((i) => done.has(`${i.id}\u0000${i.token}`));
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
       SELECT id, $1, key, payload, 'ready', 0, max_attempts, ${NOW} + delay_ms, ${NOW}
       FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[])
         AS j(id, key, payload, max_attempts, delay_ms)
       ON CONFLICT (queue, key) WHERE key IS NOT NULL AND state <> 'done' DO NOTHING
       RETURNING id`,
      [
        queue,
        rows.map((j) => j.id),
        rows.map((j) => j.key ?? null),
        rows.map((j) => j.payload),
        rows.map((j) => j.maxAttempts),
        rows.map((j) => Math.round(j.delayMs)),
      ],
    );
    const created = new Set(inserted.rows.map((row) => row.id as string));
    const missingKeys = [...unique.values()].filter((j) => !created.has(j.id)).map((j) => j.key!);
    const existing = new Map<string, string>();
    if (missingKeys.length > 0) {
      const found = await pool.query(
        `SELECT id, key FROM ${t} WHERE queue = $1 AND key = ANY($2::text[]) AND state <> 'done'`,
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
    async claim(queue, { limit, leaseMs, token }) {
      await handle.ready();
      const { rows } = await pool.query(
        `WITH expired AS (
           SELECT seq FROM ${t} WHERE queue = $1 AND state = 'running' AND lease_until <= ${NOW}
           ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED),
         due AS (
           SELECT seq FROM ${t} WHERE queue = $1 AND state = 'ready' AND run_at <= ${NOW}
           ORDER BY run_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED),
         picked AS (SELECT seq FROM (SELECT seq FROM expired UNION ALL SELECT seq FROM due) AS both_ LIMIT $2)
         UPDATE ${t} AS j SET state = 'running', attempts = j.attempts + 1, token = $3,
           lease_until = ${NOW} + $4
         FROM picked WHERE j.seq = picked.seq
         RETURNING j.*`,
        [queue, limit, token, leaseMs],
      );
      return (rows as JobRow[])
        .map(
          (row): ClaimedJob => ({
            ...toStoredJob(row),
            token,
            leaseUntil: Number(row.lease_until),
          }),
        )
        .sort((a, b) => a.runAt - b.runAt);
    },
    async extend(queue, id, token, leaseMs) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${t} SET lease_until = ${NOW} + $4
         WHERE queue = $1 AND id = $2 AND token = $3 AND state = 'running'`,
        [queue, id, token, leaseMs],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async complete(queue, id, token, completeOptions) {
      await handle.ready();
      return completeMany({ queue, id, token, keep: completeOptions?.keep === true });
    },
    async retry(queue, id, token, { delayMs, error }) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${t} SET state = 'ready', run_at = ${NOW} + $4, last_error = $5, token = NULL,
           lease_until = NULL
         WHERE queue = $1 AND id = $2 AND token = $3 AND state = 'running'`,
        [queue, id, token, Math.round(delayMs), error],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async bury(queue, id, token, { error }) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${t} SET state = 'dead', last_error = $4, failed_at = ${NOW}, token = NULL,
           lease_until = NULL
         WHERE queue = $1 AND id = $2 AND token = $3 AND state = 'running'`,
        [queue, id, token, error],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async list(queue, { state, limit }) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT * FROM ${t} WHERE queue = $1 AND ${STATE_SQL[state]} ORDER BY seq LIMIT $2`,
        [queue, limit],
      );
      return (rows as JobRow[]).map((row) => toListedJob(row, state));
    },
    async sweep(queue, { doneOlderThanMs, limit }) {
      await handle.ready();
      const { rowCount } = await pool.query(
        `DELETE FROM ${t} WHERE seq IN (
           SELECT seq FROM ${t} WHERE queue = $1 AND state = 'done'
             AND finished_at <= ${NOW} - $2 LIMIT $3 FOR UPDATE SKIP LOCKED)`,
        [queue, doneOlderThanMs, limit ?? null],
      );
      return rowCount ?? 0;
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
    async replay(queue, id) {
      await handle.ready();
      const result = await pool.query(
        `UPDATE ${t} SET state = 'ready', attempts = 0, run_at = ${NOW}, failed_at = NULL
         WHERE queue = $1 AND id = $2 AND state = 'dead'`,
        [queue, id],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async discard(queue, id) {
      await handle.ready();
      const result = await pool.query(
        `DELETE FROM ${t} WHERE queue = $1 AND id = $2 AND state = 'dead'`,
        [queue, id],
      );
      return (result.rowCount ?? 0) > 0;
    },
    async stats(queue) {
      await handle.ready();
      const { rows } = await pool.query(
        `SELECT
           COUNT(*) FILTER (WHERE ${STATE_SQL.ready}) AS ready,
           COUNT(*) FILTER (WHERE ${STATE_SQL.delayed}) AS delayed,
           COUNT(*) FILTER (WHERE state = 'running') AS running,
           COUNT(*) FILTER (WHERE state = 'dead') AS dead,
           COUNT(*) FILTER (WHERE state = 'done') AS done
         FROM ${t} WHERE queue = $1`,
        [queue],
      );
      const row = rows[0];
      return {
        ready: Number(row.ready),
        delayed: Number(row.delayed),
        running: Number(row.running),
        dead: Number(row.dead),
        done: Number(row.done),
      };
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
