import { HttpError, RateLimitError } from '@plumbline/client-core';
import type { RunningServer } from '@plumbline/client-core/testing';
import { mswHandlers } from '@plumbline/client-core/testing/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCommerceClient, paginate, searchCriteria } from '../src/index.js';
import { type CommerceEmulator, createCommerceEmulator } from '../src/testing.js';

const seed = {
  products: [
    { sku: 'MB-01', name: 'Joust Duffle Bag', price: 34, type_id: 'simple' },
    { sku: 'MB 02/ä', name: 'Strive Shoulder Pack', price: 32, type_id: 'simple' },
    { sku: 'WT-09', name: '50% off & more + tax', price: 29, type_id: 'simple' },
  ],
  customers: [{ email: 'roni@example.com', firstname: 'Veronica', lastname: 'Costello' }],
};

describe('createCommerceClient against the emulator over loopback HTTP', () => {
  let emulator: CommerceEmulator;
  let server: RunningServer;

  beforeAll(async () => {
    emulator = createCommerceEmulator({ seed, integrationTokens: ['integration-token-1'] });
    server = await emulator.listen();
  });
  afterAll(async () => {
    await server.close();
  });

  it('fetches one admin token for concurrent calls, caches it, and renews it after a 401', async () => {
    const client = createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
    });
    const before = emulator.requests.filter((r) => r.path.endsWith('/admin/token')).length;
    const results = await Promise.all(
      ['MB-01', 'WT-09', 'MB-01'].map((sku) =>
        client.GET('/V1/products/{sku}', { params: { path: { sku } } }),
      ),
    );
    expect(results.map((r) => r.data?.sku)).toEqual(['MB-01', 'WT-09', 'MB-01']);
    await client.GET('/V1/customers/search', { params: { query: searchCriteria().toQuery() } });
    const tokenCalls = () =>
      emulator.requests.filter((r) => r.path.endsWith('/admin/token')).length - before;
    expect(tokenCalls()).toBe(1);

    // The store expires every token (its 4-hour lifetime passes): the next call gets a 401,
    // the client fetches a new token once and re-sends.
    emulator.state.advanceTime(4 * 3600_000 + 1);
    const again = await client.GET('/V1/products/{sku}', { params: { path: { sku: 'MB-01' } } });
    expect(again.data?.name).toBe('Joust Duffle Bag');
    expect(tokenCalls()).toBe(2);
    expect(
      emulator.requests.some((r) => r.status === 401 && r.path.endsWith('/V1/products/MB-01')),
    ).toBe(true);
  });

  it('turns Magento error bodies into HttpError with placeholders substituted', async () => {
    const client = createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'bearer', token: 'integration-token-1' },
    });
    const missingProduct = await client
      .GET('/V1/products/{sku}', { params: { path: { sku: 'NOPE' } } })
      .catch((e: unknown) => e);
    expect(missingProduct).toBeInstanceOf(HttpError);
    expect((missingProduct as HttpError).status).toBe(404);
    expect((missingProduct as HttpError).vendorMessage).toBe(
      "The product that was requested doesn't exist. Verify the product and try again.",
    );
    const missingCustomer = (await client
      .GET('/V1/customers/{customerId}', { params: { path: { customerId: 999 } } })
      .catch((e: unknown) => e)) as HttpError;
    expect(missingCustomer.vendorMessage).toBe('No such entity with customerId = 999');
    expect(missingCustomer.message).toContain('No such entity with customerId = 999');
  });

  it('answers the Magento 401 body for a bad token and never leaks the password', async () => {
    const client = createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'bearer', token: 'wrong-token' },
      retry: false,
    });
    const error = (await client.GET('/V1/orders', {}).catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(401);
    expect(error.vendorMessage).toBe(
      "The consumer isn't authorized to access Magento_Sales::actions_view.",
    );

    const badLogin = createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'admin', username: 'admin', password: 'SuperSecret-Passw0rd' },
      retry: false,
    });
    const loginError = (await badLogin.GET('/V1/orders', {}).catch((e: unknown) => e)) as HttpError;
    expect(loginError).toBeInstanceOf(HttpError);
    expect(loginError.status).toBe(401);
    expect(loginError.vendorMessage).toContain('The account sign-in was incorrect');
    const serialized = JSON.stringify({
      ...loginError.toJSON(),
      message: loginError.message,
      stack: loginError.stack,
    });
    expect(serialized).not.toContain('SuperSecret-Passw0rd');
  });

  it('keeps the password and the issued token out of logs, events and errors', async () => {
    const lines: string[] = [];
    const authHeaders: string[] = [];
    const log = (o: object, m?: string) => lines.push(JSON.stringify(o) + (m ?? ''));
    const client = createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
      retry: false,
      logger: { debug: log, info: log, warn: log, error: log },
      onEvent: (event) => lines.push(JSON.stringify(event)),
      fetch: (input: Request | string | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        const header = request.headers.get('authorization');
        if (header) authHeaders.push(header);
        return fetch(request);
      },
    });
    await client.GET('/V1/products/{sku}', { params: { path: { sku: 'MB-01' } } });
    const error = (await client
      .GET('/V1/orders/{id}', { params: { path: { id: 424242 } } })
      .catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(404);
    const token = authHeaders[0]?.slice('Bearer '.length) as string;
    expect(token).toMatch(/^[a-z0-9]{32}$/);
    const everything = [...lines, error.message, JSON.stringify(error.toJSON())].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain('admin123');
  });

  it('sends searchCriteria encoded exactly once and the emulator filters by it', async () => {
    const urls: string[] = [];
    const client = createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'bearer', token: 'integration-token-1' },
      fetch: (input: Request | string | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        urls.push(request.url);
        return fetch(request);
      },
    });
    const { data } = await client.GET('/V1/products', {
      params: {
        query: searchCriteria<'name' | 'sku'>()
          .whereAny(['name', 'eq', '50% off & more + tax'], ['sku', 'in', ['MB 02/ä', 'nothing']])
          .orderBy('sku', 'ASC')
          .fields('items[sku],total_count')
          .toQuery(),
      },
    });
    expect(data?.items.map((p) => p.sku)).toEqual(['MB 02/ä', 'WT-09']);
    expect(data?.items[0]).toEqual({ sku: 'MB 02/ä' });
    expect(data?.total_count).toBe(2);
    const sent = urls.at(-1) as string;
    expect(sent).toContain(
      'searchCriteria[filter_groups][0][filters][0][value]=50%25%20off%20%26%20more%20%2B%20tax',
    );
    expect(sent).toContain('[filters][1][value]=MB%2002%2F%C3%A4%2Cnothing');
    expect(sent).toContain('fields=items%5Bsku%5D%2Ctotal_count');

    // A SKU with a space, slash and umlaut in the path.
    const one = await client.GET('/V1/products/{sku}', { params: { path: { sku: 'MB 02/ä' } } });
    expect(one.data?.name).toBe('Strive Shoulder Pack');
  });

  it('signs requests with OAuth 1.0a HMAC-SHA256 for integrations', async () => {
    const integration = {
      consumerKey: 'ck-1',
      consumerSecret: 'cs-secret',
      accessToken: 'at-1',
      accessTokenSecret: 'ats-secret',
    };
    const oauthEmulator = createCommerceEmulator({ seed, integrations: [integration] });
    const oauthServer = await oauthEmulator.listen();
    try {
      const client = createCommerceClient({
        baseUrl: oauthServer.url,
        auth: { type: 'oauth1', ...integration },
      });
      const { data } = await client.GET('/V1/products', {
        params: { query: searchCriteria().where('name', 'like', '%Bag%').toQuery() },
      });
      expect(data?.items.map((p) => p.sku)).toEqual(['MB-01']);
      const wrong = createCommerceClient({
        baseUrl: oauthServer.url,
        auth: { type: 'oauth1', ...integration, consumerSecret: 'not-the-secret' },
        retry: false,
      });
      const error = (await wrong.GET('/V1/products', {}).catch((e: unknown) => e)) as HttpError;
      expect(error.status).toBe(401);
      expect(JSON.stringify(error.toJSON())).not.toContain('not-the-secret');
    } finally {
      await oauthServer.close();
    }
  });

  it('answers 429 on the rate-limited checkout endpoints', async () => {
    const limited = createCommerceEmulator({ seed, rateLimit: { limit: 2, intervalMs: 60_000 } });
    limited.state.saveSourceItem({
      sku: 'MB-01',
      source_code: 'default',
      quantity: 100,
      status: 1,
    });
    const running = await limited.listen();
    try {
      const client = createCommerceClient({ baseUrl: running.url, retry: false });
      const place = async () => {
        const cart = await client.POST('/V1/guest-carts' as never, {} as never);
        const cartId = (cart as { data: string }).data;
        await client.POST(
          `/V1/guest-carts/${cartId}/items` as never,
          { body: { cartItem: { sku: 'MB-01', qty: 1 } } } as never,
        );
        // A cart with physical items needs its shipping information before it can be ordered.
        const address = {
          firstname: 'Jane',
          lastname: 'Doe',
          street: ['123 Oak Ave'],
          city: 'Purchase',
          postcode: '10577',
          country_id: 'US',
          telephone: '512-555-1111',
          email: 'jdoe@example.com',
        };
        await client.POST(
          `/V1/guest-carts/${cartId}/shipping-information` as never,
          {
            body: {
              addressInformation: {
                shipping_address: address,
                billing_address: address,
                shipping_carrier_code: 'flatrate',
                shipping_method_code: 'flatrate',
              },
            },
          } as never,
        );
        return client.PUT(
          `/V1/guest-carts/${cartId}/order` as never,
          { body: { paymentMethod: { method: 'checkmo' } } } as never,
        );
      };
      expect(typeof (await place()).data).toBe('number');
      expect(typeof (await place()).data).toBe('number');
      const error = await place().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).bodyExcerpt).toBe(
        '{"message":"Too Many Requests","trace":null}',
      );
    } finally {
      await running.close();
    }
  });
});

describe('createCommerceClient through msw', () => {
  const emulator = createCommerceEmulator({ seed, integrationTokens: ['msw-token'] });
  const server = setupServer(...mswHandlers(emulator.fetch, 'https://shop.example.test'));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it('pages through search results and retries injected 5xx/429 faults', async () => {
    const flaky = createCommerceEmulator({
      integrationTokens: ['msw-token'],
      faults: { seed: 11, rate5xx: 0.3, rate429: 0.2, retryAfterSeconds: 0 },
      seed: {
        products: Array.from({ length: 45 }, (_, i) => ({
          sku: `F-${i}`,
          name: `Flaky ${i}`,
          price: i,
        })),
      },
    });
    server.use(...mswHandlers(flaky.fetch, 'https://flaky.example.test'));
    const client = createCommerceClient({
      baseUrl: 'https://flaky.example.test',
      auth: { type: 'bearer', token: 'msw-token' },
      retry: { retries: 8, minDelayMs: 1, maxDelayMs: 5 },
    });
    const skus: string[] = [];
    for await (const product of paginate(client, '/V1/products', { pageSize: 10 }))
      skus.push(product.sku);
    expect(skus).toHaveLength(45);
    expect(new Set(skus).size).toBe(45);
    const stats = (
      flaky.fetch as unknown as { stats: { injected5xx: number; injected429: number } }
    ).stats;
    expect(stats.injected5xx + stats.injected429).toBeGreaterThan(0);
  });

  it('reaches the emulator at the store URL with the store code in the path', async () => {
    const client = createCommerceClient({
      baseUrl: 'https://shop.example.test',
      storeCode: 'all',
      auth: { type: 'bearer', token: 'msw-token' },
    });
    expect(client.restUrl).toBe('https://shop.example.test/rest/all');
    const { data } = await client.GET('/V1/products/{sku}', { params: { path: { sku: 'WT-09' } } });
    expect(data?.price).toBe(29);
    expect(emulator.requests.at(-1)?.path).toBe('/rest/all/V1/products/WT-09');
  });
});
