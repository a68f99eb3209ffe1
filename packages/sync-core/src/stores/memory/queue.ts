import type { ClaimedJob, DeadJob, QueueStore, StoredJob } from '../../queue/store.js';

interface Row extends StoredJob {
  state: 'ready' | 'running' | 'dead';
  token?: string;
  leaseUntil?: number;
  failedAt?: number;
  seq: number;
}

/** An in-process QueueStore: jobs live as long as the process does. */
export function memoryQueueStore(): QueueStore {
  const queues = new Map<string, { jobs: Map<string, Row>; keys: Map<string, string> }>();
  let seq = 0;
  const q = (name: string) => {
    let entry = queues.get(name);
    if (!entry) {
      entry = { jobs: new Map(), keys: new Map() };
      queues.set(name, entry);
    }
    return entry;
  };
  const strip = (row: Row): StoredJob => ({
    id: row.id,
    ...(row.key === undefined ? {} : { key: row.key }),
    payload: row.payload,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    runAt: row.runAt,
    createdAt: row.createdAt,
    ...(row.lastError === undefined ? {} : { lastError: row.lastError }),
  });
  const held = (name: string, id: string, token: string) => {
    const row = q(name).jobs.get(id);
    return row && row.state === 'running' && row.token === token ? row : undefined;
  };
  const remove = (name: string, row: Row) => {
    const entry = q(name);
    entry.jobs.delete(row.id);
    if (row.key !== undefined) entry.keys.delete(row.key);
  };

  return {
    async enqueue(name, jobs) {
      const entry = q(name);
      return jobs.map((job) => {
        const existing = job.key === undefined ? undefined : entry.keys.get(job.key);
        if (existing !== undefined) return { id: existing, created: false };
        entry.jobs.set(job.id, { ...job, attempts: 0, state: 'ready', seq: seq++ });
        if (job.key !== undefined) entry.keys.set(job.key, job.id);
        return { id: job.id, created: true };
      });
    },
    async claim(name, { limit, leaseMs, now, token }) {
      const due = [...q(name).jobs.values()]
        .filter(
          (row) =>
            (row.state === 'ready' && row.runAt <= now) ||
            (row.state === 'running' && (row.leaseUntil ?? 0) <= now),
        )
        .sort((a, b) => a.runAt - b.runAt || a.seq - b.seq)
        .slice(0, limit);
      return due.map((row): ClaimedJob => {
        row.state = 'running';
        row.attempts += 1;
        row.token = token;
        row.leaseUntil = now + leaseMs;
        return { ...strip(row), token, leaseUntil: row.leaseUntil };
      });
    },
    async extend(name, id, token, leaseUntil) {
      const row = held(name, id, token);
      if (row) row.leaseUntil = leaseUntil;
      return row !== undefined;
    },
    async complete(name, id, token) {
      const row = held(name, id, token);
      if (row) remove(name, row);
      return row !== undefined;
    },
    async retry(name, id, token, { runAt, error }) {
      const row = held(name, id, token);
      if (!row) return false;
      Object.assign(row, { state: 'ready', runAt, lastError: error, token: undefined, seq: seq++ });
      return true;
    },
    async bury(name, id, token, { error, now }) {
      const row = held(name, id, token);
      if (!row) return false;
      Object.assign(row, { state: 'dead', lastError: error, failedAt: now, token: undefined });
      return true;
    },
    async deadLetters(name, { limit }) {
      return [...q(name).jobs.values()]
        .filter((row) => row.state === 'dead')
        .sort((a, b) => (a.failedAt ?? 0) - (b.failedAt ?? 0) || a.seq - b.seq)
        .slice(0, limit)
        .map(
          (row): DeadJob => ({
            ...strip(row),
            lastError: row.lastError ?? '',
            failedAt: row.failedAt ?? 0,
          }),
        );
    },
    async replay(name, id, now) {
      const row = q(name).jobs.get(id);
      if (row?.state !== 'dead') return false;
      Object.assign(row, {
        state: 'ready',
        attempts: 0,
        runAt: now,
        failedAt: undefined,
        seq: seq++,
      });
      return true;
    },
    async stats(name, now) {
      const stats = { ready: 0, delayed: 0, running: 0, dead: 0 };
      for (const row of q(name).jobs.values()) {
        if (row.state === 'dead') stats.dead += 1;
        else if (row.state === 'running') stats.running += 1;
        else if (row.runAt <= now) stats.ready += 1;
        else stats.delayed += 1;
      }
      return stats;
    },
  };
}
