import { afterAll, describe, expect, it } from 'vitest';
import {
  createQueue,
  InvalidInputError,
  LeaseLostError,
  PermanentJobError,
  type Queue,
  type QueueStore,
} from '../../src/index.js';
import { until } from '../support/services.js';
import { allBackends } from './backends.js';

const backends = (await allBackends()).filter((backend) => backend.queue);
afterAll(async () => {
  for (const backend of backends) await backend.teardown();
});

let counter = 0;
const queueName = () => `orders-${process.pid}-${++counter}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fast = { pollMs: 20, backoff: { baseMs: 20, maxMs: 100 } };

/** Runs a worker until `done()` holds, then stops it and waits for it to drain. */
async function workUntil<P>(
  queue: Queue<P>,
  handler: Parameters<Queue<P>['work']>[0],
  done: () => boolean | Promise<boolean>,
  options: Parameters<Queue<P>['work']>[1] = {},
) {
  const stop = new AbortController();
  const worker = queue.work(handler, { ...fast, ...options, signal: stop.signal });
  try {
    await until(done, 15_000);
  } finally {
    stop.abort();
    await worker;
  }
}

describe.concurrent.each(backends)('queue on $name', (backend) => {
  it('delivers every job with its payload, then the queue is empty', async () => {
    const queue = createQueue<{ n: number }>(await backend.queue!(), { name: queueName() });
    await queue.enqueueMany(Array.from({ length: 30 }, (_, n) => ({ payload: { n } })));
    const seen: number[] = [];
    await workUntil(
      queue,
      (job) => {
        seen.push(job.payload.n);
      },
      () => seen.length === 30,
      { concurrency: 4 },
    );
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(await queue.stats()).toMatchObject({ ready: 0, delayed: 0, dead: 0 });
  });

  it('dedupes by key while the job is queued', async () => {
    const queue = createQueue(await backend.queue!(), { name: queueName() });
    const first = await queue.enqueue({ order: 1 }, { key: 'order-1' });
    const second = await queue.enqueue({ order: 1 }, { key: 'order-1' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    const many = await queue.enqueueMany([
      { payload: 2, key: 'order-2' },
      { payload: 2, key: 'order-2' },
      { payload: 1, key: 'order-1' },
    ]);
    expect(many.map((r) => r.created)).toEqual([true, false, false]);
    expect((await queue.stats()).ready + ((await queue.stats()).delayed ?? 0)).toBe(2);
  });

  it('holds a delayed job back until its time', async () => {
    const queue = createQueue<string>(await backend.queue!(), { name: queueName() });
    const enqueuedAt = Date.now();
    await queue.enqueue('later', { delayMs: 250 });
    await queue.enqueue('now');
    const runs: Array<[string, number]> = [];
    await workUntil(
      queue,
      (job) => {
        runs.push([job.payload, Date.now() - enqueuedAt]);
      },
      () => runs.length === 2,
    );
    expect(runs[0]![0]).toBe('now');
    expect(runs[1]![0]).toBe('later');
    expect(runs[1]![1]).toBeGreaterThanOrEqual(240);
  });

  it('retries a failing job with backoff and counts its attempts', async () => {
    const queue = createQueue<string>(await backend.queue!(), { name: queueName() });
    await queue.enqueue('flaky', { maxAttempts: 5 });
    const attempts: number[] = [];
    let ok = false;
    await workUntil(
      queue,
      (job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error(`transient ${job.attempt}`);
        ok = true;
      },
      () => ok,
    );
    expect(attempts).toEqual([1, 2, 3]);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('dead-letters an exhausted job with its last error, and replay runs it again', async () => {
    const queue = createQueue<{ sku: string }>(await backend.queue!(), { name: queueName() });
    const { id } = await queue.enqueue({ sku: 'X' }, { maxAttempts: 2, key: 'sku-X' });
    let healthy = false;
    let done = false;
    const handler = () => {
      if (!healthy) throw new Error('ERP returned 503');
      done = true;
    };
    await workUntil(queue, handler, async () => (await queue.stats()).dead === 1);
    const dead = await queue.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ id, key: 'sku-X', payload: { sku: 'X' }, attempts: 2 });
    expect(dead[0]!.lastError).toContain('ERP returned 503');
    expect((await queue.enqueue({ sku: 'X' }, { key: 'sku-X' })).created).toBe(false);

    healthy = true;
    expect(await queue.replay(id)).toBe(true);
    expect(await queue.replay('no-such-job')).toBe(false);
    await workUntil(queue, handler, () => done);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('discards a dead job for good: gone from the dead letters, its key free again', async () => {
    const queue = createQueue<{ sku: string }>(await backend.queue!(), { name: queueName() });
    const { id } = await queue.enqueue({ sku: 'D' }, { maxAttempts: 1, key: 'sku-D' });
    const other = await queue.enqueue({ sku: 'E' }, { maxAttempts: 1 });
    await workUntil(
      queue,
      () => {
        throw new Error('refused');
      },
      async () => (await queue.stats()).dead === 2,
    );
    expect(await queue.discard(id)).toBe(true);
    expect(await queue.discard(id)).toBe(false);
    expect(await queue.discard('no-such-job')).toBe(false);
    expect((await queue.deadLetters()).map((d) => d.id)).toEqual([other.id]);
    expect((await queue.stats()).dead).toBe(1);
    expect(await queue.replay(id)).toBe(false);
    const again = await queue.enqueue({ sku: 'D' }, { key: 'sku-D' });
    expect(again.created).toBe(true);
    expect(again.id).not.toBe(id);
  });

  it('dead-letters a job whose error message holds a NUL with that message', async () => {
    // PostgreSQL text cannot hold NUL: retry and bury were refused by the driver, so the job sat
    // until its lease ran out and was buried as a worker that "stopped without finishing".
    const queue = createQueue<{ sku: string }>(await backend.queue!(), { name: queueName() });
    await queue.enqueue({ sku: 'Y' }, { maxAttempts: 1 });
    const handler = () => {
      throw new Error('vendor said: bad\u0000byte');
    };
    await workUntil(queue, handler, async () => (await queue.stats()).dead === 1);
    const [dead] = await queue.deadLetters();
    expect(dead!.lastError).toContain('vendor said: bad');
    expect(dead!.lastError).not.toContain('stopped without finishing');
  });

  it('parks a job that fails validation with its reason and carries on with the rest', async () => {
    const queue = createQueue<{ qty: unknown }>(await backend.queue!(), { name: queueName() });
    await queue.enqueueMany([
      { payload: { qty: 1 } },
      { payload: { qty: 'three' }, key: 'bad-line' },
      { payload: { qty: 2 } },
    ]);
    const done: unknown[] = [];
    let calls = 0;
    await workUntil(
      queue,
      (job) => {
        calls += 1;
        if (typeof job.payload.qty !== 'number') {
          throw new PermanentJobError(
            `qty must be a number, got ${JSON.stringify(job.payload.qty)}`,
          );
        }
        done.push(job.payload.qty);
      },
      async () => done.length === 2 && (await queue.stats()).dead === 1,
    );
    expect(calls).toBe(3);
    const [dead] = await queue.deadLetters();
    expect(dead).toMatchObject({ key: 'bad-line', attempts: 1, payload: { qty: 'three' } });
    expect(dead!.lastError).toContain('JOB_REJECTED');
    expect(dead!.lastError).toContain('qty must be a number, got "three"');
  });

  it('returns the job of a worker that died once its lease runs out', async () => {
    const store = await backend.queue!();
    const name = queueName();
    const queue = createQueue<string>(store, { name });
    await queue.enqueue('orphan', { key: 'orphan' });
    await backend.abandon!(store, name);
    const seen: Array<[string, number]> = [];
    await workUntil(
      queue,
      (job) => {
        seen.push([job.payload, job.attempt]);
      },
      () => seen.length === 1,
      { leaseMs: 5_000 },
    );
    expect(seen[0]).toEqual(['orphan', 2]);
  });

  it('dead-letters a job whose workers keep dying once its attempts are used up', async () => {
    const store = await backend.queue!();
    const name = queueName();
    const queue = createQueue<string>(store, { name });
    await queue.enqueue('poison', { key: 'poison', maxAttempts: 2 });
    await backend.abandon!(store, name);
    await sleep(250); // the dead worker's lease runs out
    await backend.abandon!(store, name);
    await sleep(250);
    let ran = false;
    await workUntil(
      queue,
      () => {
        ran = true;
      },
      async () => (await queue.stats()).dead === 1,
    );
    expect(ran).toBe(false);
    const [dead] = await queue.deadLetters();
    expect(dead).toMatchObject({ key: 'poison', payload: 'poison' });
    expect(dead!.lastError).toContain('stopped without finishing');
  });

  it("heartbeats keep a slow handler's lease: no other worker takes the job", async () => {
    const queue = createQueue<string>(await backend.queue!(), { name: queueName() });
    await queue.enqueue('slow', { key: 'slow' });
    const runs: string[] = [];
    const slowStop = new AbortController();
    const slow = queue.work(
      async (job) => {
        runs.push(`slow:${job.attempt}`);
        await sleep(3_500); // three and a half leases long
      },
      { ...fast, leaseMs: 1_000, signal: slowStop.signal },
    );
    await until(() => runs.length === 1);
    // A rival polls the same queue while the slow handler runs, ready to take an expired lease.
    const rivalStop = new AbortController();
    const rival = queue.work(
      () => {
        runs.push('rival');
      },
      { ...fast, leaseMs: 1_000, signal: rivalStop.signal },
    );
    slowStop.abort();
    const summary = await slow;
    await sleep(200);
    rivalStop.abort();
    await rival;
    expect(runs).toEqual(['slow:1']);
    expect(summary).toMatchObject({ completed: 1, leaseLost: 0 });
  }, 20_000);

  it('keeps at most `concurrency` jobs in flight and uses all of them', async () => {
    const queue = createQueue<number>(await backend.queue!(), { name: queueName() });
    await queue.enqueueMany(Array.from({ length: 24 }, (_, n) => ({ payload: n })));
    let running = 0;
    let peak = 0;
    let finished = 0;
    await workUntil(
      queue,
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(25);
        running -= 1;
        finished += 1;
      },
      () => finished === 24,
      { concurrency: 4 },
    );
    expect(peak).toBe(4);
  });

  it('rejects bad options with typed errors naming the field', async () => {
    const queue = createQueue(await backend.queue!(), { name: queueName() });
    await expect(queue.enqueue({}, { delayMs: -1 })).rejects.toMatchObject({ field: 'delayMs' });
    await expect(queue.enqueue({}, { maxAttempts: 0 })).rejects.toMatchObject({
      field: 'maxAttempts',
    });
    await expect(queue.enqueue({}, { key: '' })).rejects.toBeInstanceOf(InvalidInputError);
    // A lone surrogate is U+FFFD once stored: two such keys would dedupe into one job.
    await expect(queue.enqueue({}, { key: 'order-\uD83D' })).rejects.toMatchObject({
      field: 'key',
    });
    await expect(queue.enqueue(undefined)).rejects.toMatchObject({ field: 'payload' });
    await expect(queue.work(() => {}, { concurrency: 0 })).rejects.toMatchObject({
      field: 'concurrency',
    });
    // Past Node's longest timer the heartbeat fired every millisecond (144 extends in 200 ms).
    await expect(
      queue.work(() => {}, { leaseMs: 2 ** 40, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ field: 'leaseMs' });
    await expect(queue.enqueue({}, { delayMs: 1e20 })).rejects.toMatchObject({ field: 'delayMs' });
    await expect(queue.work(() => {}, { backoff: { factor: 0.5 } })).rejects.toMatchObject({
      code: 'STORE_CONFIG',
      option: 'backoff.factor',
    });
    expect(() => createQueue(memoryLike(), { name: 'bad name!' })).toThrow(InvalidInputError);
  });
});

function memoryLike() {
  return { broker: false } as never;
}

const polled = backends.filter((backend) => backend.name !== 'rabbitmq');

/**
 * A store as seen by a paused process: while `paused`, its lease renewals do not reach the store
 * (they are held back, as a stopped process would hold them), and are sent once it resumes.
 */
function pausable(store: QueueStore) {
  let resume: () => void = () => {};
  let gate: Promise<void> | undefined;
  return {
    store: {
      ...store,
      async extend(...args: Parameters<QueueStore['extend']>) {
        if (gate) await gate;
        return store.extend(...args);
      },
    } as QueueStore,
    pause() {
      gate = new Promise<void>((resolve) => {
        resume = resolve;
      });
    },
    resume() {
      gate = undefined;
      resume();
    },
  };
}

describe.concurrent.each(polled)('lost leases on $name', (backend) => {
  it('a worker that stopped heartbeating loses the job to another; its signal aborts and its complete is refused and reported', async () => {
    const shared = (await backend.queue!()) as QueueStore;
    const name = queueName();
    const paused = pausable(shared);
    await createQueue<string>(shared, { name }).enqueue('order-1', { key: 'order-1' });

    const events: LeaseLostError[] = [];
    let signal: AbortSignal | undefined;
    const stopA = new AbortController();
    const a = createQueue<string>(paused.store, { name }).work(
      async (_job, context) => {
        signal = context.signal;
        paused.pause(); // the process stops here: no heartbeat reaches the store
        await until(() => context.signal.aborted, 15_000).catch(() => {});
        stopA.abort();
      },
      { ...fast, leaseMs: 200, signal: stopA.signal, onLeaseLost: (e) => events.push(e) },
    );
    await until(() => signal !== undefined);

    // Another worker takes the job once the lease ran out by the store's clock, and finishes it.
    const ran: number[] = [];
    const b = createQueue<string>(shared, { name });
    await workUntil(
      b,
      (job) => {
        ran.push(job.attempt);
      },
      () => ran.length === 1,
      { leaseMs: 5_000 },
    );
    expect(ran).toEqual([2]);

    paused.resume(); // the first worker wakes up: its renewal is refused
    const summary = await a;
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toBeInstanceOf(LeaseLostError);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events[0]).toMatchObject({
      code: 'LEASE_LOST',
      jobId: expect.any(String),
      key: 'order-1',
    });
    expect(summary).toMatchObject({ completed: 0, leaseLost: 1 });
    expect(await b.stats()).toMatchObject({ ready: 0, delayed: 0, running: 0, dead: 0 });
  }, 30_000);
});

describe.concurrent.each(polled)('done-job retention on $name', (backend) => {
  it('keepDoneMs keeps completed jobs listable as done (their key free again) until sweep', async () => {
    const store = (await backend.queue!()) as QueueStore;
    const queue = createQueue<number>(store, { name: queueName(), keepDoneMs: 3_000 });
    const ids = await queue.enqueueMany([1, 2, 3].map((n) => ({ payload: n, key: `k-${n}` })));
    let seen = 0;
    await workUntil(
      queue,
      () => {
        seen += 1;
      },
      () => seen === 3,
    );
    const done = await queue.list({ state: 'done' });
    expect(done.map((job) => job.id).sort()).toEqual(ids.map((r) => r.id).sort());
    expect(done.every((job) => job.finishedAt !== undefined)).toBe(true);
    expect(await queue.list({ state: 'ready' })).toEqual([]);
    expect((await queue.enqueue(9, { key: 'k-1' })).created).toBe(true);
    expect(await queue.sweep()).toBe(0); // kept for 3 s by the store's clock
    await sleep(3_200);
    expect(await queue.sweep()).toBe(3);
    expect(await queue.list({ state: 'done' })).toEqual([]);
    expect((await queue.list({ state: 'ready' })).map((job) => job.payload)).toEqual([9]);
    await expect(queue.list({ state: 'finished' as never })).rejects.toMatchObject({
      field: 'state',
    });
  }, 20_000);
});
