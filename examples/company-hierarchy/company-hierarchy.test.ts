import { describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { ownership, run } from './index.js';

type Row = Record<string, unknown>;

// Dozens of structure reads and writes over HTTP per run: give a busy 2-core machine room.
describe('company-hierarchy', { timeout: 120_000 }, () => {
  it('mirrors parents and branches as companies, teams and buyers; follows a move and a deactivation; keeps buyers’ profiles; sets an admin rename back', async () => {
    const seed = generateSeed(TEST_SIZE);
    const systems = await startSystems({ seed });
    const stores = await openStores({ kind: 'memory', name: 'company-hierarchy' });
    try {
      const report = await run({ systems, stores, companies: 4, branches: 3 });
      const d = report.details;
      expect(report.converged, JSON.stringify(d)).toBe(true);
      expect(d.initial).toMatchObject({ companiesCreated: 4, teamsCreated: 12, usersCreated: 12 });
      expect(d.moved).toHaveLength(1);
      expect(d.deactivated).toHaveLength(1);
      // The moved branch: its team left the old company and was made in the new one, its buyer
      // moved with it; the deactivated branch's team is gone.
      expect(d.changes).toMatchObject({ teamsCreated: 1, teamsRemoved: 2, usersMoved: 1 });
      expect(d.changes.companiesRenamed).toBe(1);
      expect(report.conflicts.ownership).toBe(1);
      expect(d.profileKept).toBe(true);
      expect(ownership.ownerOf('user', 'firstname')).toBe('commerce');
      expect(ownership.ownerOf('team', 'company')).toBe('netsuite');

      // Read the emulator's structure directly: 11 active branches, one team each, one buyer each.
      const b2b = systems.emulators!.commerce.state.b2b.companies;
      expect(b2b.teams.size).toBe(11);
      const customers = systems.emulators!.commerce.state.customers;
      const moved = [...customers.values()].find((c) =>
        String(c.email).startsWith(`branch1.${seed.customers[0]!.email}`),
      ) as Row;
      const attributes = (moved.extension_attributes as Row).company_attributes as Row;
      const second = [...b2b.companies.values()].find(
        (c) => c.company_email === seed.customers[1]!.email,
      )!;
      expect(attributes.company_id).toBe(second.id);

      // Nothing changed: a third sync writes nothing.
      const again = await run({ systems, stores, companies: 4, branches: 3, changes: false });
      expect(again.converged).toBe(true);
      expect(Object.values(again.details.changes).every((n) => n === 0)).toBe(true);
    } finally {
      await stores.close();
      await systems.close();
    }
  });

  it('converges with faults injected', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE), faults: true });
    try {
      const report = await run({ systems, companies: 5, branches: 3 });
      expect(report.converged, JSON.stringify(report.details.differences)).toBe(true);
      expect(systems.faultCount()).toBeGreaterThan(0);
    } finally {
      await systems.close();
    }
  });
});
