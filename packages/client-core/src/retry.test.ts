import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, resolveRetryOptions } from './retry.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores absent or garbage values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('backoffDelay (full jitter)', () => {
  it('draws uniformly below min(maxDelay, minDelay * 2^n)', () => {
    const top = resolveRetryOptions({ minDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, top))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    const bottom = resolveRetryOptions({ random: () => 0 });
    expect(backoffDelay(3, bottom)).toBe(0);
  });
  it('uses the documented defaults', () => {
    const o = resolveRetryOptions(undefined);
    expect([o.retries, o.minDelayMs, o.maxDelayMs, o.maxRetryTimeMs]).toEqual([
      4, 250, 20_000, 60_000,
    ]);
    expect([...o.statuses]).toEqual([408, 425, 429, 500, 502, 503, 504]);
    expect(resolveRetryOptions(false).retries).toBe(0);
  });
});
