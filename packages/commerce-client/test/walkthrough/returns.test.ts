// Walkthrough: a return (RMA, Adobe Commerce's Magento_Rma) sent as Adobe documents it, request by
// request with plain fetch over real HTTP, not with this package's client.
//
// - Requests and answers: Adobe's REST reference for the admin "returns" operations
//   (https://adobe-commerce.redoc.ly/2.4.6-admin/tag/returns), which is Adobe's published 2.4.9
//   admin schema (../shared/specs/adobe-commerce/admin-schema-2.4.9.json): `POST /V1/returns` and
//   `PUT /V1/returns/{id}` take `{rmaDataObject}` and answer the return, comments take `{data}`,
//   tracking numbers `{track}`, both answer `true`, lists answer `{items, search_criteria,
//   total_count}`.
// - Statuses: Adobe's Returns page (Pending / Authorized / Partially Authorized / Approved /
//   Rejected / Processed and Closed / Closed;
//   https://experienceleague.adobe.com/docs/commerce-admin/stores-sales/order-management/returns/returns.html)
//   and the RMA lifecycle table
//   (https://commerce-docs.github.io/merchdocs-archive/user-guide/v2.3/sales/rma-lifecycle.html).
//   Their codes and the item transitions are Magento_Rma's (`Rma\Source\Status`,
//   `Item\Status::getAllowedStatuses`); see the package README's facts table.
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceEmulator, createCommerceEmulator } from '../../src/testing.js';
import { restCaller } from './rest-call.js';

interface RmaItem {
  entity_id: number;
  rma_entity_id: number;
  order_item_id: number;
  qty_requested: number;
  qty_authorized: number | null;
  qty_returned: number | null;
  qty_approved: number | null;
  reason: string;
  condition: string;
  resolution: string;
  status: string;
}
interface Rma {
  entity_id: number;
  increment_id: string;
  order_id: number;
  order_increment_id: string;
  store_id: number;
  customer_id: number | null;
  date_requested: string;
  customer_custom_email: string | null;
  status: string;
  items: RmaItem[];
  comments: { comment: string; status: string; admin: boolean; customer_notified: boolean }[];
  tracks: {
    entity_id: number;
    track_number: string;
    carrier_title: string;
    carrier_code: string;
  }[];
}
interface Listing<T> {
  items: T[];
  total_count: number;
}
type Fault = { message: string; parameters?: unknown };

describe('walkthrough: a return (RMA) as Adobe documents it', () => {
  let emulator: CommerceEmulator;
  let server: RunningServer;
  let call: ReturnType<typeof restCaller>;
  let admin: string;
  let orderId: number;
  let incrementId: string;
  let itemIds: number[];

  beforeAll(async () => {
    emulator = createCommerceEmulator({
      seed: {
        products: [
          { sku: 'MJ01-M', name: 'Beaumont Summit Kit', price: 42 },
          { sku: 'MB-01', name: 'Joust Duffle Bag', price: 34 },
        ],
        sourceItems: [
          { sku: 'MJ01-M', source_code: 'default', quantity: 10, status: 1 },
          { sku: 'MB-01', source_code: 'default', quantity: 10, status: 1 },
        ],
        customers: [{ email: 'roni@example.com', firstname: 'Veronica', lastname: 'Costello' }],
      },
    });
    server = await emulator.listen();
    call = restCaller(server.url);
    admin = (
      await call<string>('POST', '/V1/integration/admin/token', {
        body: { username: 'admin', password: 'admin123' },
      })
    ).body;
    const customerId = [...emulator.state.customers.keys()][0] as number;
    const order = emulator.state.placeOrder({
      customer_id: customerId,
      items: [
        { sku: 'MJ01-M', qty: 5 },
        { sku: 'MB-01', qty: 1 },
      ],
    });
    orderId = Number(order.entity_id);
    incrementId = String(order.increment_id);
    itemIds = order.items.map((i) => Number(i.item_id));
    // Returns are for goods the customer received: invoice and ship everything first.
    expect((await call('POST', `/V1/order/${orderId}/invoice`, { token: admin })).status).toBe(200);
    expect((await call('POST', `/V1/order/${orderId}/ship`, { token: admin })).status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
  });

  const newReturn = (items: Record<string, unknown>[]) => ({
    rmaDataObject: {
      order_id: orderId,
      order_increment_id: incrementId,
      store_id: 1,
      customer_custom_email: 'roni@example.com',
      status: 'pending',
      items,
      comments: [],
      tracks: [],
    },
  });
  const line = (orderItemId: number, qty: number) => ({
    order_item_id: orderItemId,
    qty_requested: qty,
    reason: 'Wrong Size',
    condition: 'Unopened',
    resolution: 'Refund',
    status: 'pending',
  });

  it('creates a return: POST /V1/returns answers the return, pending, with its items pending', async () => {
    const created = await call<Rma>('POST', '/V1/returns', {
      token: admin,
      body: newReturn([line(itemIds[0] as number, 1)]),
    });
    expect(created.status).toBe(200);
    const rma = created.body;
    expect(rma).toMatchObject({
      order_id: orderId,
      order_increment_id: incrementId,
      store_id: 1,
      customer_custom_email: 'roni@example.com',
      status: 'pending',
      comments: [],
      tracks: [],
    });
    expect(rma.entity_id).toBeGreaterThan(0);
    expect(rma.increment_id).toMatch(/^\d+$/);
    expect(rma.date_requested).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(rma.customer_id).toBe(emulator.state.getOrder(orderId).customer_id);
    expect(rma.items).toEqual([
      {
        entity_id: expect.any(Number),
        rma_entity_id: rma.entity_id,
        order_item_id: itemIds[0],
        qty_requested: 1,
        qty_authorized: null,
        qty_approved: null,
        qty_returned: null,
        reason: 'Wrong Size',
        condition: 'Unopened',
        resolution: 'Refund',
        status: 'pending',
      },
    ]);
    const again = await call<Rma>('GET', `/V1/returns/${rma.entity_id}`, { token: admin });
    expect(again.body).toEqual(rma);
  });

  it('authorizes, adds a tracking number and a comment, receives, approves: processed_closed', async () => {
    const rma = (
      await call<Rma>('POST', '/V1/returns', {
        token: admin,
        body: newReturn([line(itemIds[1] as number, 1)]),
      })
    ).body;
    const item = rma.items[0] as RmaItem;
    const put = (changes: Record<string, unknown>) =>
      call<Rma>('PUT', `/V1/returns/${rma.entity_id}`, {
        token: admin,
        body: { rmaDataObject: { ...rma, items: [{ ...item, ...changes }] } },
      });

    const authorized = await put({ status: 'authorized', qty_authorized: 1 });
    expect(authorized.status).toBe(200);
    expect(authorized.body.status).toBe('authorized');
    expect(authorized.body.items[0]).toMatchObject({ status: 'authorized', qty_authorized: 1 });

    const track = await call<boolean>('POST', `/V1/returns/${rma.entity_id}/tracking-numbers`, {
      token: admin,
      body: {
        track: { track_number: '1Z999AA10123456784', carrier_title: 'UPS', carrier_code: 'ups' },
      },
    });
    expect(track).toEqual({ status: 200, body: true });
    const tracks = await call<Listing<Rma['tracks'][number]>>(
      'GET',
      `/V1/returns/${rma.entity_id}/tracking-numbers`,
      { token: admin },
    );
    expect(tracks.body.total_count).toBe(1);
    expect(tracks.body.items[0]).toMatchObject({
      rma_entity_id: rma.entity_id,
      track_number: '1Z999AA10123456784',
      carrier_title: 'UPS',
      carrier_code: 'ups',
    });

    const comment = await call<boolean>('POST', `/V1/returns/${rma.entity_id}/comments`, {
      token: admin,
      body: {
        data: {
          comment: 'Label sent to the customer.',
          customer_notified: true,
          visible_on_front: true,
        },
      },
    });
    expect(comment).toEqual({ status: 200, body: true });
    const comments = await call<Listing<Rma['comments'][number]>>(
      'GET',
      `/V1/returns/${rma.entity_id}/comments`,
      { token: admin },
    );
    expect(comments.body.items).toEqual([
      expect.objectContaining({
        comment: 'Label sent to the customer.',
        rma_entity_id: rma.entity_id,
        status: 'authorized',
        admin: true,
        customer_notified: true,
        visible_on_front: true,
      }),
    ]);

    const received = await put({ status: 'received', qty_authorized: 1, qty_returned: 1 });
    expect(received.body.status).toBe('received');
    const approved = await put({ status: 'approved', qty_returned: 1, qty_approved: 1 });
    expect(approved.body.status).toBe('processed_closed');
    expect(approved.body.items[0]).toMatchObject({
      status: 'approved',
      qty_requested: 1,
      qty_authorized: 1,
      qty_returned: 1,
      qty_approved: 1,
    });
    expect(approved.body.tracks).toHaveLength(1);
    // An approved item counts as returned on its order line.
    const order = emulator.state.getOrder(orderId);
    expect(order.items.find((i) => i.item_id === itemIds[1])?.qty_returned).toBe(1);
  });

  it('closes an authorized return with status "closed"; a closed return refuses changes', async () => {
    const rma = (
      await call<Rma>('POST', '/V1/returns', {
        token: admin,
        body: newReturn([line(itemIds[0] as number, 1)]),
      })
    ).body;
    const item = rma.items[0] as RmaItem;
    await call('PUT', `/V1/returns/${rma.entity_id}`, {
      token: admin,
      body: {
        rmaDataObject: { ...rma, items: [{ ...item, status: 'authorized', qty_authorized: 1 }] },
      },
    });
    const closed = await call<Rma>('PUT', `/V1/returns/${rma.entity_id}`, {
      token: admin,
      body: { rmaDataObject: { ...rma, status: 'closed', items: [] } },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const refused = await call<Fault>('PUT', `/V1/returns/${rma.entity_id}`, {
      token: admin,
      body: {
        rmaDataObject: { ...rma, items: [{ ...item, status: 'received', qty_returned: 1 }] },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      message: 'Return #%1 is %2 and can no longer be changed.',
      parameters: [rma.increment_id, 'closed'],
    });
  });

  it('refuses a transition Magento does not allow, and quantities beyond the previous step', async () => {
    const rma = (
      await call<Rma>('POST', '/V1/returns', {
        token: admin,
        body: newReturn([line(itemIds[0] as number, 1)]),
      })
    ).body;
    const item = rma.items[0] as RmaItem;
    const skip = await call<Fault>('PUT', `/V1/returns/${rma.entity_id}`, {
      token: admin,
      body: {
        rmaDataObject: { ...rma, items: [{ ...item, status: 'approved', qty_approved: 1 }] },
      },
    });
    expect(skip.status).toBe(400);
    expect(skip.body).toEqual({
      message: 'The return item %1 cannot change from status "%2" to "%3".',
      parameters: [item.entity_id, 'pending', 'approved'],
    });
    const tooMany = await call<Fault>('PUT', `/V1/returns/${rma.entity_id}`, {
      token: admin,
      body: {
        rmaDataObject: { ...rma, items: [{ ...item, status: 'authorized', qty_authorized: 2 }] },
      },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({
      message: 'There is an error in quantities for item %1.',
      parameters: [item.entity_id],
    });
    // Refused requests changed nothing.
    const unchanged = await call<Rma>('GET', `/V1/returns/${rma.entity_id}`, { token: admin });
    expect(unchanged.body.status).toBe('pending');
    expect(unchanged.body.items[0]?.status).toBe('pending');
  });

  it('rejects every item: the return is closed (Magento has no separate "rejected" return status)', async () => {
    const rma = (
      await call<Rma>('POST', '/V1/returns', {
        token: admin,
        body: newReturn([line(itemIds[0] as number, 1)]),
      })
    ).body;
    const item = rma.items[0] as RmaItem;
    const put = (changes: Record<string, unknown>) =>
      call<Rma>('PUT', `/V1/returns/${rma.entity_id}`, {
        token: admin,
        body: { rmaDataObject: { items: [{ entity_id: item.entity_id, ...changes }] } },
      });
    await put({ status: 'authorized', qty_authorized: 1 });
    await put({ status: 'received', qty_returned: 1 });
    const rejected = await put({ status: 'rejected' });
    expect(rejected.body.status).toBe('closed');
    expect(rejected.body.items[0]?.status).toBe('rejected');
  });

  it('refuses more than was shipped and not yet requested or returned, naming the item', async () => {
    // Item 0 (5 shipped): open returns request 1 (pending) + 1 (pending); the closed one and the
    // rejected one (closed too) no longer count, as in Magento_Rma's getReturnableItems: 3 are left.
    const over = await call<Fault>('POST', '/V1/returns', {
      token: admin,
      body: newReturn([line(itemIds[0] as number, 4)]),
    });
    expect(over.status).toBe(400);
    expect(over.body).toEqual({
      message: 'A quantity of %1 is greater than you can return.',
      parameters: ['Beaumont Summit Kit'],
    });
    const rest = await call<Rma>('POST', '/V1/returns', {
      token: admin,
      body: newReturn([line(itemIds[0] as number, 3)]),
    });
    expect(rest.status).toBe(200);
    // Item 1 (1 shipped) was approved and processed_closed: its qty_returned keeps it unreturnable.
    const returned = await call<Fault>('POST', '/V1/returns', {
      token: admin,
      body: newReturn([line(itemIds[1] as number, 1)]),
    });
    expect(returned.status).toBe(400);
    expect(returned.body.parameters).toEqual(['Joust Duffle Bag']);
    const missing = await call<Fault>('POST', '/V1/returns', {
      token: admin,
      body: newReturn([{ order_item_id: itemIds[0], qty_requested: 1 }]),
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'reason' },
    });
  });

  it('GET /V1/returnsAttributeMetadata lists the line attributes with the options Adobe documents', async () => {
    // Return Reason, Item Condition and Resolution options: Adobe's Returns page (above).
    type Attribute = {
      attribute_code: string;
      frontend_input: string;
      required: boolean;
      options: { label: string; value: string }[];
    };
    const listed = await call<Attribute[]>('GET', '/V1/returnsAttributeMetadata', { token: admin });
    expect(listed.status).toBe(200);
    const labels = Object.fromEntries(
      listed.body.map((a) => [a.attribute_code, a.options.map((o) => o.label)]),
    );
    expect(labels).toEqual({
      reason: ['Wrong Color', 'Wrong Size', 'Out of Service', 'Other'],
      reason_other: [],
      condition: ['Unopened', 'Opened', 'Damaged'],
      resolution: ['Exchange', 'Refund', 'Store Credit'],
    });
    const one = await call<Attribute>('GET', '/V1/returnsAttributeMetadata/condition', {
      token: admin,
    });
    expect(one.body).toMatchObject({
      attribute_code: 'condition',
      frontend_input: 'select',
      required: true,
    });
    const unknown = await call<Fault>('GET', '/V1/returnsAttributeMetadata/colour', {
      token: admin,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      message: 'No such entity with %fieldName = %fieldValue',
      parameters: { fieldName: 'attributeCode', fieldValue: 'colour' },
    });
  });

  it('lists returns with searchCriteria and answers 404 for an unknown one', async () => {
    const q =
      'searchCriteria[filter_groups][0][filters][0][field]=status' +
      '&searchCriteria[filter_groups][0][filters][0][value]=processed_closed';
    const listed = await call<Listing<Rma>>('GET', `/V1/returns?${q}`, { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.total_count).toBe(1);
    expect(listed.body.items[0]?.status).toBe('processed_closed');
    const all = await call<Listing<Rma>>('GET', '/V1/returns?searchCriteria[pageSize]=100', {
      token: admin,
    });
    expect(all.body.total_count).toBe(6);
    const unknown = await call<Fault>('GET', '/V1/returns/9999', { token: admin });
    expect(unknown.status).toBe(404);
    const anonymous = await call<Fault>('GET', '/V1/returns/1');
    expect(anonymous.status).toBe(401);
  });
});
