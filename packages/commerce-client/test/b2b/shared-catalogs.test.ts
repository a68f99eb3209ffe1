// Shared catalogs and tier prices over HTTP, as Adobe's pages send them:
// - catalogs: https://developer.adobe.com/commerce/webapi/rest/b2b/shared-cat-manage/
// - companies: https://developer.adobe.com/commerce/webapi/rest/b2b/shared-cat-company/
// - products and categories: https://developer.adobe.com/commerce/webapi/rest/b2b/shared-cat-product-assign/
// - tier prices: https://developer.adobe.com/commerce/webapi/rest/modules/catalog/catalog-pricing/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type B2BStore, type Fault, startB2BStore } from './setup.js';

const tier = (price: number, quantity: number, group = 'General', sku = '24-UG04') => ({
  price,
  price_type: 'fixed',
  website_id: 0,
  sku,
  customer_group: group,
  quantity,
});

describe('B2B shared catalogs and tier prices over HTTP, as Adobe documents them', () => {
  let store: B2BStore;
  let catalogId: number;
  let companyId: number;

  beforeAll(async () => {
    store = await startB2BStore();
    for (const sku of ['24-MB01', '24-MB04', '24-UG04', '24-UG01'])
      store.emulator.state.saveProduct({ sku, name: sku, price: 20, attribute_set_id: 4 });
    const admin = await store.customer('cat-admin@example.com', 'Cat', 'Admin');
    companyId = (await store.company('Catalog Co', admin)).id;
  });
  afterAll(() => store.server.close());

  it('POST /V1/sharedCatalog answers the bare id and gives the catalog its own customer group ("Create a custom shared catalog")', async () => {
    const created = await store.call('POST', '/V1/sharedCatalog', {
      token: store.admin,
      body: { sharedCatalog: { name: 'Test', type: 0, store_id: 0, tax_class_id: 3 } },
    });
    expect(created.status).toBe(200);
    expect(typeof created.body).toBe('number');
    catalogId = created.body as number;
    const read = await store.call<Record<string, unknown>>(
      'GET',
      `/V1/sharedCatalog/${catalogId}`,
      { token: store.admin },
    );
    expect(read.body).toMatchObject({
      id: catalogId,
      name: 'Test',
      type: 0,
      store_id: 0,
      tax_class_id: 3,
      created_by: 1,
    });
    expect(read.body.customer_group_id).toBeGreaterThan(3);
    const updated = await store.call('PUT', `/V1/sharedCatalog/${catalogId}`, {
      token: store.admin,
      body: {
        sharedCatalog: {
          id: catalogId,
          name: 'Custom shared catalog',
          description: 'Just a sample custom shared catalog.',
          type: 0,
          store_id: 0,
          tax_class_id: 3,
        },
      },
    });
    expect(updated).toEqual({ status: 200, body: catalogId });
    const custom = await store.call<{ items: { name: string }[] }>(
      'GET',
      '/V1/sharedCatalog?searchCriteria[filter_groups][0][filters][0][field]=type&searchCriteria[filter_groups][0][filters][0][value]=0',
      { token: store.admin },
    );
    expect(custom.body.items.map((c) => c.name)).toEqual(['Custom shared catalog']);
    const noName = await store.call<Fault>('POST', '/V1/sharedCatalog', {
      token: store.admin,
      body: { sharedCatalog: { type: 0, store_id: 0, tax_class_id: 3 } },
    });
    expect(noName).toEqual({
      status: 400,
      body: {
        message: '"%fieldName" is required. Enter and try again.',
        parameters: { fieldName: 'name' },
      },
    });
  });

  it('assignCompanies answers true, /companies answers a JSON string of string ids, unassign returns to the public catalog', async () => {
    const assigned = await store.call('POST', `/V1/sharedCatalog/${catalogId}/assignCompanies`, {
      token: store.admin,
      body: { companies: [{ id: companyId }] },
    });
    expect(assigned).toEqual({ status: 200, body: true });
    const companies = await store.call('GET', `/V1/sharedCatalog/${catalogId}/companies`, {
      token: store.admin,
    });
    expect(companies.body).toBe(JSON.stringify([String(companyId)]));
    const catalog = await store.call<{ customer_group_id: number }>(
      'GET',
      `/V1/sharedCatalog/${catalogId}`,
      { token: store.admin },
    );
    const company = await store.call<{ customer_group_id: number }>(
      'GET',
      `/V1/company/${companyId}`,
      { token: store.admin },
    );
    expect(company.body.customer_group_id).toBe(catalog.body.customer_group_id);
    const unknown = await store.call<Fault>(
      'POST',
      `/V1/sharedCatalog/${catalogId}/assignCompanies`,
      {
        token: store.admin,
        body: { companies: [{ id: 404 }] },
      },
    );
    expect(unknown.status).toBe(404);
    expect(
      await store.call('POST', `/V1/sharedCatalog/${catalogId}/unassignCompanies`, {
        token: store.admin,
        body: { companies: [{ id: companyId }] },
      }),
    ).toEqual({ status: 200, body: true });
    expect(
      (await store.call('GET', `/V1/sharedCatalog/${catalogId}/companies`, { token: store.admin }))
        .body,
    ).toBe('[]');
    expect(
      (await store.call('GET', '/V1/sharedCatalog/1/companies', { token: store.admin })).body,
    ).toBe(JSON.stringify([String(companyId)]));
    const fromPublic = await store.call<Fault>('POST', '/V1/sharedCatalog/1/unassignCompanies', {
      token: store.admin,
      body: { companies: [{ id: companyId }] },
    });
    expect(fromPublic.status).toBe(400);
  });

  it('assignProducts and assignCategories answer true; products answers SKUs, categories ids', async () => {
    const products = await store.call('POST', `/V1/sharedCatalog/${catalogId}/assignProducts`, {
      token: store.admin,
      body: { products: [{ sku: '24-MB01' }, { sku: '24-MB04' }] },
    });
    expect(products).toEqual({ status: 200, body: true });
    expect(
      await store.call('POST', `/V1/sharedCatalog/${catalogId}/unassignProducts`, {
        token: store.admin,
        body: { products: [{ sku: '24-MB04' }] },
      }),
    ).toEqual({ status: 200, body: true });
    expect(
      (await store.call('GET', `/V1/sharedCatalog/${catalogId}/products`, { token: store.admin }))
        .body,
    ).toEqual(['24-MB01']);
    const missing = await store.call<Fault>(
      'POST',
      `/V1/sharedCatalog/${catalogId}/assignProducts`,
      { token: store.admin, body: { products: [{ sku: 'NOPE' }] } },
    );
    expect(missing.status).toBe(404);
    expect(
      await store.call('POST', `/V1/sharedCatalog/${catalogId}/assignCategories`, {
        token: store.admin,
        body: { categories: [{ id: 2 }] },
      }),
    ).toEqual({ status: 200, body: true });
    expect(
      (await store.call('GET', `/V1/sharedCatalog/${catalogId}/categories`, { token: store.admin }))
        .body,
    ).toEqual([2]);
  });

  it('tier prices: POST adds or updates, information reads, -delete removes, each answering [] ("Manage tier prices")', async () => {
    const call = store.call;
    const token = store.admin;
    expect(
      await call('POST', '/V1/products/tier-prices', {
        token,
        body: {
          prices: [
            tier(10, 3),
            tier(8, 5),
            tier(6, 10),
            { ...tier(5, 3, 'General', '24-UG01'), price_type: 'discount' },
          ],
        },
      }),
    ).toEqual({ status: 200, body: [] });
    // The same SKU, website, group and quantity again updates that row.
    expect(
      (await call('POST', '/V1/products/tier-prices', { token, body: { prices: [tier(9, 3)] } }))
        .body,
    ).toEqual([]);
    const info = await call<unknown[]>('POST', '/V1/products/tier-prices-information', {
      token,
      body: { skus: ['24-UG04', '24-UG01'] },
    });
    expect(info.body).toHaveLength(4);
    expect(info.body).toContainEqual(tier(9, 3));
    expect(
      (
        await call('POST', '/V1/products/tier-prices-delete', {
          token,
          body: { prices: [tier(9, 3)] },
        })
      ).body,
    ).toEqual([]);
    const after = await call<{ quantity: number }[]>(
      'POST',
      '/V1/products/tier-prices-information',
      { token, body: { skus: ['24-UG04'] } },
    );
    expect(after.body.map((p) => p.quantity).sort((a, b) => a - b)).toEqual([5, 10]);
    // PUT replaces every row of the SKU.
    expect(
      (
        await call('PUT', '/V1/products/tier-prices', {
          token,
          body: { prices: [tier(8, 5, 'NOT LOGGED IN'), tier(5, 310, 'NOT LOGGED IN')] },
        })
      ).body,
    ).toEqual([]);
    const replaced = await call<{ customer_group: string }[]>(
      'POST',
      '/V1/products/tier-prices-information',
      { token, body: { skus: ['24-UG04'] } },
    );
    expect(replaced.body.map((p) => p.customer_group)).toEqual(['NOT LOGGED IN', 'NOT LOGGED IN']);
    // A rejected item comes back as a result; the others are saved.
    const mixed = await call<Fault[]>('POST', '/V1/products/tier-prices', {
      token,
      body: {
        prices: [
          tier(1, 2, 'General', 'NOPE'),
          tier(1, 2, 'Nobody'),
          { ...tier(1, 2), price_type: 'weird' },
        ],
      },
    });
    expect(mixed.body).toEqual([
      { message: "Requested product doesn't exist: %sku", parameters: ['NOPE'] },
      {
        message: 'No such entity with %fieldName = %fieldValue.',
        parameters: ['Customer Group', 'Nobody'],
      },
      {
        message: 'Invalid attribute %fieldName = %fieldValue.',
        parameters: ['Price Type', 'weird'],
      },
    ]);
  });

  it("assignTierPrices prices a SKU for the catalog's customer group; resetTierPrices removes them (both void: [])", async () => {
    const assigned = await store.call('POST', `/V1/sharedCatalog/${catalogId}/assignTierPrices`, {
      token: store.admin,
      body: { prices: [{ ...tier(15, 1, 'ignored', '24-MB01') }] },
    });
    expect(assigned).toEqual({ status: 200, body: [] });
    const info = await store.call<{ customer_group: string; price: number }[]>(
      'POST',
      '/V1/products/tier-prices-information',
      { token: store.admin, body: { skus: ['24-MB01'] } },
    );
    expect(info.body).toEqual([
      expect.objectContaining({ customer_group: 'Custom shared catalog', price: 15 }),
    ]);
    expect(
      await store.call('POST', `/V1/sharedCatalog/${catalogId}/resetTierPrices`, {
        token: store.admin,
        body: { skus: ['24-MB01'] },
      }),
    ).toEqual({ status: 200, body: [] });
    expect(
      (
        await store.call('POST', '/V1/products/tier-prices-information', {
          token: store.admin,
          body: { skus: ['24-MB01'] },
        })
      ).body,
    ).toEqual([]);
  });

  it('DELETE a custom catalog answers true; the public one cannot be deleted', async () => {
    expect(
      await store.call('DELETE', `/V1/sharedCatalog/${catalogId}`, { token: store.admin }),
    ).toEqual({ status: 200, body: true });
    expect(
      (await store.call<Fault>('DELETE', '/V1/sharedCatalog/1', { token: store.admin })).status,
    ).toBe(400);
  });
});
