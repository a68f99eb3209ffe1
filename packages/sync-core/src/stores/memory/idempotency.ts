import type { IdempotencyRecord, IdempotencyStore } from '../../idempotency/store.js';

interface Row {
  record: IdempotencyRecord;
  token?: string;
  expiresAt?: number;
}

export interface MemoryIdempotencyOptions {
  /** The store's clock (epoch ms); every expiry is judged by it. Default `Date.now`. */
  now?: () => number;
}

/** An in-process IdempotencyStore; its clock is the process's (or `now`). */
export function memoryIdempotencyStore(options: MemoryIdempotencyOptions = {}): IdempotencyStore {
  const clock = options.now ?? Date.now;
  const rows = new Map<string, Row>();
  const live = (key: string, now: number): Row | undefined => {
    const row = rows.get(key);
    if (row?.expiresAt !== undefined && row.expiresAt <= now) {
      rows.delete(key);
      return undefined;
    }
    return row;
  };
  const held = (key: string, token: string) => {
    const row = rows.get(key);
    return row && row.token === token && row.record.state === 'running' ? row : undefined;
  };
  const expired = (row: Row, now: number) =>
    (row.expiresAt !== undefined && row.expiresAt <= now) ||
    (row.record.state === 'running' && (row.record.lockedUntil ?? 0) <= now);

  return {
    async begin(key, { token, lockMs }) {
      const now = clock();
      const row = live(key, now);
      const abandoned = row?.record.state === 'running' && (row.record.lockedUntil ?? 0) <= now;
      if (row && !abandoned) return { acquired: false, record: { ...row.record } };
      rows.set(key, {
        token,
        record: { key, state: 'running', lockedUntil: now + lockMs, updatedAt: now },
      });
      return { acquired: true, token };
    },
    async renew(key, token, { lockMs }) {
      const now = clock();
      const row = held(key, token);
      if (!row) return false; // taken over (or forgotten): the token no longer holds the key
      row.record = { ...row.record, lockedUntil: now + lockMs, updatedAt: now };
      return true;
    },
    async complete(key, token, { result, ttlMs }) {
      const now = clock();
      if (!held(key, token)) return false;
      rows.set(key, {
        record: { key, state: 'done', result, updatedAt: now },
        ...(ttlMs === undefined ? {} : { expiresAt: now + ttlMs }),
      });
      return true;
    },
    async fail(key, token, { error, release, ttlMs }) {
      const now = clock();
      if (!held(key, token)) return false;
      if (release) rows.delete(key);
      else {
        rows.set(key, {
          record: { key, state: 'failed', error, updatedAt: now },
          ...(ttlMs === undefined ? {} : { expiresAt: now + ttlMs }),
        });
      }
      return true;
    },
    async get(key) {
      const row = live(key, clock());
      return row ? { ...row.record } : undefined;
    },
    async delete(key) {
      rows.delete(key);
    },
    async sweep(sweepOptions) {
      const now = clock();
      const limit = sweepOptions?.limit ?? Number.POSITIVE_INFINITY;
      let deleted = 0;
      for (const [key, row] of rows) {
        if (deleted >= limit) break;
        if (expired(row, now)) {
          rows.delete(key);
          deleted += 1;
        }
      }
      return deleted;
    },
  };
}
