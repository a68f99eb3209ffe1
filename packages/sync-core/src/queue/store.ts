/** A job as a backend keeps it; `payload` is JSON text. Times are the store's clock (epoch ms). */
export interface StoredJob {
  id: string;
  key?: string;
  payload: string;
  /** Attempts started so far (a claim counts as one). */
  attempts: number;
  maxAttempts: number;
  /** Epoch ms at which the job becomes due. */
  runAt: number;
  createdAt: number;
  lastError?: string;
}

export interface ClaimedJob extends StoredJob {
  /** Fences this claim: complete/retry/bury/extend only succeed with it. */
  token: string;
  leaseUntil: number;
}

export interface DeadJob extends StoredJob {
  lastError: string;
  failedAt: number;
}

export type JobState = 'ready' | 'delayed' | 'running' | 'dead' | 'done';

/** A job as `list` shows it. `finishedAt` is set for `done` (and `dead`) jobs. */
export interface ListedJob extends StoredJob {
  state: JobState;
  finishedAt?: number;
}

export interface NewJob {
  id: string;
  key?: string;
  payload: string;
  /** Due this many ms after the store's now. */
  delayMs: number;
  maxAttempts: number;
}

export interface QueueStats {
  /** Due now. */
  ready: number;
  /** Waiting for their delay or backoff. */
  delayed: number;
  /** Claimed by a worker (undefined where the backend cannot tell, e.g. RabbitMQ). */
  running?: number;
  dead: number;
  /** Finished jobs kept for `keepDoneMs` (0 where none are kept). */
  done?: number;
}

/**
 * What a polling queue backend does atomically. A claim leases jobs for `leaseMs`; a job whose
 * lease runs out is claimable again, which is how a dead worker's jobs come back. Every time
 * (due, lease expiry, creation, failure) is the store's own clock, never the caller's.
 * Implementations: memory, SQLite, PostgreSQL (FOR UPDATE SKIP LOCKED), Redis (Lua).
 */
export interface QueueStore {
  /** Adds jobs; a job whose key is already queued, running or dead-lettered is not added again. */
  enqueue(queue: string, jobs: NewJob[]): Promise<Array<{ id: string; created: boolean }>>;
  /** Leases up to `limit` due jobs (or jobs whose lease ran out), oldest due first, attempts + 1. */
  claim(
    queue: string,
    options: { limit: number; leaseMs: number; token: string },
  ): Promise<ClaimedJob[]>;
  /** Extends a held lease to the store's now + leaseMs; false when the token no longer holds it. */
  extend(queue: string, id: string, token: string, leaseMs: number): Promise<boolean>;
  /** Finishes a job: removes it, or with `keep` keeps it as `done` (its key no longer dedupes). */
  complete(
    queue: string,
    id: string,
    token: string,
    options?: { keep?: boolean },
  ): Promise<boolean>;
  /** Returns the job to the queue, due `delayMs` from now, remembering the error. */
  retry(
    queue: string,
    id: string,
    token: string,
    options: { delayMs: number; error: string },
  ): Promise<boolean>;
  /** Moves the job to the dead-letter list with its last error. */
  bury(queue: string, id: string, token: string, options: { error: string }): Promise<boolean>;
  deadLetters(queue: string, options: { limit: number }): Promise<DeadJob[]>;
  /** Jobs in one state, oldest first, at most `limit`. */
  list(queue: string, options: { state: JobState; limit: number }): Promise<ListedJob[]>;
  /** Puts a dead job back in the queue with fresh attempts; false when no dead job has that id. */
  replay(queue: string, id: string): Promise<boolean>;
  /** Deletes a dead job (its key no longer dedupes); false when no dead job has that id. */
  discard(queue: string, id: string): Promise<boolean>;
  stats(queue: string): Promise<QueueStats>;
  /** Deletes done jobs that finished more than `doneOlderThanMs` ago; returns how many. */
  sweep(queue: string, options: { doneOlderThanMs: number; limit?: number }): Promise<number>;
  close?(): Promise<void>;
}
