import { describe, expect, it } from 'vitest';
import {
  CircuitOpenError,
  InvalidOptionError,
  ResolverLoadError,
  ResolverTimeoutError,
} from '../errors.js';
import type { BreakerState } from './circuit-breaker.js';
import { createResolver, type ResolverClock } from './resolver.js';

/** A manual clock: time moves only when the test calls `advance`. */
function fakeClock(): ResolverClock & { advance(ms: number): void } {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      nextId += 1;
      timers.set(nextId, { at: now + ms, callback });
      return nextId;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.callback();
        }
      }
    },
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const breaker = { failureThreshold: 3, resetMs: 10_000 };

describe('createResolver', () => {
  it('serves fresh, then cache within the TTL, then loads again', async () => {
    const clock = fakeClock();
    let loads = 0;
    const prices = createResolver({
      load: async (sku: string) => {
        loads += 1;
        return { sku, price: loads };
      },
      timeoutMs: 1_000,
      ttlMs: 5_000,
      breaker,
      clock,
    });
    expect(await prices.get('A')).toEqual({ value: { sku: 'A', price: 1 }, source: 'fresh' });
    clock.advance(4_999);
    expect(await prices.get('A')).toEqual({ value: { sku: 'A', price: 1 }, source: 'cache' });
    clock.advance(1);
    expect(await prices.get('A')).toEqual({ value: { sku: 'A', price: 2 }, source: 'fresh' });
    prices.invalidate('A');
    expect((await prices.get('A')).source).toBe('fresh');
    expect(loads).toBe(3);
  });

  it('runs one load for concurrent identical keys', async () => {
    const pending = deferred<number>();
    const keys: unknown[] = [];
    const prices = createResolver({
      load: (key: { sku: string; group: number }) => {
        keys.push(key);
        return pending.promise;
      },
      timeoutMs: 1_000,
      ttlMs: 5_000,
      breaker,
      clock: fakeClock(),
    });
    const calls = Array.from({ length: 20 }, () => prices.get({ sku: 'A', group: 1 }));
    const other = prices.get({ group: 2, sku: 'A' });
    pending.resolve(9);
    const results = await Promise.all(calls);
    expect(results.every((r) => r.value === 9 && r.source === 'fresh')).toBe(true);
    expect((await other).value).toBe(9);
    expect(keys).toEqual([
      { sku: 'A', group: 1 },
      { group: 2, sku: 'A' },
    ]);
  });

  it('times out a slow load, aborting its signal, and serves the stale value', async () => {
    const clock = fakeClock();
    let call = 0;
    let lastSignal: AbortSignal | undefined;
    const prices = createResolver({
      load: (_sku: string, signal) => {
        call += 1;
        lastSignal = signal;
        return call === 1 ? Promise.resolve(10) : new Promise<number>(() => {});
      },
      timeoutMs: 500,
      ttlMs: 1_000,
      staleTtlMs: 60_000,
      breaker,
      clock,
    });
    await prices.get('A');
    clock.advance(1_000);
    const result = prices.get('A');
    clock.advance(500);
    const stale = await result;
    expect(stale.source).toBe('stale');
    expect(stale.value).toBe(10);
    expect(stale.error).toBeInstanceOf(ResolverTimeoutError);
    expect(lastSignal?.aborted).toBe(true);
  });

  it('stops serving stale after staleTtlMs and uses the caller fallback, else a typed error', async () => {
    const clock = fakeClock();
    let fail = false;
    const load = async () => {
      if (fail) throw new Error('ERP down');
      return 10;
    };
    const withFallback = createResolver({
      load,
      timeoutMs: 500,
      ttlMs: 1_000,
      staleTtlMs: 2_000,
      fallback: (_key: string, error) => (error instanceof Error ? -1 : -2),
      breaker,
      clock,
    });
    await withFallback.get('A');
    fail = true;
    clock.advance(2_999);
    expect((await withFallback.get('A')).source).toBe('stale');
    clock.advance(1);
    expect(await withFallback.get('A')).toMatchObject({ value: -1, source: 'fallback' });

    const bare = createResolver({ load, timeoutMs: 500, ttlMs: 1_000, breaker, clock });
    await expect(bare.get('B')).rejects.toBeInstanceOf(ResolverLoadError);
    await expect(bare.get('B')).rejects.toThrow(/ERP down/);
  });

  it('opens the circuit after repeated failures, lets one trial through after resetMs, and closes on success', async () => {
    const clock = fakeClock();
    const states: BreakerState[] = [];
    let healthy = false;
    let loads = 0;
    const prices = createResolver({
      load: async (sku: string) => {
        loads += 1;
        if (!healthy) throw new Error('503');
        return sku.length;
      },
      timeoutMs: 500,
      ttlMs: 1_000,
      fallback: () => 0,
      breaker: { failureThreshold: 3, resetMs: 10_000 },
      clock,
      onBreakerStateChange: (state) => states.push(state),
    });
    for (const key of ['a', 'b', 'c']) expect((await prices.get(key)).source).toBe('fallback');
    expect(prices.breakerState).toBe('open');
    const refused = await prices.get('d');
    expect(refused.source).toBe('fallback');
    expect(refused.error).toBeInstanceOf(CircuitOpenError);
    expect(loads).toBe(3);

    clock.advance(10_000);
    expect(prices.breakerState).toBe('half-open');
    // The trial fails: open again, for another resetMs.
    expect((await prices.get('e')).source).toBe('fallback');
    expect(prices.breakerState).toBe('open');
    expect(loads).toBe(4);

    clock.advance(10_000);
    healthy = true;
    expect(await prices.get('abc')).toEqual({ value: 3, source: 'fresh' });
    expect(prices.breakerState).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('lets only one trial through while half-open', async () => {
    const clock = fakeClock();
    const trial = deferred<number>();
    let loads = 0;
    const prices = createResolver({
      load: (_key: string) => {
        loads += 1;
        return loads === 1 ? Promise.reject(new Error('x')) : trial.promise;
      },
      timeoutMs: 500,
      ttlMs: 1_000,
      breaker: { failureThreshold: 1, resetMs: 100 },
      clock,
    });
    await expect(prices.get('a')).rejects.toThrow(ResolverLoadError);
    clock.advance(100);
    const first = prices.get('b');
    await expect(prices.get('c')).rejects.toBeInstanceOf(CircuitOpenError);
    trial.resolve(1);
    expect((await first).source).toBe('fresh');
    expect(loads).toBe(2);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    let loads = 0;
    const prices = createResolver({
      load: async (key: string) => {
        loads += 1;
        return key;
      },
      timeoutMs: 500,
      ttlMs: 60_000,
      maxEntries: 2,
      breaker,
      clock: fakeClock(),
    });
    await prices.get('a');
    await prices.get('b');
    await prices.get('a');
    await prices.get('c'); // evicts b
    expect((await prices.get('a')).source).toBe('cache');
    expect((await prices.get('b')).source).toBe('fresh');
    expect(loads).toBe(4);
  });

  it('rejects bad options with typed errors naming them', () => {
    const base = { load: async () => 1, timeoutMs: 1, ttlMs: 1, breaker };
    expect(() => createResolver({ ...base, timeoutMs: 0 })).toThrow(InvalidOptionError);
    expect(() => createResolver({ ...base, breaker: { failureThreshold: 0, resetMs: 1 } })).toThrow(
      /breaker.failureThreshold/,
    );
  });
});
