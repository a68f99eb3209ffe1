import { type JobRow, toListedJob, toStoredJob } from '../../queue/row.js';
import type { ClaimedJob, DeadJob, JobState, NewJob, QueueStore } from '../../queue/store.js';
import { requireNonNegativeInt } from '../input.js';
import {
  type MysqlSource,
  type MysqlStoreOptions,
  marks,
  maxAllowedPacket,
  MYSQL_NOW as NOW,
  openMysql,
  packetRoom,
  type Result,
  type Row,
  requireBytes,
  requirePacketRoom,
  TABLE_OPTIONS,
  text,
  textOrNull,
  transaction,
} from './connection.js';

/** Longest queue name, job id and job key, in bytes of UTF-8 (they are indexed). */
export const MYSQL_QUEUE_LIMITS = { queue: 255, id: 255, key: 2048 } as const;

const migrations = [
  // No partial indexes in MySQL: `live_key` is the key while the job is not done (NULL after), and
  // a UNIQUE index on it lets one live job per key exist while done jobs keep theirs for the record.
  (p: string) => [
    `CREATE TABLE IF NOT EXISTS \`${p}jobs\` (
       seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
       id VARBINARY(${MYSQL_QUEUE_LIMITS.id}) NOT NULL,
       q VARBINARY(${MYSQL_QUEUE_LIMITS.queue}) NOT NULL,
       k VARBINARY(${MYSQL_QUEUE_LIMITS.key}) NULL,
       payload LONGTEXT NOT NULL, state VARCHAR(8) NOT NULL, attempts INT NOT NULL DEFAULT 0,
       max_attempts INT NOT NULL, run_at BIGINT NOT NULL, lease_until BIGINT NULL,
       token VARBINARY(255) NULL, last_error LONGTEXT NULL, created_at BIGINT NOT NULL,
       failed_at BIGINT NULL, finished_at BIGINT NULL,
       live_key VARBINARY(${MYSQL_QUEUE_LIMITS.key}) AS (CASE WHEN state <> 'done' THEN k END) STORED,
       UNIQUE KEY \`${p}jobs_id\` (id),
       UNIQUE KEY \`${p}jobs_live_key\` (q, live_key),
       KEY \`${p}jobs_due\` (q, state, run_at, seq),
       KEY \`${p}jobs_lease\` (q, state, lease_until),
       KEY \`${p}jobs_done\` (q, state, finished_at)) ${TABLE_OPTIONS}`,
  ],
];

/** Which rows a listed state is, in SQL (`ready` and `delayed` split by the server's clock). */
const STATE_SQL: Record<JobState, string> = {
  ready: `state = 'ready' AND run_at <= ${NOW}`,
  delayed: `state = 'ready' AND run_at > ${NOW}`,
  running: `state = 'running'`,
  dead: `state = 'dead'`,
  done: `state = 'done'`,
};

const CHUNK = 500;

export interface MysqlQueueStore extends QueueStore {
  migrate(): Promise<void>;
  close(): Promise<void>;
}

function toJobRow(row: Row): JobRow {
  return {
    id: text(row.id),
    key: textOrNull(row.k),
    payload: row.payload as string,
    attempts: row.attempts,
    max_attempts: row.max_attempts,
    run_at: row.run_at,
    created_at: row.created_at,
    last_error: (row.last_error as string | null) ?? null,
    lease_until: row.lease_until,
    token: textOrNull(row.token),
    failed_at: row.failed_at,
    finished_at: row.finished_at,
    state: row.state,
  };
}

/** A whole number for a LIMIT clause (validated, so it can be written into the statement). */
function limitOf(limit: number): number {
  return requireNonNegativeInt('limit', limit);
}

/**
 * A durable queue in MySQL 8 / MariaDB 10.6+. Workers claim with SELECT ... FOR UPDATE SKIP
 * LOCKED, so any number of processes share one queue without handing a job to two of them; an
 * expired lease makes the job claimable again. Due times and leases are judged by the server's clock.
 */
export function mysqlQueueStore(
  source: MysqlSource,
  options: MysqlStoreOptions = {},
): MysqlQueueStore {
  const handle = openMysql(source, options, 'queue', migrations);
  const { pool, prefix: p } = handle;
  const t = `\`${p}jobs\``;
  const queueName = (queue: string) => requireBytes('queue', queue, MYSQL_QUEUE_LIMITS.queue);

  const insertChunk = async (queue: string, jobs: NewJob[]) => {
    const unique = new Map<string, NewJob>();
    const rows: NewJob[] = [];
    for (const job of jobs) {
      requireBytes('id', job.id, MYSQL_QUEUE_LIMITS.id);
      if (job.key !== undefined) requireBytes('key', job.key, MYSQL_QUEUE_LIMITS.key);
      if (job.key === undefined) rows.push(job);
      else if (!unique.has(job.key)) {
        unique.set(job.key, job);
        rows.push(job);
      }
    }
    return transaction(pool, async (connection) => {
      // A key already live makes its row a no-op (`seq = seq`); every other row is inserted.
      await connection.execute(
        `INSERT INTO ${t} (id, q, k, payload, state, attempts, max_attempts, run_at, created_at)
         VALUES ${rows.map(() => `(?, ?, ?, ?, 'ready', 0, ?, ${NOW} + ?, ${NOW})`).join(', ')}
         ON DUPLICATE KEY UPDATE seq = seq`,
        rows.flatMap((j) => [
          j.id,
          queue,
          j.key ?? null,
          j.payload,
          j.maxAttempts,
          Math.round(j.delayMs),
        ]),
      );
      // Rows this transaction inserted stay locked until it commits, so they are all still there.
      const [found] = await connection.execute<Row[]>(
        `SELECT id FROM ${t} WHERE id IN (${marks(rows.length)})`,
        rows.map((j) => j.id),
      );
      const created = new Set(found.map((row) => text(row.id)));
      const missingKeys = [...unique.values()].filter((j) => !created.has(j.id)).map((j) => j.key!);
      const existing = new Map<string, string>();
      if (missingKeys.length > 0) {
        const [live] = await connection.execute<Row[]>(
          `SELECT id, k FROM ${t} WHERE q = ? AND live_key IN (${marks(missingKeys.length)})`,
          [queue, ...missingKeys],
        );
        for (const row of live) existing.set(text(row.k), text(row.id));
      }
      return jobs.map((job) => {
        if (created.has(job.id)) return { id: job.id, created: true };
        const winner = job.key === undefined ? undefined : unique.get(job.key);
        const id = winner && created.has(winner.id) ? winner.id : existing.get(job.key ?? '');
        return { id: id ?? job.id, created: false };
      });
    });
  };

  /** Locks up to `limit` rows the statement selects, skipping rows another worker holds. */
  const lockSeqs = async (
    connection: Pick<typeof pool, 'execute'>,
    where: string,
    order: string,
    queue: string,
    limit: number,
  ) => {
    const [rows] = await connection.execute<Row[]>(
      `SELECT seq FROM ${t} WHERE q = ? AND ${where} ORDER BY ${order} LIMIT ${limit}
       FOR UPDATE SKIP LOCKED`,
      [queue],
    );
    return rows.map((row) => Number(row.seq));
  };

  return {
    async enqueue(queue, jobs) {
      queueName(queue);
      await handle.ready();
      const max = await maxAllowedPacket(pool);
      const room = packetRoom(max);
      const sizes = jobs.map((job) => requirePacketRoom('payload', job.payload, 1, max));
      const results = [];
      // Up to CHUNK jobs per INSERT, and no more payload bytes than one packet can carry.
      for (let start = 0; start < jobs.length; ) {
        let end = start;
        let bytes = 0;
        while (
          end < jobs.length &&
          end - start < CHUNK &&
          (end === start || bytes + sizes[end]! <= room)
        ) {
          bytes += sizes[end]!;
          end += 1;
        }
        results.push(...(await insertChunk(queue, jobs.slice(start, end))));
        start = end;
      }
      return results;
    },
    async claim(queue, { limit, leaseMs, token }) {
      queueName(queue);
      const max = limitOf(limit);
      await handle.ready();
      if (max === 0) return [];
      const rows = await transaction(pool, async (connection) => {
        // Jobs whose lease ran out come back first, then due jobs, oldest due first.
        const expired = await lockSeqs(
          connection,
          `state = 'running' AND lease_until <= ${NOW}`,
          'lease_until',
          queue,
          max,
        );
        const due =
          expired.length < max
            ? await lockSeqs(
                connection,
                `state = 'ready' AND run_at <= ${NOW}`,
                'run_at, seq',
                queue,
                max - expired.length,
              )
            : [];
        const picked = [...expired, ...due];
        if (picked.length === 0) return [];
        await connection.execute(
          `UPDATE ${t} SET state = 'running', attempts = attempts + 1, token = ?,
             lease_until = ${NOW} + ? WHERE seq IN (${marks(picked.length)})`,
          [token, Math.round(leaseMs), ...picked],
        );
        const [claimed] = await connection.execute<Row[]>(
          `SELECT * FROM ${t} WHERE seq IN (${marks(picked.length)})`,
          picked,
        );
        return claimed;
      });
      return rows
        .map(
          (row): ClaimedJob => ({
            ...toStoredJob(toJobRow(row)),
            token,
            leaseUntil: Number(row.lease_until),
          }),
        )
        .sort((a, b) => a.runAt - b.runAt);
    },
    async extend(queue, id, token, leaseMs) {
      await handle.ready();
      const [result] = await pool.execute<Result>(
        `UPDATE ${t} SET lease_until = ${NOW} + ?
         WHERE q = ? AND id = ? AND token = ? AND state = 'running'`,
        [Math.round(leaseMs), queue, id, token],
      );
      return result.affectedRows > 0;
    },
    async complete(queue, id, token, completeOptions) {
      await handle.ready();
      const [result] =
        completeOptions?.keep === true
          ? await pool.execute<Result>(
              `UPDATE ${t} SET state = 'done', finished_at = ${NOW}, token = NULL, lease_until = NULL
               WHERE q = ? AND id = ? AND token = ? AND state = 'running'`,
              [queue, id, token],
            )
          : await pool.execute<Result>(
              `DELETE FROM ${t} WHERE q = ? AND id = ? AND token = ? AND state = 'running'`,
              [queue, id, token],
            );
      return result.affectedRows > 0;
    },
    async retry(queue, id, token, { delayMs, error }) {
      await handle.ready();
      const [result] = await pool.execute<Result>(
        `UPDATE ${t} SET state = 'ready', run_at = ${NOW} + ?, last_error = ?, token = NULL,
           lease_until = NULL
         WHERE q = ? AND id = ? AND token = ? AND state = 'running'`,
        [Math.round(delayMs), error, queue, id, token],
      );
      return result.affectedRows > 0;
    },
    async bury(queue, id, token, { error }) {
      await handle.ready();
      const [result] = await pool.execute<Result>(
        `UPDATE ${t} SET state = 'dead', last_error = ?, failed_at = ${NOW}, token = NULL,
           lease_until = NULL
         WHERE q = ? AND id = ? AND token = ? AND state = 'running'`,
        [error, queue, id, token],
      );
      return result.affectedRows > 0;
    },
    async list(queue, { state, limit }) {
      await handle.ready();
      const where = STATE_SQL[state];
      if (!where) throw new TypeError(`unknown job state ${String(state)}`);
      const [rows] = await pool.execute<Row[]>(
        `SELECT * FROM ${t} WHERE q = ? AND ${where} ORDER BY seq LIMIT ${limitOf(limit)}`,
        [queue],
      );
      return rows.map((row) => toListedJob(toJobRow(row), state));
    },
    async sweep(queue, { doneOlderThanMs, limit }) {
      await handle.ready();
      const [result] = await pool.execute<Result>(
        `DELETE FROM ${t} WHERE q = ? AND state = 'done' AND finished_at <= ${NOW} - ?
         ORDER BY seq ${limit === undefined ? '' : `LIMIT ${limitOf(limit)}`}`,
        [queue, Math.round(doneOlderThanMs)],
      );
      return result.affectedRows;
    },
    async deadLetters(queue, { limit }) {
      await handle.ready();
      const [rows] = await pool.execute<Row[]>(
        `SELECT * FROM ${t} WHERE q = ? AND state = 'dead' ORDER BY failed_at, seq
         LIMIT ${limitOf(limit)}`,
        [queue],
      );
      return rows.map((row): DeadJob => {
        const job = toJobRow(row);
        return {
          ...toStoredJob(job),
          lastError: job.last_error ?? '',
          failedAt: Number(job.failed_at ?? 0),
        };
      });
    },
    async replay(queue, id) {
      await handle.ready();
      const [result] = await pool.execute<Result>(
        `UPDATE ${t} SET state = 'ready', attempts = 0, run_at = ${NOW}, failed_at = NULL
         WHERE q = ? AND id = ? AND state = 'dead'`,
        [queue, id],
      );
      return result.affectedRows > 0;
    },
    async discard(queue, id) {
      await handle.ready();
      const [result] = await pool.execute<Result>(
        `DELETE FROM ${t} WHERE q = ? AND id = ? AND state = 'dead'`,
        [queue, id],
      );
      return result.affectedRows > 0;
    },
    async stats(queue) {
      await handle.ready();
      const [rows] = await pool.execute<Row[]>(
        `SELECT
           COALESCE(SUM(${STATE_SQL.ready}), 0) AS n_ready,
           COALESCE(SUM(${STATE_SQL.delayed}), 0) AS n_delayed,
           COALESCE(SUM(state = 'running'), 0) AS n_running,
           COALESCE(SUM(state = 'dead'), 0) AS n_dead,
           COALESCE(SUM(state = 'done'), 0) AS n_done
         FROM ${t} WHERE q = ?`,
        [queue],
      );
      const row = rows[0]!;
      return {
        ready: Number(row.n_ready),
        delayed: Number(row.n_delayed),
        running: Number(row.n_running),
        dead: Number(row.n_dead),
        done: Number(row.n_done),
      };
    },
    migrate: () => handle.migrate(),
    close: () => handle.close(),
  };
}
