import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { run } from './index.js';

describe('catalog-sync', () => {
  it('loads the catalog with the async bulk API, then pushes only deltas and overwrites admin drift', async () => {
    const seed = generateSeed(TEST_SIZE);
    const systems = await startSystems({ seed, commerceCatalog: false, commerceOrders: false });
    const stores = await openStores({ kind: 'memory', name: 'catalog-sync' });
    try {
      const commerceState = systems.emulators!.commerce.state;
      expect(commerceState.products.size).toBe(0);
      const report = await run({ systems, stores, erpEdits: 5, adminEdits: 2 });
      const { initial, delta } = report.details;
      expect(report.converged).toBe(true);
      expect(initial.pushed).toBe(TEST_SIZE.products);
      expect(initial.stockPushed).toBe(TEST_SIZE.products);
      expect(delta.changedAtSource).toBe(5);
      expect(delta.driftCorrected).toBe(report.details.adminEdited.length);
      expect(report.details.adminEdited.length).toBeGreaterThan(0);
      expect(delta.pushed).toBe(5 + report.details.adminEdited.length);
      expect(delta.unchanged).toBe(TEST_SIZE.products - delta.pushed);
      expect(report.details.mismatches).toEqual([]);
      // Every product write went through the asynchronous bulk endpoint.
      const requests = systems.emulators!.commerce.requests;
      expect(requests.some((r) => r.path.endsWith('/async/bulk/V1/products'))).toBe(true);
      expect(
        requests.some(
          (r) =>
            r.method === 'POST' && !r.path.includes('/async/') && r.path.endsWith('/V1/products'),
        ),
      ).toBe(false);
      // Commerce holds exactly the ERP's catalog: the edited names, no admin "SALE!!".
      expect(commerceState.products.size).toBe(TEST_SIZE.products);
      for (const sku of report.details.erpEdited) {
        expect(String(commerceState.products.get(sku)?.name)).toMatch(/\(2026\)$/);
      }
      for (const sku of report.details.adminEdited) {
        expect(String(commerceState.products.get(sku)?.name)).not.toMatch(/SALE/);
      }

      // With the hashes kept, a later run has nothing to push.
      const again = await run({ systems, stores, erpEdits: 0, adminEdits: 0 });
      expect(again.converged).toBe(true);
      expect(again.details.initial.pushed).toBe(0);
      expect(again.details.initial.unchanged).toBe(TEST_SIZE.products);
    } finally {
      await stores.close();
      await systems.close();
    }
  });

  it('converges with faults injected', async () => {
    const systems = await startSystems({
      seed: generateSeed(TEST_SIZE),
      faults: true,
      commerceCatalog: false,
      commerceOrders: false,
    });
    try {
      const report = await run({ systems, erpEdits: 4, adminEdits: 2 });
      expect(report.converged).toBe(true);
      expect(report.details.mismatches).toEqual([]);
      expect(systems.emulators!.commerce.state.products.size).toBe(TEST_SIZE.products);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });
});
