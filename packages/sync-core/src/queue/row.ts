import type { StoredJob } from './store.js';

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
