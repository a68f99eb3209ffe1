// The emulator's snapshot keeps the B2B data: companies, users, teams and the hierarchy, roles,
// shared catalogs with their companies, products and tier prices, credit with its history, and
// negotiable quotes with their comments. Driven through the typed client in process.
import { describe, expect, it } from 'vitest';
import { type CommerceClient, createCommerceClient } from '../../src/index.js';
import {
  type CommerceEmulator,
  createCommerceEmulator,
  EmulatorSnapshotError,
} from '../../src/testing.js';

const seed = {
  products: [{ sku: 'BOLT-1', name: 'Bolt', price: 2 }],
  customers: [
    { email: 'boss@example.com', firstname: 'Bea', lastname: 'Boss' },
    { email: 'buyer@example.com', firstname: 'Bo', lastname: 'Buyer', password: 'Buyer-pass-1' },
  ],
};

function clientOf(emulator: CommerceEmulator): CommerceClient {
  return createCommerceClient({
    baseUrl: 'http://store.test',
    auth: { type: 'bearer', token: 't' },
    retry: false,
    fetch: (input: Request | string | URL, init?: RequestInit) =>
      emulator.fetch(new Request(input, init)),
  });
}

/** Everything a B2B client can read about company 1 and its catalog, credit and quote. */
async function observe(
  client: CommerceClient,
  ids: { company: number; catalog: number; credit: number; quote: number },
) {
  const criteria = { currentPage: 1 } as never;
  return {
    company: (
      await client.GET('/V1/company/{companyId}', { params: { path: { companyId: ids.company } } })
    ).data,
    hierarchy: (await client.GET('/V1/hierarchy/{id}', { params: { path: { id: ids.company } } }))
      .data,
    roles: (
      await client.GET('/V1/company/role/', { params: { query: { searchCriteria: criteria } } })
    ).data,
    teams: (await client.GET('/V1/team/', { params: { query: { searchCriteria: criteria } } }))
      .data,
    companies: (
      await client.GET('/V1/sharedCatalog/{sharedCatalogId}/companies', {
        params: { path: { sharedCatalogId: ids.catalog } },
      })
    ).data,
    products: (
      await client.GET('/V1/sharedCatalog/{id}/products', { params: { path: { id: ids.catalog } } })
    ).data,
    tiers: (
      await client.POST('/V1/products/tier-prices-information', { body: { skus: ['BOLT-1'] } })
    ).data,
    credit: (
      await client.GET('/V1/companyCredits/{creditId}', {
        params: { path: { creditId: ids.credit } },
      })
    ).data,
    history: (
      await client.GET('/V1/companyCredits/history', {
        params: { query: { searchCriteria: criteria } },
      })
    ).data,
    quote: (await client.GET('/V1/carts/{cartId}', { params: { path: { cartId: ids.quote } } }))
      .data,
    comments: (
      await client.GET('/V1/negotiableQuote/{quoteId}/comments', {
        params: { path: { quoteId: ids.quote } },
      })
    ).data,
  };
}

describe('emulator snapshot with B2B data', () => {
  it('restores companies, hierarchy, roles, shared catalogs, tier prices, credit and negotiable quotes', async () => {
    const emulator = createCommerceEmulator({ integrationTokens: ['t'], seed });
    const client = clientOf(emulator);
    const company = (
      await client.POST('/V1/company/', {
        body: {
          company: {
            company_name: 'Snap Co',
            company_email: 'snap@example.com',
            street: ['1 Main St'],
            city: 'Austin',
            country_id: 'US',
            postcode: '78701',
            telephone: '5125550100',
            customer_group_id: 1,
            super_user_id: 1,
          },
        },
      })
    ).data!;
    const companyId = company.id as number;
    await client.POST('/V1/team/{companyId}', {
      params: { path: { companyId } },
      body: { team: { name: 'North' } },
    });
    await client.PUT('/V1/customers/{customerId}', {
      params: { path: { customerId: '2' } },
      body: {
        customer: {
          email: 'buyer@example.com',
          firstname: 'Bo',
          lastname: 'Buyer',
          extension_attributes: { company_attributes: { company_id: companyId } },
        } as never,
      },
    });
    const catalog = (
      await client.POST('/V1/sharedCatalog', {
        body: { sharedCatalog: { name: 'Contract A', type: 0, store_id: 0, tax_class_id: 3 } },
      })
    ).data!;
    await client.POST('/V1/sharedCatalog/{sharedCatalogId}/assignCompanies', {
      params: { path: { sharedCatalogId: catalog } },
      body: { companies: [{ id: companyId }] },
    });
    await client.POST('/V1/sharedCatalog/{id}/assignProducts', {
      params: { path: { id: catalog } },
      body: { products: [{ sku: 'BOLT-1' }] },
    });
    await client.POST('/V1/sharedCatalog/{sharedCatalogId}/assignTierPrices', {
      params: { path: { sharedCatalogId: catalog } },
      body: {
        prices: [
          {
            sku: 'BOLT-1',
            price: 1.5,
            price_type: 'fixed',
            website_id: 0,
            customer_group: 'ignored',
            quantity: 10,
          },
        ],
      },
    });
    const credit = (
      await client.GET('/V1/companyCredits/company/{companyId}', {
        params: { path: { companyId } },
      })
    ).data!;
    await client.PUT('/V1/companyCredits/{id}', {
      params: { path: { id: credit.id as number } },
      body: { creditLimit: { credit_limit: 500 } },
    });
    await client.POST('/V1/companyCredits/{creditId}/decreaseBalance', {
      params: { path: { creditId: credit.id as number } },
      body: { value: 40, currency: 'USD', operationType: 3 },
    });
    const quote = (await client.POST('/V1/negotiableQuote/draft', { body: { customerId: 2 } }))
      .data!;
    emulator.state.carts.get(String(quote))?.items.push({ sku: 'BOLT-1', qty: 20, item_id: 900 });
    await client.POST('/V1/negotiableQuote/submitToCustomer', {
      body: { quoteId: quote, comment: 'Our offer' },
    });

    const ids = { company: companyId, catalog, credit: credit.id as number, quote };
    const before = await observe(client, ids);
    expect(before.quote?.extension_attributes?.negotiable_quote?.status).toBe('submitted_by_admin');
    expect(JSON.parse(before.companies as string)).toEqual([String(companyId)]);

    const restored = createCommerceEmulator({
      integrationTokens: ['t'],
      snapshot: JSON.parse(JSON.stringify(emulator.snapshot())),
    });
    const again = clientOf(restored);
    expect(await observe(again, ids)).toEqual(before);
    // Id counters came back too: the next company and catalog get fresh ids.
    const next = await again.POST('/V1/sharedCatalog', {
      body: { sharedCatalog: { name: 'Contract B', type: 0, store_id: 0, tax_class_id: 3 } },
    });
    expect(next.data).toBe(catalog + 1);
  });

  it('refuses malformed B2B data naming the field, and reads a snapshot taken before B2B existed', () => {
    const emulator = createCommerceEmulator({ integrationTokens: ['t'], seed });
    const snapshot = emulator.snapshot();
    const broken = { ...snapshot, b2b: { ...snapshot.b2b, companies: 'x' } };
    expect(() => createCommerceEmulator({ snapshot: broken as never })).toThrow(
      EmulatorSnapshotError,
    );
    expect(() => createCommerceEmulator({ snapshot: broken as never })).toThrow(/b2b\.companies/);
    const { b2b: _b2b, ...older } = snapshot;
    const restored = createCommerceEmulator({ snapshot: older });
    expect(restored.state.b2b.sharedCatalogs.publicCatalog().name).toBe('Default (General)');
  });
});
