import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from './main.js';

describe('demo', () => {
  it('runs every pattern against the emulators and converges, with its summary written to the state directory', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'plumbline-demo-'));
    try {
      const size = { products: 40, customers: 30, orders: 60 };
      // (Each pattern's own test covers faults; this one checks the demo's wiring.)
      const result = await runDemo({ size, store: 'sqlite', stateDir });
      expect(result.reports.map((r) => r.pattern)).toEqual([
        'catalog-sync',
        'customer-master',
        'reservation-and-confirm',
        'dual-write-order',
        'pricing-on-demand',
      ]);
      for (const report of result.reports) {
        expect(report.converged, `${report.pattern}: ${JSON.stringify(report)}`).toBe(true);
      }
      expect(result.converged).toBe(true);
      expect(result.faultsInjected).toBe(0);
      const summary = readFileSync(join(stateDir, 'demo-summary.md'), 'utf8');
      expect(summary).toContain('| dual-write-order');
      expect(summary).toContain('every system converged');
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
