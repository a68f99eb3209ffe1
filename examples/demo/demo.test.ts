import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DualWriteReport } from '../dual-write-order/index.js';
import { stopHost } from './emulator-host.js';
import { runDemo } from './main.js';

describe('demo', () => {
  it('runs every pattern and converges; a second run resumes against the kept emulators and state', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'plumbline-demo-'));
    const hostFile = join(stateDir, 'emulators.json');
    const size = { products: 40, customers: 30, orders: 60 };
    try {
      // (Each pattern's own test covers faults; this one checks the demo's wiring and resume.)
      const first = await runDemo({ size, store: 'sqlite', stateDir, systems: 'background' });
      expect(first.reports.map((r) => r.pattern)).toEqual([
        'catalog-sync',
        'customer-master',
        'reservation-and-confirm',
        'dual-write-order',
        'pricing-on-demand',
      ]);
      for (const report of first.reports) {
        expect(report.converged, `${report.pattern}: ${JSON.stringify(report)}`).toBe(true);
      }
      expect(first.resumed).toBe(false);
      expect(existsSync(hostFile)).toBe(true);
      const summary = readFileSync(join(stateDir, 'demo-summary.md'), 'utf8');
      expect(summary).toContain('| dual-write-order');
      expect(summary).toContain('every system converged');

      const second = await runDemo({ size, store: 'sqlite', stateDir, systems: 'background' });
      expect(second.resumed).toBe(true);
      for (const report of second.reports) {
        expect(
          report.converged,
          `${report.pattern}: ${JSON.stringify(report).slice(0, 3000)}`,
        ).toBe(true);
      }
      const dualWrite = (r: typeof first) =>
        r.reports.find((x) => x.pattern === 'dual-write-order') as DualWriteReport;
      // The orders the first run wrote are not written again; only new ones are.
      expect(dualWrite(second).details.alreadySynced).toBe(
        dualWrite(first).details.ordersInCommerce,
      );
      expect(dualWrite(second).details.salesOrdersWritten).toBeLessThan(
        dualWrite(first).details.salesOrdersWritten,
      );
      const catalog = second.reports.find((x) => x.pattern === 'catalog-sync')!;
      expect(catalog.notes.join(' ')).toMatch(/initial load pushed [0-9] of/);
    } finally {
      await stopHost(hostFile);
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
