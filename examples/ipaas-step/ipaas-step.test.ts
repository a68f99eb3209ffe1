import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { type EmulatorServers, startEmulatorServers } from '../shared/systems.js';
import { bundleStep } from './bundle.js';
import { emulatorStepInput } from './emulator-input.js';
import type { StepInput, StepOutput } from './step.js';

let dir: string;
let bundlePath: string;
let handler: (input: StepInput) => Promise<StepOutput>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plumbline-ipaas-'));
  bundlePath = await bundleStep(dir);
  ({ handler } = (await import(bundlePath)) as { handler: typeof handler });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withEmulators(
  options: { faults?: boolean; faultSeed?: number },
  body: (servers: EmulatorServers) => Promise<void>,
): Promise<void> {
  const servers = await startEmulatorServers({ seed: generateSeed(TEST_SIZE), ...options });
  try {
    await body(servers);
  } finally {
    await servers.close();
  }
}

/** The increment id Commerce gave the order with this entity id. */
function incrementIdOf(servers: EmulatorServers, orderId: number): string {
  const order = servers.emulators.commerce.state.orders.get(orderId);
  return String(order?.increment_id);
}

describe('ipaas-step bundle', () => {
  it('is one ES module that needs nothing but Node built-ins', () => {
    const code = readFileSync(bundlePath, 'utf8');
    const specifiers = [...code.matchAll(/(?:from\s+|import\()\s*["']([^"']+)["']/g)].map(
      (m) => m[1]!,
    );
    for (const specifier of specifiers) expect(specifier).toMatch(/^(node:)?[a-z_]+$/);
    expect(code).not.toContain('better-sqlite3');
    expect(code).not.toMatch(/require\(["'](pg|amqplib|ioredis)["']\)/);
  });

  it('writes a Commerce order to NetSuite once, however often the step runs', async () => {
    await withEmulators({}, async (servers) => {
      const input = emulatorStepInput(servers.endpoints, 3);
      const externalId = incrementIdOf(servers, 3);
      const first = await handler(input);
      expect(first).toMatchObject({ status: 'created', externalId });
      const again = await handler(structuredClone(input));
      expect(again).toMatchObject({ status: 'duplicate', externalId });
      const orders = servers.emulators.netsuite.state
        .records('salesOrder')
        .filter((r) => r.externalId === externalId);
      expect(orders).toHaveLength(1);
      expect(orders[0]!.id).toBe((first as { netsuiteId: string }).netsuiteId);
      const commerceOrder = servers.emulators.commerce.state.orders.get(3)!;
      expect((orders[0]!.item as unknown[]).length).toBe(
        (commerceOrder.items as unknown[]).filter(
          (line) => !(line as { parent_item_id?: unknown }).parent_item_id,
        ).length,
      );
    });
  });

  it('rejects bad input, a missing order and an unknown customer with the field at fault, and writes nothing', async () => {
    await withEmulators({}, async (servers) => {
      const input = emulatorStepInput(servers.endpoints, 4);
      expect(await handler({ ...input, orderId: 0 })).toMatchObject({
        status: 'rejected',
        field: 'orderId',
      });
      expect(await handler({ ...input, orderId: 99_999 })).toMatchObject({
        status: 'rejected',
        field: 'orderId',
      });
      const { salesforce: _dropped, ...withoutSalesforce } = input;
      expect(await handler(withoutSalesforce as StepInput)).toMatchObject({
        status: 'rejected',
        field: 'salesforce',
      });
      // The customer's Salesforce contact no longer carries the master id.
      const order = servers.emulators.commerce.state.orders.get(4)!;
      const contact = servers.emulators.salesforce.state
        .records('Contact')
        .find((c) => c.Email === order.customer_email)!;
      const contacts = servers.emulators.salesforce.state.store;
      const masterId = contact.Plumbline_Customer_Id__c;
      contacts.update('Contact', contact.Id as string, { Plumbline_Customer_Id__c: null });
      expect(await handler(input)).toMatchObject({
        status: 'rejected',
        field: 'order.customer_email',
      });
      expect(servers.emulators.netsuite.state.count('salesOrder')).toBe(0);
      // Once the reference exists again, the same input goes through.
      contacts.update('Contact', contact.Id as string, { Plumbline_Customer_Id__c: masterId });
      expect(await handler(input)).toMatchObject({ status: 'created' });
    });
  });

  it('still writes exactly one sales order with faults injected', async () => {
    await withEmulators({ faults: true, faultSeed: 3 }, async (servers) => {
      const results = [];
      for (const id of [5, 6, 7, 8, 9, 10])
        results.push(await handler(emulatorStepInput(servers.endpoints, id)));
      expect(results.every((r) => r.status === 'created')).toBe(true);
      const keys = servers.emulators.netsuite.state.records('salesOrder').map((r) => r.externalId);
      expect(new Set(keys).size).toBe(6);
      expect(keys).toHaveLength(6);
    });
  });
});
