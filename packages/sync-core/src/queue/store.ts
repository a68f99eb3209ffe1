/** A job as a backend keeps it; `payload` is JSON text. */
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

export interface NewJob {
  id: string;
  key?: string;
  payload: string;
  runAt: number;
  maxAttempts: number;
  createdAt: number;
}

export interface QueueStats {
  /** Due now. */
  ready: number;
  /** Waiting for their delay or backoff. */
  delayed: number;
  /** Claimed by a worker (undefined where the backend cannot tell, e.g. RabbitMQ). */
  running?: number;
  dead: number;
}

/**
 * What a polling queue backend does atomically. A claim leases jobs until `leaseUntil`; a job
 * whose lease runs out is claimable again, which is how a dead worker's jobs come back.
 * Implementations: memory, SQLite, PostgreSQL (FOR UPDATE SKIP LOCKED), Redis (Lua).
 */
export interface QueueStore {
  /** Adds jobs; a job whose key is already queued, running or dead-lettered is not added again. */
  enqueue(queue: string, jobs: NewJob[]): Promise<Array<{ id: string; created: boolean }>>;
  /** Leases up to `limit` due jobs (or jobs whose lease ran out), oldest due first, attempts + 1. */
  claim(
    queue: string,
    options: { limit: number; leaseMs: number; now: number; token: string },
  ): Promise<ClaimedJob[]>;
  extend(queue: string, id: string, token: string, leaseUntil: number): Promise<boolean>;
  /** Removes a finished job. */
  complete(queue: string, id: string, token: string): Promise<boolean>;
  /** Returns the job to the queue, due at `runAt`, remembering the error. */
  retry(
    queue: string,
    id: string,
    token: string,
    options: { runAt: number; error: string },
  ): Promise<boolean>;
  /** Moves the job to the dead-letter list with its last error. */
  bury(
    queue: string,
    id: string,
    token: string,
    options: { error: string; now: number },
  ): Promise<boolean>;
  deadLetters(queue: string, options: { limit: number }): Promise<DeadJob[]>;
  /** Puts a dead job back in the queue with fresh attempts; false when no dead job has that id. */
  replay(queue: string, id: string, now: number): Promise<boolean>;
  stats(queue: string, now: number): Promise<QueueStats>;
  close?(): Promise<void>;
}
