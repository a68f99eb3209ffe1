/** The stage of the pipeline where a record failed. */
export type FailureStage =
  | 'echo'
  | 'validate'
  | 'transform'
  | 'ownership'
  | 'conflict'
  | 'changes'
  | 'sink';

/** Why a record was parked. */
export interface ParkReason {
  stage: FailureStage;
  message: string;
  /** A stable code: the error's own `code`, else its class name, else `<STAGE>_FAILED`. */
  code?: string;
  /** The original error, when there was one (not serialised by durable targets). */
  error?: unknown;
}

/**
 * Where a runner parks the records it could not sync, so the run continues and nothing is lost.
 * Any durable dead-letter list can implement this one method.
 */
export interface DeadLetterTarget<Record_ = unknown> {
  park(record: Record_, reason: ParkReason): Promise<void> | void;
}

export interface ParkedRecord<Record_> {
  record: Record_;
  reason: ParkReason;
  /** When it was parked (ISO-8601 UTC). */
  at: string;
}

/**
 * A dead-letter target kept in memory: inspect `entries`, or `drain()` them to replay. Not
 * durable: a crash loses its entries while the runner's checkpoint may already be past them. For
 * a runner with a durable checkpoint use `createDeadLetterList` on the same durable store.
 */
export function memoryDeadLetter<Record_ = unknown>(): DeadLetterTarget<Record_> & {
  readonly entries: readonly ParkedRecord<Record_>[];
  drain(): ParkedRecord<Record_>[];
} {
  let entries: ParkedRecord<Record_>[] = [];
  return {
    get entries() {
      return entries;
    },
    park(record, reason) {
      entries.push({ record, reason, at: new Date().toISOString() });
    },
    drain() {
      const drained = entries;
      entries = [];
      return drained;
    },
  };
}
