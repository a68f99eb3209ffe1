// The emulator's order state machine beyond the happy path, over real HTTP with plain fetch:
// cancel, partial shipment and invoice, capture of an open invoice with payment transactions, and
// the refund that follows an approved return.
//
// - Cancel: `POST /V1/orders/{id}/cancel` answers a boolean (Adobe's 2.4.9 admin schema,
//   https://adobe-commerce.redoc.ly/2.4.6-admin/tag/ordersidcancel). Magento's `Order::canCancel`
//   refuses (false, not an error) an order on hold, canceled, complete, closed or fully
//   invoiced; each line cancels min(to invoice, to ship) (`Order\Item::getQtyToCancel`).
// - Partial documents: order processing tutorial
//   (https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-invoice/,
//   .../order-create-shipment/): `items` with `order_item_id` and `qty`.
// - Capture: Adobe's payment actions "Capture Online / Capture Offline / Not Capture"
//   (https://experienceleague.adobe.com/en/docs/commerce-admin/customers/customer-accounts/store-credit/refunds-customer-account);
//   `POST /V1/invoices/{id}/capture` and `GET /V1/transactions` as the admin schema declares them
//   (https://adobe-commerce.redoc.ly/2.4.6-admin/tag/transactions).
// - Refund after a return: `POST /V1/order/{id}/refund` (order processing tutorial,
//   https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-issue-refund/).
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceEmulator, createCommerceEmulator } from '../src/testing.js';
import { restCaller } from './walkthrough/rest-call.js';

interface Item {
  item_id: number;
  sku: string;
  qty_ordered: number;
  qty_invoiced: number;
  qty_shipped: number;
  qty_canceled: number;
  qty_refunded: number;
  qty_returned?: number;
}
interface Order {
  entity_id: number;
  state: string;
  status: string;
  total_paid: number;
  items: Item[];
  payment: { last_trans_id?: string; amount_authorized?: number; amount_paid?: number };
}
interface Transaction {
  transaction_id: number;
  parent_id: number | null;
  order_id: number;
  payment_id: number;
  txn_id: string;
  parent_txn_id: string | null;
  txn_type: string;
  is_closed: number;
  created_at: string;
  child_transactions: Transaction[];
}
type Fault = { message: string; parameters?: unknown };

describe('order lifecycle in the emulator', () => {
  let emulator: CommerceEmulator;
  let server: RunningServer;
  let call: ReturnType<typeof restCaller>;
  let admin: string;

  beforeAll(async () => {
    emulator = createCommerceEmulator({
      seed: {
        products: [
          { sku: 'A', name: 'Alpha', price: 10 },
          { sku: 'B', name: 'Beta', price: 20 },
        ],
        sourceItems: [
          { sku: 'A', source_code: 'default', quantity: 100, status: 1 },
          { sku: 'B', source_code: 'default', quantity: 100, status: 1 },
        ],
      },
    });
    server = await emulator.listen();
    call = restCaller(server.url);
    admin = emulator.issueAdminToken();
  });
  afterAll(async () => {
    await server.close();
  });

  const place = (options: { payment_action?: 'authorize' } = {}) => {
    const order = emulator.state.placeOrder({
      items: [
        { sku: 'A', qty: 3 },
        { sku: 'B', qty: 2 },
      ],
      ...options,
    });
    const [a, b] = order.items.map((i) => Number(i.item_id)) as [number, number];
    return { id: Number(order.entity_id), a, b };
  };
  const getOrder = async (id: number) =>
    (await call<Order>('GET', `/V1/orders/${id}`, { token: admin })).body;
  const salable = async (sku: string) =>
    (
      await call<number>('GET', `/V1/inventory/get-product-salable-quantity/${sku}/1`, {
        token: admin,
      })
    ).body;
  const line = (order: Order, id: number) => order.items.find((i) => i.item_id === id) as Item;

  it('cancels an unshipped, uninvoiced order: every line canceled, stock released', async () => {
    const before = await salable('A');
    const { id, a, b } = place();
    expect(await salable('A')).toBe(before - 3);
    const canceled = await call<boolean>('POST', `/V1/orders/${id}/cancel`, { token: admin });
    expect(canceled).toEqual({ status: 200, body: true });
    const order = await getOrder(id);
    expect(order.state).toBe('canceled');
    expect(order.status).toBe('canceled');
    expect(line(order, a).qty_canceled).toBe(3);
    expect(line(order, b).qty_canceled).toBe(2);
    expect(await salable('A')).toBe(before);
    // Canceling again, or invoicing a canceled order, is refused.
    expect((await call('POST', `/V1/orders/${id}/cancel`, { token: admin })).body).toBe(false);
    const invoice = await call<Fault>('POST', `/V1/order/${id}/invoice`, { token: admin });
    expect(invoice.status).toBe(400);
    expect(invoice.body.message).toBe('The order does not allow an invoice to be created.');
  });

  it('refuses (false) to cancel a fully invoiced order, shipped or not', async () => {
    const { id } = place();
    await call('POST', `/V1/order/${id}/invoice`, { token: admin });
    expect((await call('POST', `/V1/orders/${id}/cancel`, { token: admin })).body).toBe(false);
    expect((await getOrder(id)).state).toBe('processing');
    await call('POST', `/V1/order/${id}/ship`, { token: admin });
    expect((await getOrder(id)).state).toBe('complete');
    expect((await call('POST', `/V1/orders/${id}/cancel`, { token: admin })).body).toBe(false);
    expect((await getOrder(id)).state).toBe('complete');
  });

  it('partial invoice and shipment keep the order processing with per-line quantities; the rest completes it', async () => {
    const { id, a, b } = place();
    const invoiced = await call<number>('POST', `/V1/order/${id}/invoice`, {
      token: admin,
      body: { items: [{ order_item_id: a, qty: 1 }] },
    });
    expect(invoiced.status).toBe(200);
    const shipped = await call<number>('POST', `/V1/order/${id}/ship`, {
      token: admin,
      body: { items: [{ order_item_id: a, qty: 2 }] },
    });
    expect(shipped.status).toBe(200);
    let order = await getOrder(id);
    expect(order.state).toBe('processing');
    expect(line(order, a)).toMatchObject({ qty_invoiced: 1, qty_shipped: 2 });
    expect(line(order, b)).toMatchObject({ qty_invoiced: 0, qty_shipped: 0 });
    const tooMany = await call<Fault>('POST', `/V1/order/${id}/ship`, {
      token: admin,
      body: { items: [{ order_item_id: a, qty: 2 }] },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.parameters).toEqual(['process', 1, 'A']);
    await call('POST', `/V1/order/${id}/invoice`, { token: admin });
    await call('POST', `/V1/order/${id}/ship`, { token: admin });
    order = await getOrder(id);
    expect(order.state).toBe('complete');
    expect(line(order, a)).toMatchObject({ qty_invoiced: 3, qty_shipped: 3 });
    expect(line(order, b)).toMatchObject({ qty_invoiced: 2, qty_shipped: 2 });
  });

  it('cancel after a partial invoice cancels only what is neither invoiced nor shipped, and stays processing', async () => {
    const { id, a, b } = place();
    await call('POST', `/V1/order/${id}/invoice`, {
      token: admin,
      body: { items: [{ order_item_id: a, qty: 1 }] },
    });
    await call('POST', `/V1/order/${id}/ship`, {
      token: admin,
      body: { items: [{ order_item_id: b, qty: 1 }] },
    });
    expect((await call('POST', `/V1/orders/${id}/cancel`, { token: admin })).body).toBe(true);
    const order = await getOrder(id);
    // A: 3 ordered, 1 invoiced, 0 shipped -> 2 canceled; the invoiced one still ships.
    // B: 2 ordered, 0 invoiced, 1 shipped -> 1 canceled (the shipped one cannot be).
    expect(line(order, a).qty_canceled).toBe(2);
    expect(line(order, b).qty_canceled).toBe(1);
    expect(order.state).toBe('processing');
  });

  it('an authorized payment: invoice with capture records a capture child of the authorization', async () => {
    const { id } = place({ payment_action: 'authorize' });
    let order = await getOrder(id);
    expect(order.state).toBe('processing');
    expect(order.payment.amount_authorized).toBe(70);
    const query =
      'searchCriteria[filter_groups][0][filters][0][field]=order_id' +
      `&searchCriteria[filter_groups][0][filters][0][value]=${id}`;
    let listed = await call<{ items: Transaction[]; total_count: number }>(
      'GET',
      `/V1/transactions?${query}`,
      { token: admin },
    );
    expect(listed.body.total_count).toBe(1);
    const authorization = listed.body.items[0] as Transaction;
    expect(authorization).toMatchObject({
      order_id: id,
      payment_id: expect.any(Number),
      txn_type: 'authorization',
      is_closed: 0,
      parent_id: null,
      parent_txn_id: null,
      child_transactions: [],
    });
    const invoiceId = (
      await call<number>('POST', `/V1/order/${id}/invoice`, {
        token: admin,
        body: { capture: true },
      })
    ).body;
    listed = await call('GET', `/V1/transactions?${query}`, { token: admin });
    expect(listed.body.total_count).toBe(2);
    const capture = listed.body.items.find((t) => t.txn_type === 'capture') as Transaction;
    expect(capture).toMatchObject({
      parent_id: authorization.transaction_id,
      parent_txn_id: authorization.txn_id,
      txn_id: `${authorization.txn_id}-capture`,
      is_closed: 0,
    });
    const auth = await call<Transaction>(
      'GET',
      `/V1/transactions/${authorization.transaction_id}`,
      {
        token: admin,
      },
    );
    expect(auth.body.is_closed).toBe(1); // everything captured
    expect(auth.body.child_transactions.map((t) => t.txn_id)).toEqual([capture.txn_id]);
    const invoice = await call<{ transaction_id: string; state: number }>(
      'GET',
      `/V1/invoices/${invoiceId}`,
      { token: admin },
    );
    expect(invoice.body).toMatchObject({ transaction_id: capture.txn_id, state: 2 });
    order = await getOrder(id);
    expect(order.payment.last_trans_id).toBe(capture.txn_id);
    expect(order.total_paid).toBe(70);
    expect((await call('GET', '/V1/transactions/9999', { token: admin })).status).toBe(404);
  });

  it('POST /V1/invoices/{id}/capture captures an open ("Not Capture") invoice once', async () => {
    const { id } = place({ payment_action: 'authorize' });
    const invoiceId = emulator.state.invoice(id, {}, { captureCase: 'not_capture' });
    expect((await getOrder(id)).total_paid).toBe(0);
    const captured = await call<string>('POST', `/V1/invoices/${invoiceId}/capture`, {
      token: admin,
    });
    expect(captured).toEqual({ status: 200, body: '1' });
    const invoice = await call<{ state: number; transaction_id: string }>(
      'GET',
      `/V1/invoices/${invoiceId}`,
      { token: admin },
    );
    expect(invoice.body.state).toBe(2);
    expect(invoice.body.transaction_id).toMatch(/-capture$/);
    expect((await getOrder(id)).total_paid).toBe(70);
    const again = await call<Fault>('POST', `/V1/invoices/${invoiceId}/capture`, { token: admin });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      message: 'The invoice #%1 is not open, so it cannot be captured.',
      parameters: [expect.any(String)],
    });
  });

  it('canceling an authorized, uninvoiced order voids the authorization', async () => {
    const { id } = place({ payment_action: 'authorize' });
    expect((await call('POST', `/V1/orders/${id}/cancel`, { token: admin })).body).toBe(true);
    const listed = await call<{ items: Transaction[] }>(
      'GET',
      `/V1/transactions?searchCriteria[filter_groups][0][filters][0][field]=order_id&searchCriteria[filter_groups][0][filters][0][value]=${id}&searchCriteria[sortOrders][0][field]=transaction_id&searchCriteria[sortOrders][0][direction]=ASC`,
      { token: admin },
    );
    expect(listed.body.items.map((t) => [t.txn_type, t.is_closed])).toEqual([
      ['authorization', 1],
      ['void', 1],
    ]);
  });

  it('refund after an approved return: qty_refunded follows qty_approved and stock comes back', async () => {
    const { id, a } = place();
    await call('POST', `/V1/order/${id}/invoice`, { token: admin });
    await call('POST', `/V1/order/${id}/ship`, { token: admin });
    const rma = (
      await call<{ entity_id: number; items: { entity_id: number }[] }>('POST', '/V1/returns', {
        token: admin,
        body: {
          rmaDataObject: {
            order_id: id,
            items: [
              {
                order_item_id: a,
                qty_requested: 2,
                reason: 'Wrong Size',
                condition: 'Opened',
                resolution: 'Refund',
              },
            ],
          },
        },
      })
    ).body;
    const item = rma.items[0] as { entity_id: number };
    for (const change of [
      { status: 'authorized', qty_authorized: 2 },
      { status: 'received', qty_returned: 2 },
      { status: 'approved', qty_approved: 1 },
    ]) {
      const put = await call('PUT', `/V1/returns/${rma.entity_id}`, {
        token: admin,
        body: { rmaDataObject: { items: [{ entity_id: item.entity_id, ...change }] } },
      });
      expect(put.status).toBe(200);
    }
    const before = emulator.state.sourceItems.get('A\u0000default')?.quantity;
    const refund = await call<number>('POST', `/V1/order/${id}/refund`, {
      token: admin,
      body: {
        items: [{ order_item_id: a, qty: 1 }],
        arguments: { extension_attributes: { return_to_stock_items: [a] } },
      },
    });
    expect(refund.status).toBe(200);
    const order = await getOrder(id);
    expect(line(order, a)).toMatchObject({ qty_returned: 1, qty_refunded: 1 });
    expect(order.state).toBe('complete');
    expect(emulator.state.sourceItems.get('A\u0000default')?.quantity).toBe(Number(before) + 1);
    const memo = await call<{ items: { order_item_id: number; qty: number }[] }>(
      'GET',
      `/V1/creditmemo/${refund.body}`,
      { token: admin },
    );
    expect(memo.body.items).toEqual([expect.objectContaining({ order_item_id: a, qty: 1 })]);
  });
});
