import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores } from '../shared/stores.js';
import { type Systems, startSystems } from '../shared/systems.js';
import { run } from './index.js';

function salesOrderKeys(systems: Systems): string[] {
  return systems
    .emulators!.netsuite.state.records('salesOrder')
    .map((record) => String(record.externalId));
}

async function commerceOrderKeys(systems: Systems): Promise<string[]> {
  return [...systems.emulators!.commerce.state.orders.values()].map((o) => String(o.increment_id));
}

describe('dual-write-order', () => {
  it('writes every Commerce order to NetSuite once, re-drives the failures and flows fulfilment back', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'dual-write-order' });
    try {
      const report = await run({ systems, stores, fulfilShare: 0.3 });
      const d = report.details;
      expect(report.converged).toBe(true);
      expect(d.ordersInCommerce).toBe(TEST_SIZE.orders + 8);
      // The two orders that could not be written were dead-lettered with the reason...
      expect(d.deadLettered).toHaveLength(2);
      expect(d.deadLettered.map((x) => x.reason).join('\n')).toMatch(/no item NEW-/);
      expect(d.deadLettered.map((x) => x.reason).join('\n')).toMatch(
        /no customer with external id CUST-NEW-/,
      );
      // ...listed by the first reconciliation, and gone after the fix and the re-drive.
      expect(d.firstReconciliation.missingInNetSuite.sort()).toEqual(
        d.deadLettered.map((x) => x.incrementId).sort(),
      );
      expect(d.redriven).toBe(2);
      expect(d.finalReconciliation).toEqual({
        missingInNetSuite: 0,
        missingInCommerce: 0,
        different: 0,
      });
      // NetSuite: one sales order per Commerce order, no duplicate.
      const keys = salesOrderKeys(systems);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.sort()).toEqual((await commerceOrderKeys(systems)).sort());
      // Commerce: what the back office did in NetSuite is visible on the orders.
      expect(d.backflow.shipments).toBeGreaterThan(0);
      expect(d.backflow.invoices).toBe(d.backflow.shipments);
      expect(d.commerceCheck.wrong).toEqual([]);
      expect(d.commerceCheck.shipmentsWithTracking).toBe(d.backflow.shipments);
      const commerceState = systems.emulators!.commerce.state;
      expect(commerceState.shipments.size).toBe(d.backflow.shipments);
      expect(commerceState.invoices.size).toBe(d.backflow.invoices);
      expect(commerceState.creditMemos.size).toBe(d.backflow.creditMemos);

      // A second run over the same state writes only the new orders: nothing is duplicated.
      const again = await run({ systems, stores, fulfilShare: 0 });
      expect(again.converged).toBe(true);
      expect(again.details.salesOrdersWritten).toBe(8);
      expect(again.details.alreadySynced).toBe(d.ordersInCommerce);
      expect(again.details.duplicatesSkipped).toBe(0);
      const after = salesOrderKeys(systems);
      expect(new Set(after).size).toBe(after.length);
      expect(after.length).toBe(commerceState.orders.size);
    } finally {
      await stores.close();
      await systems.close();
    }
  });

  it('converges with nothing lost or duplicated when faults are injected', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE), faults: true });
    try {
      const report = await run({ systems, fulfilShare: 0.2 });
      expect(report.converged).toBe(true);
      expect(report.details.finalReconciliation.missingInNetSuite).toBe(0);
      const keys = salesOrderKeys(systems);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(systems.emulators!.commerce.state.orders.size);
      expect(report.details.commerceCheck.wrong).toEqual([]);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });

  it('repairs and re-drives orders that an interrupted earlier run left dead-lettered', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'dual-write-order-interrupted' });
    try {
      const interrupted = await run({ systems, stores, fulfilShare: 0, stopBeforeFix: true });
      expect(interrupted.converged).toBe(false);
      expect(interrupted.reconciliation.found).toBe(2);
      const parked = (await commerceOrderKeys(systems)).filter(
        (key) => !salesOrderKeys(systems).includes(key),
      );
      expect(parked).toHaveLength(2);

      // The next run makes up its own new SKU and customer; it must still fix the earlier two.
      const next = await run({ systems, stores, fulfilShare: 0 });
      expect(next.converged).toBe(true);
      expect(next.details.finalReconciliation).toEqual({
        missingInNetSuite: 0,
        missingInCommerce: 0,
        different: 0,
      });
      const keys = salesOrderKeys(systems);
      for (const key of parked) expect(keys).toContain(key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.sort()).toEqual((await commerceOrderKeys(systems)).sort());
    } finally {
      await stores.close();
      await systems.close();
    }
  });
});
