import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { NETSUITE_ACCOUNT, NETSUITE_TBA, type Systems, startSystems } from '../shared/systems.js';
import { bundleStep } from './bundle.js';
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

async function inputFor(systems: Systems, entityId: number): Promise<StepInput> {
  const { data } = await systems.commerce.GET('/V1/orders/{id}', {
    params: { path: { id: entityId } },
  });
  const order = data as unknown as StepInput['order'] & { customer_email: string };
  const seed = generateSeed(TEST_SIZE);
  const customer = seed.customers.find((c) => c.email === order.customer_email)!;
  const netsuiteUrl = systems.describe()[1]!.split(/\s+/)[1]!;
  return {
    order,
    customerExternalId: customer.externalId,
    netsuite: {
      accountId: NETSUITE_ACCOUNT,
      baseUrl: netsuiteUrl,
      auth: { type: 'tba', ...NETSUITE_TBA },
    },
  };
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
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    try {
      const input = await inputFor(systems, 3);
      const first = await handler(input);
      expect(first).toMatchObject({ status: 'created', externalId: input.order.increment_id });
      const again = await handler(structuredClone(input));
      expect(again).toMatchObject({ status: 'duplicate', externalId: input.order.increment_id });
      const orders = systems
        .emulators!.netsuite.state.records('salesOrder')
        .filter((r) => r.externalId === input.order.increment_id);
      expect(orders).toHaveLength(1);
      expect(orders[0]!.id).toBe((first as { netsuiteId: string }).netsuiteId);
      expect((orders[0]!.item as unknown[]).length).toBe(input.order.items.length);
    } finally {
      await systems.close();
    }
  });

  it('rejects bad input and unknown references with the field at fault, and writes nothing', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    try {
      const input = await inputFor(systems, 4);
      const noLines = await handler({ ...input, order: { ...input.order, items: [] } });
      expect(noLines).toMatchObject({ status: 'rejected', field: 'order.items' });
      const unknownSku = await handler({
        ...input,
        order: { ...input.order, items: [{ sku: 'NOPE-1', qty_ordered: 1, price: 5 }] },
      });
      expect(unknownSku).toMatchObject({ status: 'rejected', field: 'order.items[0].sku' });
      const unknownCustomer = await handler({ ...input, customerExternalId: 'CUST-999999' });
      expect(unknownCustomer).toMatchObject({ status: 'rejected', field: 'customerExternalId' });
      expect(systems.emulators!.netsuite.state.count('salesOrder')).toBe(0);
      // Once the reference exists, the same input goes through.
      expect(await handler(input)).toMatchObject({ status: 'created' });
    } finally {
      await systems.close();
    }
  });

  it('still writes exactly one sales order with faults injected', async () => {
    const systems = await startSystems({
      seed: generateSeed(TEST_SIZE),
      faults: true,
      faultSeed: 3,
    });
    try {
      const results = [];
      for (const id of [5, 6, 7, 8, 9, 10])
        results.push(await handler(await inputFor(systems, id)));
      expect(results.every((r) => r.status === 'created')).toBe(true);
      const keys = systems.emulators!.netsuite.state.records('salesOrder').map((r) => r.externalId);
      expect(new Set(keys).size).toBe(6);
      expect(keys).toHaveLength(6);
    } finally {
      await systems.close();
    }
  });
});
