/** The base of every error sync-core throws: `code` says what kind, the message what to do. */
export class SyncError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Options passed to a primitive are wrong (names the option and the problem). Code `INVALID_OPTION`. */
export class InvalidOptionError extends SyncError {
  readonly option: string;

  constructor(option: string, problem: string) {
    super('INVALID_OPTION', `Option "${option}" ${problem}.`);
    this.option = option;
  }
}

/** An ownership map does not declare the entity that was asked about. Code `UNKNOWN_ENTITY`. */
export class UnknownEntityError extends SyncError {
  readonly entity: string;

  constructor(entity: string, known: readonly string[]) {
    super(
      'UNKNOWN_ENTITY',
      `Entity "${entity}" is not declared in the ownership map; declare it under "entities" or use one of: ${known.join(', ') || '(none)'}.`,
    );
    this.entity = entity;
  }
}

/** A system name is not one of the systems an ownership map declares. Code `UNKNOWN_SYSTEM`. */
export class UnknownSystemError extends SyncError {
  readonly system: string;

  constructor(system: string, where: string, known: readonly string[]) {
    super(
      'UNKNOWN_SYSTEM',
      `System "${system}" (${where}) is not declared in "systems"; use one of: ${known.join(', ')}.`,
    );
    this.system = system;
  }
}

/** A cursor token cannot be decoded (truncated, edited, or from another version). Code `CURSOR_TOKEN_INVALID`. */
export class CursorTokenError extends SyncError {
  constructor(problem: string, options?: { cause?: unknown }) {
    super(
      'CURSOR_TOKEN_INVALID',
      `Cursor token is malformed: ${problem}. Pass a token produced by cursor.encode(), or start without one to sync from the beginning.`,
      options,
    );
  }
}

/** A row handed to a delta cursor lacks a usable `updatedAt` or `id`. Code `CURSOR_ROW_INVALID`. */
export class CursorRowError extends SyncError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super('CURSOR_ROW_INVALID', `Cursor row field "${field}" ${problem}.`);
    this.field = field;
  }
}

/** A value cannot be content-hashed (function, symbol, invalid date, cycle...). Code `HASH_INPUT_INVALID`. */
export class HashInputError extends SyncError {
  readonly path: string;

  constructor(path: string, problem: string) {
    super('HASH_INPUT_INVALID', `Cannot hash the value at "${path}": ${problem}.`);
    this.path = path;
  }
}

/** A sorted reconciliation met keys out of order. Code `RECONCILE_UNSORTED`. */
export class ReconcileOrderError extends SyncError {
  readonly side: 'left' | 'right';

  constructor(side: 'left' | 'right', previous: string, key: string) {
    super(
      'RECONCILE_UNSORTED',
      `The ${side} stream is not sorted by key: "${key}" came after "${previous}". Sort both streams ascending by key, or pass { sorted: false } for the in-memory mode.`,
    );
    this.side = side;
  }
}

/** A reconciliation stream holds the same key twice. Code `RECONCILE_DUPLICATE_KEY`. */
export class ReconcileDuplicateKeyError extends SyncError {
  readonly side: 'left' | 'right';
  readonly key: string;

  constructor(side: 'left' | 'right', key: string) {
    super(
      'RECONCILE_DUPLICATE_KEY',
      `The ${side} stream holds key "${key}" twice; reconcile compares one record per key, so group or de-duplicate that side first.`,
    );
    this.side = side;
    this.key = key;
  }
}

/** The in-memory reconciliation mode would hold more records than allowed. Code `RECONCILE_CAPACITY`. */
export class ReconcileCapacityError extends SyncError {
  constructor(limit: number) {
    super(
      'RECONCILE_CAPACITY',
      `The in-memory reconciliation holds more than maxInMemory=${limit} right-side records; sort both streams by key (streaming mode) or raise maxInMemory.`,
    );
  }
}

/** A resolver load did not finish within `timeoutMs`. Code `RESOLVER_TIMEOUT`. */
export class ResolverTimeoutError extends SyncError {
  constructor(key: string, timeoutMs: number) {
    super('RESOLVER_TIMEOUT', `Loading "${key}" took longer than timeoutMs=${timeoutMs}.`);
  }
}

/** The resolver's circuit breaker is open, so no load was attempted. Code `CIRCUIT_OPEN`. */
export class CircuitOpenError extends SyncError {
  readonly retryAtMs: number;

  constructor(key: string, retryAtMs: number) {
    super(
      'CIRCUIT_OPEN',
      `The circuit breaker is open after repeated failures; "${key}" was not loaded. It lets one trial through at ${new Date(retryAtMs).toISOString()}.`,
    );
    this.retryAtMs = retryAtMs;
  }
}

/** A resolver load failed and neither a stale value nor a fallback was available. Code `RESOLVER_LOAD_FAILED`. */
export class ResolverLoadError extends SyncError {
  constructor(key: string, cause: unknown) {
    super(
      'RESOLVER_LOAD_FAILED',
      `Loading "${key}" failed and no stale value or fallback was available: ${cause instanceof Error ? cause.message : String(cause)}.`,
      { cause },
    );
  }
}

/** A runner's sink failed with `sinkErrors: 'fail'`; the checkpoint stays at the last confirmed batch. Code `RUNNER_SINK_FAILED`. */
export class RunnerSinkError extends SyncError {
  constructor(cause: unknown) {
    super(
      'RUNNER_SINK_FAILED',
      `The sink failed: ${cause instanceof Error ? cause.message : String(cause)}. The cursor checkpoint stays at the last confirmed batch; run again to resume.`,
      { cause },
    );
  }
}
