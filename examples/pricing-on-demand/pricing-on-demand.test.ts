import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { startSystems } from '../shared/systems.js';
import { run } from './index.js';

describe('pricing-on-demand', () => {
  it('serves contract prices from NetSuite, caches them for the session and falls back during an outage', async () => {
    // A generous timeout keeps the clean run free of fallbacks on a busy test machine.
    const report = await run({ sessions: 20, asksPerSession: 8, timeoutMs: 2000 });
    const d = report.details;
    expect(report.converged).toBe(true);
    expect(d.wrongPrices).toEqual([]);
    // Every ask was answered; the second ask for an item in a session never reached NetSuite.
    expect(d.asks).toBe(20 * 8 + d.outageAsks + 5);
    expect(d.bySource.cache).toBeGreaterThanOrEqual((20 * 8) / 2);
    expect(d.erpLoads - d.outageErpAttempts).toBeLessThan(d.asks - d.outageAsks);
    // During the outage every ask got the catalog price, and the breaker cut the ERP calls short.
    expect(d.outageFallbacks).toBe(d.outageAsks);
    expect(d.bySource.fallback).toBe(d.outageAsks);
    expect(d.outageErpAttempts).toBeLessThan(d.outageAsks);
  });

  it('gives the same prices with faults injected', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE), faults: true });
    try {
      const report = await run({ systems, sessions: 20, asksPerSession: 6 });
      expect(report.converged).toBe(true);
      expect(report.details.wrongPrices).toEqual([]);
      expect(report.details.outageFallbacks).toBe(report.details.outageAsks);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });
});
