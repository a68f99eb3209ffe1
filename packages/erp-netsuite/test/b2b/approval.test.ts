import { describe, expect, it } from 'vitest';
import {
  createRecord,
  getRecord,
  HttpError,
  schemas,
  suiteql,
  suiteqlRows,
  transformRecord,
  updateRecord,
} from '../../src/index.js';
import { b2bAccount } from './harness.js';

// Sales-order approval across the credit limit:
// - "If a sales order is Pending Approval, it needs to be approved by someone with the right
//   permissions before NetSuite can process it"; an approved order is Pending Fulfillment
//   (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1218788.html);
// - the REST sales order's `orderStatus` is written A (Pending Approval) or B (Pending
//   Fulfillment); the status list is SalesOrd:A Pending Approval, SalesOrd:B Pending
//   Fulfillment, SalesOrd:C Cancelled, … SalesOrd:H Closed
//   (https://blog.prolecto.com/2013/08/30/netsuite-searchfilter-transaction-internal-status-list/),
//   and SuiteQL's transaction.status holds the letter
//   (https://timdietrich.me/blog/netsuite-suiteql-transaction-statuses);
// - Warn Only: "Displays a warning when the new sales order or invoice puts the customer at or
//   above their credit limit" (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/bridgehead_4490498729.html).

const ctx = b2bAccount({ creditLimit: { handling: 'warnOnly' } });

async function statusRows(ids: string[]) {
  const out: Record<string, string>[] = [];
  for await (const row of suiteqlRows<Record<string, string>>(
    ctx.client,
    suiteql`SELECT id, type, status FROM transaction WHERE id IN ${ids.map(Number)} ORDER BY id`,
  ))
    out.push(row);
  return out;
}

const read = (id: string) =>
  getRecord(ctx.client, 'salesOrder', id, { schema: schemas.salesOrder });

describe('sales-order approval over the credit limit', () => {
  it('creates the over-limit order Pending Approval, approves it, then fulfils it', async () => {
    const { client } = ctx;
    const item = await createRecord(client, 'inventoryItem', { itemId: 'APPROVE-1' });
    const buyer = await createRecord(client, 'customer', {
      companyName: 'Approval Co',
      creditLimit: 1000,
    });
    const order = (amount: number) =>
      createRecord(client, 'salesOrder', {
        entity: { id: buyer.id },
        item: { items: [{ item: { id: item.id }, quantity: 2, rate: amount / 2, amount }] },
      });
    const within = await order(600);
    const over = await order(600);
    expect((await read(within.id)).orderStatus).toMatchObject({ id: 'B' });
    expect((await read(over.id)).orderStatus).toMatchObject({
      id: 'A',
      refName: 'Pending Approval',
    });
    expect(await statusRows([within.id, over.id])).toEqual([
      { id: within.id, type: 'SalesOrd', status: 'B' },
      { id: over.id, type: 'SalesOrd', status: 'A' },
    ]);
    // Not approved, not processed: the fulfilment is refused.
    const refused = await transformRecord(client, 'salesOrder', over.id, 'itemFulfillment').catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(400);
    // Approve: PATCH orderStatus B.
    await updateRecord(client, 'salesOrder', over.id, { orderStatus: { id: 'B' } });
    expect((await read(over.id)).orderStatus).toMatchObject({
      id: 'B',
      refName: 'Pending Fulfillment',
    });
    await transformRecord(client, 'salesOrder', over.id, 'itemFulfillment');
    expect((await statusRows([over.id]))[0]?.status).not.toBe('A');
  });

  it('rejects by cancelling: the order leaves the unbilled orders and cannot be approved', async () => {
    const { client } = ctx;
    const item = await createRecord(client, 'inventoryItem', { itemId: 'REJECT-1' });
    const buyer = await createRecord(client, 'customer', {
      companyName: 'Rejected Co',
      creditLimit: 100,
    });
    const held = await createRecord(client, 'salesOrder', {
      entity: { id: buyer.id },
      item: { items: [{ item: { id: item.id }, quantity: 1, rate: 500, amount: 500 }] },
    });
    expect((await read(held.id)).orderStatus?.id).toBe('A');
    const unbilled = async () =>
      (await getRecord(client, 'customer', buyer.id, { schema: schemas.customer })).unbilledOrders;
    expect(await unbilled()).toBe(500);
    await updateRecord(client, 'salesOrder', held.id, { orderStatus: { id: 'C' } });
    expect((await read(held.id)).orderStatus).toMatchObject({ id: 'C', refName: 'Cancelled' });
    expect(await statusRows([held.id])).toEqual([{ id: held.id, type: 'SalesOrd', status: 'C' }]);
    expect(await unbilled()).toBe(0);
    const reopened = await updateRecord(client, 'salesOrder', held.id, {
      orderStatus: { id: 'B' },
    }).catch((e: unknown) => e);
    expect(reopened).toBeInstanceOf(HttpError);
  });
});
