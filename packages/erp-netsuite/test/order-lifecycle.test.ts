import { describe, expect, it } from 'vitest';
import {
  createNetSuiteClient,
  createRecord,
  getRecord,
  netSuiteErrorDetails,
  schemas,
  suiteql,
  suiteqlRows,
  transformRecord,
} from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

/*
 * The order lifecycle over HTTP against the emulator: closing and cancelling sales orders,
 * partial fulfilment and billing, and a return — return authorization, item receipt, credit memo
 * and cash refund — with the statuses and line quantities SuiteQL reads.
 *
 * Sources:
 * - Transforms are POST …/<type>/<id>/!transform/<target>, 204 with the new record in Location:
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157901123882.html
 *   (record.transform's supported types: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_4267258715.html;
 *   a return authorization by transform in REST:
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_0526122453.html)
 * - orderStatus A/B by POST or PATCH; an order is closed by closing its lines:
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795516182.html;
 *   one line closed with PATCH `{ item: { items: [{ line: 1, isclosed: true }] } }`:
 *   https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159795512874.html
 * - Return authorization statuses, receipts and refunds (credit memos and cash refunds) listed
 *   on the return: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1310133.html;
 *   the letters (SalesOrd:A–H, RtnAuth:A–H) from NetSuite's transaction status list:
 *   https://blog.prolecto.com/2013/08/30/netsuite-searchfilter-transaction-internal-status-list/
 * - transaction.type codes (ItemRcpt, SalesOrd, …) and transactionline's main line:
 *   https://netsuitediagnostics.com/posts/transactions-inventory,
 *   https://netsuitediagnostics.com/posts/suiteql-transactionline-mainline
 */

let accounts = 0;
function emulated() {
  const accountId = `7800${++accounts}`;
  const emulator = createNetSuiteEmulator({ accountId });
  const client = createNetSuiteClient({
    accountId,
    auth: { authorize: async (r) => r, secrets: () => [] },
    baseUrl: 'https://emulator.test',
    retry: false,
    fetch: (input: string | URL | Request, init?: RequestInit) =>
      emulator.fetch(input instanceof Request ? input : new Request(input, init)),
  });
  const send = (method: string, path: string, body?: unknown) =>
    emulator.fetch(
      new Request(`https://emulator.test/services/rest${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  return { client, send };
}

type Client = ReturnType<typeof emulated>['client'];

async function seedOrder(client: Client, shipFrom = true) {
  const customer = await createRecord(client, 'customer', { companyName: 'Harbor Tools Ltd' });
  const east = await createRecord(client, 'location', { name: 'Warehouse East' });
  const returns = await createRecord(client, 'location', { name: 'Returns Dock' });
  const a = await createRecord(client, 'inventoryItem', { itemId: 'TW-12' });
  const b = await createRecord(client, 'inventoryItem', { itemId: 'TW-13' });
  const order = await createRecord(client, 'salesOrder', {
    entity: { id: customer.id },
    ...(shipFrom ? { location: { id: east.id } } : {}),
    item: {
      items: [
        { item: { id: a.id }, quantity: 4, rate: 10, amount: 40 },
        { item: { id: b.id }, quantity: 2, rate: 25, amount: 50 },
      ],
    },
  });
  return { order, returnsDock: returns.id };
}

async function order(client: Client, id: string) {
  return getRecord(client, 'salesOrder', id, {
    expandSubResources: true,
    schema: schemas.salesOrder,
  });
}

async function rows(client: Client, query: ReturnType<typeof suiteql>) {
  const out: Record<string, unknown>[] = [];
  for await (const row of suiteqlRows(client, query)) out.push(row);
  return out;
}

/** A 400 in NetSuite's error body (`o:errorDetails` with `o:errorCode`), its first detail. */
async function problem(response: Response) {
  expect(response.status).toBe(400);
  const body = (await response.json()) as Record<string, any>;
  expect(body).toMatchObject({ status: 400, title: 'Bad Request' });
  expect(body['o:errorDetails'][0]).toMatchObject({ 'o:errorCode': expect.any(String) });
  return netSuiteErrorDetails(body)[0];
}

describe('sales orders: closing and cancelling', () => {
  it('closes lines with PATCH isclosed; the order is Closed (H) when no line is left open', async () => {
    const { client, send } = emulated();
    const { order: created } = await seedOrder(client);
    const fresh = await order(client, created.id);
    expect(fresh.orderStatus).toEqual({ id: 'B', refName: 'Pending Fulfillment' });
    expect(fresh.item?.items?.[0]).toMatchObject({ quantityFulfilled: 0, quantityBilled: 0 });

    // Oracle's example body, field name in lower case.
    const first = await send('PATCH', `/record/v1/salesOrder/${created.id}`, {
      item: { items: [{ line: 1, isclosed: true }] },
    });
    expect(first.status).toBe(204);
    const half = await order(client, created.id);
    expect(half.item?.items?.map((l) => l.isClosed)).toEqual([true, false]);
    expect(half.orderStatus?.id).toBe('B');

    await send('PATCH', `/record/v1/salesOrder/${created.id}`, {
      item: { items: [{ line: 2, isClosed: true }] },
    });
    const closed = await order(client, created.id);
    expect(closed.orderStatus).toEqual({ id: 'H', refName: 'Closed' });
    expect(closed.status).toEqual({ id: 'Closed', refName: 'Closed' });

    const [head] = await rows(
      client,
      suiteql`SELECT id, type, status FROM transaction WHERE id = ${created.id}`,
    );
    expect(head).toMatchObject({ type: 'SalesOrd', status: 'H' });
    const lines = await rows(
      client,
      suiteql`SELECT linesequencenumber, isclosed, quantity FROM transactionline WHERE transaction = ${created.id} AND mainline = 'F' ORDER BY linesequencenumber`,
    );
    expect(lines).toEqual([
      { linesequencenumber: '1', isclosed: 'T', quantity: '4' },
      { linesequencenumber: '2', isclosed: 'T', quantity: '2' },
    ]);

    const refused = await send(
      'POST',
      `/record/v1/salesOrder/${created.id}/!transform/itemFulfillment`,
      {},
    );
    expect(await problem(refused)).toMatchObject({
      code: 'USER_ERROR',
      detail: expect.stringContaining('Closed (H)'),
    });
  });

  it('cancels (C) an order nothing has happened to, and refuses to cancel one partly fulfilled', async () => {
    const { client, send } = emulated();
    const { order: one } = await seedOrder(client);
    expect(
      (await send('PATCH', `/record/v1/salesOrder/${one.id}`, { orderStatus: 'C' })).status,
    ).toBe(204);
    const cancelled = await order(client, one.id);
    expect(cancelled.orderStatus).toEqual({ id: 'C', refName: 'Cancelled' });
    expect(cancelled.item?.items?.every((l) => l.isClosed === true)).toBe(true);
    const reopen = await send('PATCH', `/record/v1/salesOrder/${one.id}`, {
      item: { items: [{ line: 1, isClosed: false }] },
    });
    expect(await problem(reopen)).toMatchObject({ path: 'item.items[0].isClosed' });
    const invoice = await send('POST', `/record/v1/salesOrder/${one.id}/!transform/invoice`, {});
    expect((await problem(invoice))?.detail).toContain('Cancelled (C)');

    const { order: two } = await seedOrder(client);
    await transformRecord(client, 'salesOrder', two.id, 'itemFulfillment', {
      item: {
        items: [
          { orderLine: 1, quantity: 1 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    const late = await send('PATCH', `/record/v1/salesOrder/${two.id}`, { orderStatus: 'C' });
    expect(await problem(late)).toMatchObject({
      code: 'USER_ERROR',
      path: 'orderStatus',
      detail: expect.stringContaining('Pending Billing/Partially Fulfilled (E)'),
    });
    // The statuses that follow from the lines cannot be written.
    const forced = await send('PATCH', `/record/v1/salesOrder/${two.id}`, { orderStatus: 'H' });
    expect((await problem(forced))?.path).toBe('orderStatus');
    // Nor the quantities NetSuite keeps.
    const counter = await send('PATCH', `/record/v1/salesOrder/${two.id}`, {
      item: { items: [{ line: 1, quantityFulfilled: 4 }] },
    });
    expect((await problem(counter))?.path).toBe('item.items[0].quantityFulfilled');
    // A line cannot drop below what was fulfilled.
    const lower = await send('PATCH', `/record/v1/salesOrder/${two.id}`, {
      item: { items: [{ line: 1, quantity: 0 }] },
    });
    expect((await problem(lower))?.path).toBe('item.items[0].quantity');
  });
});

describe('sales orders: partial fulfilment and billing', () => {
  it('moves B → D → E → F → G with quantityFulfilled and quantityBilled per line', async () => {
    const { client, send } = emulated();
    const { order: so } = await seedOrder(client);
    const status = async () => (await order(client, so.id)).orderStatus?.id;

    await transformRecord(client, 'salesOrder', so.id, 'itemFulfillment', {
      item: {
        items: [
          { orderLine: 1, quantity: 3 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    expect(await status()).toBe('E'); // fulfilled, not yet billed
    const invoice = await transformRecord(client, 'salesOrder', so.id, 'invoice', {
      item: {
        items: [
          { orderLine: 1, quantity: 3 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    expect(await status()).toBe('D');
    const billed = await getRecord(client, 'invoice', invoice.id, { expandSubResources: true });
    expect((billed.item as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ orderLine: 1, quantity: 3, rate: 10, amount: 30 }),
    ]);

    const over = await send('POST', `/record/v1/salesOrder/${so.id}/!transform/itemFulfillment`, {
      item: { items: [{ orderLine: 1, quantity: 2 }] },
    });
    expect(await problem(over)).toMatchObject({
      code: 'USER_ERROR',
      path: 'item.items[0].quantity',
      detail: expect.stringContaining('at most 1'),
    });

    await transformRecord(client, 'salesOrder', so.id, 'itemFulfillment', {});
    expect(await status()).toBe('F');
    const lines = (await order(client, so.id)).item?.items;
    expect(lines?.map((l) => [l.quantity, l.quantityFulfilled, l.quantityBilled])).toEqual([
      [4, 4, 3],
      [2, 2, 0],
    ]);
    await transformRecord(client, 'salesOrder', so.id, 'invoice', {});
    expect(await status()).toBe('G');
    const nothing = await send('POST', `/record/v1/salesOrder/${so.id}/!transform/invoice`, {});
    expect((await problem(nothing))?.detail).toContain('no lines to transform');

    const sql = await rows(
      client,
      suiteql`SELECT linesequencenumber, quantity, quantityshiprecv, quantitybilled FROM transactionline WHERE transaction = ${so.id} AND mainline = 'F' ORDER BY linesequencenumber`,
    );
    expect(sql).toEqual([
      { linesequencenumber: '1', quantity: '4', quantityshiprecv: '4', quantitybilled: '4' },
      { linesequencenumber: '2', quantity: '2', quantityshiprecv: '2', quantitybilled: '2' },
    ]);
  });

  it('bills what was fulfilled of a line closed short, and closes the order when that is billed', async () => {
    const { client, send } = emulated();
    const { order: so } = await seedOrder(client);
    await transformRecord(client, 'salesOrder', so.id, 'itemFulfillment', {
      item: {
        items: [
          { orderLine: 1, quantity: 1 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    await send('PATCH', `/record/v1/salesOrder/${so.id}`, {
      item: {
        items: [
          { line: 1, isClosed: true },
          { line: 2, isClosed: true },
        ],
      },
    });
    expect((await order(client, so.id)).orderStatus?.id).toBe('F');
    const invoice = await transformRecord(client, 'salesOrder', so.id, 'invoice', {});
    const billed = await getRecord(client, 'invoice', invoice.id, { expandSubResources: true });
    expect((billed.item as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ orderLine: 1, quantity: 1, amount: 10 }),
    ]);
    expect((await order(client, so.id)).orderStatus).toEqual({ id: 'H', refName: 'Closed' });
  });
});

describe('returns: return authorization, item receipt, credit memo and cash refund', () => {
  async function shipped(client: Client, shipFrom = true) {
    const seeded = await seedOrder(client, shipFrom);
    await transformRecord(client, 'salesOrder', seeded.order.id, 'itemFulfillment', {});
    await transformRecord(client, 'salesOrder', seeded.order.id, 'invoice', {});
    return seeded;
  }

  it('walks A → B → D → E → F → G and SuiteQL reads every document and line', async () => {
    const { client, send } = emulated();
    const { order: so, returnsDock } = await shipped(client);

    const rma = await transformRecord(client, 'salesOrder', so.id, 'returnAuthorization', {
      item: {
        items: [
          { orderLine: 1, quantity: 3 },
          { orderLine: 2, quantity: 2 },
        ],
      },
    });
    const ra = async () =>
      getRecord(client, 'returnAuthorization', rma.id, {
        expandSubResources: true,
        schema: schemas.returnAuthorization,
      });
    const created = await ra();
    expect(created.orderStatus).toEqual({ id: 'A', refName: 'Pending Approval' });
    expect(created.createdFrom).toMatchObject({ id: so.id });
    expect(created.item?.items?.map((l) => [l.orderLine, l.quantity, l.rate])).toEqual([
      [1, 3, 10],
      [2, 2, 25],
    ]);

    const early = await send(
      'POST',
      `/record/v1/returnAuthorization/${rma.id}/!transform/itemReceipt`,
      {
        location: { id: returnsDock },
      },
    );
    expect((await problem(early))?.detail).toContain('Pending Approval (A)');

    await send('PATCH', `/record/v1/returnAuthorization/${rma.id}`, { orderStatus: 'B' });
    expect((await ra()).orderStatus).toEqual({ id: 'B', refName: 'Pending Receipt' });

    // The goods come back in two parcels, to the returns dock.
    const first = await transformRecord(client, 'returnAuthorization', rma.id, 'itemReceipt', {
      location: { id: returnsDock },
      item: {
        items: [
          { orderLine: 1, quantity: 1 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    const receipt = await getRecord(client, 'itemReceipt', first.id, {
      expandSubResources: true,
      schema: schemas.itemReceipt,
    });
    expect(receipt.createdFrom).toMatchObject({
      id: rma.id,
      refName: expect.stringMatching(/^Return Authorization #/),
    });
    expect(receipt.item?.items).toEqual([
      expect.objectContaining({
        orderLine: 1,
        quantity: 1,
        itemReceive: true,
        location: expect.objectContaining({ id: returnsDock }),
      }),
    ]);
    expect((await ra()).orderStatus?.id).toBe('E'); // received, not yet refunded

    const credit = await transformRecord(client, 'returnAuthorization', rma.id, 'creditMemo', {
      item: {
        items: [
          { orderLine: 1, quantity: 1 },
          { orderLine: 2, itemReceive: false },
        ],
      },
    });
    expect((await ra()).orderStatus?.id).toBe('D'); // partly received, all of it refunded

    await transformRecord(client, 'returnAuthorization', rma.id, 'itemReceipt', {
      location: { id: returnsDock },
    });
    expect((await ra()).orderStatus).toEqual({ id: 'F', refName: 'Pending Refund' });
    const more = await send(
      'POST',
      `/record/v1/returnAuthorization/${rma.id}/!transform/itemReceipt`,
      {
        location: { id: returnsDock },
      },
    );
    expect((await problem(more))?.detail).toContain('no lines to transform');

    const overRefund = await send(
      'POST',
      `/record/v1/returnAuthorization/${rma.id}/!transform/cashRefund`,
      {
        item: { items: [{ orderLine: 1, quantity: 3 }] },
      },
    );
    expect((await problem(overRefund))?.path).toBe('item.items[0].quantity');
    const refund = await transformRecord(client, 'returnAuthorization', rma.id, 'cashRefund', {});
    const cash = await getRecord(client, 'cashRefund', refund.id, {
      expandSubResources: true,
      schema: schemas.cashRefund,
    });
    expect(cash.item?.items?.map((l) => [l.orderLine, l.quantity, l.amount])).toEqual([
      [1, 2, 20],
      [2, 2, 50],
    ]);
    const done = await ra();
    expect(done.orderStatus).toEqual({ id: 'G', refName: 'Refunded' });
    expect(
      done.item?.items?.map((l) => [l.quantity, l.quantityReceived, l.quantityBilled]),
    ).toEqual([
      [3, 3, 3],
      [2, 2, 2],
    ]);
    const after = await send(
      'POST',
      `/record/v1/returnAuthorization/${rma.id}/!transform/creditMemo`,
      {},
    );
    expect((await problem(after))?.detail).toContain('no lines to transform');

    const docs = await rows(
      client,
      suiteql`SELECT id, type, status, createdfrom FROM transaction WHERE createdfrom = ${rma.id} OR id = ${rma.id} ORDER BY id`,
    );
    expect(docs.map((d) => [d.type, d.createdfrom ?? null])).toEqual([
      ['RtnAuth', so.id],
      ['ItemRcpt', rma.id],
      ['CustCred', rma.id],
      ['ItemRcpt', rma.id],
      ['CashRfnd', rma.id],
    ]);
    expect(docs[0]).toMatchObject({ id: rma.id, status: 'G' });
    expect(docs[2]).toMatchObject({ id: credit.id });

    const receiptLines = await rows(
      client,
      suiteql`SELECT transaction, orderline, quantity, location FROM transactionline WHERE createdfrom = ${rma.id} AND mainline = 'F' AND transaction IN ${[first.id]}`,
    );
    expect(receiptLines).toEqual([
      { transaction: first.id, orderline: '1', quantity: '1', location: returnsDock },
    ]);
    const raLines = await rows(
      client,
      suiteql`SELECT linesequencenumber, quantity, quantityshiprecv, quantitybilled FROM transactionline WHERE transaction = ${rma.id} AND mainline = 'F' ORDER BY linesequencenumber`,
    );
    expect(raLines.map((l) => [l.quantity, l.quantityshiprecv, l.quantitybilled])).toEqual([
      ['3', '3', '3'],
      ['2', '2', '2'],
    ]);
  });

  it('refuses a receipt without a location, more than was authorized, and a return of a cancelled order', async () => {
    const { client, send } = emulated();
    const { order: so } = await shipped(client, false);
    const rma = await transformRecord(client, 'salesOrder', so.id, 'returnAuthorization', {
      orderStatus: 'B',
    });
    const nowhere = await send(
      'POST',
      `/record/v1/returnAuthorization/${rma.id}/!transform/itemReceipt`,
      {},
    );
    expect(await problem(nowhere)).toMatchObject({
      code: 'USER_ERROR',
      path: 'item.items[0].location',
      detail: expect.stringContaining('Location'),
    });
    const tooMany = await send(
      'POST',
      `/record/v1/returnAuthorization/${rma.id}/!transform/itemReceipt`,
      {
        location: { id: '1' },
        item: { items: [{ orderLine: 2, quantity: 3 }] },
      },
    );
    expect(await problem(tooMany)).toMatchObject({ path: 'item.items[0].quantity' });
    const stranger = await send(
      'POST',
      `/record/v1/returnAuthorization/${rma.id}/!transform/itemReceipt`,
      {
        location: { id: '1' },
        item: { items: [{ orderLine: 9 }] },
      },
    );
    expect(await problem(stranger)).toMatchObject({ path: 'item.items[0].orderLine' });

    // Cancelled before anything came back; then nothing more can happen to it.
    expect(
      (await send('PATCH', `/record/v1/returnAuthorization/${rma.id}`, { orderStatus: 'C' }))
        .status,
    ).toBe(204);
    const cancelled = await send(
      'POST',
      `/record/v1/returnAuthorization/${rma.id}/!transform/creditMemo`,
      {},
    );
    expect((await problem(cancelled))?.detail).toContain('Cancelled (C)');

    const { order: never } = await seedOrder(client);
    await send('PATCH', `/record/v1/salesOrder/${never.id}`, { orderStatus: 'C' });
    const noReturn = await send(
      'POST',
      `/record/v1/salesOrder/${never.id}/!transform/returnAuthorization`,
      {},
    );
    expect((await problem(noReturn))?.detail).toContain('Cancelled (C)');
  });
});
