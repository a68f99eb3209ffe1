import type { IdempotencyRecord } from './store.js';

/** An idempotency row as the SQL stores keep it (numbers may arrive as strings from pg). */
export interface IdempotencyRow {
  key: string;
  state: 'running' | 'done' | 'failed';
  token: string | null;
  locked_until: number | string | null;
  result: string | null;
  error: string | null;
  updated_at: number | string;
  expires_at: number | string | null;
}

export function toRecord(row: IdempotencyRow): IdempotencyRecord {
  return {
    key: row.key,
    state: row.state,
    ...(row.result === null ? {} : { result: row.result }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.state === 'running' && row.locked_until !== null
      ? { lockedUntil: Number(row.locked_until) }
      : {}),
    updatedAt: Number(row.updated_at),
  };
}
