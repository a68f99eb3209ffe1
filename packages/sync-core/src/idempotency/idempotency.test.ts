import { describe, expect, it } from 'vitest';
import { memoryIdempotencyStore } from '../stores/memory/idempotency.js';
import { createIdempotency } from './idempotency.js';

describe('createIdempotency options', () => {
  it('refuses a lockMs longer than a timer can wait, and times no store can add to its clock', () => {
    // lockMs 2^40: the renewal interval (lockMs / 3) overflowed Node's timer, which then fired
    // every millisecond (158 renewals in 200 ms); MySQL refused locked_until with a bare error.
    for (const [option, value] of [
      ['lockMs', 2 ** 40],
      ['pollMs', 2 ** 31],
      ['ttlMs', 1e20],
      ['waitMs', 1e20],
    ] as const) {
      expect(() => createIdempotency(memoryIdempotencyStore(), { [option]: value })).toThrow(
        expect.objectContaining({ code: 'STORE_CONFIG', option }),
      );
    }
    expect(() =>
      createIdempotency(memoryIdempotencyStore(), { lockMs: 7 * 86_400_000 }),
    ).not.toThrow();
  });
});

describe('run when recording the failure fails too', () => {
  it("gives the caller fn's own error, with the store's failure attached as its cause", async () => {
    const inner = memoryIdempotencyStore();
    const unreachable = new Error('store unreachable');
    const store = { ...inner, fail: async () => Promise.reject(unreachable) };
    const idempotency = createIdempotency(store);
    const thrown = new Error('the target said no');
    const error = await idempotency
      .run('order-1', () => {
        throw thrown;
      })
      .catch((e) => e);
    expect(error).toBe(thrown);
    expect(error.cause).toBe(unreachable);
    // An error that already has a cause keeps it; the caller still gets fn's error.
    const own = new Error('no', { cause: 'original' });
    const second = await idempotency
      .run('order-2', () => {
        throw own;
      })
      .catch((e) => e);
    expect(second).toBe(own);
    expect(second.cause).toBe('original');
  });
});
