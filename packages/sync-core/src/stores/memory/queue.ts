import type { ClaimedJob, DeadJob, QueueStore, StoredJob } from '../../queue/store.js';

interface Row extends StoredJob {
  state: 'ready' | 'running' | 'dead';
  token?: string;
  leaseUntil?: number;
  failedAt?: number;
  seq: number;
}

/** A binary min-heap of ready rows by (runAt, seq); entries whose row moved on are skipped lazily. */
class DueHeap {
  private items: Array<{ row: Row; runAt: number; seq: number }> = [];

  push(row: Row) {
    const items = this.items;
    items.push({ row, runAt: row.runAt, seq: row.seq });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  /** The earliest entry that still describes its row's ready state, without removing it. */
  peek(): Row | undefined {
    for (;;) {
      const top = this.items[0];
      if (!top) return undefined;
      if (top.row.state === 'ready' && top.row.seq === top.seq) return top.row;
      this.pop();
    }
  }

  pop() {
    const items = this.items;
    const last = items.pop()!;
    if (items.length === 0) return;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && this.less(l, m)) m = l;
      if (r < items.length && this.less(r, m)) m = r;
      if (m === i) return;
      [items[i], items[m]] = [items[m]!, items[i]!];
      i = m;
    }
  }

  private less(a: number, b: number) {
    const x = this.items[a]!;
    const y = this.items[b]!;
    return x.runAt < y.runAt || (x.runAt === y.runAt && x.seq < y.seq);
  }
}

/** An in-process QueueStore: jobs live as long as the process does. */
export function memoryQueueStore(): QueueStore {
  const queues = new Map<
    string,
    { jobs: Map<string, Row>; keys: Map<string, string>; due: DueHeap; running: Set<Row> }
  >();
  let seq = 0;
  const q = (name: string) => {
    let entry = queues.get(name);
    if (!entry) {
      entry = { jobs: new Map(), keys: new Map(), due: new DueHeap(), running: new Set() };
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
    entry.running.delete(row);
    entry.jobs.delete(row.id);
    if (row.key !== undefined) entry.keys.delete(row.key);
  };

  return {
    async enqueue(name, jobs) {
      const entry = q(name);
      return jobs.map((job) => {
        const existing = job.key === undefined ? undefined : entry.keys.get(job.key);
        if (existing !== undefined) return { id: existing, created: false };
        const row: Row = { ...job, attempts: 0, state: 'ready', seq: seq++ };
        entry.jobs.set(job.id, row);
        entry.due.push(row);
        if (job.key !== undefined) entry.keys.set(job.key, job.id);
        return { id: job.id, created: true };
      });
    },
    async claim(name, { limit, leaseMs, now, token }) {
      const entry = q(name);
      const picked: Row[] = [];
      // Jobs of dead workers first (their lease ran out), then due jobs in (runAt, seq) order.
      for (const row of entry.running) {
        if (picked.length >= limit) break;
        if ((row.leaseUntil ?? 0) <= now) picked.push(row);
      }
      while (picked.length < limit) {
        const row = entry.due.peek();
        if (!row || row.runAt > now) break;
        entry.due.pop();
        picked.push(row);
      }
      return picked.map((row): ClaimedJob => {
        row.state = 'running';
        row.attempts += 1;
        row.token = token;
        row.leaseUntil = now + leaseMs;
        entry.running.add(row);
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
      q(name).running.delete(row);
      q(name).due.push(row);
      return true;
    },
    async bury(name, id, token, { error, now }) {
      const row = held(name, id, token);
      if (!row) return false;
      Object.assign(row, { state: 'dead', lastError: error, failedAt: now, token: undefined });
      q(name).running.delete(row);
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
      q(name).due.push(row);
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
