// Caller clocks that run 5 s ahead or behind must not move any expiry: the store's clock decides.
// Sequential on purpose: the test moves this process's Date.now, which every caller reads.
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  createIdempotency,
  createQueue,
  IdempotencyInProgressError,
  type QueueStore,
} from '../../src/index.js';
import { until } from '../support/services.js';
import { allBackends } from './backends.js';

const backends = await allBackends();
afterAll(async () => {
  for (const backend of backends) await backend.teardown();
});

const realNow = Date.now;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;
const queueName = () => `skew-${process.pid}-${++counter}`;

/** Runs `fn` while this process's clock (Date.now) is off by `offsetMs`. */
async function skewed<T>(offsetMs: number, fn: () => Promise<T>): Promise<T> {
  const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow.call(Date) + offsetMs);
  try {
    return await fn();
  } finally {
    spy.mockRestore();
  }
}

describe.each(backends.filter((b) => b.idempotency))(
  'idempotency under clock skew on $name',
  (backend) => {
    it('a caller 5 s ahead does not take a live lock; a caller 5 s behind takes a dead one', async () => {
      const store = await backend.idempotency!();
      const idem = createIdempotency(store, { lockMs: 1_000, onDuplicate: 'refuse' });
      let finish: ((value: string) => void) | undefined;
      const holder = idem.run(
        'live',
        () =>
          new Promise<string>((resolve) => {
            finish = resolve;
          }),
      );
      await until(() => finish !== undefined);
      await skewed(5_000, async () => {
        const ahead = createIdempotency(store, { lockMs: 1_000, onDuplicate: 'refuse' });
        await expect(ahead.run('live', async () => 'ahead')).rejects.toBeInstanceOf(
          IdempotencyInProgressError,
        );
      });
      finish!('holder');
      expect(await holder).toBe('holder');

      // A holder that died: its lock ran out 100 ms ago by the store's clock.
      expect((await store.begin('dead', { token: 'dead-holder', lockMs: 200 })).acquired).toBe(
        true,
      );
      await sleep(300);
      await skewed(-5_000, async () => {
        const behind = createIdempotency(store, { lockMs: 1_000, onDuplicate: 'refuse' });
        expect(await behind.run('dead', async () => 'behind')).toBe('behind');
      });
    });
  },
);

describe.each(backends.filter((b) => b.idempotency))(
  'a lock stolen under clock skew on $name',
  (backend) => {
    it('a holder 5 s ahead that stopped renewing loses its key to a caller 5 s behind only once its lock ran out by the store’s clock; its renewal and completion are refused', async () => {
      const store = await backend.idempotency!();
      const ahead = await skewed(5_000, () =>
        store.begin('stolen', { token: 'ahead', lockMs: 1_000 }),
      );
      expect(ahead.acquired).toBe(true);
      // The holder pauses (no renewal). A caller 5 s behind asks at once: the lock is live.
      expect(
        (await skewed(-5_000, () => store.begin('stolen', { token: 'behind', lockMs: 5_000 })))
          .acquired,
      ).toBe(false);
      await sleep(1_300); // the lock runs out by the store's clock
      expect(
        (await skewed(-5_000, () => store.begin('stolen', { token: 'behind', lockMs: 5_000 })))
          .acquired,
      ).toBe(true);
      // The first holder wakes up, its clock still 5 s ahead: fenced out.
      await skewed(5_000, async () => {
        expect(await store.renew('stolen', 'ahead', { lockMs: 5_000 })).toBe(false);
        expect(await store.complete('stolen', 'ahead', { result: '"ahead"' })).toBe(false);
        expect(await store.fail('stolen', 'ahead', { error: 'x', release: true })).toBe(false);
      });
      expect(await store.complete('stolen', 'behind', { result: '"behind"' })).toBe(true);
      expect(await store.get('stolen')).toMatchObject({ state: 'done', result: '"behind"' });
    });
  },
);

describe.each(backends.filter((b) => b.queue && b.name !== 'rabbitmq'))(
  'a queue lease stolen under clock skew on $name',
  (backend) => {
    it('a worker 5 s ahead that stopped heartbeating loses its job to a worker 5 s behind only once its lease ran out by the store’s clock; its extend, complete, retry and bury are refused', async () => {
      const store = (await backend.queue!()) as QueueStore;
      const name = queueName();
      await store.enqueue(name, [
        { id: 'job-1', key: 'order-1', payload: '"order-1"', maxAttempts: 5, delayMs: 0 },
      ]);
      const [job] = await skewed(5_000, () =>
        store.claim(name, { limit: 1, leaseMs: 1_000, token: 'ahead' }),
      );
      expect(job?.id).toBe('job-1');
      // The worker pauses (no heartbeat). A worker 5 s behind polls at once: the lease is live.
      expect(
        await skewed(-5_000, () =>
          store.claim(name, { limit: 1, leaseMs: 5_000, token: 'behind' }),
        ),
      ).toEqual([]);
      await sleep(1_300); // the lease runs out by the store's clock
      const [taken] = await skewed(-5_000, () =>
        store.claim(name, { limit: 1, leaseMs: 5_000, token: 'behind' }),
      );
      expect(taken).toMatchObject({ id: 'job-1', attempts: 2 });
      // The first worker wakes up, its clock still 5 s ahead: every outcome it reports is refused.
      await skewed(5_000, async () => {
        expect(await store.extend(name, 'job-1', 'ahead', 5_000)).toBe(false);
        expect(await store.complete(name, 'job-1', 'ahead')).toBe(false);
        expect(await store.retry(name, 'job-1', 'ahead', { delayMs: 0, error: 'x' })).toBe(false);
        expect(await store.bury(name, 'job-1', 'ahead', { error: 'x' })).toBe(false);
      });
      expect(await store.stats(name)).toMatchObject({ ready: 0, running: 1, dead: 0 });
      expect(await store.complete(name, 'job-1', 'behind')).toBe(true);
      expect(await store.stats(name)).toMatchObject({ ready: 0, running: 0, dead: 0 });
    });
  },
);

describe.each(backends.filter((b) => b.kvPlace))(
  'KeyValueStore TTLs under clock skew on $name',
  (backend) => {
    it('a caller 5 s ahead sees no live entry expired; a caller 5 s behind sees no expired entry live', async () => {
      const open = backend.kvPlace!();
      const kv = await open();
      await kv.set('live', 'x', { ttlMs: 4_000 });
      await kv.set('dead', 'x', { ttlMs: 200 });
      await sleep(400);
      await skewed(5_000, async () => {
        const ahead = await open(); // another process, on a machine 5 s ahead
        expect(await ahead.get('live')).toBe('x');
        expect(await ahead.setIfAbsent('live', 'stolen', { ttlMs: 4_000 })).toBe(false);
        await ahead.set('set-ahead', 'v', { ttlMs: 300 });
        expect(await ahead.sweep!({ prefix: 'live' })).toBe(0);
      });
      await skewed(-5_000, async () => {
        const behind = await open(); // another process, on a machine 5 s behind
        expect(await behind.get('dead')).toBeUndefined();
        expect(await behind.take!('dead')).toBeUndefined();
        const listed: string[] = [];
        for await (const [key] of behind.list('')) listed.push(key);
        expect(listed).not.toContain('dead');
        expect(await behind.setIfAbsent('dead', 'again', { ttlMs: 4_000 })).toBe(true);
        await behind.set('set-behind', 'v', { ttlMs: 4_000 });
      });
      // The TTLs the skewed callers set run from the store's clock: neither 5 s short nor 5 s long.
      expect(await kv.get('set-behind')).toBe('v');
      expect(await kv.get('dead')).toBe('again');
      await until(async () => (await kv.get('set-ahead')) === undefined, 3_000);
    });
  },
);

describe.each(backends.filter((b) => b.queue && b.name !== 'rabbitmq'))(
  'queue leases under clock skew on $name',
  (backend) => {
    it('a worker 5 s ahead does not take a live lease; a worker 5 s behind takes an expired one', async () => {
      const store = (await backend.queue!()) as QueueStore;
      const name = queueName();
      const queue = createQueue<string>(store, { name });
      await queue.enqueue('held', { key: 'held' });
      const runs: string[] = [];
      let release: (() => void) | undefined;
      const stopHolder = new AbortController();
      const holder = queue.work(
        (job) => {
          runs.push(`holder:${job.payload}`);
          return new Promise<void>((resolve) => {
            release = resolve;
          });
        },
        { pollMs: 20, leaseMs: 1_000, signal: stopHolder.signal },
      );
      await until(() => release !== undefined);
      stopHolder.abort();
      await skewed(5_000, async () => {
        const stop = new AbortController();
        const ahead = createQueue<string>(store, { name }).work(
          (job) => {
            runs.push(`ahead:${job.payload}`);
          },
          { pollMs: 20, leaseMs: 1_000, signal: stop.signal },
        );
        await sleep(400);
        stop.abort();
        await ahead;
      });
      release!();
      await holder;
      expect(runs).toEqual(['holder:held']);

      // A worker that died holding a job: its lease runs out 100 ms from now by the store's clock.
      await queue.enqueue('orphan', { key: 'orphan' });
      await backend.abandon!(store, name);
      await sleep(300);
      await skewed(-5_000, async () => {
        const stop = new AbortController();
        const behind = createQueue<string>(store, { name }).work(
          (job) => {
            runs.push(`behind:${job.payload}`);
          },
          { pollMs: 20, leaseMs: 1_000, signal: stop.signal },
        );
        await until(() => runs.length === 2, 5_000).finally(() => stop.abort());
        await behind;
      });
      expect(runs).toEqual(['holder:held', 'behind:orphan']);
    });
  },
);
