import { describe, expect, it } from 'vitest';
import { SF_EXTERNAL_ID } from '../shared/records.js';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { ownership, run } from './index.js';

describe('customer-master', () => {
  it('merges edits from all three systems by ownership, refuses and logs non-owner edits, and suppresses echoes', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'customer-master' });
    try {
      const report = await run({ systems, stores, edits: 6, foreignEdits: 3 });
      const d = report.details;
      expect(report.converged).toBe(true);
      expect(d.differences).toEqual([]);
      expect(d.customers).toBe(TEST_SIZE.customers);
      // The shoppers' address edits in Commerce were refused: NetSuite owns addresses.
      const refusedAddress = d.refused.filter((r) => r.from === 'commerce' && r.field === 'city');
      expect(refusedAddress.length).toBeGreaterThanOrEqual(3);
      for (const r of refusedAddress) expect(r.owner).toBe('netsuite');
      expect(d.conflictsLogged).toBe(d.refused.length);
      expect(report.conflicts.ownership).toBe(d.refused.length);
      // Every write came back as a change event and was recognised as our own.
      expect(report.echoesSuppressed).toBeGreaterThan(0);
      expect(report.echoesSuppressed).toBe(d.applied);
      // Salesforce holds the CRM's edits, and Commerce got NetSuite's address back.
      const contacts = systems.emulators!.salesforce.state.records('Contact');
      expect(contacts.filter((c) => c.Sales_Rep__c === 'Jordan Avery').length).toBeGreaterThan(0);
      const commerceCities = [...systems.emulators!.commerce.state.customers.values()].map(
        (c) => (c.addresses as { city?: string }[] | undefined)?.[0]?.city,
      );
      expect(commerceCities).not.toContain('Springfield');
      expect(contacts.length).toBe(TEST_SIZE.customers);
      expect(ownership.ownerOf('customer', 'creditTerms')).toBe('netsuite');
      expect(new Set(contacts.map((c) => c[SF_EXTERNAL_ID])).size).toBe(TEST_SIZE.customers);

      // With the cursors kept, a second run over quiet systems changes nothing.
      const again = await run({ systems, stores, edits: 0, foreignEdits: 0 });
      expect(again.converged).toBe(true);
      expect(again.details.applied).toBe(0);
    } finally {
      await stores.close();
      await systems.close();
    }
  });

  it('converges with faults injected', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE), faults: true });
    try {
      const report = await run({ systems, edits: 5, foreignEdits: 2 });
      expect(report.converged).toBe(true);
      expect(report.details.differences).toEqual([]);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });
});
