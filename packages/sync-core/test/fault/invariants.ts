// The invariant checker: what the stores and the sinks hold after a schedule, against what every
// promise of sync-core allows. Every violation names the seed, the store and what broke.
import type { HoldStatus, StockLevel } from '../../src/index.js';
import type { ActorEvent } from './actor.js';
import type { SinkContents } from './backends.js';
import { type RunnerAudit, rowKey } from './runner-work.js';
import type { Schedule } from './schedule.js';

export interface Observation {
  schedule: Schedule;
  /** Keys whose enqueue was answered (the caller was told the job exists). */
  enqueued: Array<{ key: string; id: string; created: boolean }>;
  /** Idempotency record state of every job and idempotency key at the end. */
  records: Map<string, string | undefined>;
  dead: Array<{ id: string; key?: string }>;
  /** Jobs still queued, delayed or running at the end. */
  pending: number;
  sinks: SinkContents;
  /** Processes (or simulated workers) killed by the nemesis. */
  killed: Set<number>;
  /** Every event the managers reported, with the reporting process. */
  events: Array<ActorEvent & { pid: number }>;
  holds: Map<string, HoldStatus | undefined>;
  levels: Map<string, StockLevel>;
  runner: {
    /** The checkpoint, the sink and the dead-letter list read after each kill of a runner, and at the end. */
    audits: Array<{ when: string; audit: RunnerAudit | string }>;
    /** The sync ran to the end in a process that lived on. */
    finished: boolean;
  };
}

export interface Verdict {
  violations: string[];
  /** Figures worth printing: repeats, dead letters, refusals. */
  report: Record<string, number>;
}

/** Outcomes of a run that let an effect repeat without breaking a promise (at-least-once). */
const EXCUSED_BY_FAILURE = (code: string) =>
  code !== 'IDEMPOTENCY_LOCK_LOST' && code !== 'LEASE_LOST';

export function checkInvariants(obs: Observation): Verdict {
  const { schedule } = obs;
  const violations: string[] = [];
  const seen = new Map<string, number>();
  // At most five messages per invariant, then a count: one broken promise reads as one.
  const fail = (invariant: string, detail: string) => {
    const n = (seen.get(invariant) ?? 0) + 1;
    seen.set(invariant, n);
    if (n <= 5)
      violations.push(`seed=${schedule.seed} store=${schedule.store}: ${invariant}: ${detail}`);
  };
  const report: Record<string, number> = {};

  checkQueue(obs, fail, report);
  checkEffects(obs, fail, report);
  if (schedule.profile.reserve) checkHolds(obs, fail, report);
  checkRunner(obs, fail, report);
  for (const [invariant, n] of seen) {
    if (n > 5)
      violations.push(
        `seed=${schedule.seed} store=${schedule.store}: ${invariant}: ${n - 5} more like these`,
      );
  }
  return { violations, report };
}

type Fail = (invariant: string, detail: string) => void;

function checkQueue(obs: Observation, fail: Fail, report: Record<string, number>) {
  const jobs = obs.schedule.queue.jobs;
  const poison = new Set(jobs.filter((job) => job.poison).map((job) => job.key));
  const enqueued = new Set(obs.enqueued.map((e) => e.key));
  const deadCount = new Map<string, number>();
  for (const d of obs.dead) {
    const key = d.key ?? d.id;
    deadCount.set(key, (deadCount.get(key) ?? 0) + 1);
  }
  let healthyDead = 0;
  for (const job of jobs) {
    if (!enqueued.has(job.key)) {
      fail('every enqueue is answered', `the enqueue of ${job.key} never succeeded`);
      continue;
    }
    const done = obs.records.get(job.key) === 'done' && obs.sinks.once.has(job.key);
    const dead = deadCount.get(job.key) ?? 0;
    if (dead > 1)
      fail('dead-lettered exactly once', `${job.key} is in the dead letters ${dead} times`);
    if (done && dead > 0)
      fail('done or dead-lettered, not both', `${job.key} is done and dead-lettered`);
    if (!done && dead === 0) {
      fail(
        'nothing enqueued is missing',
        `${job.key} (enqueue answered ${JSON.stringify(obs.enqueued.find((e) => e.key === job.key))}) is neither done nor dead-lettered (record: ${obs.records.get(job.key) ?? 'none'})`,
      );
    }
    if (poison.has(job.key) && done) fail('a refused job is not run', `poison ${job.key} is done`);
    if (!poison.has(job.key) && dead > 0) healthyDead += 1;
    if (obs.sinks.once.has(job.key) && obs.sinks.once.get(job.key) !== job.n) {
      fail(
        'the idempotent sink holds the effect',
        `${job.key} = ${obs.sinks.once.get(job.key)}, expected ${job.n}`,
      );
    }
  }
  for (const key of deadCount.keys()) {
    if (!jobs.some((job) => job.key === key))
      fail('no phantom jobs', `dead letter ${key} was never enqueued`);
  }
  if (obs.pending !== 0) fail('the queue drains', `${obs.pending} jobs still queued or running`);
  report.jobs = jobs.length;
  report.dead = obs.dead.length;
  report.healthyDead = healthyDead;
}

/**
 * The non-idempotent sink logs every execution of an effect. A repeat is allowed only where the
 * first execution's record could not be written: its process was killed, or a store call failed
 * after the effect (both at-least-once by design). A repeat while the first runner lived and its
 * store answered (a lock or lease judged lost by someone else's clock) breaks the promise.
 */
function checkEffects(obs: Observation, fail: Fail, report: Record<string, number>) {
  const runs = new Map<string, number[]>();
  for (const entry of obs.sinks.log)
    runs.set(entry.key, [...(runs.get(entry.key) ?? []), entry.pid]);
  const unrecorded = new Map<string, Array<{ pid: number; code: string }>>();
  for (const event of obs.events) {
    if (event.type !== 'unrecorded') continue;
    unrecorded.set(event.key, [
      ...(unrecorded.get(event.key) ?? []),
      { pid: event.pid, code: event.code },
    ]);
  }
  let repeats = 0;
  let excused = 0;
  for (const [key, pids] of runs) {
    const extra = pids.length - 1;
    if (extra <= 0) continue;
    repeats += extra;
    const byKilled = pids.filter((pid) => obs.killed.has(pid)).length;
    const failures = (unrecorded.get(key) ?? []).filter((u) => EXCUSED_BY_FAILURE(u.code)).length;
    const allowed = byKilled + failures;
    excused += Math.min(extra, allowed);
    if (extra > allowed) {
      const lost = (unrecorded.get(key) ?? []).map((u) => `${u.pid}:${u.code}`).join(', ');
      fail(
        'no effect repeats unless its runner died or its store failed',
        `${key} ran ${pids.length} times (pids ${pids.join(', ')}; killed: ${byKilled}; unrecorded: ${lost || 'none'})`,
      );
    }
  }
  for (const key of new Set(obs.schedule.idem.calls.flat().map((c) => c.key))) {
    const ok = obs.events.some((e) => e.type === 'idem' && e.key === key && e.ok);
    if (ok && !runs.get(key)?.length)
      fail('an idempotent call that returned ran', `${key} returned but its effect is missing`);
    if (ok && obs.records.get(key) !== 'done') {
      fail(
        'an idempotent call that returned is recorded',
        `${key} returned but its record is ${obs.records.get(key) ?? 'missing'}`,
      );
    }
  }
  report.repeats = repeats;
  report.repeatsExcused = excused;
}

function checkHolds(obs: Observation, fail: Fail, report: Record<string, number>) {
  const { stock } = obs.schedule.reserve;
  const confirmedQty = new Map<string, number>();
  const told = new Map<string, Extract<ActorEvent, { type: 'hold' }>>();
  for (const event of obs.events) if (event.type === 'hold') told.set(event.key, event);
  for (const [key, status] of obs.holds) {
    if (status === undefined) continue;
    const event = told.get(key);
    if (status === 'held')
      fail('every hold ends', `hold ${key} is still held after its TTL and a sweep`);
    if (status === 'confirmed') {
      const op = obs.schedule.reserve.ops.flat().find((o) => o.key === key)!;
      confirmedQty.set(op.sku, (confirmedQty.get(op.sku) ?? 0) + op.qty);
    }
    if (event?.outcome === 'confirmed' && status !== 'confirmed') {
      fail(
        'a confirm that succeeded sticks',
        `hold ${key} was confirmed but the store says ${status}`,
      );
    }
    if (event?.outcome === 'released' && status !== 'released' && status !== 'expired') {
      fail(
        'a release that succeeded sticks',
        `hold ${key} was released but the store says ${status}`,
      );
    }
  }
  for (const event of told.values()) {
    if (event.outcome === 'confirmed' && obs.holds.get(event.key) === undefined) {
      fail(
        'a confirmed hold exists',
        `hold ${event.key} was confirmed but the store has no such hold`,
      );
    }
  }
  let confirmed = 0;
  for (const [sku, initial] of Object.entries(stock)) {
    const level = obs.levels.get(sku);
    const units = confirmedQty.get(sku) ?? 0;
    confirmed += units;
    if (units > initial)
      fail('never oversell', `${sku}: ${units} units confirmed, stock set was ${initial}`);
    if (level && level.stock < 0) fail('stock never below zero', `${sku}: stock is ${level.stock}`);
    if (level && level.stock !== initial - units) {
      fail(
        'stock is the set figure minus confirmed holds',
        `${sku}: stock ${level.stock}, set ${initial}, confirmed ${units}`,
      );
    }
  }
  report.confirmedUnits = confirmed;
  report.refusedHolds = [...told.values()].filter((e) => e.outcome === 'refused').length;
}

/**
 * A checkpoint never passes a record that is neither written nor durably parked: after every kill
 * of a runner and at the end. Once the sync has run to the end, every healthy row is written and
 * never parked, and every refused row is parked exactly once and never written.
 */
function checkRunner(obs: Observation, fail: Fail, report: Record<string, number>) {
  const { runner, schedule } = obs;
  let passedAtKills = 0;
  for (const { when, audit } of runner.audits) {
    if (typeof audit === 'string') {
      fail('the runner audit reads the store', `${when}: ${audit}`);
      continue;
    }
    if (when !== 'at the end') passedAtKills += audit.passed;
    if (audit.lost.length > 0) {
      fail(
        'a checkpoint never passes a record that is neither written nor durably parked',
        `${when}: the checkpoint passed ${audit.passed} rows, and rows ${audit.lost.join(', ')} are in neither the sink nor the dead-letter list`,
      );
    }
  }
  if (!runner.finished) {
    fail('the sync runs to the end', 'no runner that lived on completed the sync');
    return;
  }
  const end = runner.audits.at(-1)?.audit;
  if (end === undefined || typeof end === 'string') return;
  const poison = new Set(schedule.runner.poison);
  if (end.passed !== schedule.runner.rows) {
    fail(
      'the sync runs to the end',
      `the checkpoint passed ${end.passed} of ${schedule.runner.rows} rows`,
    );
  }
  for (let id = 0; id < schedule.runner.rows; id++) {
    const written = obs.sinks.once.has(rowKey(id));
    const parked = end.parked.get(id) ?? 0;
    if (poison.has(id)) {
      if (written) fail('a refused row is never written', `row ${id} is in the sink`);
      if (parked !== 1)
        fail('a refused row is parked exactly once', `row ${id} is parked ${parked} times`);
    } else {
      if (!written) fail('every healthy row is written', `row ${id} is not in the sink`);
      if (parked > 0) fail('a healthy row is never parked', `row ${id} is in the dead-letter list`);
    }
  }
  report.runnerKills = runner.audits.length - 1;
  report.runnerPassedAtKills = passedAtKills;
  report.runnerParked = end.parked.size;
}
