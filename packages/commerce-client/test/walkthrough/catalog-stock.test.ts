// Walkthrough: a product created the way Adobe's product tutorials send it (stock as the numeric
// string "10"), then the legacy CatalogInventory endpoints many integrations still call, kept in
// step with MSI's default source. Plain fetch over real HTTP, one request per step.
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceEmulator, createCommerceEmulator } from '../../src/testing.js';
import { restCaller } from './rest-call.js';

type StockItem = Record<string, unknown> & { item_id: number; qty: number; is_in_stock: boolean };

describe('walkthrough: catalog stock (numeric-string qty, legacy stock items, MSI default source)', () => {
  let emulator: CommerceEmulator;
  let server: RunningServer;
  let call: ReturnType<typeof restCaller>;
  let admin: string;

  beforeAll(async () => {
    emulator = createCommerceEmulator();
    server = await emulator.listen();
    call = restCaller(server.url);
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/prerequisite-tasks/
    const token = await call<string>('POST', '/V1/integration/admin/token', {
      body: { username: 'admin', password: 'admin123' },
    });
    expect(token.status).toBe(200);
    admin = token.body;
  });
  afterAll(async () => {
    await server.close();
  });

  it('a product created with "qty": "10" (a string, as the tutorial sends it) is in stock with 10', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/configurable-product/create-simple-products/
    const created = await call<Record<string, unknown>>('POST', '/V1/products', {
      token: admin,
      body: {
        product: {
          sku: 'MS-Champ-S',
          name: 'Champ Tee Small',
          attribute_set_id: 4,
          price: 25,
          status: 1,
          visibility: 1,
          type_id: 'simple',
          weight: '0.5',
          extension_attributes: { stock_item: { qty: '10', is_in_stock: true } },
        },
      },
    });
    expect(created.status).toBe(200);
    const product = await call<{
      weight: unknown;
      extension_attributes: { stock_item: StockItem };
    }>('GET', '/V1/products/MS-Champ-S', { token: admin });
    // Magento casts input to the declared float type, and answers numbers.
    expect(product.body.weight).toBe(0.5);
    expect(product.body.extension_attributes.stock_item).toMatchObject({
      qty: 10,
      is_in_stock: true,
    });
    // https://developer.adobe.com/commerce/webapi/rest/inventory/manage-source-items/
    const items = await call<{ items: { source_code: string; quantity: unknown }[] }>(
      'GET',
      '/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=MS-Champ-S',
      { token: admin },
    );
    expect(items.body.items).toEqual([
      expect.objectContaining({ source_code: 'default', quantity: 10 }),
    ]);
    // https://developer.adobe.com/commerce/webapi/rest/inventory/salable-quantity/
    const salable = await call('GET', '/V1/inventory/get-product-salable-quantity/MS-Champ-S/1', {
      token: admin,
    });
    expect(salable.body).toBe(10);
  });

  it('a stock quantity that is not a number is refused, naming the value and the type', async () => {
    const refused = await call<{ message: string; parameters: unknown }>('POST', '/V1/products', {
      token: admin,
      body: {
        product: {
          sku: 'MS-Champ-X',
          name: 'Champ Tee X',
          price: 25,
          extension_attributes: { stock_item: { qty: 'ten', is_in_stock: true } },
        },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.parameters).toEqual({ value: 'ten', type: 'float' });
    const missing = await call('GET', '/V1/products/MS-Champ-X', { token: admin });
    expect(missing.status).toBe(404);
  });

  it('GET /V1/stockItems/{sku} answers the legacy stock item of the default source', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/inventory/index/ (legacy CatalogInventory)
    const item = await call<StockItem>('GET', '/V1/stockItems/MS-Champ-S', { token: admin });
    expect(item.status).toBe(200);
    expect(item.body).toMatchObject({
      qty: 10,
      is_in_stock: true,
      stock_id: 1,
      manage_stock: true,
    });
    // Every field the interface declares required is present.
    for (const field of [
      'min_qty',
      'min_sale_qty',
      'max_sale_qty',
      'backorders',
      'notify_stock_qty',
      'is_qty_decimal',
      'low_stock_date',
    ]) {
      expect(item.body).toHaveProperty(field);
    }
    const unknown = await call<{ message: string; parameters: unknown }>(
      'GET',
      '/V1/stockItems/NO-SUCH-SKU',
      { token: admin },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      message: 'Product with SKU "%1" does not exist',
      parameters: ['NO-SUCH-SKU'],
    });
    const anonymous = await call('GET', '/V1/stockItems/MS-Champ-S');
    expect(anonymous.status).toBe(401);
  });

  it('PUT /V1/products/{sku}/stockItems/{itemId} moves the default source and salable quantity', async () => {
    const before = await call<StockItem>('GET', '/V1/stockItems/MS-Champ-S', { token: admin });
    const put = await call('PUT', `/V1/products/MS-Champ-S/stockItems/${before.body.item_id}`, {
      token: admin,
      body: { stockItem: { qty: '3', is_in_stock: true, notify_stock_qty: 5 } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toBe(before.body.item_id);
    const source = await call<{ items: { quantity: number; status: number }[] }>(
      'GET',
      '/V1/inventory/source-items?searchCriteria[filter_groups][0][filters][0][field]=sku&searchCriteria[filter_groups][0][filters][0][value]=MS-Champ-S',
      { token: admin },
    );
    expect(source.body.items[0]).toMatchObject({ quantity: 3, status: 1 });
    const salable = await call('GET', '/V1/inventory/get-product-salable-quantity/MS-Champ-S/1', {
      token: admin,
    });
    expect(salable.body).toBe(3);
    const after = await call<StockItem>('GET', '/V1/stockItems/MS-Champ-S', { token: admin });
    expect(after.body).toMatchObject({ qty: 3, is_in_stock: true, notify_stock_qty: 5 });
    // Magento's stock check: a managed item at or below min_qty (0) goes out of stock.
    await call('PUT', `/V1/products/MS-Champ-S/stockItems/${before.body.item_id}`, {
      token: admin,
      body: { stockItem: { qty: 0, is_in_stock: true } },
    });
    const empty = await call<StockItem>('GET', '/V1/stockItems/MS-Champ-S', { token: admin });
    expect(empty.body).toMatchObject({ qty: 0, is_in_stock: false });
  });

  it('saving the default source item moves the legacy stock item the other way', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/inventory/manage-source-items/
    const saved = await call('POST', '/V1/inventory/source-items', {
      token: admin,
      body: {
        sourceItems: [{ sku: 'MS-Champ-S', source_code: 'default', quantity: '7', status: 1 }],
      },
    });
    expect(saved.status).toBe(200);
    const item = await call<StockItem>('GET', '/V1/stockItems/MS-Champ-S', { token: admin });
    expect(item.body).toMatchObject({ qty: 7, is_in_stock: true });
  });

  it('GET /V1/stockItems/lowStock lists the items at or below qty, paged, and requires scopeId and qty', async () => {
    for (const [sku, qty] of [
      ['LOW-1', 1],
      ['LOW-2', 2],
      ['PLENTY', 50],
    ] as const) {
      const created = await call('POST', '/V1/products', {
        token: admin,
        body: {
          product: {
            sku,
            name: sku,
            price: 1,
            extension_attributes: { stock_item: { qty, is_in_stock: true } },
          },
        },
      });
      expect(created.status).toBe(200);
    }
    const low = await call<{ items: StockItem[]; total_count: number }>(
      'GET',
      '/V1/stockItems/lowStock/?scopeId=0&qty=5&pageSize=100',
      { token: admin },
    );
    expect(low.status).toBe(200);
    const quantities = low.body.items.map((i) => i.qty).sort((a, b) => a - b);
    expect(quantities).toEqual([1, 2]);
    expect(low.body.total_count).toBe(2);
    const page = await call<{ items: StockItem[]; total_count: number }>(
      'GET',
      '/V1/stockItems/lowStock?scopeId=0&qty=5&pageSize=1&currentPage=2',
      { token: admin },
    );
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total_count).toBe(2);
    const noQty = await call<{ message: string; parameters: unknown }>(
      'GET',
      '/V1/stockItems/lowStock?scopeId=0',
      { token: admin },
    );
    expect(noQty.status).toBe(400);
    expect(noQty.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'qty' },
    });
    const neither = await call<{ message: string; errors: unknown[] }>(
      'GET',
      '/V1/stockItems/lowStock',
      { token: admin },
    );
    expect(neither.status).toBe(400);
    expect(neither.body.message).toBe('One or more input exceptions have occurred.');
    expect(neither.body.errors).toHaveLength(2);
  });

  it('GET /V1/stockStatuses/{sku} answers the stock status with its stock item, in step with the source', async () => {
    // The legacy StockRegistry's status read (route in Adobe's 2.4.9 admin schema).
    const status = await call<Record<string, any>>('GET', '/V1/stockStatuses/MS-Champ-S', {
      token: admin,
    });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ stock_id: 1, qty: 7, stock_status: 1 });
    expect(status.body.product_id).toBe(status.body.stock_item.product_id);
    expect(status.body.stock_item).toMatchObject({ qty: 7, is_in_stock: true });
    await call('POST', '/V1/inventory/source-items', {
      token: admin,
      body: {
        sourceItems: [{ sku: 'MS-Champ-S', source_code: 'default', quantity: 0, status: 0 }],
      },
    });
    const out = await call<Record<string, unknown>>('GET', '/V1/stockStatuses/MS-Champ-S', {
      token: admin,
    });
    expect(out.body).toMatchObject({ qty: 0, stock_status: 0 });
    const unknown = await call('GET', '/V1/stockStatuses/NO-SUCH-SKU', { token: admin });
    expect(unknown.status).toBe(404);
  });
});
