import type {
  ClaimedJob,
  DeadJob,
  JobState,
  ListedJob,
  QueueStore,
  StoredJob,
} from '../../queue/store.js';
import { MinHeap } from './heap.js';

interface Row extends StoredJob {
  /** `done` once completed (removed, or kept until swept): any heap entry left for it is stale. */
  state: 'ready' | 'running' | 'dead' | 'done';
  finishedAt?: number;
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
  /** Completed jobs kept for `keepDoneMs`, in the order they finished. */
  done: Row[];
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
export interface MemoryQueueOptions {
  /** The store's clock (epoch ms): due times, leases and failures are judged by it. Default `Date.now`. */
  now?: () => number;
}

export function openMemoryQueueStore(options: MemoryQueueOptions = {}): {
  store: QueueStore;
  shape(queue: string): MemoryQueueShape;
} {
  const clock = options.now ?? Date.now;
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
        done: [],
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
      const now = clock();
      return jobs.map((job) => {
        const existing = job.key === undefined ? undefined : state.keys.get(job.key);
        if (existing !== undefined) return { id: existing, created: false };
        const row: Row = {
          id: job.id,
          ...(job.key === undefined ? {} : { key: job.key }),
          payload: job.payload,
          maxAttempts: job.maxAttempts,
          runAt: now + job.delayMs,
          createdAt: now,
          attempts: 0,
          state: 'ready',
          seq: 0,
          lease: 0,
        };
        state.jobs.set(job.id, row);
        ready(state, row);
        if (job.key !== undefined) state.keys.set(job.key, job.id);
        return { id: job.id, created: true };
      });
    },
    async claim(name, { limit, leaseMs, token }) {
      const state = q(name);
      const now = clock();
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
    async extend(name, id, token, leaseMs) {
      const row = held(name, id, token);
      if (row) grant(q(name), row, clock() + leaseMs);
      return row !== undefined;
    },
    async complete(name, id, token, completeOptions) {
      const row = held(name, id, token);
      if (!row) return false;
      const state = q(name);
      if (row.key !== undefined) state.keys.delete(row.key);
      row.state = 'done';
      if (completeOptions?.keep) {
        row.finishedAt = clock();
        state.done.push(row);
      } else state.jobs.delete(row.id);
      stop(state, row);
      return true;
    },
    async retry(name, id, token, { delayMs, error }) {
      const row = held(name, id, token);
      if (!row) return false;
      const state = q(name);
      Object.assign(row, { runAt: clock() + delayMs, lastError: error });
      stop(state, row);
      ready(state, row);
      return true;
    },
    async bury(name, id, token, { error }) {
      const row = held(name, id, token);
      if (!row) return false;
      const state = q(name);
      Object.assign(row, { state: 'dead', lastError: error, failedAt: clock() });
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
    async list(name, { state: wanted, limit }) {
      const state = q(name);
      const now = clock();
      const out: ListedJob[] = [];
      const stateOf = (row: Row): JobState =>
        row.state === 'ready' && row.runAt > now ? 'delayed' : row.state;
      for (const row of state.jobs.values()) {
        if (out.length >= limit) break;
        if (stateOf(row) !== wanted) continue;
        const finishedAt = row.state === 'dead' ? row.failedAt : row.finishedAt;
        out.push({
          ...strip(row),
          state: wanted,
          ...(finishedAt === undefined ? {} : { finishedAt }),
        });
      }
      return out;
    },
    async sweep(name, { doneOlderThanMs, limit }) {
      const state = q(name);
      const cutoff = clock() - doneOlderThanMs;
      let deleted = 0;
      while (state.done.length > 0 && deleted < (limit ?? Number.POSITIVE_INFINITY)) {
        const row = state.done[0]!;
        if ((row.finishedAt ?? 0) > cutoff) break;
        state.done.shift();
        state.jobs.delete(row.id);
        deleted += 1;
      }
      return deleted;
    },
    async replay(name, id) {
      const state = q(name);
      const row = state.jobs.get(id);
      if (row?.state !== 'dead') return false;
      state.dead.delete(row);
      Object.assign(row, { attempts: 0, runAt: clock(), failedAt: undefined });
      ready(state, row);
      return true;
    },
    async discard(name, id) {
      const state = q(name);
      const row = state.jobs.get(id);
      if (row?.state !== 'dead') return false;
      state.dead.delete(row);
      state.jobs.delete(id);
      if (row.key !== undefined && state.keys.get(row.key) === id) state.keys.delete(row.key);
      return true;
    },
    async stats(name) {
      const state = q(name);
      const now = clock();
      const stats = {
        ready: 0,
        delayed: 0,
        running: state.running,
        dead: state.dead.size,
        done: state.done.length,
      };
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

/** An in-process QueueStore: jobs live as long as the process does; its clock is the process's. */
export function memoryQueueStore(options: MemoryQueueOptions = {}): QueueStore {
  return openMemoryQueueStore(options).store;
}
