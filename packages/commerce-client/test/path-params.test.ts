import { describe, expect, it } from 'vitest';
import { CommerceInputError, createCommerceClient, waitForBulk } from '../src/index.js';
import { createCommerceEmulator } from '../src/testing.js';

function setup() {
  const emulator = createCommerceEmulator({ integrationTokens: ['t'] });
  const sent: string[] = [];
  const client = createCommerceClient({
    baseUrl: 'http://store.test',
    auth: { type: 'bearer', token: 't' },
    retry: false,
    fetch: (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      sent.push(`${request.method} ${new URL(request.url).pathname}`);
      return emulator.fetch(request);
    },
  });
  return { emulator, client, sent };
}

const HOSTILE_SKUS = [
  'CLE-056621/6',
  'a?b=c&d',
  'x#fragment',
  '100%',
  '%2e%2e',
  'with space',
  'BAH-SB+7',
  'ünï/cødé 🔑',
  '...',
  '.hidden',
  'a/../b',
  '\\..\\',
];

describe('path parameters stay inside their segment', () => {
  it.each(HOSTILE_SKUS)('a SKU %j is sent as one encoded segment and round-trips', async (sku) => {
    const { client, sent } = setup();
    await client.POST('/V1/products', {
      body: { product: { sku, name: 'Hostile', price: 1, attribute_set_id: 4, type_id: 'simple' } },
    });
    const got = await client.GET('/V1/products/{sku}', { params: { path: { sku } } });
    expect(got.data?.sku).toBe(sku);
    const put = await client.PUT('/V1/products/{sku}', {
      params: { path: { sku } },
      body: { product: { sku, price: 2 } },
    });
    expect(put.data?.price).toBe(2);
    const get = sent.find((line) => line.startsWith('GET '));
    expect(get).toBe(`GET /rest/default/V1/products/${encodeURIComponent(sku)}`);
    expect(get?.split('/')).toHaveLength(6);
    const removed = await client.DELETE('/V1/products/{sku}', { params: { path: { sku } } });
    expect(removed.data).toBe(true);
  });

  it.each([
    ['GET', '/V1/products/{sku}', { sku: '..' }, 'path.sku'],
    ['DELETE', '/V1/products/{sku}', { sku: '.' }, 'path.sku'],
    ['PUT', '/V1/products/{sku}', { sku: '' }, 'path.sku'],
    ['GET', '/V1/orders/{id}', { id: '..' }, 'path.id'],
    ['GET', '/V1/customers/{customerId}', { customerId: 1.5 }, 'path.customerId'],
    ['GET', '/V1/customers/{customerId}', { customerId: Number.NaN }, 'path.customerId'],
    ['GET', '/V1/orders/{id}', { id: { toString: (): string => '1' } }, 'path.id'],
    ['GET', '/V1/orders/{id}', { id: undefined }, 'path.id'],
    ['GET', '/V1/bulk/{bulkUuid}/detailed-status', { bulkUuid: '..' }, 'path.bulkUuid'],
  ] as const)(
    '%s %s with %j is refused before anything is sent, naming %s',
    async (method, path, params, field) => {
      const { client, sent } = setup();
      const call = (
        client as unknown as Record<string, (p: string, o: unknown) => Promise<unknown>>
      )[method] as (p: string, o: unknown) => Promise<unknown>;
      const error = await call(path, {
        params: { path: params },
        ...(method === 'PUT' ? { body: { product: {} } } : {}),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CommerceInputError);
      expect((error as CommerceInputError).code).toBe('COMMERCE_INVALID_INPUT');
      expect((error as CommerceInputError).field).toBe(field);
      expect(sent).toEqual([]);
    },
  );

  it('waitForBulk refuses a dot-segment or empty bulk uuid, naming it', async () => {
    const { client, sent } = setup();
    for (const uuid of ['..', '.', '']) {
      const error = await waitForBulk(client, uuid).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CommerceInputError);
      expect((error as CommerceInputError).field).toBe('path.bulkUuid');
    }
    expect(sent).toEqual([]);
  });
});
