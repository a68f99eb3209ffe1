import type { JobState, ListedJob, StoredJob } from './store.js';

/** A job row as the SQL stores keep it (pg returns BIGINT columns as strings). */
export interface JobRow {
  id: string;
  key: string | null;
  payload: string;
  attempts: number | string;
  max_attempts: number | string;
  run_at: number | string;
  created_at: number | string;
  last_error: string | null;
  lease_until?: number | string | null;
  token?: string | null;
  failed_at?: number | string | null;
  finished_at?: number | string | null;
  state?: string;
}

export function toStoredJob(row: JobRow): StoredJob {
  return {
    id: row.id,
    ...(row.key === null ? {} : { key: row.key }),
    payload: row.payload,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: Number(row.run_at),
    createdAt: Number(row.created_at),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
  };
}

/** A listed job; `state` is the one asked for (a ready row listed as `delayed` is not yet due). */
export function toListedJob(row: JobRow, state: JobState): ListedJob {
  const finished = state === 'dead' ? row.failed_at : row.finished_at;
  return {
    ...toStoredJob(row),
    state,
    ...(finished === null || finished === undefined ? {} : { finishedAt: Number(finished) }),
  };
}
