import type {
  BreakerState,
  CheckpointStore,
  ConflictLog,
  DeadLetterList,
  OwnershipDescription,
  Queue,
  ReconcileKey,
  ReconcileReport,
  RunnerProgress,
} from '@plumbline/sync-core';

/** A runner's dead-letter list and, to enable Replay, the code that handles a replayed record. */
export interface ConsoleDeadLetterList {
  list: DeadLetterList<unknown>;
  /** Your sink (or repair code): `DeadLetterList.replay` hands it the record. Without it, no Replay. */
  replay?: (record: unknown) => unknown;
}

/** Where a runner stands: its checkpoint (cursor position) and, when it runs here, its progress. */
export interface ConsoleRunner {
  /** The checkpoint store the runner commits to, and the checkpoint's name. */
  cursor?: { checkpoints: CheckpointStore; name: string };
  /** The latest progress the runner reported (keep the last `onProgress` value). */
  progress?: () => RunnerProgress | undefined;
}

/** The last reconciliation: the report `reconcile()` returned, and when and over what it ran. */
export interface ConsoleReconciliation {
  /** What was compared, e.g. `Commerce orders ↔ NetSuite sales orders`. */
  name: string;
  /** When it ran. */
  at: Date;
  report: ReconcileReport<unknown, unknown>;
}

/** A circuit breaker as the console reads it (sync-core's `CircuitBreaker` fits). */
export interface ConsoleBreaker {
  readonly state: BreakerState;
  /** Epoch ms when an open breaker lets a trial call through. */
  readonly retryAt: number;
}

/** A limiter as the console reads it (client-core's `Limiter` fits) and the keys to show. */
export interface ConsoleLimiter {
  limiter: { inFlight(key: string): number };
  keys: readonly string[];
  /** The in-flight cap, shown beside the count. */
  maxConcurrent?: number;
}

export interface ConsoleOptions {
  /** Where the host mounts the console, e.g. `/ops` (no trailing slash); default the root. */
  basePath?: string;
  /** The page title; default `Plumbline operations`. */
  title?: string;
  /**
   * Allows the state-changing actions (replay, discard, re-drive) for a request. Without it the
   * console is read-only: no action buttons, and every POST is refused with 403.
   */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /**
   * The key that signs CSRF tokens (at least 32 bytes). Default: random per `createConsole`, so
   * tokens stop working when the process restarts; pass one shared secret to several instances.
   */
  secret?: string | Uint8Array;
  /** Rows a list page shows; default 25, at most 200. */
  pageSize?: number;
  /** Job queues (sync-core `createQueue` on any store, or the RabbitMQ queue) by display name. */
  queues?: Readonly<Record<string, Queue<unknown>>>;
  /** Runners' durable dead-letter lists by display name. */
  deadLetterLists?: Readonly<Record<string, ConsoleDeadLetterList>>;
  /** The conflict log and the entities it holds decisions for. */
  conflicts?: { log: ConflictLog; entities: readonly string[] };
  /** The last reconciliation report and, to enable Re-drive, the code that re-drives keys. */
  reconciliation?: {
    last(): Promise<ConsoleReconciliation | undefined> | ConsoleReconciliation | undefined;
    redrive?(keys: ReconcileKey[]): Promise<unknown>;
  };
  runners?: Readonly<Record<string, ConsoleRunner>>;
  breakers?: Readonly<Record<string, ConsoleBreaker>>;
  limiters?: Readonly<Record<string, ConsoleLimiter>>;
  /** The source-of-truth map (`defineOwnership`), rendered with `renderOwnership`. */
  ownership?: { describe(): OwnershipDescription<string> };
  /** The clock for ages (epoch ms); default `Date.now`. */
  now?: () => number;
}

/** The console: one Fetch API handler for every page and action under `basePath`. */
export type ConsoleHandler = (request: Request) => Promise<Response>;
