// Walkthrough: Adobe's "Order processing with Inventory Management" tutorial, replayed request by
// request with plain fetch over real HTTP
// (https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/): sources, a stock for
// the website, stock-source links, source items, salable quantity, a customer order reserving in
// that stock, an invoice and shipments from chosen sources.
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceEmulator, createCommerceEmulator } from '../../src/testing.js';
import { restCaller } from './rest-call.js';

const ADDRESS = {
  region: 'New York',
  region_id: 43,
  region_code: 'NY',
  country_id: 'US',
  street: ['160 1st St.'],
  postcode: '11501',
  city: 'Mineola',
  firstname: 'Jane',
  lastname: 'Doe',
  email: 'jdoe@example.com',
  telephone: '516-555-1111',
};
type Fault = { message: string; errors?: { message: string; parameters?: unknown }[] };

describe("walkthrough: Adobe's inventory management (MSI) tutorial", () => {
  let emulator: CommerceEmulator;
  let server: RunningServer;
  let call: ReturnType<typeof restCaller>;
  let admin: string;
  const sourceQty = async (sku: string, source: string) => {
    const found = await call<{ items: { source_code: string; quantity: number }[] }>(
      'GET',
      `/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=${sku}`,
      { token: admin },
    );
    return found.body.items.find((i) => i.source_code === source)?.quantity;
  };
  const salable = async (sku: string, stockId: number) =>
    (
      await call('GET', `/V1/inventory/get-product-salable-quantity/${sku}/${stockId}`, {
        token: admin,
      })
    ).body;

  beforeAll(async () => {
    emulator = createCommerceEmulator();
    server = await emulator.listen();
    call = restCaller(server.url);
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/prerequisite-tasks/
    admin = (
      await call<string>('POST', '/V1/integration/admin/token', {
        body: { username: 'admin', password: 'admin123' },
      })
    ).body;
    // The tutorial's store already sells these bags, 100 of each on the default source.
    for (const [sku, name] of [
      ['24-WB01', 'Voyage Yoga Bag'],
      ['24-WB03', 'Driven Backpack'],
    ]) {
      const created = await call('POST', '/V1/products', {
        token: admin,
        body: {
          product: {
            sku,
            name,
            price: 32,
            type_id: 'simple',
            extension_attributes: { stock_item: { qty: '100', is_in_stock: true } },
          },
        },
      });
      expect(created.status).toBe(200);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('step 2: creates sources, refusing one without the required fields', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/create-sources/
    for (const [code, name, postcode, region] of [
      ['ne_wh', 'Northeast Warehouse', '07306', 'New Jersey'],
      ['west_wh', 'West Warehouse', '95207', 'California'],
      ['brooklyn', 'Brooklyn Store', '11211', 'New York'],
    ]) {
      const created = await call('POST', '/V1/inventory/sources', {
        token: admin,
        body: {
          source: { name, source_code: code, postcode, enabled: true, country_id: 'US', region },
        },
      });
      expect(created.status).toBe(200);
      expect(created.body).toEqual([]);
    }
    const incomplete = await call<Fault>('POST', '/V1/inventory/sources', {
      token: admin,
      body: { source: { source_code: 'no_name', enabled: true } },
    });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.message).toBe('Validation Failed');
    expect(incomplete.body.errors?.map((e) => e.parameters)).toEqual([
      { field: 'name' },
      { field: 'country_id' },
      { field: 'postcode' },
    ]);
    const source = await call<Record<string, unknown>>('GET', '/V1/inventory/sources/ne_wh', {
      token: admin,
    });
    expect(source.body).toMatchObject({ source_code: 'ne_wh', postcode: '07306', enabled: true });
  });

  it('steps 3 and 4: creates a stock for the website and links the sources by priority', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/create-stock/
    const stock = await call<number>('POST', '/V1/inventory/stocks', {
      token: admin,
      body: {
        stock: {
          name: 'US Stock',
          extension_attributes: { sales_channels: [{ type: 'website', code: 'base' }] },
        },
      },
    });
    expect(stock.status).toBe(200);
    expect(stock.body).toBe(2);
    const unnamed = await call<Fault>('POST', '/V1/inventory/stocks', {
      token: admin,
      body: { stock: { extension_attributes: {} } },
    });
    expect(unnamed.status).toBe(400);
    const read = await call<Record<string, any>>('GET', '/V1/inventory/stocks/2', { token: admin });
    expect(read.body).toMatchObject({
      stock_id: 2,
      name: 'US Stock',
      extension_attributes: { sales_channels: [{ type: 'website', code: 'base' }] },
    });
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/assign-source-to-stock/
    const linked = await call('POST', '/V1/inventory/stock-source-links', {
      token: admin,
      body: {
        links: [
          { source_code: 'west_wh', stock_id: 2, priority: 2 },
          { source_code: 'ne_wh', stock_id: 2, priority: 1 },
          { source_code: 'brooklyn', stock_id: 2, priority: 3 },
        ],
      },
    });
    expect(linked.status).toBe(200);
    expect(linked.body).toEqual([]);
    const unknown = await call<Fault>('POST', '/V1/inventory/stock-source-links', {
      token: admin,
      body: { links: [{ source_code: 'nowhere', stock_id: 2, priority: 4 }] },
    });
    expect(unknown.status).toBe(400);
    const links = await call<{
      items: { source_code: string; priority: number }[];
      total_count: number;
    }>(
      'GET',
      '/V1/inventory/stock-source-links?searchCriteria[filter_groups][0][filters][0][field]=stock_id&searchCriteria[filter_groups][0][filters][0][value]=2',
      { token: admin },
    );
    expect(links.body.total_count).toBe(3);
    const ordered = await call<{ source_code: string }[]>(
      'GET',
      '/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/2',
      { token: admin },
    );
    expect(ordered.body.map((s) => s.source_code)).toEqual(['ne_wh', 'west_wh', 'brooklyn']);
  });

  it('step 5: moves the products from the default source to the new sources', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/reassign-products-to-another-source/
    const removed = await call('POST', '/V1/inventory/source-items-delete', {
      token: admin,
      body: {
        sourceItems: [
          { sku: '24-WB01', source_code: 'default' },
          { sku: '24-WB03', source_code: 'default' },
        ],
      },
    });
    expect(removed.body).toEqual([]);
    // The legacy stock item follows the default source: nothing left there.
    const legacy = await call<Record<string, unknown>>('GET', '/V1/stockItems/24-WB01', {
      token: admin,
    });
    expect(legacy.body).toMatchObject({ qty: 0, is_in_stock: false });
    const assigned = await call('POST', '/V1/inventory/source-items', {
      token: admin,
      body: {
        sourceItems: [
          { sku: '24-WB01', source_code: 'ne_wh', quantity: 35, status: 1 },
          { sku: '24-WB01', source_code: 'brooklyn', quantity: 50, status: 1 },
          { sku: '24-WB01', source_code: 'west_wh', quantity: 15, status: 1 },
          { sku: '24-WB03', source_code: 'ne_wh', quantity: 50, status: 1 },
          { sku: '24-WB03', source_code: 'brooklyn', quantity: 0, status: 1 },
          { sku: '24-WB03', source_code: 'west_wh', quantity: 50, status: 1 },
        ],
      },
    });
    expect(assigned.body).toEqual([]);
  });

  it('steps 6 to 12: a customer order reserves in the website stock and ships from chosen sources (step 11, the SSA, is not served)', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/create-customer/
    await call('POST', '/V1/customers', {
      token: admin,
      body: {
        customer: { email: 'jdoe@example.com', firstname: 'Jane', lastname: 'Doe' },
        password: 'Password1',
      },
    });
    const customer = (
      await call<string>('POST', '/V1/integration/customer/token', {
        body: { username: 'jdoe@example.com', password: 'Password1' },
      })
    ).body;
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/create-cart-add-products/
    const quote = await call<number>('POST', '/V1/carts/mine', { token: customer });
    expect(quote.status).toBe(200);
    expect(await salable('24-WB01', 2)).toBe(100);
    expect(await salable('24-WB03', 2)).toBe(100);
    // The default stock no longer holds these products.
    expect(await salable('24-WB01', 1)).toBe(0);
    for (const [sku, qty] of [
      ['24-WB03', 20],
      ['24-WB01', 40],
    ] as const) {
      const added = await call('POST', '/V1/carts/mine/items', {
        token: customer,
        body: { cartItem: { sku, qty, quote_id: String(quote.body) } },
      });
      expect(added.status).toBe(200);
    }
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/prepare-for-checkout/
    // Flat rate is $5 for each of the 60 items.
    const estimate = await call<{ carrier_code: string; amount: number }[]>(
      'POST',
      '/V1/carts/mine/estimate-shipping-methods',
      { token: customer, body: { address: ADDRESS } },
    );
    expect(estimate.body.find((m) => m.carrier_code === 'flatrate')?.amount).toBe(300);
    const details = await call<{ totals: { grand_total: number } }>(
      'POST',
      '/V1/carts/mine/shipping-information',
      {
        token: customer,
        body: {
          addressInformation: {
            shipping_address: ADDRESS,
            billing_address: ADDRESS,
            shipping_carrier_code: 'flatrate',
            shipping_method_code: 'flatrate',
          },
        },
      },
    );
    expect(details.body.totals.grand_total).toBe(60 * 32 + 300);
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/create-order/
    const placed = await call<number>('POST', '/V1/carts/mine/payment-information', {
      token: customer,
      body: { paymentMethod: { method: 'banktransfer' }, billing_address: ADDRESS },
    });
    expect(placed.status).toBe(200);
    // Reservations lower the salable quantity of stock 2; source quantities wait for shipment.
    expect(await salable('24-WB01', 2)).toBe(60);
    expect(await salable('24-WB03', 2)).toBe(80);
    expect(await sourceQty('24-WB01', 'ne_wh')).toBe(35);

    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/create-invoice/
    const invoiceId = await call<number>('POST', `/V1/order/${placed.body}/invoice`, {
      token: admin,
      body: { capture: true, notify: true },
    });
    const invoice = await call<{ items: { sku: string; order_item_id: number }[] }>(
      'GET',
      `/V1/invoices/${invoiceId.body}`,
      { token: admin },
    );
    const itemId = (sku: string) => invoice.body.items.find((i) => i.sku === sku)?.order_item_id;

    // https://developer.adobe.com/commerce/webapi/rest/tutorials/inventory/create-shipment/
    // 35 + 20 from the Northeast warehouse, then 5 from the West.
    const first = await call('POST', `/V1/order/${placed.body}/ship`, {
      token: admin,
      body: {
        items: [
          { order_item_id: itemId('24-WB01'), qty: 35 },
          { order_item_id: itemId('24-WB03'), qty: 20 },
        ],
        notify: true,
        comment: { comment: 'Shipment from the Northeast warehouse' },
        arguments: { extension_attributes: { source_code: 'ne_wh' } },
      },
    });
    expect(first.status).toBe(200);
    const partial = await call<{ state: string }>('GET', `/V1/orders/${placed.body}`, {
      token: admin,
    });
    expect(partial.body.state).toBe('processing');
    const second = await call('POST', `/V1/order/${placed.body}/ship`, {
      token: admin,
      body: {
        items: [{ order_item_id: itemId('24-WB01'), qty: 5 }],
        notify: true,
        arguments: { extension_attributes: { source_code: 'west_wh' } },
      },
    });
    expect(second.status).toBe(200);
    expect(await sourceQty('24-WB01', 'ne_wh')).toBe(0);
    expect(await sourceQty('24-WB03', 'ne_wh')).toBe(30);
    expect(await sourceQty('24-WB01', 'west_wh')).toBe(10);
    expect(await sourceQty('24-WB01', 'brooklyn')).toBe(50);
    // Shipping deducted the sources and compensated the reservations: salable is unchanged.
    expect(await salable('24-WB01', 2)).toBe(60);
    expect(await salable('24-WB03', 2)).toBe(80);
    const complete = await call<{ state: string }>('GET', `/V1/orders/${placed.body}`, {
      token: admin,
    });
    expect(complete.body.state).toBe('complete');
  });
});
