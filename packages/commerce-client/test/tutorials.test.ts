// Requests modelled on Adobe's REST tutorials (developer.adobe.com/commerce/webapi/rest/tutorials:
// create a customer, simple and configurable products, MSI source items, bulk APIs). The payloads
// are our own, written from the documented shapes; every response is validated with `schemas`.
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type CommerceClient,
  createCommerceClient,
  parseEntity,
  schemas,
  searchCriteria,
  waitForBulk,
} from '../src/index.js';
import { type CommerceEmulator, createCommerceEmulator } from '../src/testing.js';

describe("Adobe's REST tutorial requests against the emulator", () => {
  let emulator: CommerceEmulator;
  let server: RunningServer;
  let client: CommerceClient;

  beforeAll(async () => {
    emulator = createCommerceEmulator({ bulkDelayMs: 1 });
    server = await emulator.listen();
    client = createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('creates a customer with a default address (camelCase address keys as in the tutorial)', async () => {
    const { data } = await client.POST('/V1/customers', {
      body: {
        customer: {
          email: 'jdoe@example.test',
          firstname: 'Jane',
          lastname: 'Doe',
          addresses: [
            {
              defaultShipping: true,
              defaultBilling: true,
              firstname: 'Jane',
              lastname: 'Doe',
              region: { regionCode: 'NY', region: 'New York', regionId: 43 },
              postcode: '10755',
              street: ['123 Oak Ave'],
              city: 'Purchase',
              telephone: '512-555-1111',
              countryId: 'US',
            } as never,
          ],
        },
        password: 'Password1',
      },
    });
    const customer = parseEntity(schemas.customer, data, 'customer');
    expect(customer.id).toBeGreaterThan(0);
    expect(customer.addresses?.[0]?.country_id).toBe('US');
    expect(customer.addresses?.[0]?.region?.region_code).toBe('NY');
    expect(customer.default_billing).toBe(String(customer.addresses?.[0]?.id));
    const token = await client.POST('/V1/integration/customer/token', {
      body: { username: 'jdoe@example.test', password: 'Password1' },
    });
    expect(z.string().length(32).parse(token.data)).toHaveLength(32);
  });

  it('creates a simple product with stock, category link and custom attributes', async () => {
    const { data } = await client.POST('/V1/products', {
      body: {
        product: {
          sku: 'MS-Champ-S',
          name: 'Champ Tee Small',
          attribute_set_id: 4,
          price: 25,
          status: 1,
          visibility: 1,
          type_id: 'simple',
          weight: 0.5,
          extension_attributes: {
            category_links: [{ position: 0, category_id: '2' }],
            stock_item: { qty: 100, is_in_stock: true },
          },
          custom_attributes: [
            { attribute_code: 'description', value: 'The Champ Tee keeps you cool.' },
            { attribute_code: 'size', value: '168' },
          ],
        },
      },
    });
    const product = parseEntity(schemas.product, data, 'product');
    expect(product.type_id).toBe('simple');
    const fetched = await client.GET('/V1/products/{sku}', {
      params: { path: { sku: 'MS-Champ-S' } },
    });
    expect(parseEntity(schemas.product, fetched.data).extension_attributes?.stock_item?.qty).toBe(
      100,
    );
  });

  it('creates a configurable product, its option and links its children', async () => {
    for (const [sku, size] of [
      ['MS-Champ-M', '169'],
      ['MS-Champ-L', '170'],
    ] as const) {
      const child = await client.POST('/V1/products', {
        body: {
          product: {
            sku,
            name: `Champ Tee ${sku.slice(-1)}`,
            attribute_set_id: 4,
            price: 25,
            type_id: 'simple',
            visibility: 1,
            custom_attributes: [{ attribute_code: 'size', value: size }],
          },
        },
      });
      parseEntity(schemas.product, child.data);
    }
    const parent = await client.POST('/V1/products', {
      body: {
        product: {
          sku: 'MS-Champ',
          name: 'Champ Tee',
          attribute_set_id: 4,
          status: 1,
          visibility: 4,
          type_id: 'configurable',
          price: 25,
        },
      },
    });
    expect(parseEntity(schemas.product, parent.data).type_id).toBe('configurable');
    const option = await client.POST('/V1/configurable-products/{sku}/options', {
      params: { path: { sku: 'MS-Champ' } },
      body: {
        option: {
          attribute_id: '141',
          label: 'Size',
          position: 0,
          is_use_default: true,
          values: [{ value_index: 168 }, { value_index: 169 }, { value_index: 170 }],
        },
      },
    });
    expect(z.number().int().positive().parse(option.data)).toBeGreaterThan(0);
    for (const childSku of ['MS-Champ-S', 'MS-Champ-M', 'MS-Champ-L']) {
      const linked = await client.POST('/V1/configurable-products/{sku}/child', {
        params: { path: { sku: 'MS-Champ' } },
        body: { childSku },
      });
      expect(z.literal(true).parse(linked.data)).toBe(true);
    }
    const children = await client.GET('/V1/configurable-products/{sku}/children', {
      params: { path: { sku: 'MS-Champ' } },
    });
    expect(parseEntity(z.array(schemas.product), children.data).map((p) => p.sku)).toEqual([
      'MS-Champ-S',
      'MS-Champ-M',
      'MS-Champ-L',
    ]);
    const options = await client.GET('/V1/configurable-products/{sku}/options/all', {
      params: { path: { sku: 'MS-Champ' } },
    });
    expect(options.data?.[0]?.label).toBe('Size');
  });

  it('creates a source and sets source items (MSI tutorial)', async () => {
    const source = await client.POST('/V1/inventory/sources', {
      body: {
        source: {
          source_code: 'wh_east',
          name: 'East warehouse',
          enabled: true,
          country_id: 'US',
          postcode: '10001',
        },
      },
    });
    expect(source.data).toEqual([]);
    const saved = await client.POST('/V1/inventory/source-items', {
      body: {
        sourceItems: [
          { sku: 'MS-Champ-M', source_code: 'wh_east', quantity: 40, status: 1 },
          { sku: 'MS-Champ-L', source_code: 'wh_east', quantity: 0, status: 0 },
        ],
      },
    });
    expect(saved.data).toEqual([]);
    const found = await client.GET('/V1/inventory/source-items', {
      params: {
        query: {
          searchCriteria: {
            filter_groups: [
              { filters: [{ field: 'source_code', value: 'wh_east', condition_type: 'eq' }] },
            ],
          },
        },
      },
    });
    const page = parseEntity(schemas.searchResult(schemas.sourceItem), found.data);
    expect(page.items.map((i) => [i.sku, i.quantity, i.status])).toEqual([
      ['MS-Champ-M', 40, 1],
      ['MS-Champ-L', 0, 0],
    ]);
  });

  it('creates customers and links configurable children through the async bulk API', async () => {
    const accepted = await client.POST('/async/bulk/V1/customers', {
      body: [
        {
          customer: { email: 'bulk1@example.test', firstname: 'Bulk', lastname: 'One' },
          password: 'Password1',
        },
        {
          customer: { email: 'bulk2@example.test', firstname: 'Bulk', lastname: 'Two' },
          password: 'Password1',
        },
        { customer: { email: 'jdoe@example.test', firstname: 'Dupe', lastname: 'Licate' } },
      ],
    });
    const response = parseEntity(schemas.asyncResponse, accepted.data, 'asyncResponse');
    expect(response.request_items.map((i) => i.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
    ]);
    const detailed = parseEntity(
      schemas.bulkDetailedStatus,
      await waitForBulk(client, response.bulk_uuid, { minDelayMs: 2 }),
    );
    expect(detailed.operations_list.map((o) => o.status)).toEqual([1, 1, 3]);
    expect(detailed.operations_list[2]?.result_message).toBe(
      'A customer with the same email address already exists in an associated website.',
    );
    const summary = await client.GET('/V1/bulk/{bulkUuid}/status', {
      params: { path: { bulkUuid: response.bulk_uuid } },
    });
    expect(parseEntity(schemas.bulkStatus, summary.data).operation_count).toBe(3);

    // Path parameters of bulk routes become `by<Name>` segments with the value in each body.
    const links = await client.POST(
      '/async/bulk/V1/configurable-products/bySku/child' as never,
      {
        body: [
          { sku: 'MS-Champ', childSku: 'MS-Champ-S' },
          { sku: 'MS-Champ', childSku: 'NOPE' },
        ],
      } as never,
    );
    const linkResponse = parseEntity(schemas.asyncResponse, (links as { data: unknown }).data);
    const linkStatus = parseEntity(
      schemas.bulkDetailedStatus,
      await waitForBulk(client, linkResponse.bulk_uuid, { minDelayMs: 2 }),
    );
    expect(linkStatus.operations_list.map((o) => [o.status, o.result_message])).toEqual([
      [3, 'The product is already attached.'],
      [3, "The product that was requested doesn't exist. Verify the product and try again."],
    ]);
    // Magento refuses a list request without searchCriteria; empty criteria ask for everything.
    const search = await client.GET('/V1/bulk', { params: { query: searchCriteria().toQuery() } });
    expect(
      parseEntity(
        schemas.searchResult(schemas.bulkDetailedStatus.shape.operations_list.element),
        search.data,
      ).total_count,
    ).toBe(5);
  });
});
