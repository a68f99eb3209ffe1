import { AbortedError } from '@plumbline/client-core';
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BulkIncompleteError,
  BulkTimeoutError,
  bulkPath,
  type CommerceClient,
  CommerceInputError,
  createCommerceClient,
  runBulk,
  waitForBulk,
} from '../src/index.js';
import { type CommerceEmulator, createCommerceEmulator } from '../src/testing.js';

describe('async bulk over loopback HTTP', () => {
  let emulator: CommerceEmulator;
  let server: RunningServer;
  let client: CommerceClient;

  beforeAll(async () => {
    emulator = createCommerceEmulator({
      bulkDelayMs: 2,
      seed: {
        products: [
          { sku: 'Q-1', name: 'Q 1', price: 1 },
          { sku: 'Q-2', name: 'Q 2', price: 2 },
        ],
      },
    });
    server = await emulator.listen();
    client = createCommerceClient({
      baseUrl: server.url,
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('queues operations that move from open to complete in the background', async () => {
    const queued = createCommerceEmulator({ bulkDelayMs: 300 });
    const queuedServer = await queued.listen();
    const client = createCommerceClient({
      baseUrl: queuedServer.url,
      auth: { type: 'bearer', token: queued.issueAdminToken() },
    });
    const { data, response } = await client.POST('/async/bulk/V1/products', {
      body: [
        { product: { sku: 'Q-1', name: 'Queued 1', price: 1 } },
        { product: { sku: 'Q-2', name: 'Queued 2', price: 2 } },
      ],
    });
    expect(response.status).toBe(202);
    expect(data?.request_items.map((i) => i.status)).toEqual(['accepted', 'accepted']);
    const uuid = data?.bulk_uuid as string;
    const early = await client.GET('/V1/bulk/{bulkUuid}/status', {
      params: { path: { bulkUuid: uuid } },
    });
    expect(early.data?.operations_list.map((o) => o.status)).toEqual([4, 4]);
    const done = await waitForBulk(client, uuid, { minDelayMs: 5 });
    expect(done.operations_list.map((o) => o.status)).toEqual([1, 1]);
    const complete = await client.GET('/V1/bulk/{bulkUuid}/operation-status/{status}', {
      params: { path: { bulkUuid: uuid, status: 1 } },
    });
    expect(complete.data).toBe(2);
    expect(queued.state.products.get('Q-2')?.price).toBe(2);
    await queuedServer.close();
  });

  it('submits in chunks and maps every operation back to its input item, failures with Magento messages', async () => {
    const items = Array.from({ length: 230 }, (_, i) => ({
      product: {
        sku: `BULK-${i}`,
        ...(i === 17 || i === 150 ? {} : { name: `Bulk ${i}` }),
        price: i,
      },
    }));
    const progress: number[] = [];
    const outcome = await runBulk(client, {
      path: '/V1/products',
      items: [...items, 'not an object' as never],
      chunkSize: 100,
      minDelayMs: 5,
      onProgress: (p) => progress.push(p.complete + p.failed),
    });
    expect(outcome.bulkUuids).toHaveLength(3);
    expect(outcome.succeeded).toBe(228);
    expect(outcome.failed).toBe(3);
    const failed = outcome.results.filter((r) => r.status !== 'complete');
    expect(failed.map((r) => [r.index, r.status, r.message])).toEqual([
      [17, 'failed', '"name" is required. Enter and try again.'],
      [150, 'failed', '"name" is required. Enter and try again.'],
      [230, 'rejected', 'The request body must be an object.'],
    ]);
    expect(failed[0]?.item).toBe(items[17]);
    expect(outcome.results[42]?.result).toMatchObject({ sku: 'BULK-42', name: 'Bulk 42' });
    expect(emulator.state.products.has('BULK-229')).toBe(true);
    expect(progress.at(-1)).toBe(231);
  });

  it('updates by SKU through /async/bulk/V1/products/bySku with the path parameter in each body', async () => {
    expect(bulkPath('/V1/products/{sku}')).toBe('/async/bulk/V1/products/bySku');
    expect(bulkPath('/V1/products/{sku}', 'accs')).toBe('/V1/async/bulk/products/bySku');
    const outcome = await runBulk(client, {
      path: '/V1/products/{sku}',
      items: [
        { sku: 'Q-1', price: 11 },
        { sku: 'Q-404', price: 1 },
      ],
      toBody: (item) => ({ sku: item.sku, product: { price: item.price } }),
      minDelayMs: 5,
    });
    expect(outcome.results.map((r) => r.status)).toEqual(['complete', 'failed']);
    expect(outcome.results[1]?.message).toBe('"name" is required. Enter and try again.');
    expect(emulator.state.products.get('Q-1')?.price).toBe(11);
    await expect(
      runBulk(client, { path: '/V1/products/{sku}', items: [{ price: 1 }] }),
    ).rejects.toThrow(CommerceInputError);
  });

  it('sets source items in bulk', async () => {
    const outcome = await runBulk(client, {
      path: '/V1/inventory/source-items',
      items: [
        { sourceItems: [{ sku: 'Q-1', source_code: 'default', quantity: 7, status: 1 }] },
        { sourceItems: [{ sku: 'Q-2', source_code: 'nowhere', quantity: 7, status: 1 }] },
      ],
      minDelayMs: 5,
    });
    expect(outcome.results.map((r) => r.status)).toEqual(['complete', 'failed']);
    expect(outcome.results[1]?.message).toBe('Validation Failed');
    const qty = await client.GET('/V1/inventory/get-product-salable-quantity/{sku}/{stockId}', {
      params: { path: { sku: 'Q-1', stockId: 1 } },
    });
    expect(qty.data).toBe(7);
  });

  it('waitForBulk stops with AbortedError when the caller aborts during a wait between polls', async () => {
    const slow = createCommerceEmulator({ bulkDelayMs: 60_000 });
    const slowClient = createCommerceClient({
      baseUrl: 'http://slow.test',
      auth: { type: 'bearer', token: slow.issueAdminToken() },
      fetch: (input: Request | string | URL, init?: RequestInit) =>
        slow.fetch(new Request(input, init)),
    });
    const { data } = await slowClient.POST('/async/bulk/V1/products', {
      body: [{ product: { sku: 'AB-1', name: 'Abort' } }],
    });
    const controller = new AbortController();
    const waiting = waitForBulk(slowClient, data?.bulk_uuid as string, {
      minDelayMs: 60_000,
      signal: controller.signal,
    });
    // Abort once the first poll has answered (the emulator keeps the operation open).
    while (slow.requests.filter((r) => r.path.endsWith('/detailed-status')).length === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort(new Error('shutting down'));
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(slow.requests.filter((r) => r.path.endsWith('/detailed-status'))).toHaveLength(1);
  });

  it('gives up with BulkTimeoutError carrying the uuid when operations stay open', async () => {
    const slow = createCommerceEmulator({ bulkDelayMs: 60_000 });
    const token = slow.issueAdminToken();
    const slowClient = createCommerceClient({
      baseUrl: 'http://slow.test',
      auth: { type: 'bearer', token },
      fetch: (input: Request | string | URL, init?: RequestInit) =>
        slow.fetch(new Request(input, init)),
    });
    const error = await runBulk(slowClient, {
      path: '/V1/products',
      items: [{ product: { sku: 'S', name: 'S' } }],
      timeoutMs: 50,
      minDelayMs: 10,
    }).catch((e: unknown) => e);
    // runBulk reports every accepted bulk; the cause is waitForBulk's BulkTimeoutError.
    expect(error).toBeInstanceOf(BulkIncompleteError);
    const incomplete = error as BulkIncompleteError;
    expect(incomplete.stage).toBe('wait');
    expect(incomplete.cause).toBeInstanceOf(BulkTimeoutError);
    const uuid = incomplete.accepted[0]?.bulkUuid as string;
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((incomplete.cause as BulkTimeoutError).bulkUuid).toBe(uuid);
    await slow.drainBulk();
    const done = await waitForBulk(slowClient, uuid, {
      minDelayMs: 1,
    });
    expect(done.operations_list[0]?.status).toBe(1);
  });
});
