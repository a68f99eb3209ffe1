import { describe, expect, it } from 'vitest';
import {
  createRecord,
  getRecord,
  HttpError,
  netSuiteErrorDetails,
  schemas,
  suiteql,
  suiteqlRows,
  updateRecord,
} from '../../src/index.js';
import { b2bAccount } from './harness.js';

// Credit limits and holds: "A credit limit defines the maximum amount the customer is allowed to
// accrue in outstanding receivables"; "The credit limit you set for a customer does not include
// any of the customer's subcustomers"
// (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1080144.html).
// Customer Credit Limit Handling (Ignore / Warn Only / Enforce Holds) and Customer Credit Limit
// Includes Orders: "Unbilled orders are included whether they are approved or not. Closed and
// cancelled orders are not included"
// (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/bridgehead_4490498729.html).

// Due dates relative to today: the emulator's clock is the real one (TBA checks timestamps).
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function figures(ctx: ReturnType<typeof b2bAccount>, id: string) {
  const c = await getRecord(ctx.client, 'customer', id, { schema: schemas.customer });
  return {
    balance: c.balance,
    unbilledOrders: c.unbilledOrders,
    overdueBalance: c.overdueBalance,
    daysOverdue: c.daysOverdue,
  };
}

async function setup(ctx: ReturnType<typeof b2bAccount>, customer: Record<string, unknown>) {
  const item = await createRecord(ctx.client, 'inventoryItem', { itemId: `SKU-${Math.random()}` });
  const buyer = await createRecord(ctx.client, 'customer', customer);
  const order = (amount: number, entity = buyer.id) =>
    createRecord(ctx.client, 'salesOrder', {
      entity: { id: entity },
      item: { items: [{ item: { id: item.id }, quantity: 1, rate: amount, amount }] },
    });
  return { item, buyer, order };
}

describe('credit figures kept by the emulator', () => {
  const ctx = b2bAccount();

  it('counts unbilled orders, open and overdue invoices, and leaves subcustomers out', async () => {
    const { client } = ctx;
    const { buyer, order } = await setup(ctx, { companyName: 'Figures Inc', creditLimit: 5000 });
    await order(250);
    await order(150);
    expect(await figures(ctx, buyer.id)).toEqual({
      balance: 0,
      unbilledOrders: 400,
      overdueBalance: 0,
      daysOverdue: 0,
    });
    // An invoice due ten days ago, partly paid, and one not yet due.
    await createRecord(client, 'invoice', {
      entity: { id: buyer.id },
      total: 300,
      amountPaid: 100,
      dueDate: day(-10),
    });
    await createRecord(client, 'invoice', {
      entity: { id: buyer.id },
      total: 80,
      dueDate: day(20),
    });
    expect(await figures(ctx, buyer.id)).toEqual({
      balance: 280,
      unbilledOrders: 400,
      overdueBalance: 200,
      daysOverdue: 10,
    });
    // A subcustomer's orders are its own.
    const sub = await createRecord(client, 'customer', {
      companyName: 'Figures Branch',
      parent: { id: buyer.id },
    });
    await order(999, sub.id);
    expect((await figures(ctx, buyer.id)).unbilledOrders).toBe(400);
    expect((await figures(ctx, sub.id)).unbilledOrders).toBe(999);
    // SuiteQL reads the same figures.
    const rows: Record<string, string>[] = [];
    for await (const row of suiteqlRows<Record<string, string>>(
      client,
      suiteql`SELECT id, balance, unbilledorders, overduebalance, creditlimit FROM customer WHERE id = ${Number(buyer.id)}`,
    ))
      rows.push(row);
    expect(rows).toEqual([
      {
        id: buyer.id,
        balance: '280',
        unbilledorders: '400',
        overduebalance: '200',
        creditlimit: '5000',
      },
    ]);
  });
});

describe('Warn Only: an order at or above the credit limit waits for approval', () => {
  const ctx = b2bAccount({ creditLimit: { handling: 'warnOnly' } });

  it('holds the order that reaches the limit, counting unbilled orders', async () => {
    const { buyer, order } = await setup(ctx, { companyName: 'Near Limit', creditLimit: 1000 });
    const first = await order(400);
    const second = await order(700);
    const letter = async (id: string) =>
      (await getRecord(ctx.client, 'salesOrder', id, { schema: schemas.salesOrder })).orderStatus
        ?.id;
    expect(await letter(first.id)).not.toBe('A');
    expect(await letter(second.id)).toBe('A');
    expect((await figures(ctx, buyer.id)).unbilledOrders).toBe(1100);
  });

  it('holds every order of a customer whose hold is ON, none of one whose hold is OFF', async () => {
    const held = await setup(ctx, {
      companyName: 'Held',
      creditLimit: 1_000_000,
      creditHoldOverride: { id: 'ON' },
    });
    const free = await setup(ctx, {
      companyName: 'Free',
      creditLimit: 10,
      creditHoldOverride: { id: 'OFF' },
    });
    const a = await held.order(5);
    const b = await free.order(5000);
    const read = (id: string) =>
      getRecord(ctx.client, 'salesOrder', id, { schema: schemas.salesOrder });
    expect((await read(a.id)).orderStatus?.id).toBe('A');
    expect((await read(b.id)).orderStatus?.id).not.toBe('A');
  });

  it("does not hold a subcustomer's order because its parent is over the limit", async () => {
    const parent = await setup(ctx, { companyName: 'Parent Over', creditLimit: 100 });
    await parent.order(500);
    const sub = await createRecord(ctx.client, 'customer', {
      companyName: 'Sub Under',
      parent: { id: parent.buyer.id },
    });
    const subOrder = await parent.order(50, sub.id);
    const read = await getRecord(ctx.client, 'salesOrder', subOrder.id, {
      schema: schemas.salesOrder,
    });
    expect(read.orderStatus?.id).not.toBe('A');
  });
});

describe('Enforce Holds: an order at or above the credit limit is refused', () => {
  const ctx = b2bAccount({
    creditLimit: { handling: 'enforceHolds', includesOrders: false },
  });

  it('refuses with USER_ERROR on entity, and counts only billed amounts without includesOrders', async () => {
    const { client } = ctx;
    const { buyer, order } = await setup(ctx, { companyName: 'Enforced', creditLimit: 500 });
    await order(400);
    await order(400); // unbilled orders do not count here
    await createRecord(client, 'invoice', { entity: { id: buyer.id }, total: 450 });
    const error = await order(60).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect(netSuiteErrorDetails(error)[0]).toMatchObject({ code: 'USER_ERROR', path: 'entity' });
    // Raising the limit lets the order in.
    await updateRecord(client, 'customer', buyer.id, { creditLimit: 1000 });
    await expect(order(60)).resolves.toMatchObject({ id: expect.any(String) });
  });
});
