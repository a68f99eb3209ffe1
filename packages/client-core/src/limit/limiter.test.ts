import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { createLimiter } from './limiter.js';
import { memoryLimiterBackend } from './memory-backend.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createLimiter', () => {
  it('keeps in-flight calls per key under maxConcurrent and keys independent', async () => {
    const limiter = createLimiter({ maxConcurrent: 2 });
    let active = 0;
    let max = 0;
    const task = async () => {
      active += 1;
      max = Math.max(max, active);
      await sleep(5);
      active -= 1;
    };
    const other = limiter.run('b', async () => limiter.inFlight('b'));
    await Promise.all(Array.from({ length: 10 }, () => limiter.run('a', task)));
    expect(max).toBe(2);
    expect(await other).toBe(1);
    expect(limiter.inFlight('a')).toBe(0);
  });

  it('releases the slot when the task throws', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    await expect(limiter.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await limiter.run('k', async () => 'next')).toBe('next');
  });

  it('enforces requests per interval', async () => {
    const limiter = createLimiter({
      maxConcurrent: 10,
      perInterval: { limit: 4, intervalMs: 100 },
    });
    const starts: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limiter.run('k', async () => {
          starts.push(performance.now() - t0);
        }),
      ),
    );
    starts.sort((a, b) => a - b);
    // sliding window: any 5 consecutive starts span at least one interval (timer granularity aside)
    for (let i = 0; i + 4 < starts.length; i++) {
      expect(starts[i + 4]! - starts[i]!).toBeGreaterThanOrEqual(95);
    }
    expect(starts[9]! - starts[0]!).toBeGreaterThanOrEqual(195);
  });

  it('gives up waiting when the signal aborts', async () => {
    const limiter = createLimiter({ maxConcurrent: 1 });
    const blocker = limiter.run('k', () => sleep(100));
    const controller = new AbortController();
    const waiting = limiter.run('k', async () => 'never', controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    await blocker;
    expect(await limiter.run('k', async () => 'free')).toBe('free');
  });

  it('rejects bad options with ConfigError', () => {
    expect(() => createLimiter({ maxConcurrent: 0 })).toThrow(ConfigError);
    expect(() => createLimiter({ maxConcurrent: 1.5 })).toThrow(/`maxConcurrent`/);
    expect(() =>
      createLimiter({
        maxConcurrent: 1,
        perInterval: { limit: 1, intervalMs: 10 },
        backend: { acquire: memoryLimiterBackend().acquire },
      }),
    ).toThrow(/`perInterval`/);
  });
});

describe('memoryLimiterBackend', () => {
  it('expires a lease whose holder never releases it', async () => {
    const backend = memoryLimiterBackend();
    await backend.acquire('k', { maxConcurrent: 1, leaseMs: 40 }); // holder "dies"
    const t0 = performance.now();
    const lease = await backend.acquire('k', { maxConcurrent: 1, leaseMs: 1000 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
    await lease.release();
    await lease.release(); // twice is harmless
  });

  it('serves waiters first in, first out', async () => {
    const backend = memoryLimiterBackend();
    const first = await backend.acquire('k', { maxConcurrent: 1, leaseMs: 1000 });
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) =>
      backend.acquire('k', { maxConcurrent: 1, leaseMs: 1000 }).then(async (lease) => {
        order.push(n);
        await lease.release();
      }),
    );
    await first.release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
  });
});
