import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { startSystems } from '../shared/systems.js';
import { run } from './index.js';

describe('reservation-and-confirm', () => {
  it('sells scarce stock to many concurrent checkouts without overselling, and settles every hold', async () => {
    // A generous ERP timeout: this run checks the answered path (the outage path is below).
    const report = await run({ shoppers: 80, erpTimeoutMs: 10_000 });
    const d = report.details;
    expect(report.converged).toBe(true);
    expect(d.oversold).toBe(0);
    expect(d.stillHeld).toBe(0);
    // Demand far above supply: most checkouts are refused, and orders never exceed NetSuite stock.
    const supply = d.hotSkus.reduce((sum, sku) => sum + sku.erpStock, 0);
    expect(d.refusedSoldOut).toBeGreaterThan(d.ordersPlaced);
    for (const sku of d.hotSkus) expect(sku.ordered).toBeLessThanOrEqual(sku.erpStock);
    expect(d.ordersPlaced).toBeGreaterThan(0);
    expect(d.ordersPlaced).toBeLessThanOrEqual(supply);
    // The unit sold by phone in NetSuite was caught by the synchronous last-unit check.
    expect(d.erpChecks).toBeGreaterThan(0);
    expect(d.refusedByErpCheck).toBe(1);
    // Every checkout ended confirmed, released (abandoned or refused by NetSuite), expired or
    // refused at once.
    expect(
      report.reservations.confirmed +
        report.reservations.released +
        report.reservations.expired +
        d.refusedSoldOut,
    ).toBe(d.checkouts);
    expect(report.reservations.expired).toBeGreaterThan(0);
  });

  it('refuses the last units instead of guessing when NetSuite does not answer in time', async () => {
    const report = await run({ shoppers: 60, erpTimeoutMs: 1 });
    expect(report.converged).toBe(true);
    expect(report.details.oversold).toBe(0);
    expect(report.details.erpFallbacks).toBeGreaterThan(0);
    expect(report.details.refusedByErpCheck).toBe(0);
    for (const sku of report.details.hotSkus) expect(sku.ordered).toBeLessThanOrEqual(sku.erpStock);
  });

  it('still never oversells with latency, 429s, 5xx and connection resets injected', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE), faults: true });
    try {
      const report = await run({ systems, shoppers: 80, erpTimeoutMs: 10_000 });
      expect(report.converged).toBe(true);
      expect(report.details.oversold).toBe(0);
      expect(report.details.stillHeld).toBe(0);
      for (const sku of report.details.hotSkus) {
        expect(sku.ordered).toBeLessThanOrEqual(sku.erpStock);
      }
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });
});
