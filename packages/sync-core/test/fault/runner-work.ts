// The sync-runner part of a fault schedule: one manager syncs a source of rows into the idempotent
// sink with a durable checkpoint and a durable dead-letter list (both in the store under test),
// some rows fail for good and are parked, and the nemesis SIGKILLs the runner mid-run (inside the
// sink after its write, or inside the dead-letter target before the park lands). A replacement
// resumes from the checkpoint. The audit reads the checkpoint, the sink and the dead-letter list
// through the public API: a checkpoint must never pass a row that is neither written nor parked.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createCheckpointStore,
  createDeadLetterList,
  createRunner,
  type DeadLetterTarget,
  type KeyValueStore,
} from '../../src/index.js';
import { type SourceRow, sourceRows } from '../support/source-table.js';
import type { Schedule } from './schedule.js';

export const RUNNER_NAME = 'fault-rows';
/** Rows of one timestamp that the cursor's look-back window covers again after a restart. */
export const RUNNER_LOOK_BACK_MS = 1_000;
/** The manager (by role index) that runs the sync; its replacement resumes it. */
export const RUNNER_INDEX = 0;

/** The key a row's effect has in the idempotent sink. */
export const rowKey = (id: number) => `row-${id}`;

export function runnerRows(schedule: Schedule): SourceRow[] {
  return sourceRows(schedule.runner.rows, schedule.runner.perTimestamp);
}

export interface RunnerHooks {
  /** Writes a row's effect to the idempotent sink. */
  write(row: SourceRow): Promise<void>;
  /** Whether this process may be killed mid-run (the first runner; a replacement runs to the end). */
  first: boolean;
  /** Reports that the runner is stuck where the schedule kills it, then never returns. */
  hang(where: string): Promise<never>;
  signal: AbortSignal;
}

/** Runs the sync once to the end (or until `signal`); throws when a store call fails. */
export async function runSync(schedule: Schedule, kv: KeyValueStore, hooks: RunnerHooks) {
  const { poison, kill } = schedule.runner;
  const bad = new Set(poison);
  const rows = runnerRows(schedule);
  const list = createDeadLetterList<SourceRow>({ store: kv, name: RUNNER_NAME, key: (r) => r.id });
  let parks = 0;
  let sinks = 0;
  const deadLetter: DeadLetterTarget<SourceRow> = {
    async park(record, reason) {
      parks += 1;
      // Killed inside the target, before the park lands: the checkpoint must not be past it.
      if (hooks.first && kill?.at === 'park' && parks === kill.n)
        await hooks.hang(`park:${record.id}`);
      await list.park(record, reason);
    },
  };
  const runner = createRunner<SourceRow>({
    source: ({ window }) => {
      const since = window?.since?.getTime();
      return since === undefined ? rows : rows.filter((row) => row.updatedAt >= since);
    },
    sink: async (batch) => {
      await sleep(20); // a remote write takes a moment, so batches overlap (concurrency 2)
      const failed: Array<{ index: number; reason: string }> = [];
      for (const [index, row] of batch.entries()) {
        if (bad.has(row.id)) failed.push({ index, reason: `row ${row.id} is refused for good` });
        else await hooks.write(row);
      }
      sinks += 1;
      // Killed after the sink wrote and before the checkpoint moved.
      if (hooks.first && kill?.at === 'sink' && sinks === kill.n) await hooks.hang(`sink:${sinks}`);
      return { failed };
    },
    batchSize: 4,
    concurrency: 2,
    cursor: {
      checkpoints: createCheckpointStore({ store: kv }),
      name: RUNNER_NAME,
      options: { lookBackMs: RUNNER_LOOK_BACK_MS },
    },
    deadLetter,
  });
  const summary = await runner.run({ signal: hooks.signal });
  return summary.status;
}

export interface RunnerAudit {
  /** Rows the checkpoint has passed. */
  passed: number;
  /** Rows the checkpoint has passed that are neither in the sink nor in the dead-letter list. */
  lost: number[];
  /** Ids in the dead-letter list, with how many entries each has. */
  parked: Map<number, number>;
}

/**
 * Reads, in this order, the checkpoint, then the sink and the dead-letter list (which only grow),
 * so a row counted as passed was passed before its sink or park was looked for: no false alarm.
 */
export async function auditRunner(
  schedule: Schedule,
  kv: KeyValueStore,
  readSink: () => Promise<Map<string, number>>,
): Promise<RunnerAudit> {
  const rows = runnerRows(schedule);
  const cursor = await createCheckpointStore({ store: kv }).load<SourceRow>(RUNNER_NAME, {
    lookBackMs: RUNNER_LOOK_BACK_MS,
  });
  const pending = new Set(cursor.filter(rows).map((row) => row.id));
  const sink = await readSink();
  const list = createDeadLetterList<SourceRow>({ store: kv, name: RUNNER_NAME });
  const parked = new Map<number, number>();
  let after: string | undefined;
  do {
    const page = await list.list({ limit: 50, after });
    for (const entry of page.entries) {
      const id = Number(entry.record?.id ?? entry.id);
      parked.set(id, (parked.get(id) ?? 0) + 1);
    }
    after = page.next;
  } while (after !== undefined);
  const passed = rows.filter((row) => !pending.has(row.id));
  const lost = passed
    .filter((row) => !sink.has(rowKey(row.id)) && !parked.has(row.id))
    .map((row) => row.id);
  return { passed: passed.length, lost, parked };
}

/** Audits until the store answers (a cut may be in progress), for at most a few tries. */
export async function auditWhenReachable(
  schedule: Schedule,
  kv: KeyValueStore,
  readSink: () => Promise<Map<string, number>>,
): Promise<RunnerAudit | string> {
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await auditRunner(schedule, kv, readSink);
    } catch (error) {
      last = error;
      await sleep(200);
    }
  }
  return `the audit could not read the store: ${last instanceof Error ? last.message : String(last)}`;
}
