// What one manager (a worker process, or a simulated worker of the memory run) does during a
// schedule: works the queue, calls the idempotent effects, and reserves / confirms / releases
// holds, reporting every outcome the invariants need to its harness.
import { setTimeout as sleep } from 'node:timers/promises';
import { createIdempotency, createQueue, createReservations } from '../../src/index.js';
import type { Backends, SinkWriter } from './backends.js';
import { rowKey, runSync } from './runner-work.js';
import { type Schedule, type ScheduledJob, TIMING } from './schedule.js';

export const QUEUE_NAME = 'fault';

export type ActorEvent =
  /** The effect of `key` is applied and its record is not: kill me now. */
  | { type: 'hanging'; key: string }
  /** `fn` ran for `key` but its outcome was not recorded (`code` says why). */
  | { type: 'unrecorded'; key: string; code: string; reason: string }
  | { type: 'idem'; key: string; ok: boolean; code?: string }
  | {
      type: 'hold';
      key: string;
      sku: string;
      qty: number;
      outcome: 'confirmed' | 'released' | 'abandoned' | 'refused' | 'failed';
      code?: string;
    }
  | { type: 'finished'; part: 'idem' | 'reserve' | 'runner' }
  /** The queue consumer stopped with an error and was started again. */
  | { type: 'restarted'; code: string };

/** What a manager does; `runner` is the sync run, `first` (may be killed mid-run) or `resume`. */
export interface Parts {
  queue: boolean;
  idem: boolean;
  reserve: boolean;
  runner?: 'first' | 'resume';
}

export interface ActorOptions {
  index: number;
  pid: number;
  schedule: Schedule;
  backends: Backends;
  sinks: SinkWriter;
  /** This manager's clock (skewed by the schedule). */
  clock: () => number;
  parts: Parts;
  emit(event: ActorEvent): void;
  /** Never returns: the process is killed here (memory: the simulated worker dies). */
  hang(): Promise<never>;
  signal: AbortSignal;
}

export function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown';
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function runActor(options: ActorOptions): Promise<void> {
  const others: Array<Promise<void>> = [];
  if (options.parts.idem) others.push(callIdempotent(options));
  if (options.parts.reserve) others.push(manageHolds(options));
  const othersDone = Promise.all(others).then(() => {});
  const runnerDone = options.parts.runner ? runSyncToTheEnd(options, othersDone) : undefined;
  // A job's kill in the runner's process waits for the sync too: a runner stopped at its own kill
  // point takes the process (and the hanging job) down with it, so a job's kill never preempts it.
  const beforeKill = Promise.all([othersDone, runnerDone]).then(() => {});
  await Promise.all([
    options.parts.queue ? workQueue(options, beforeKill) : undefined,
    runnerDone,
    othersDone,
  ]);
}

/**
 * Runs the sync until it completes; a run stopped by a failing store call (a cut) is started
 * again, as a scheduler would. The first runner may be killed where the schedule says, once this
 * manager's calls and holds are done (so the kill never cuts their contention short).
 */
async function runSyncToTheEnd(o: ActorOptions, othersDone: Promise<void>): Promise<void> {
  while (!o.signal.aborted) {
    try {
      const status = await runSync(o.schedule, o.backends.kv, {
        write: (row) => o.sinks.once(rowKey(row.id), row.id),
        first: o.parts.runner === 'first',
        hang: async (where) => {
          await othersDone;
          await sleep(300); // whatever runs ahead of this point (a checkpoint) lands meanwhile
          o.emit({ type: 'hanging', key: `runner:${where}` });
          return o.hang();
        },
        signal: o.signal,
      });
      if (status === 'completed') break;
    } catch (error) {
      o.emit({ type: 'restarted', code: codeOf(error) });
      await sleep(200);
    }
  }
  if (!o.signal.aborted) o.emit({ type: 'finished', part: 'runner' });
}

/**
 * Works the queue. A job picked to be killed on hangs after its effect; the kill waits until this
 * manager's calls and holds are done, so a kill never cuts the schedule's contention short.
 */
async function workQueue(o: ActorOptions, othersDone: Promise<void>): Promise<void> {
  const queue = createQueue<ScheduledJob>(o.backends.queue, {
    name: QUEUE_NAME,
    maxAttempts: 10,
    // No clock option: queue leases and due times are judged by the store's clock.
  });
  const idem = createIdempotency(o.backends.idem, {
    lockMs: TIMING.lockMs,
    waitMs: TIMING.lockMs * 3,
    pollMs: 25,
  });
  const hangOn = new Set(o.schedule.queue.hangAfterEffect);
  // A consumer whose broker connection dropped stops with an error (RabbitMQ); a supervisor
  // starts it again, as one would in production.
  while (!o.signal.aborted) {
    await queue
      .work(
        async (job) => {
          const spec = job.payload;
          const key = job.key ?? job.id;
          if (spec.poison) {
            throw Object.assign(new Error(`job ${key} is poison`), { permanent: true });
          }
          let ran = false;
          try {
            await idem.run(key, async () => {
              if (spec.slowMs > 0) await sleep(spec.slowMs);
              await o.sinks.log(key, o.pid);
              await o.sinks.once(key, spec.n);
              ran = true;
              if (job.attempt === 1 && hangOn.has(key)) {
                await othersDone;
                o.emit({ type: 'hanging', key });
                await o.hang();
              }
              return spec.n;
            });
          } catch (error) {
            if (ran)
              o.emit({ type: 'unrecorded', key, code: codeOf(error), reason: reasonOf(error) });
            throw error;
          }
        },
        {
          concurrency: 2,
          leaseMs: TIMING.leaseMs,
          pollMs: 25,
          signal: o.signal,
          backoff: { baseMs: 50, maxMs: 300 },
        },
      )
      .catch(async (error) => {
        o.emit({ type: 'restarted', code: codeOf(error) });
        await sleep(200);
      });
  }
}

async function callIdempotent(o: ActorOptions): Promise<void> {
  const idem = createIdempotency(o.backends.idem, {
    lockMs: TIMING.lockMs,
    waitMs: TIMING.lockMs * 6,
    pollMs: 25,
  });
  const started = Date.now();
  await Promise.all(
    o.schedule.idem.calls[o.index]!.map(async (call) => {
      await sleep(Math.max(0, call.atMs - (Date.now() - started)));
      let ran = false;
      try {
        await idem.run(call.key, async () => {
          if (call.slowMs > 0) await sleep(call.slowMs);
          await o.sinks.log(call.key, o.pid);
          await o.sinks.once(call.key, 1);
          ran = true;
          return 1;
        });
        o.emit({ type: 'idem', key: call.key, ok: true });
      } catch (error) {
        if (ran) {
          o.emit({
            type: 'unrecorded',
            key: call.key,
            code: codeOf(error),
            reason: reasonOf(error),
          });
        }
        o.emit({ type: 'idem', key: call.key, ok: false, code: codeOf(error) });
      }
    }),
  );
  o.emit({ type: 'finished', part: 'idem' });
}

async function manageHolds(o: ActorOptions): Promise<void> {
  const store = o.backends.reservations;
  if (store) {
    const reservations = createReservations(store);
    const started = Date.now();
    await Promise.all(
      o.schedule.reserve.ops[o.index]!.map(async (op) => {
        await sleep(Math.max(0, op.atMs - (Date.now() - started)));
        const report = (outcome: Extract<ActorEvent, { type: 'hold' }>['outcome'], code?: string) =>
          o.emit({
            type: 'hold',
            key: op.key,
            sku: op.sku,
            qty: op.qty,
            outcome,
            ...(code ? { code } : {}),
          });
        try {
          const held = await reservations.reserve({
            sku: op.sku,
            qty: op.qty,
            key: op.key,
            ttlMs: TIMING.holdTtlMs,
          });
          if (!held.reserved) return report('refused');
          await sleep(op.afterMs);
          if (op.finish === 'confirm') await reservations.confirm(op.key);
          else if (op.finish === 'release') await reservations.release(op.key);
          report(
            op.finish === 'confirm'
              ? 'confirmed'
              : op.finish === 'release'
                ? 'released'
                : 'abandoned',
          );
        } catch (error) {
          report('failed', codeOf(error));
        }
      }),
    );
  }
  o.emit({ type: 'finished', part: 'reserve' });
}
