import type { ClaimedJob, DeadJob, QueueStore, StoredJob } from '../../queue/store.js';
import { MinHeap } from './heap.js';

interface Row extends StoredJob {
  /** `done` once completed and removed: any heap entry left for it reads as stale. */
  state: 'ready' | 'running' | 'dead' | 'done';
  token?: string;
  leaseUntil?: number;
  failedAt?: number;
  /** Order among jobs due at the same time; renewed whenever the job re-enters the queue. */
  seq: number;
  /** Renewed whenever the lease changes, so older lease entries read as stale. */
  lease: number;
}

/** A due-heap entry: valid while the row is still ready with the same `seq`. */
interface DueEntry {
  row: Row;
  runAt: number;
  seq: number;
}

/** A lease-heap entry: valid while the row is still running under the same `lease`. */
interface LeaseEntry {
  row: Row;
  leaseUntil: number;
  lease: number;
}

interface QueueState {
  jobs: Map<string, Row>;
  keys: Map<string, string>;
  /** Ready jobs by (runAt, seq). */
  due: MinHeap<DueEntry>;
  /** Running jobs by (leaseUntil, lease), so a claim finds expired leases without a scan. */
  leases: MinHeap<LeaseEntry>;
  running: number;
  dead: Set<Row>;
}

/** Sizes and work counters of one queue, for tests that guard the store's complexity. */
export interface MemoryQueueShape {
  jobs: number;
  keys: number;
  dueEntries: number;
  leaseEntries: number;
  running: number;
  dead: number;
  /** Heap comparisons plus stale entries skipped, since the queue was first touched. */
  work: number;
}

const validDue = (entry: DueEntry) => entry.row.state === 'ready' && entry.row.seq === entry.seq;
const validLease = (entry: LeaseEntry) =>
  entry.row.state === 'running' && entry.row.lease === entry.lease;

/**
 * The memory queue with a view of its internals. Claim, complete, retry, bury, extend and
 * enqueue cost O(log n) amortised: ready jobs sit in a heap by (runAt, seq) and running jobs in
 * a heap by lease expiry; entries left behind by a state change are skipped when they surface,
 * and a heap holding more than twice its live entries is rebuilt.
 */
export function openMemoryQueueStore(): {
  store: QueueStore;
  shape(queue: string): MemoryQueueShape;
} {
  const queues = new Map<string, QueueState & { skipped: number }>();
  let seq = 0;
  let lease = 0;
  const q = (name: string) => {
    let state = queues.get(name);
    if (!state) {
      state = {
        jobs: new Map(),
        keys: new Map(),
        due: new MinHeap<DueEntry>(
          (a, b) => a.runAt < b.runAt || (a.runAt === b.runAt && a.seq < b.seq),
        ),
        leases: new MinHeap<LeaseEntry>(
          (a, b) =>
            a.leaseUntil < b.leaseUntil || (a.leaseUntil === b.leaseUntil && a.lease < b.lease),
        ),
        running: 0,
        dead: new Set(),
        skipped: 0,
      };
      queues.set(name, state);
    }
    return state;
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
  const ready = (state: QueueState, row: Row) => {
    row.state = 'ready';
    row.seq = seq++;
    state.due.push({ row, runAt: row.runAt, seq: row.seq });
  };
  const grant = (state: QueueState, row: Row, leaseUntil: number) => {
    row.leaseUntil = leaseUntil;
    row.lease = lease++;
    state.leases.push({ row, leaseUntil, lease: row.lease });
    tidy(state);
  };
  /** Leaves the running state: the row's lease entry goes stale. */
  const stop = (state: QueueState, row: Row) => {
    state.running -= 1;
    row.token = undefined;
    row.leaseUntil = undefined;
    tidy(state);
  };
  /** Rebuilds the lease heap once stale entries outnumber live ones, so it cannot grow unbounded. */
  const tidy = (state: QueueState) => {
    if (state.leases.size > 2 * state.running + 64) state.leases.retain(validLease);
  };

  const store: QueueStore = {
    async enqueue(name, jobs) {
      const state = q(name);
      return jobs.map((job) => {
        const existing = job.key === undefined ? undefined : state.keys.get(job.key);
        if (existing !== undefined) return { id: existing, created: false };
        const row: Row = { ...job, attempts: 0, state: 'ready', seq: 0, lease: 0 };
        state.jobs.set(job.id, row);
        ready(state, row);
        if (job.key !== undefined) state.keys.set(job.key, job.id);
        return { id: job.id, created: true };
      });
    },
    async claim(name, { limit, leaseMs, now, token }) {
      const state = q(name);
      const picked: Row[] = [];
      // Jobs of dead workers first (their lease ran out, earliest first), then due jobs in
      // (runAt, seq) order.
      while (picked.length < limit) {
        const top = state.leases.peek();
        if (!top) break;
        if (!validLease(top)) {
          state.leases.pop();
          state.skipped += 1;
          continue;
        }
        if (top.leaseUntil > now) break;
        state.leases.pop();
        top.row.lease = lease++;
        picked.push(top.row);
      }
      while (picked.length < limit) {
        const top = state.due.peek();
        if (!top) break;
        if (!validDue(top)) {
          state.due.pop();
          state.skipped += 1;
          continue;
        }
        if (top.runAt > now) break;
        state.due.pop();
        top.row.state = 'running';
        state.running += 1;
        picked.push(top.row);
      }
      return picked.map((row): ClaimedJob => {
        row.state = 'running';
        row.attempts += 1;
        row.token = token;
        grant(state, row, now + leaseMs);
        return { ...strip(row), token, leaseUntil: now + leaseMs };
      });
    },
    async extend(name, id, token, leaseUntil) {
      const row = held(name, id, token);
      if (row) grant(q(name), row, leaseUntil);
      return row !== undefined;
    },
    async complete(name, id, token) {
      const row = held(name, id, token);
      if (!row) return false;
      const state = q(name);
      state.jobs.delete(row.id);
      if (row.key !== undefined) state.keys.delete(row.key);
      row.state = 'done';
      stop(state, row);
      return true;
    },
    async retry(name, id, token, { runAt, error }) {
      const row = held(name, id, token);
      if (!row) return false;
      const state = q(name);
      Object.assign(row, { runAt, lastError: error });
      stop(state, row);
      ready(state, row);
      return true;
    },
    async bury(name, id, token, { error, now }) {
      const row = held(name, id, token);
      if (!row) return false;
      const state = q(name);
      Object.assign(row, { state: 'dead', lastError: error, failedAt: now });
      stop(state, row);
      state.dead.add(row);
      return true;
    },
    async deadLetters(name, { limit }) {
      return [...q(name).dead]
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
      const state = q(name);
      const row = state.jobs.get(id);
      if (row?.state !== 'dead') return false;
      state.dead.delete(row);
      Object.assign(row, { attempts: 0, runAt: now, failedAt: undefined });
      ready(state, row);
      return true;
    },
    async stats(name, now) {
      const state = q(name);
      const stats = { ready: 0, delayed: 0, running: state.running, dead: state.dead.size };
      for (const row of state.jobs.values()) {
        if (row.state !== 'ready') continue;
        if (row.runAt <= now) stats.ready += 1;
        else stats.delayed += 1;
      }
      return stats;
    },
  };

  return {
    store,
    shape(name) {
      const state = q(name);
      return {
        jobs: state.jobs.size,
        keys: state.keys.size,
        dueEntries: state.due.size,
        leaseEntries: state.leases.size,
        running: state.running,
        dead: state.dead.size,
        work: state.due.comparisons + state.leases.comparisons + state.skipped,
      };
    },
  };
}

/** An in-process QueueStore: jobs live as long as the process does. */
export function memoryQueueStore(): QueueStore {
  return openMemoryQueueStore().store;
}
