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
