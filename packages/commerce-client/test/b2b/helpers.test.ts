// The typed B2B helpers against the emulator over HTTP: the company structure as a tree
// (https://developer.adobe.com/commerce/webapi/rest/b2b/company-structures/), team creation
// whatever the answer, a shared catalog's companies (a JSON-encoded string in Magento's answer,
// https://developer.adobe.com/commerce/webapi/rest/b2b/shared-catalog/) and tier prices
// (https://developer.adobe.com/commerce/webapi/rest/modules/catalog/catalog-pricing/).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommerceClient,
  companyStructure,
  createCommerceClient,
  createTeam,
  saveTierPrices,
  sharedCatalogCompanyIds,
  tierPrices,
} from '../../src/index.js';
import { type B2BStore, startB2BStore } from './setup.js';

let store: B2BStore;
let client: CommerceClient;
let companyId: number;

beforeAll(async () => {
  store = await startB2BStore();
  client = createCommerceClient({
    baseUrl: store.server.url,
    auth: { type: 'bearer', token: store.admin },
  });
  const admin = await store.customer('helpers-admin@example.com', 'Ada', 'Admin');
  companyId = (await store.company('Helpers Inc', admin)).id;
});
afterAll(async () => {
  await store?.server.close();
});

describe('B2B helpers', () => {
  it('createTeam answers the new team id and companyStructure nests it under the admin', async () => {
    const east = await createTeam(client, companyId, { name: 'East' });
    const west = await createTeam(client, companyId, { name: 'West' });
    expect(west).toBeGreaterThan(east);
    const [root, ...others] = await companyStructure(client, companyId);
    expect(others).toEqual([]);
    expect(root?.entityType).toBe('customer');
    expect(root?.children.map((c) => [c.entityType, c.entityId])).toEqual([
      ['team', east],
      ['team', west],
    ]);
  });

  it('sharedCatalogCompanyIds reads the assigned companies from Magento’s JSON-string answer', async () => {
    const created = await store.call<number>('POST', '/V1/sharedCatalog', {
      token: store.admin,
      body: {
        sharedCatalog: {
          name: 'Helpers catalog',
          description: '',
          type: 0,
          store_id: 0,
          tax_class_id: 3,
        },
      },
    });
    const id = Number(created.body);
    await store.call('POST', `/V1/sharedCatalog/${id}/assignCompanies`, {
      token: store.admin,
      body: { companies: [{ id: companyId }] },
    });
    expect(await sharedCatalogCompanyIds(client, id)).toEqual([companyId]);
  });

  it('saveTierPrices answers only the refused prices, with the message filled in, and tierPrices reads them back', async () => {
    const sku = 'HELPERS-1';
    await store.call('POST', '/V1/products', {
      token: store.admin,
      body: { product: { sku, name: 'Helper', price: 12, attribute_set_id: 4, type_id: 'simple' } },
    });
    const good = {
      sku,
      price: 9.5,
      price_type: 'fixed' as const,
      website_id: 0,
      customer_group: 'General',
      quantity: 2,
    };
    expect((await saveTierPrices(client, [good])).map((r) => r.message)).toEqual([]);
    // The same row again is an update, not a second row.
    expect(await saveTierPrices(client, [good])).toEqual([]);
    const refused = await saveTierPrices(client, [{ ...good, price: -1 }]);
    expect(refused.map((r) => r.message)).toEqual(['Invalid attribute Price = -1.']);
    const read = await tierPrices(client, [sku]);
    expect(read.filter((p) => p.customer_group === 'General' && p.quantity === 2)).toEqual([good]);
  });
});
