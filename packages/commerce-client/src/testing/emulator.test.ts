import { HttpError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import { createCommerceClient } from '../client.js';
import { searchCriteria } from '../query/search-criteria.js';
import { createCommerceEmulator } from './emulator.js';

function setup(options: Parameters<typeof createCommerceEmulator>[0] = {}) {
  const emulator = createCommerceEmulator({
    integrationTokens: ['t'],
    ...options,
    seed: {
      products: [
        { sku: 'TEE-S', name: 'Tee S', price: 20 },
        { sku: 'MUG', name: 'Mug', price: 8 },
      ],
      sourceItems: [
        { sku: 'TEE-S', source_code: 'default', quantity: 10, status: 1 },
        { sku: 'MUG', source_code: 'default', quantity: 3, status: 1 },
      ],
      ...options.seed,
    },
  });
  const client = createCommerceClient({
    baseUrl: 'http://store.test',
    auth: { type: 'bearer', token: 't' },
    retry: false,
    fetch: (input: Request | string | URL, init?: RequestInit) =>
      emulator.fetch(new Request(input, init)),
  });
  return { emulator, client };
}

const salable = async (client: ReturnType<typeof setup>['client'], sku: string) =>
  (
    await client.GET('/V1/inventory/get-product-salable-quantity/{sku}/{stockId}', {
      params: { path: { sku, stockId: 1 } },
    })
  ).data;

describe('commerce emulator: orders through invoice, ship and refund', () => {
  it('moves order state and MSI quantities like Magento', async () => {
    const { emulator, client } = setup();
    const order = emulator.state.placeOrder({
      items: [
        { sku: 'TEE-S', qty: 2 },
        { sku: 'MUG', qty: 1 },
      ],
      shipping_amount: 5,
    });
    const id = Number(order.entity_id);
    expect(await salable(client, 'TEE-S')).toBe(8); // reservation -2
    expect((await client.GET('/V1/orders/{id}', { params: { path: { id } } })).data?.state).toBe(
      'new',
    );

    expect((await client.POST('/V1/orders/{id}/hold', { params: { path: { id } } })).data).toBe(
      true,
    );
    const held = await client
      .POST('/V1/order/{orderId}/invoice', { params: { path: { orderId: id } }, body: {} })
      .catch((e: unknown) => e);
    expect((held as HttpError).vendorMessage).toBe(
      'The order does not allow an invoice to be created.',
    );
    await client.POST('/V1/orders/{id}/unhold', { params: { path: { id } } });

    const tee = order.items.find((i) => i.sku === 'TEE-S');
    const invoiceId = (
      await client.POST('/V1/order/{orderId}/invoice', {
        params: { path: { orderId: id } },
        body: { capture: true },
      })
    ).data;
    expect(typeof invoiceId).toBe('number');
    const invoice = (
      await client.GET('/V1/invoices/{id}', { params: { path: { id: invoiceId as number } } })
    ).data;
    expect(invoice?.grand_total).toBe(53);
    expect((await client.GET('/V1/orders/{id}', { params: { path: { id } } })).data?.state).toBe(
      'processing',
    );

    const shipmentId = (
      await client.POST('/V1/order/{orderId}/ship', {
        params: { path: { orderId: id } },
        body: {
          items: [{ order_item_id: Number(tee?.item_id), qty: 2 }],
          tracks: [{ track_number: '1Z999', title: 'UPS', carrier_code: 'ups' }],
        },
      })
    ).data as number;
    const shipment = (
      await client.GET('/V1/shipment/{id}', { params: { path: { id: shipmentId } } })
    ).data;
    expect(shipment?.tracks[0]?.track_number).toBe('1Z999');
    // Shipping deducted the source and released the reservation: salable stays 8, source is 8.
    expect(await salable(client, 'TEE-S')).toBe(8);
    expect(emulator.state.sourceItems.get('TEE-S\u0000default')?.quantity).toBe(8);
    expect((await client.GET('/V1/orders/{id}', { params: { path: { id } } })).data?.state).toBe(
      'processing',
    );
    await client.POST('/V1/order/{orderId}/ship', { params: { path: { orderId: id } }, body: {} });
    expect((await client.GET('/V1/orders/{id}', { params: { path: { id } } })).data?.state).toBe(
      'complete',
    );

    const memoId = (
      await client.POST('/V1/order/{orderId}/refund', {
        params: { path: { orderId: id } },
        body: {
          arguments: {
            shipping_amount: 5,
            extension_attributes: { return_to_stock_items: [Number(tee?.item_id)] },
          },
        },
      })
    ).data as number;
    const memo = (await client.GET('/V1/creditmemo/{id}', { params: { path: { id: memoId } } }))
      .data;
    expect(memo?.grand_total).toBe(53);
    expect((await client.GET('/V1/orders/{id}', { params: { path: { id } } })).data?.state).toBe(
      'closed',
    );
    expect(await salable(client, 'TEE-S')).toBe(10);
    const memos = await client.GET('/V1/creditmemos', {
      params: { query: searchCriteria().where('order_id', 'eq', id).toQuery() },
    });
    expect(memos.data?.total_count).toBe(1);
  });

  it('cancel releases the reservation; placing more than salable fails', async () => {
    const { emulator, client } = setup();
    const order = emulator.state.placeOrder({ items: [{ sku: 'MUG', qty: 3 }] });
    expect(await salable(client, 'MUG')).toBe(0);
    expect(() => emulator.state.placeOrder({ items: [{ sku: 'MUG', qty: 1 }] })).toThrow(
      'The requested qty is not available',
    );
    const { data } = await client.POST('/V1/orders/{id}/cancel', {
      params: { path: { id: Number(order.entity_id) } },
    });
    expect(data).toBe(true);
    expect(await salable(client, 'MUG')).toBe(3);
    const again = await client.POST('/V1/orders/{id}/cancel', {
      params: { path: { id: Number(order.entity_id) } },
    });
    expect(again.data).toBe(false);
    const salableList = await client.GET('/V1/inventory/are-products-salable', {
      params: { query: { skus: ['MUG', 'NOPE'], stockId: 1 } },
    });
    expect(salableList.data).toEqual([
      { sku: 'MUG', stock_id: 1, salable: true },
      { sku: 'NOPE', stock_id: 1, salable: false },
    ]);
  });
});

describe('commerce emulator: search, routes and errors', () => {
  it('filters with every condition type, sorts, and repeats the last page past the end', async () => {
    const { client } = setup({
      seed: {
        products: Array.from({ length: 7 }, (_, i) => ({
          sku: `P${i}`,
          name: i % 2 ? `Odd ${i}` : `Even ${i}`,
          price: i * 10,
          custom_attributes: [{ attribute_code: 'color_ids', value: i % 2 ? '4,5' : '6' }],
        })),
      },
    });
    const skus = async (criteria: ReturnType<typeof searchCriteria>) =>
      (await client.GET('/V1/products', { params: { query: criteria.toQuery() } })).data?.items.map(
        (p) => p.sku,
      );
    expect(
      await skus(searchCriteria().where('price', 'gteq', 40).where('name', 'like', 'Even%')),
    ).toEqual(['P4', 'P6']);
    expect(await skus(searchCriteria().whereAny(['sku', 'eq', 'P1'], ['price', 'lt', 10]))).toEqual(
      ['P0', 'P1'],
    );
    expect(
      await skus(
        searchCriteria()
          .where('sku', 'nin', ['P0', 'P1', 'P2', 'TEE-S', 'MUG'])
          .where('name', 'nlike', '%6'),
      ),
    ).toEqual(['P3', 'P4', 'P5']);
    expect(
      await skus(searchCriteria().where('color_ids', 'finset', '5').orderBy('price', 'DESC')),
    ).toEqual(['P5', 'P3', 'P1']);
    expect(
      await skus(searchCriteria().where('price', 'from', 10).where('price', 'to', 20)),
    ).toEqual(['P1', 'P2']);
    expect(await skus(searchCriteria().where('weight', 'null').where('sku', 'in', ['P0']))).toEqual(
      ['P0'],
    );
    const lastPage = await client.GET('/V1/products', {
      params: {
        query: searchCriteria()
          .where('sku', 'like', 'P%')
          .orderBy('sku')
          .pageSize(3)
          .page(9)
          .toQuery(),
      },
    });
    expect(lastPage.data?.items.map((p) => p.sku)).toEqual(['P6']);
    expect(lastPage.data?.total_count).toBe(7);
    expect(lastPage.data?.search_criteria.current_page).toBe(9);
  });

  it('merges custom attributes by code when a product is saved again', async () => {
    const { client } = setup();
    await client.PUT('/V1/products/{sku}', {
      params: { path: { sku: 'MUG' } },
      body: {
        product: { sku: 'MUG', custom_attributes: [{ attribute_code: 'color', value: 'red' }] },
      },
    });
    const { data } = await client.PUT('/V1/products/{sku}', {
      params: { path: { sku: 'MUG' } },
      body: {
        product: { sku: 'MUG', custom_attributes: [{ attribute_code: 'material', value: 'clay' }] },
      },
    });
    expect(data?.custom_attributes).toEqual([
      { attribute_code: 'color', value: 'red' },
      { attribute_code: 'material', value: 'clay' },
    ]);
    expect(data?.name).toBe('Mug');
  });

  it('answers Magento bodies for unknown routes, bad ids and unknown stores', async () => {
    const { emulator } = setup();
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await emulator.fetch(
        new Request(`http://store.test${path}`, {
          ...init,
          headers: { authorization: 'Bearer t', ...init.headers },
        }),
      );
      return { status: response.status, body: await response.json() };
    };
    expect(await call('/rest/default/V1/nothing-here')).toEqual({
      status: 404,
      body: { message: 'The request does not match any route.' },
    });
    expect((await call('/rest/default/V1/orders/abc')).status).toBe(400);
    // An unknown store code stays in the path (PathProcessor), so no route matches.
    expect((await call('/rest/nowhere/V1/products')).status).toBe(404);
    expect(await call('/rest/default/V1/orders/999')).toEqual({
      status: 404,
      body: {
        message: "The entity that was requested doesn't exist. Verify the entity and try again.",
      },
    });
    expect(
      await call('/rest/V1/products/MUG', { headers: { authorization: 'Bearer nope' } }),
    ).toEqual({
      status: 401,
      body: {
        message: "The consumer isn't authorized to access %resources.",
        parameters: { resources: 'Magento_Catalog::products' },
      },
    });
    expect(
      (await call('/rest/default/V1/products', { method: 'POST', body: '{oops' })).body,
    ).toEqual({
      message: 'Decoding error: %1',
      parameters: ['Syntax error'],
    });
    expect((await call('/rest/default/async/V1/products', { method: 'GET' })).status).toBe(400);
  });

  it('injects faults through client-core withFaults', async () => {
    const { client, emulator } = setup({ faults: { seed: 7, rate5xx: 1 } });
    const error = await client
      .GET('/V1/products/{sku}', { params: { path: { sku: 'MUG' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBeGreaterThanOrEqual(500);
    expect(
      (emulator.fetch as unknown as { stats: { injected5xx: number } }).stats.injected5xx,
    ).toBe(1);
  });
});
