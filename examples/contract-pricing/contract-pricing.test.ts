import {
  type NetSuiteClient,
  resolveCustomerPrice,
  suiteql,
  suiteqlRows,
  updateRecord,
} from '@plumbline/erp-netsuite';
import { createDeadLetterList } from '@plumbline/sync-core';
import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { type ContractPrice, run } from './index.js';

type Row = Record<string, unknown>;

async function firstId(netsuite: NetSuiteClient, query: ReturnType<typeof suiteql>) {
  for await (const row of suiteqlRows<{ id: string }>(netsuite, query)) return row.id;
  throw new Error('not found');
}

// Hundreds of price lookups over HTTP per run: give a busy 2-core machine room.
describe('contract-pricing', { timeout: 120_000 }, () => {
  it('pushes every resolved contract price as a tier price of the company’s shared catalog, then only what the ERP changed', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'contract-pricing' });
    try {
      const report = await run({ systems, stores, customers: 6, assortment: 20, erpEdits: 2 });
      const d = report.details;
      expect(report.converged, JSON.stringify(d.differences)).toBe(true);
      expect(d.initial).toMatchObject({ resolved: 120, changed: 120, pushed: 120, parked: 0 });
      // The delta sent exactly the prices the ERP edits changed, and nothing else.
      expect(d.changedByErp).toBeGreaterThan(0);
      expect(d.delta.pushed).toBe(d.changedByErp);
      expect(d.delta.unchanged).toBe(120 - d.changedByErp);
      expect(report.reconciliation).toEqual({ found: 0, remaining: 0 });

      // Commerce: one custom shared catalog per company, holding its assortment, and the
      // company's customer group is the catalog's.
      const commerce = systems.emulators!.commerce.state;
      const catalogs = [...commerce.b2b.sharedCatalogs.catalogs.values()].filter((c) =>
        String(c.name).startsWith('Contract CUST-'),
      );
      expect(catalogs).toHaveLength(6);
      const companies = [...commerce.b2b.companies.companies.values()];
      for (const catalog of catalogs) {
        const assigned = companies.filter(
          (c) => Number(c.customer_group_id) === Number(catalog.customer_group_id),
        );
        expect(assigned).toHaveLength(1);
      }

      // Each tier price equals what NetSuite resolves for that customer and SKU (sampled).
      const erpIds = new Map<string, string>();
      for await (const row of suiteqlRows<{ id: string; externalid: string; itemid?: string }>(
        systems.netsuite,
        suiteql`SELECT id, externalid FROM customer WHERE externalid LIKE 'CUST-%'`,
      )) {
        erpIds.set(row.externalid, row.id);
      }
      const items = new Map<string, string>();
      for await (const row of suiteqlRows<{ id: string; itemid: string }>(
        systems.netsuite,
        suiteql`SELECT id, itemid FROM item`,
      )) {
        items.set(row.itemid, row.id);
      }
      const tiers = commerce.tierPrices as Row[];
      let sampled = 0;
      for (const catalog of catalogs) {
        const customer = String(catalog.name).replace('Contract ', '');
        const group = commerce.customerGroups.get(Number(catalog.customer_group_id))!.code;
        const mine = tiers.filter((t) => t.customer_group === group);
        expect(mine).toHaveLength(20);
        for (const tier of mine.slice(0, 3)) {
          const expected = await resolveCustomerPrice(
            systems.netsuite,
            erpIds.get(customer)!,
            items.get(String(tier.sku))!,
          );
          expect(tier.price).toBe(expected.price);
          sampled++;
        }
      }
      expect(sampled).toBe(18);

      // A second run over unchanged contracts sends nothing.
      const again = await run({ systems, stores, customers: 6, assortment: 20, erpEdits: 0 });
      expect(again.converged).toBe(true);
      expect(again.details.initial.pushed).toBe(0);
      expect(again.details.delta.pushed).toBe(0);
    } finally {
      await stores.close();
      await systems.close();
    }
  });

  it('re-pushes a tier price changed by hand in Commerce, and parks a price Commerce refuses with its reason', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'contract-pricing' });
    try {
      expect((await run({ systems, stores, customers: 3, assortment: 10 })).converged).toBe(true);
      const commerce = systems.emulators!.commerce.state;
      // A negotiated price the ERP holds by mistake: Commerce refuses a negative price.
      const [customer] = generateSeed(TEST_SIZE).customers;
      const erpId = await firstId(
        systems.netsuite,
        suiteql`SELECT id FROM customer WHERE externalid = ${customer!.externalId}`,
      );
      const catalog = [...commerce.b2b.sharedCatalogs.catalogs.values()].find(
        (c) => c.name === `Contract ${customer!.externalId}`,
      )!;
      const group = commerce.customerGroups.get(Number(catalog.customer_group_id))!.code;
      const sku = String(
        (commerce.tierPrices as Row[]).find((t) => t.customer_group === group)!.sku,
      );
      // Someone edits another company's price by hand in the Commerce admin.
      const tier = (commerce.tierPrices as Row[]).find((t) => t.customer_group !== group)!;
      tier.price = 0.01;
      const itemId = await firstId(
        systems.netsuite,
        suiteql`SELECT id FROM item WHERE itemid = ${sku}`,
      );
      await updateRecord(
        systems.netsuite,
        'customer',
        erpId,
        { itemPricing: { items: [{ item: { id: itemId }, price: -5 }] } },
        { replace: ['itemPricing'] },
      );

      const report = await run({ systems, stores, customers: 3, assortment: 10, erpEdits: 0 });
      expect(report.details.differences.some((x) => x.includes(`${tier.sku}: Commerce 0.01`))).toBe(
        true,
      );
      const dead = createDeadLetterList<ContractPrice>({
        store: stores.kv,
        name: 'tier-prices',
        namespace: 'contract-pricing/dead',
      });
      const parked = (await dead.list()).entries;
      expect(parked.map((e) => [e.record?.customer, e.record?.sku, e.record?.price])).toEqual([
        [customer!.externalId, sku, -5],
      ]);
      expect(parked[0]!.reason.message).toMatch(/Invalid attribute Price = -5/);
      // The refused price is left over (reported, not converged); the tampered one is repaired.
      expect(report.converged).toBe(false);
      expect(report.reconciliation.remaining).toBe(1);
      const repaired = (commerce.tierPrices as Row[]).find(
        (t) => t.sku === tier.sku && t.customer_group === tier.customer_group,
      )!;
      expect(repaired.price).not.toBe(0.01);
    } finally {
      await stores.close();
      await systems.close();
    }
  });

  it('converges with faults injected', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE), faults: true });
    try {
      const report = await run({ systems, customers: 8, assortment: 30 });
      expect(report.converged, JSON.stringify(report.details.differences)).toBe(true);
      expect(report.details.delta.pushed).toBe(report.details.changedByErp);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });
});
