import { describe, expect, it } from 'vitest';
import { walks } from '../../../test/support/walks.js';
import type { NewJob } from '../../queue/store.js';
import { openMemoryQueueStore } from './queue.js';

const T0 = 1_000_000;
const jobs = (count: number, from = 0, delayMs = 0): NewJob[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `job-${from + i}`,
    payload: '{}',
    delayMs,
    maxAttempts: 5,
  }));

/** A memory queue store whose clock the test sets. */
function clocked() {
  const clock = { now: T0 };
  return { clock, ...openMemoryQueueStore({ now: () => clock.now }) };
}

/** Claims and completes every job one at a time; returns the store's work per job. */
async function drain(size: number, running = 0) {
  const { store, shape, clock } = clocked();
  await store.enqueue('q', jobs(size + running));
  // Jobs held by other, live workers: a claim must not have to look at them.
  await store.claim('q', { limit: running, leaseMs: 3_600_000, token: 'other' });
  const before = shape('q').work;
  for (let i = 0; i < size; i += 1) {
    clock.now = T0 + i;
    const [job] = await store.claim('q', { limit: 1, leaseMs: 30_000, token: `t${i}` });
    expect(await store.complete('q', job!.id, job!.token)).toBe(true);
  }
  return { perJob: (shape('q').work - before) / size, shape: shape('q') };
}

describe('memory queue store complexity', () => {
  it('claim, extend, complete, retry, bury and replay walk no collection and sort nothing', async () => {
    const { store } = clocked();
    await store.enqueue('q', jobs(5_000));
    await store.claim('q', { limit: 1_000, leaseMs: 3_600_000, token: 'other' });
    const claim = walks(() => store.claim('q', { limit: 3, leaseMs: 100, token: 't' }));
    expect(claim.walks).toBe(0);
    const [a, b, c] = await claim.result;
    const steps = [
      walks(() => store.extend('q', a!.id, 't', 500)),
      walks(() => store.complete('q', a!.id, 't')),
      walks(() => store.retry('q', b!.id, 't', { delayMs: 0, error: 'again' })),
      walks(() => store.bury('q', c!.id, 't', { error: 'fatal' })),
      walks(() => store.replay('q', c!.id)),
      walks(() => store.enqueue('q', jobs(10, 9_000))),
    ];
    expect(steps.map((step) => step.walks)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(await Promise.all(steps.slice(0, 5).map((step) => step.result))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('claims with work that grows with log n, not n, and leaves nothing behind', async () => {
    const small = await drain(1_000);
    const large = await drain(16_000);
    // A scan or sort per claim would make the large queue ~16x (or worse) the small one.
    expect(large.perJob).toBeLessThan(2 * Math.log2(16_000) + 8);
    expect(large.perJob / small.perJob).toBeLessThan(2);
    expect(large.shape).toEqual({
      jobs: 0,
      keys: 0,
      dueEntries: 0,
      leaseEntries: expect.any(Number),
      running: 0,
      dead: 0,
      work: expect.any(Number),
    });
    expect(large.shape.leaseEntries).toBeLessThanOrEqual(64);
  }, 60_000);

  it('does not look at jobs other workers hold on live leases', async () => {
    const some = await drain(2_000, 1_000);
    const many = await drain(2_000, 16_000);
    expect(many.shape.running).toBe(16_000);
    // Each claim pushes and pops a lease entry (O(log n)); a scan would cost 16,000 per claim.
    expect(many.perJob).toBeLessThan(6 * Math.log2(18_000));
    expect(many.perJob / some.perJob).toBeLessThan(2);
  }, 60_000);

  it('keeps the lease heap bounded while workers keep extending', async () => {
    const { store, shape, clock } = clocked();
    await store.enqueue('q', jobs(500));
    const claimed = await store.claim('q', { limit: 500, leaseMs: 1_000, token: 'w' });
    for (let round = 1; round <= 20; round += 1) {
      for (const job of claimed) {
        expect(await store.extend('q', job.id, 'w', 1_000 * (round + 1))).toBe(true);
      }
    }
    expect(shape('q').leaseEntries).toBeLessThanOrEqual(2 * 500 + 64);
    // Only the latest lease counts: nothing is claimable before it runs out.
    clock.now = T0 + 20_999;
    expect(await store.claim('q', { limit: 10, leaseMs: 1_000, token: 'x' })).toEqual([]);
    clock.now = T0 + 21_000;
    const back = await store.claim('q', { limit: 600, leaseMs: 1_000, token: 'y' });
    expect(back).toHaveLength(500);
    expect(new Set(back.map((job) => job.id)).size).toBe(500);
    expect(back.every((job) => job.attempts === 2)).toBe(true);
  });

  it('returns expired leases first, earliest first, then due jobs by (runAt, enqueue order)', async () => {
    const { store, clock } = clocked();
    await store.enqueue('q', [...jobs(2, 0, 5), ...jobs(2, 2)]);
    const [a] = await store.claim('q', { limit: 1, leaseMs: 300, token: 'a' });
    const [b] = await store.claim('q', { limit: 1, leaseMs: 100, token: 'b' });
    expect([a!.id, b!.id]).toEqual(['job-2', 'job-3']);
    // The same lease end set twice must not hand the job out twice.
    expect(await store.extend('q', a!.id, 'a', 300)).toBe(true);
    clock.now = T0 + 300;
    const order = await store.claim('q', { limit: 10, leaseMs: 100, token: 'c' });
    expect(order.map((job) => job.id)).toEqual(['job-3', 'job-2', 'job-0', 'job-1']);
    expect(await store.complete('q', a!.id, 'a')).toBe(false);
    expect(await store.stats('q')).toEqual({ ready: 0, delayed: 0, running: 4, dead: 0, done: 0 });
  });

  it('counts ready, delayed, running, dead and kept done jobs exactly as jobs move between them', async () => {
    const { store, shape, clock } = clocked();
    await store.enqueue('q', [...jobs(3), { ...jobs(1, 3, 1_000)[0]!, key: 'k' }]);
    expect(await store.stats('q')).toEqual({ ready: 3, delayed: 1, running: 0, dead: 0, done: 0 });
    const [x, y, z] = await store.claim('q', { limit: 3, leaseMs: 100, token: 't' });
    await store.retry('q', x!.id, 't', { delayMs: 50, error: 'boom' });
    await store.bury('q', y!.id, 't', { error: 'fatal' });
    await store.complete('q', z!.id, 't', { keep: true });
    expect(await store.stats('q')).toEqual({ ready: 0, delayed: 2, running: 0, dead: 1, done: 1 });
    expect((await store.list('q', { state: 'done', limit: 10 })).map((j) => j.id)).toEqual([z!.id]);
    expect(await store.enqueue('q', [{ ...jobs(1, 9)[0]!, key: 'k' }])).toEqual([
      { id: 'job-3', created: false },
    ]);
    expect(await store.replay('q', y!.id)).toBe(true);
    expect(await store.replay('q', y!.id)).toBe(false);
    clock.now = T0 + 1_000;
    expect(await store.stats('q')).toEqual({ ready: 3, delayed: 0, running: 0, dead: 0, done: 1 });
    expect(await store.sweep('q', { doneOlderThanMs: 1_001 })).toBe(0);
    expect(await store.sweep('q', { doneOlderThanMs: 1_000 })).toBe(1);
    expect(shape('q')).toMatchObject({ jobs: 3, keys: 1, running: 0, dead: 0 });
  });
});
