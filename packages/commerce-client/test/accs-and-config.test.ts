import { ConfigError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import { ACCS_SCOPE, createCommerceClient, IMS_TOKEN_URL, runBulk } from '../src/index.js';
import { createCommerceEmulator } from '../src/testing.js';

describe('Adobe Commerce as a Cloud Service (ACCS)', () => {
  it('gets an IMS client-credentials token, calls the tenant root and sends the Store header', async () => {
    const imsCalls: URLSearchParams[] = [];
    const fakeIms = async (request: Request): Promise<Response> => {
      const form = new URLSearchParams(await request.text());
      imsCalls.push(form);
      if (form.get('client_id') !== 'accs-client' || form.get('client_secret') !== 'accs-secret') {
        return Response.json(
          { error: 'invalid_client', error_description: 'invalid client' },
          { status: 401 },
        );
      }
      return Response.json({
        access_token: 'ims-access-token',
        token_type: 'bearer',
        expires_in: 86399,
      });
    };
    const emulator = createCommerceEmulator({
      accs: { tenantId: 'Tenant42' },
      stores: ['fr_store'],
      integrationTokens: ['ims-access-token'],
      seed: { products: [{ sku: 'ACCS-1', name: 'Cloud product', price: 5 }] },
    });
    const seen: Request[] = [];
    const route = async (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push(request.clone());
      if (request.url.startsWith(IMS_TOKEN_URL)) return fakeIms(request);
      return emulator.fetch(request);
    };
    const client = createCommerceClient({
      baseUrl: 'https://na1-sandbox.api.commerce.adobe.com/Tenant42',
      storeCode: 'fr_store',
      auth: { type: 'ims', clientId: 'accs-client', clientSecret: 'accs-secret' },
      fetch: route,
    });
    expect(client.platform).toBe('accs');
    expect(client.restUrl).toBe('https://na1-sandbox.api.commerce.adobe.com/Tenant42');
    const [a, b] = await Promise.all([
      client.GET('/V1/products/{sku}', { params: { path: { sku: 'ACCS-1' } } }),
      client.GET('/V1/products/{sku}', { params: { path: { sku: 'ACCS-1' } } }),
    ]);
    expect(a.data?.name).toBe('Cloud product');
    expect(b.data?.name).toBe('Cloud product');
    expect(imsCalls).toHaveLength(1);
    expect(imsCalls[0]?.get('grant_type')).toBe('client_credentials');
    expect(imsCalls[0]?.get('scope')).toBe(ACCS_SCOPE);
    const apiCall = seen.find((r) => r.url.includes('/V1/products/'));
    expect(apiCall?.url).toBe(
      'https://na1-sandbox.api.commerce.adobe.com/Tenant42/V1/products/ACCS-1',
    );
    expect(apiCall?.headers.get('store')).toBe('fr_store');
    expect(apiCall?.headers.get('authorization')).toBe('Bearer ims-access-token');

    // Async routes put the /async segment after V1 on ACCS.
    const bulk = await runBulk(client, {
      path: '/V1/products/{sku}',
      items: [{ sku: 'ACCS-1', product: { price: 7 } }],
      minDelayMs: 2,
    });
    expect(bulk.results[0]?.status).toBe('complete');
    expect(
      seen.some(
        (r) =>
          r.url ===
          'https://na1-sandbox.api.commerce.adobe.com/Tenant42/V1/async/bulk/products/bySku',
      ),
    ).toBe(true);
    expect(emulator.state.products.get('ACCS-1')?.price).toBe(7);
  });
});

describe('createCommerceClient options', () => {
  it.each([
    [{ baseUrl: '' }, 'baseUrl'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ baseUrl: 'ftp://shop.example.com' }, 'baseUrl'],
    [{ baseUrl: 'https://shop.example.com/rest/default' }, 'baseUrl'],
    [{ baseUrl: 'https://shop.example.com', storeCode: 'bad/store' }, 'storeCode'],
    [{ baseUrl: 'https://shop.example.com', auth: { type: 'magic' } }, 'auth.type'],
    [{ baseUrl: 'https://shop.example.com', auth: { type: 'bearer', token: '' } }, 'auth.token'],
    [
      { baseUrl: 'https://shop.example.com', auth: { type: 'admin', username: 'a', password: '' } },
      'auth.password',
    ],
    [
      { baseUrl: 'https://shop.example.com', auth: { type: 'oauth1', consumerKey: 'k' } },
      'auth.consumerSecret',
    ],
  ])('rejects %j naming %s', (options, option) => {
    let caught: unknown;
    try {
      createCommerceClient(options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).option).toBe(option);
  });

  it('uses /rest/default by default and /rest/<store> when given', () => {
    expect(createCommerceClient({ baseUrl: 'https://shop.example.com/' }).restUrl).toBe(
      'https://shop.example.com/rest/default',
    );
    expect(
      createCommerceClient({ baseUrl: 'https://shop.example.com/m2', storeCode: 'de' }).restUrl,
    ).toBe('https://shop.example.com/m2/rest/de');
  });
});
