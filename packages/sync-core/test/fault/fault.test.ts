// The fault suite: one seeded schedule per store, three managers, the nemesis loose, then the
// invariant checker. A failure names its seed; replay it with
// `pnpm soak -- --store <store> --seed <seed>`.
import { describe, expect, it } from 'vitest';
import { serviceAvailable } from '../support/services.js';
import { runMemorySchedule } from './memory-harness.js';
import { runProcessSchedule } from './process-harness.js';
import { CI_FAULTS } from './profiles.js';
import { makeSchedule, profileOf, type StoreKind } from './schedule.js';

const seed = Number(process.env.PLUMBLINE_FAULT_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`[fault suite] seed ${seed} (PLUMBLINE_FAULT_SEED=${seed} replays it)`);

const available: Record<Exclude<StoreKind, 'memory'>, boolean> = {
  sqlite: true,
  postgres: await serviceAvailable('postgres'),
  mysql: await serviceAvailable('mysql'),
  redis: await serviceAvailable('redis'),
  rabbitmq: (await serviceAvailable('rabbitmq')) && (await serviceAvailable('redis')),
};

describe('fault suite: three managers, a nemesis, and the invariants after', () => {
  it(`memory (simulated managers in one process): ${CI_FAULTS.memory.join(', ')}`, async () => {
    const schedule = makeSchedule(seed, 'memory', profileOf(CI_FAULTS.memory));
    const outcome = await runMemorySchedule(schedule);
    expect(outcome.violations).toEqual([]);
    expect(outcome.report.kills).toBeGreaterThan(0);
    // The runner was cut off mid-run and its checkpoint audited then.
    if (schedule.runner.kill) expect(outcome.report.runnerKills).toBeGreaterThan(0);
  }, 60_000);

  for (const store of ['sqlite', 'postgres', 'mysql', 'redis', 'rabbitmq'] as const) {
    it.skipIf(!available[store])(
      `${store}: ${CI_FAULTS[store].join(', ')}`,
      async () => {
        const schedule = makeSchedule(seed, store, profileOf(CI_FAULTS[store]));
        const outcome = await runProcessSchedule(schedule);
        expect(outcome.violations).toEqual([]);
        // The nemesis struck: a schedule that injected nothing would prove nothing.
        if (schedule.profile.kill) expect(outcome.report.kills).toBeGreaterThan(0);
        if (schedule.runner.kill) expect(outcome.report.runnerKills).toBeGreaterThan(0);
        if (schedule.profile.cut) expect(outcome.report.cuts).toBeGreaterThan(0);
      },
      150_000, // a bound for a shared, loaded machine; the work itself takes ~15 s a store when idle
    );
  }
});
