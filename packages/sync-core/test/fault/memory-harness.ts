// Runs a schedule against the memory stores: three simulated managers in this process share one
// queue, idempotency and reservation store. A "kill" cuts a manager off: from then on every call
// it makes to a store never returns (as if its process were gone), so its leases and claims lapse
// and the others must take its work over. Skew does not apply: the store's clock is the process's.

import { setTimeout as sleep } from 'node:timers/promises';
import {
  createQueue,
  type HoldStatus,
  memoryIdempotencyStore,
  memoryKeyValueStore,
  memoryQueueStore,
  memoryReservationStore,
  type StockLevel,
} from '../../src/index.js';
import { type ActorEvent, type Parts, QUEUE_NAME, runActor } from './actor.js';
import type { Backends, SinkContents, SinkWriter } from './backends.js';
import { checkInvariants, type Observation } from './invariants.js';
import { type RunOutcome, runnerFinished } from './process-harness.js';
import { auditWhenReachable, RUNNER_INDEX, type RunnerAudit } from './runner-work.js';
import { type Schedule, type ScheduledJob, TIMING } from './schedule.js';

/** A store seen through a manager that can be cut off: after `cut()`, every call hangs forever. */
function severable<T extends object>(store: T, isCut: () => boolean): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        isCut()
          ? new Promise(() => {})
          : (value as (...a: unknown[]) => unknown).apply(target, args);
    },
  });
}

export async function runMemorySchedule(
  schedule: Schedule,
  options: { stallMs?: number } = {},
): Promise<RunOutcome> {
  const shared = {
    queue: memoryQueueStore(),
    idem: memoryIdempotencyStore(),
    reservations: memoryReservationStore(),
    kv: memoryKeyValueStore(),
  };
  const audits: Array<{ when: string; audit: RunnerAudit | string }> = [];
  const readOnce = async () => new Map(sinks.once);
  const auditing: Array<Promise<void>> = [];
  const sinks: SinkContents = { once: new Map(), log: [] };
  const events: Array<ActorEvent & { pid: number }> = [];
  const killed = new Set<number>();
  const stop = new AbortController();
  const running: Array<Promise<void>> = [];
  let nextPid = 1;

  const launch = (index: number, parts: Parts) => {
    const pid = nextPid++;
    const cut = () => killed.has(pid);
    const backends: Backends = {
      queue: severable(shared.queue, cut),
      idem: severable(shared.idem, cut),
      reservations: severable(shared.reservations, cut),
      kv: severable(shared.kv, cut),
      close: async () => {},
    };
    const writer: SinkWriter = {
      async once(key, value) {
        if (!cut()) sinks.once.set(key, value);
      },
      async log(key, who) {
        if (!cut()) sinks.log.push({ key, pid: who });
      },
      close: async () => {},
    };
    const dead = new AbortController();
    running.push(
      runActor({
        index,
        pid,
        schedule,
        backends,
        sinks: writer,
        clock: () => Date.now(),
        parts,
        emit: (event) => {
          if (cut()) return;
          events.push({ ...event, pid });
          if (event.type === 'hanging') {
            killed.add(pid);
            dead.abort();
            if (event.key.startsWith('runner:')) {
              auditing.push(
                auditWhenReachable(schedule, shared.kv, readOnce).then((audit) => {
                  audits.push({ when: `after the kill at ${event.key}`, audit });
                }),
              );
            }
            launch(index, {
              queue: true,
              idem: false,
              reserve: false,
              ...(index === RUNNER_INDEX ? { runner: 'resume' as const } : {}),
            });
          }
        },
        hang: () => new Promise<never>(() => {}),
        signal: AbortSignal.any([stop.signal, dead.signal]),
      }).catch(() => {}),
    );
    return pid;
  };

  const queue = createQueue<ScheduledJob>(shared.queue, { name: QUEUE_NAME, maxAttempts: 10 });
  for (const [sku, qty] of Object.entries(schedule.reserve.stock)) {
    await shared.reservations.setStock(sku, qty);
  }
  const enqueued: Observation['enqueued'] = [];
  for (const job of schedule.queue.jobs) {
    enqueued.push({ key: job.key, ...(await queue.enqueue(job, { key: job.key })) });
  }
  for (const key of schedule.queue.duplicates) {
    await queue.enqueue(schedule.queue.jobs.find((j) => j.key === key)!, { key });
  }
  const originals = Array.from({ length: schedule.workers }, (_, index) =>
    launch(index, {
      queue: true,
      idem: true,
      reserve: schedule.profile.reserve,
      ...(index === RUNNER_INDEX ? { runner: 'first' as const } : {}),
    }),
  );

  const finished = (part: 'idem' | 'reserve') =>
    originals.every(
      (pid) =>
        killed.has(pid) ||
        events.some((e) => e.pid === pid && e.type === 'finished' && e.part === part),
    );
  const stallMs = options.stallMs ?? 10_000;
  let last = '';
  let movedAt = Date.now();
  for (;;) {
    const stats = await queue.stats();
    const dead = new Set((await queue.deadLetters({ limit: 10_000 })).map((d) => d.key));
    const settled = schedule.queue.jobs.filter((j) => sinks.once.has(j.key) || dead.has(j.key));
    const pending = stats.ready + stats.delayed + (stats.running ?? 0);
    const state = `${settled.length}/${pending}/${events.length}`;
    if (state !== last) {
      last = state;
      movedAt = Date.now();
    }
    const enough =
      finished('idem') &&
      runnerFinished(events, killed) &&
      (!schedule.profile.reserve || finished('reserve')) &&
      pending === 0 &&
      settled.length === schedule.queue.jobs.length;
    if (enough || Date.now() - movedAt > stallMs) break;
    await sleep(50);
  }
  stop.abort();

  let holds = new Map<string, HoldStatus | undefined>();
  const levels = new Map<string, StockLevel>();
  if (schedule.profile.reserve) {
    await sleep(TIMING.holdTtlMs + 100);
    await shared.reservations.sweep();
    holds = new Map(
      await Promise.all(
        schedule.reserve.ops
          .flat()
          .map(async (op) => [op.key, (await shared.reservations.get(op.key))?.status] as const),
      ),
    );
    for (const sku of Object.keys(schedule.reserve.stock)) {
      levels.set(sku, await shared.reservations.level(sku));
    }
  }
  const keys = [
    ...schedule.queue.jobs.map((job) => job.key),
    ...new Set(schedule.idem.calls.flat().map((call) => call.key)),
  ];
  const records = new Map(
    await Promise.all(keys.map(async (key) => [key, (await shared.idem.get(key))?.state] as const)),
  );
  const stats = await queue.stats();
  await Promise.all(auditing);
  audits.push({
    when: 'at the end',
    audit: await auditWhenReachable(schedule, shared.kv, readOnce),
  });
  const verdict = checkInvariants({
    schedule,
    enqueued,
    records,
    dead: await queue.deadLetters({ limit: 10_000 }),
    pending: stats.ready + stats.delayed + (stats.running ?? 0),
    sinks,
    killed,
    events,
    holds,
    levels,
    runner: { audits, finished: runnerFinished(events, killed) },
  });
  verdict.report.kills = killed.size;
  verdict.report.cuts = 0;
  return { seed: schedule.seed, store: 'memory', ...verdict };
}
