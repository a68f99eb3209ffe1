// The emulator answers with the structure, field types, status codes and headers of real Adobe
// Commerce answers (our own fixtures reproducing them: fixtures/commerce-payloads.ts).
import { describe, expect, it } from 'vitest';
import { parseMagentoError, schemas } from '../src/index.js';
import { createCommerceEmulator } from '../src/testing.js';
import * as real from './fixtures/commerce-payloads.js';

/** As it comes off the wire: undefined keys are absent. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Structural differences of `actual` against `expected`: for every key both have, the JSON kinds
 * agree (null on either side is allowed: nullable fields) and nested objects and first array
 * elements agree too; `mustHave` keys of `expected` must be present in `actual`.
 */
function shapeProblems(expected: unknown, actual: unknown, path = '$'): string[] {
  if (expected === null || actual === null || expected === undefined) return [];
  if (kind(expected) !== kind(actual)) {
    return [`${path}: expected ${kind(expected)}, got ${kind(actual)}`];
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return expected.length > 0 && actual.length > 0
      ? shapeProblems(expected[0], actual[0], `${path}[0]`)
      : [];
  }
  if (kind(expected) !== 'object') return [];
  const e = expected as Record<string, Json>;
  const a = actual as Record<string, Json>;
  return Object.keys(e)
    .filter((key) => key in a)
    .flatMap((key) => shapeProblems(e[key], a[key], `${path}.${key}`));
}

function missing(keys: string[], actual: object): string[] {
  return keys.filter((key) => !(key in actual));
}

describe('the emulator answers with the shapes of the real payloads', () => {
  function setup() {
    const emulator = createCommerceEmulator({
      integrationTokens: ['t'],
      seed: {
        products: [{ sku: 'TH-01-M-Red', name: 'Trail Hoodie', price: 52 }],
        sourceItems: [{ sku: 'TH-01-M-Red', source_code: 'default', quantity: 100, status: 1 }],
        customers: [
          {
            email: 'ada@example.com',
            firstname: 'Ada',
            lastname: 'Lane',
            addresses: [wire(real.customer.addresses[0]) as Record<string, unknown>],
          },
        ],
      },
    });
    const call = async (method: string, path: string, body?: unknown, token = 't') => {
      const response = await emulator.fetch(
        new Request(`http://store.test/rest/default${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: (await response.json()) as Record<string, any>,
      };
    };
    const emulatorFetch = (path: string) =>
      emulator.fetch(
        new Request(`http://store.test${path}`, { headers: { authorization: 'Bearer t' } }),
      );
    return { emulator, call, emulatorFetch };
  }

  it('orders, invoices, shipments and credit memos', async () => {
    const { emulator, call } = setup();
    const placed = emulator.state.placeOrder({
      customer_id: 1,
      items: [{ sku: 'TH-01-M-Red', qty: 1 }],
      shipping_amount: 5,
    });
    const id = Number(placed.entity_id);
    const order = await call('GET', `/V1/orders/${id}`);
    expect(order.status).toBe(200);
    expect(order.contentType).toBe('application/json; charset=utf-8');
    expect(shapeProblems(wire(real.order), order.body)).toEqual([]);
    expect(
      missing(
        [
          'entity_id',
          'increment_id',
          'state',
          'status',
          'customer_email',
          'grand_total',
          'items',
          'billing_address',
          'payment',
          'status_histories',
          'extension_attributes',
        ],
        order.body,
      ),
    ).toEqual([]);
    expect(missing(['entity_id', 'parent_id', 'email'], order.body.billing_address)).toEqual([]);
    expect(
      missing(['entity_id', 'parent_id', 'method', 'additional_information'], order.body.payment),
    ).toEqual([]);
    expect(order.body.extension_attributes.shipping_assignments?.[0]?.items?.[0]?.sku).toBe(
      'TH-01-M-Red',
    );
    // Only Magento's own extension attributes: no emulator bookkeeping leaks into the answer.
    expect(Object.keys(order.body.extension_attributes).sort()).toEqual([
      'payment_additional_info',
      'shipping_assignments',
    ]);
    expect(schemas.order.safeParse(order.body).success).toBe(true);

    const invoiceId = (await call('POST', `/V1/order/${id}/invoice`, {})).body as unknown as number;
    expect(typeof invoiceId).toBe('number');
    const invoice = await call('GET', `/V1/invoices/${invoiceId}`);
    expect(shapeProblems(wire(real.invoice), invoice.body)).toEqual([]);
    expect(
      missing(['entity_id', 'order_id', 'total_qty', 'items', 'comments'], invoice.body),
    ).toEqual([]);

    const shipmentId = (
      await call('POST', `/V1/order/${id}/ship`, {
        tracks: [{ track_number: '1Z999', title: 'UPS', carrier_code: 'ups' }],
      })
    ).body as unknown as number;
    const shipment = await call('GET', `/V1/shipment/${shipmentId}`);
    expect(shapeProblems(wire(real.shipment), shipment.body)).toEqual([]);
    expect(missing(['items', 'tracks', 'comments', 'packages'], shipment.body)).toEqual([]);
    expect(schemas.shipment.safeParse(shipment.body).success).toBe(true);

    const memoId = (await call('POST', `/V1/order/${id}/refund`, {})).body as unknown as number;
    const memo = await call('GET', `/V1/creditmemo/${memoId}`);
    expect(shapeProblems(wire(real.creditMemo), memo.body)).toEqual([]);
    expect(missing(['entity_id', 'order_id', 'items', 'comments'], memo.body)).toEqual([]);
  });

  it('a configurable line becomes a parent item and a child item, as in real orders', async () => {
    const emulator = createCommerceEmulator({
      integrationTokens: ['t'],
      seed: {
        products: [
          {
            sku: 'TH-01-M-Red',
            name: 'Trail Hoodie-M-Red',
            price: 52,
            type_id: 'simple',
            custom_attributes: [{ attribute_code: 'color', value: '58' }],
          },
          {
            sku: 'TH-01',
            name: 'Trail Hoodie',
            type_id: 'configurable',
            extension_attributes: {
              configurable_product_options: [
                { attribute_id: '93', label: 'Color', position: 0, values: [{ value_index: 58 }] },
              ],
            },
          },
        ],
        sourceItems: [{ sku: 'TH-01-M-Red', source_code: 'default', quantity: 10, status: 1 }],
      },
    });
    const child = emulator.state.getProduct('TH-01-M-Red');
    const parent = emulator.state.getProduct('TH-01');
    parent.extension_attributes = {
      ...parent.extension_attributes,
      configurable_product_links: [Number(child.id)],
    };
    const placed = emulator.state.placeOrder({
      items: [{ sku: 'TH-01-M-Red', parentSku: 'TH-01', qty: 2 }],
    });
    const get = async (path: string) =>
      (await (
        await emulator.fetch(
          new Request(`http://store.test/rest/default${path}`, {
            headers: { authorization: 'Bearer t' },
          }),
        )
      ).json()) as Record<string, any>;
    const order = await get(`/V1/orders/${placed.entity_id}`);
    expect(shapeProblems(wire(real.order), order)).toEqual([]);
    const [parentItem, childItem] = order.items;
    expect(parentItem).toMatchObject({
      product_type: 'configurable',
      sku: 'TH-01-M-Red',
      price: 52,
    });
    expect(parentItem.product_option.extension_attributes.configurable_item_options).toEqual([
      { option_id: '93', option_value: 58 },
    ]);
    expect(childItem).toMatchObject({ parent_item_id: parentItem.item_id, price: 0 });
    expect(childItem.parent_item.item_id).toBe(parentItem.item_id);
    expect(order.total_qty_ordered).toBe(2);
    expect(schemas.order.safeParse(order).success).toBe(true);
    // One reservation for the line, not one per item.
    expect(await get('/V1/inventory/get-product-salable-quantity/TH-01-M-Red/1')).toBe(8);
    emulator.state.invoice(Number(placed.entity_id));
    emulator.state.ship(Number(placed.entity_id));
    const done = await get(`/V1/orders/${placed.entity_id}`);
    expect(done.state).toBe('complete');
    expect(done.items[1].qty_shipped).toBe(2);
    expect(done.items[1].parent_item.qty_invoiced).toBe(2);
    const items = await get(
      '/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=TH-01-M-Red',
    );
    expect(items.items[0].quantity).toBe(8);
  });

  it('customers, products and source items', async () => {
    const { call } = setup();
    const customer = await call('GET', '/V1/customers/1');
    expect(shapeProblems(wire(real.customer), customer.body)).toEqual([]);
    expect(typeof customer.body.default_billing).toBe('string');
    const product = await call('GET', '/V1/products/TH-01-M-Red');
    expect(shapeProblems(wire(real.product), product.body)).toEqual([]);
    expect(
      missing(['product_links', 'options', 'media_gallery_entries', 'tier_prices'], product.body),
    ).toEqual([]);
    // Empty custom_attributes are left out; stock_item follows the default source.
    expect('custom_attributes' in product.body).toBe(false);
    expect(product.body.extension_attributes.stock_item).toMatchObject({
      qty: 100,
      is_in_stock: true,
      low_stock_date: null,
    });
    expect(schemas.product.safeParse(product.body).success).toBe(true);
    const items = await call(
      'GET',
      '/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=TH-01-M-Red',
    );
    expect(shapeProblems(wire(real.sourceItems), items.body)).toEqual([]);
    // Filter::getConditionType() is `string|null`: an omitted condition is not echoed.
    expect(items.body.search_criteria.filter_groups[0].filters[0]).toEqual({
      field: 'sku',
      value: 'TH-01-M-Red',
    });
  });

  it('async bulk answers and bulk statuses', async () => {
    const { emulator, call } = setup();
    const accepted = await call('POST', '/async/bulk/V1/products', [
      { product: { sku: 'B-1', name: 'B', price: 1, attribute_set_id: 4 } },
      'not a product',
    ]);
    expect(accepted.status).toBe(202);
    expect(accepted.contentType).toBe('application/json; charset=utf-8');
    expect(shapeProblems(wire(real.asyncPartlyRejected), accepted.body)).toEqual([]);
    expect(accepted.body.errors).toBe(true);
    expect(accepted.body.request_items[1]).toMatchObject({
      id: 1,
      status: 'rejected',
      data_hash: null,
    });
    expect(typeof accepted.body.request_items[1].error_code).toBe('number');
    expect(accepted.body.request_items[0].data_hash).toMatch(/^[0-9a-f]{64}$/);
    emulator.drainBulk();
    const uuid = accepted.body.bulk_uuid as string;
    const status = await call('GET', `/V1/bulk/${uuid}/status`);
    expect(shapeProblems(wire(real.bulkStatus), status.body)).toEqual([]);
    expect(schemas.bulkStatus.safeParse(status.body).success).toBe(true);
    const detailed = await call('GET', `/V1/bulk/${uuid}/detailed-status`);
    expect(shapeProblems(wire(real.bulkDetailedStatus), detailed.body)).toEqual([]);
    expect(detailed.body.operations_list[0].status).toBe(1);
    const search = await call(
      'GET',
      `/V1/bulk?searchCriteria[filter_groups][0][filters][0][field]=bulk_uuid&searchCriteria[filter_groups][0][filters][0][value]=${uuid}`,
    );
    expect(shapeProblems(wire(real.bulkOperationSearch), search.body)).toEqual([]);
    expect(search.body.items[0].extension_attributes.start_time).toBe(detailed.body.start_time);
    expect(detailed.body.operations_list[0].result_message).toMatch(/^Service execution success /);
  });

  it('error bodies: 404 with typed parameters, 401 ACL, 400 async GET, 404 unknown store', async () => {
    const { call, emulatorFetch } = setup();
    const missingCustomer = await call('GET', '/V1/customers/999');
    expect(missingCustomer.status).toBe(404);
    expect(shapeProblems(wire(real.errors.noSuchCustomer), missingCustomer.body)).toEqual([]);
    expect(missingCustomer.body.parameters).toEqual({ fieldName: 'customerId', fieldValue: 999 });
    const unknownBulk = await call('GET', '/V1/bulk/0b2e4f61-0000-4000-8000-000000000000/status');
    expect(unknownBulk.status).toBe(404);
    expect(parseMagentoError(JSON.stringify(unknownBulk.body)).vendorMessage).toBe(
      'Bulk uuid 0b2e4f61-0000-4000-8000-000000000000 not exist',
    );
    const notInt = await call('GET', '/V1/orders/not_numeric');
    expect(notInt.status).toBe(400);
    expect(parseMagentoError(JSON.stringify(notInt.body)).vendorMessage).toBe(
      'The "not_numeric" value\'s type is invalid. The "int" type was expected. Verify and try again.',
    );
    const noCriteria = await call('GET', '/V1/orders');
    expect(noCriteria.status).toBe(400);
    expect(noCriteria.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'searchCriteria' },
    });
    // MSI sources and stocks default their criteria.
    expect((await call('GET', '/V1/inventory/sources')).status).toBe(200);
    expect((await call('GET', '/V1/orders?searchCriteria[currentPage]=1')).status).toBe(200);
    const asyncGet = await call('GET', '/async/V1/products/TH-01-M-Red');
    expect(asyncGet.status).toBe(400);
    expect(asyncGet.body.message).toBe('Specified request cannot be processed.');
    const unknownStore = await emulatorFetch('/rest/no_such_store/V1/products/TH-01-M-Red');
    expect(unknownStore.status).toBe(404);
    expect(((await unknownStore.json()) as { message: string }).message).toMatch(
      /does not match any route/,
    );
    const denied = await call('GET', '/V1/orders/1', undefined, 'wrong');
    expect(denied.status).toBe(401);
    expect(shapeProblems(wire(real.errors.unauthorized), denied.body)).toEqual([]);
    expect(parseMagentoError(JSON.stringify(denied.body)).vendorMessage).toMatch(
      /^The consumer isn't authorized to access Magento_\w+::\w+\.$/,
    );
  });
});
