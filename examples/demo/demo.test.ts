import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DualWriteReport } from '../dual-write-order/index.js';
import type { OrderApprovalReport } from '../order-approval/index.js';
import { openWarehouse } from '../reporting/warehouse.js';
import { postgresUrl } from '../shared/stores.js';
import { loadEmulatorState } from './emulator-state.js';
import { reportingSchemaFor, runDemo } from './main.js';

/** Each test's demo exports to a schema named after its state directory: drop it afterwards. */
async function dropReporting(stateDir: string): Promise<void> {
  const warehouse = await openWarehouse(postgresUrl(), reportingSchemaFor(stateDir));
  await warehouse.drop();
  await warehouse.close();
}

// Each test runs the whole demo two or three times: far longer than one pattern's test.
describe('demo', () => {
  it('runs every pattern and converges; a second run restores the saved emulators and resumes', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'plumbline-demo-'));
    const emulatorsDir = join(stateDir, 'emulators');
    const size = { products: 40, customers: 30, orders: 60 };
    try {
      // (Each pattern's own test covers faults; this one checks the demo's wiring and resume.)
      const first = await runDemo({ size, store: 'sqlite', stateDir });
      expect(first.reports.map((r) => r.pattern)).toEqual([
        'catalog-sync',
        'customer-master',
        'reservation-and-confirm',
        'dual-write-order',
        'pricing-on-demand',
        'company-hierarchy',
        'contract-pricing',
        'order-approval',
        'negotiable-quote',
        'reporting',
      ]);
      for (const report of first.reports) {
        expect(report.converged, `${report.pattern}: ${JSON.stringify(report)}`).toBe(true);
      }
      expect(first.resumed).toBe(false);
      // The emulators' data is on disk (owner-only), and nothing else is left running: the run
      // writes no process record, only snapshots.
      expect(first.savedTo).toBe(emulatorsDir);
      expect(readdirSync(emulatorsDir).sort()).toEqual([
        'commerce.json',
        'manifest.json',
        'netsuite.json',
        'salesforce.json',
      ]);
      expect(statSync(join(emulatorsDir, 'commerce.json')).mode & 0o077).toBe(0);
      expect(existsSync(join(stateDir, 'emulators.json'))).toBe(false);
      const commerce = JSON.parse(readFileSync(join(emulatorsDir, 'commerce.json'), 'utf8'));
      expect(commerce).toMatchObject({ version: 1, emulator: 'adobe-commerce' });
      expect(JSON.stringify(commerce)).not.toContain('demo-integration-token');
      const summary = readFileSync(join(stateDir, 'demo-summary.md'), 'utf8');
      expect(summary).toContain('| dual-write-order');
      expect(summary).toContain('every system converged');

      const second = await runDemo({ size, store: 'sqlite', stateDir });
      expect(second.resumed).toBe(true);
      for (const report of second.reports) {
        expect(
          report.converged,
          `${report.pattern}: ${JSON.stringify(report).slice(0, 3000)}`,
        ).toBe(true);
      }
      const dualWrite = (r: typeof first) =>
        r.reports.find((x) => x.pattern === 'dual-write-order') as DualWriteReport;
      // The orders the first run wrote are not written again; only new ones are. The first run's
      // order-approval wrote its orders under the same idempotency keys, so they count as synced.
      const approval = first.reports.find(
        (x) => x.pattern === 'order-approval',
      ) as OrderApprovalReport;
      expect(dualWrite(second).details.alreadySynced).toBe(
        dualWrite(first).details.ordersInCommerce + approval.details.placed,
      );
      expect(dualWrite(second).details.salesOrdersWritten).toBeLessThan(
        dualWrite(first).details.salesOrdersWritten,
      );
      const catalog = second.reports.find((x) => x.pattern === 'catalog-sync')!;
      expect(catalog.notes.join(' ')).toMatch(/initial load pushed [0-9] of/);
      expect(readFileSync(join(stateDir, 'demo-summary.md'), 'utf8')).toContain(
        'resumed against the emulators and state of the previous run',
      );

      // Other settings (here another seed) do not resume against emulators seeded differently.
      const config = { size, seed: undefined, store: 'sqlite' };
      expect(loadEmulatorState(stateDir, config).found).toBe(true);
      expect(loadEmulatorState(stateDir, { ...config, seed: 99 })).toEqual({
        found: false,
        reason: 'the saved emulators were seeded with other settings',
      });
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
      await dropReporting(stateDir);
    }
  }, 180_000);

  it('a snapshot it cannot restore means a fresh start; --fresh forgets saved emulators', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'plumbline-demo-'));
    const size = { products: 12, customers: 8, orders: 10 };
    try {
      await runDemo({ size, store: 'sqlite', stateDir });
      // A snapshot of another version: the run says so, starts over, and saves good ones again.
      const file = join(stateDir, 'emulators', 'netsuite.json');
      writeFileSync(
        file,
        JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), version: 2 }),
      );
      const lines: string[] = [];
      const stream = Object.assign(new PassThrough(), { isTTY: false });
      stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
      const damaged = await runDemo({ size, store: 'sqlite', stateDir, stream });
      expect(damaged.resumed).toBe(false);
      expect(damaged.converged).toBe(true);
      expect(lines.join('')).toMatch(
        /freshly seeded \(the saved emulators cannot be restored: emulator snapshot: version is 2/,
      );
      const config = { size, seed: undefined, store: 'sqlite' };
      expect(loadEmulatorState(stateDir, config).found).toBe(true);
      // --fresh starts over although good snapshots are there.
      const fresh = await runDemo({ size, store: 'sqlite', stateDir, fresh: true });
      expect(fresh.resumed).toBe(false);
      expect(fresh.converged).toBe(true);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
      await dropReporting(stateDir);
    }
  }, 180_000);
});
