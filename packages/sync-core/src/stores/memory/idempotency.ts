import type { IdempotencyRecord, IdempotencyStore } from '../../idempotency/store.js';

interface Row {
  record: IdempotencyRecord;
  token?: string;
  expiresAt?: number;
}

/** An in-process IdempotencyStore. */
export function memoryIdempotencyStore(): IdempotencyStore {
  const rows = new Map<string, Row>();
  const live = (key: string, now: number): Row | undefined => {
    const row = rows.get(key);
    if (row?.expiresAt !== undefined && row.expiresAt <= now) {
      rows.delete(key);
      return undefined;
    }
    return row;
  };

  return {
    async begin(key, { token, now, lockMs }) {
      const row = live(key, now);
      const abandoned = row?.record.state === 'running' && (row.record.lockedUntil ?? 0) <= now;
      if (row && !abandoned) return { acquired: false, record: { ...row.record } };
      rows.set(key, {
        token,
        record: { key, state: 'running', lockedUntil: now + lockMs, updatedAt: now },
      });
      return { acquired: true, token };
    },
    async complete(key, token, { result, now, ttlMs }) {
      const row = rows.get(key);
      if (!row || row.token !== token || row.record.state !== 'running') return false;
      rows.set(key, {
        record: { key, state: 'done', result, updatedAt: now },
        ...(ttlMs === undefined ? {} : { expiresAt: now + ttlMs }),
      });
      return true;
    },
    async fail(key, token, { error, now, release, ttlMs }) {
      const row = rows.get(key);
      if (!row || row.token !== token || row.record.state !== 'running') return false;
      if (release) rows.delete(key);
      else {
        rows.set(key, {
          record: { key, state: 'failed', error, updatedAt: now },
          ...(ttlMs === undefined ? {} : { expiresAt: now + ttlMs }),
        });
      }
      return true;
    },
    async get(key, now) {
      const row = live(key, now);
      return row ? { ...row.record } : undefined;
    },
    async delete(key) {
      rows.delete(key);
    },
  };
}
