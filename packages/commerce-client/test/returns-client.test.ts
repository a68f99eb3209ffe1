// The typed helpers for returns and payments, against the emulator over in-process fetch.
import { HttpError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import {
  addReturnComment,
  addReturnTrack,
  CommerceValidationError,
  captureInvoice,
  closeReturn,
  createCommerceClient,
  createReturn,
  getReturn,
  orderTransactions,
  updateReturnItems,
} from '../src/index.js';
import { createCommerceEmulator } from '../src/testing.js';

function setup() {
  const emulator = createCommerceEmulator({
    integrationTokens: ['t'],
    seed: {
      products: [{ sku: 'TEE', name: 'Tee', price: 25 }],
      sourceItems: [{ sku: 'TEE', source_code: 'default', quantity: 10, status: 1 }],
    },
  });
  const client = createCommerceClient({
    baseUrl: 'https://shop.example.test',
    auth: { type: 'bearer', token: 't' },
    retry: false,
    fetch: emulator.fetch,
  });
  return { emulator, client };
}

describe('return helpers', () => {
  it('create, authorize, track, comment, close: each answer parsed', async () => {
    const { emulator, client } = setup();
    const order = emulator.state.placeOrder({ items: [{ sku: 'TEE', qty: 2 }] });
    const orderId = Number(order.entity_id);
    emulator.state.invoice(orderId);
    emulator.state.ship(orderId);
    const itemId = Number(order.items[0]?.item_id);

    const created = await createReturn(client, {
      order_id: orderId,
      items: [
        {
          order_item_id: itemId,
          qty_requested: 2,
          reason: 'Wrong Size',
          condition: 'Opened',
          resolution: 'Refund',
        },
      ],
    });
    expect(created.status).toBe('pending');
    const line = created.items[0] as { entity_id: number };
    const authorized = await updateReturnItems(client, created, [
      { entity_id: line.entity_id, status: 'authorized', qty_authorized: 1 },
    ]);
    expect(authorized.status).toBe('authorized');
    expect(authorized.items[0]?.qty_authorized).toBe(1);
    await addReturnTrack(client, created.entity_id, { track_number: 'T-1', carrier_code: 'ups' });
    await addReturnComment(client, created.entity_id, { comment: 'Label sent' });
    const read = await getReturn(client, created.entity_id);
    expect(read.tracks?.map((t) => t.track_number)).toEqual(['T-1']);
    expect(read.comments?.map((c) => c.comment)).toEqual(['Label sent']);
    const closed = await closeReturn(client, read);
    expect(closed.status).toBe('closed');
  });

  it("a refused transition is an HttpError with Magento's message filled in", async () => {
    const { emulator, client } = setup();
    const order = emulator.state.placeOrder({ items: [{ sku: 'TEE', qty: 1 }] });
    emulator.state.invoice(Number(order.entity_id));
    emulator.state.ship(Number(order.entity_id));
    const created = await createReturn(client, {
      order_id: Number(order.entity_id),
      items: [
        {
          order_item_id: Number(order.items[0]?.item_id),
          qty_requested: 1,
          reason: 'r',
          condition: 'c',
          resolution: 'x',
        },
      ],
    });
    const line = created.items[0] as { entity_id: number };
    const error = await updateReturnItems(client, created, [
      { entity_id: line.entity_id, status: 'approved', qty_approved: 1 },
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).vendorMessage).toBe(
      `The return item ${line.entity_id} cannot change from status "pending" to "approved".`,
    );
  });
});

describe('payment helpers', () => {
  it('captureInvoice reads "1" as true; orderTransactions lists authorization then capture', async () => {
    const { emulator, client } = setup();
    const order = emulator.state.placeOrder({
      items: [{ sku: 'TEE', qty: 1 }],
      payment_action: 'authorize',
    });
    const orderId = Number(order.entity_id);
    const invoiceId = emulator.state.invoice(orderId, {}, { captureCase: 'not_capture' });
    expect(await captureInvoice(client, invoiceId)).toBe(true);
    const history = await orderTransactions(client, orderId);
    expect(history.map((t) => t.txn_type)).toEqual(['authorization', 'capture']);
    expect(history[0]?.child_transactions?.map((t) => t.txn_id)).toEqual([history[1]?.txn_id]);
  });

  it('an answer that is not a capture result is a CommerceValidationError naming it', async () => {
    const client = createCommerceClient({
      baseUrl: 'https://shop.example.test',
      auth: { type: 'bearer', token: 't' },
      retry: false,
      fetch: async () =>
        new Response('{"unexpected":1}', { headers: { 'content-type': 'application/json' } }),
    });
    const error = await captureInvoice(client, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommerceValidationError);
    expect((error as CommerceValidationError).field).toBe('capture');
  });
});
