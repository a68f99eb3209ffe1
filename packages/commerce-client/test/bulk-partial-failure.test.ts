import type { FaultOptions } from '@plumbline/client-core/testing';
import { describe, expect, it } from 'vitest';
import { BulkIncompleteError, createCommerceClient, runBulk, waitForBulk } from '../src/index.js';
import { createCommerceEmulator } from '../src/testing.js';

const ITEMS = Array.from({ length: 10 }, (_, i) => ({
  product: {
    sku: `PART-${i}`,
    name: `Part ${i}`,
    price: i + 1,
    attribute_set_id: 4,
    type_id: 'simple',
  },
}));

/** An emulator whose `nth` request matching `which` gets the fault; every other one is served. */
function setup(which: (request: Request) => boolean, nth: number, fault: FaultOptions) {
  let seen = 0;
  const emulator = createCommerceEmulator({
    integrationTokens: ['t'],
    bulkDelayMs: 1,
    faults: { ...fault, match: (request) => which(request) && ++seen === nth },
  });
  const sent: Request[] = [];
  const client = createCommerceClient({
    baseUrl: 'http://store.test',
    auth: { type: 'bearer', token: 't' },
    retry: false,
    fetch: (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      sent.push(request);
      return emulator.fetch(request);
    },
  });
  /** Bulk requests sent, whether or not a fault stopped them before the store. */
  const bulkPosts = () => sent.filter(isBulkPost);
  return { emulator, client, bulkPosts };
}

const isBulkPost = (request: Request) =>
  request.method !== 'GET' && new URL(request.url).pathname.includes('/async/bulk/');
const isStatusPoll = (request: Request) =>
  request.method === 'GET' && new URL(request.url).pathname.endsWith('/detailed-status');

function operationsQueued(emulator: ReturnType<typeof createCommerceEmulator>): number {
  return [...emulator.state.bulks.values()].reduce((n, b) => n + b.operations.length, 0);
}

describe('runBulk when a later chunk fails', () => {
  it('stops dispatching and reports every accepted bulk uuid with the items it carries (503 on the 3rd chunk)', async () => {
    const { emulator, client, bulkPosts } = setup(isBulkPost, 3, { rate5xx: 1 });
    const error = await runBulk(client, { path: '/V1/products', items: ITEMS, chunkSize: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BulkIncompleteError);
    const e = error as BulkIncompleteError<(typeof ITEMS)[number]>;
    expect(e.code).toBe('COMMERCE_BULK_INCOMPLETE');
    expect(e.stage).toBe('submit');
    expect(e.accepted.map((b) => [b.firstIndex, b.count, b.finished])).toEqual([
      [0, 2, false],
      [2, 2, false],
    ]);
    // The uuids are the store's own.
    for (const b of e.accepted) expect(emulator.state.bulks.has(b.bulkUuid)).toBe(true);
    expect(e.failedChunk).toEqual({ firstIndex: 4, count: 2, outcome: 'unknown' });
    expect(e.resumeFrom).toBe(4);
    expect(bulkPosts()).toHaveLength(3);
    expect(e.results.slice(0, 4).map((r) => r.bulkUuid)).toEqual([
      e.accepted[0]?.bulkUuid,
      e.accepted[0]?.bulkUuid,
      e.accepted[1]?.bulkUuid,
      e.accepted[1]?.bulkUuid,
    ]);
    expect(e.message).toContain(e.accepted[0]?.bulkUuid);
    expect(e.message).toContain('items 4–5');
    expect(e.message).toMatch(/resume with items from index 4/);
    const json = JSON.stringify(e.toJSON());
    expect(json).toContain(e.accepted[1]?.bulkUuid);
    expect(json).not.toContain('PART-');

    // The documented resume: wait for the accepted bulks, send only items.slice(resumeFrom).
    for (const b of e.accepted) await waitForBulk(client, b.bulkUuid, { minDelayMs: 1 });
    const rest = await runBulk(client, {
      path: '/V1/products',
      items: ITEMS.slice(e.resumeFrom),
      chunkSize: 2,
    });
    expect(rest.failed).toBe(0);
    expect(operationsQueued(emulator)).toBe(ITEMS.length); // nothing queued twice
    for (const item of ITEMS) expect(emulator.state.products.has(item.product.sku)).toBe(true);
  });

  it('calls a chunk refused with 429 "refused" and a dropped connection "unknown"', async () => {
    const limited = setup(isBulkPost, 2, { rate429: 1, retryAfterSeconds: 0 });
    const refused = (await runBulk(limited.client, {
      path: '/V1/products',
      items: ITEMS,
      chunkSize: 4,
    }).catch((e: unknown) => e)) as BulkIncompleteError;
    expect(refused).toBeInstanceOf(BulkIncompleteError);
    expect(refused.failedChunk).toEqual({ firstIndex: 4, count: 4, outcome: 'refused' });
    expect(refused.accepted).toHaveLength(1);
    expect(limited.bulkPosts()).toHaveLength(2);

    const dropped = setup(isBulkPost, 1, { resetRate: 1 });
    const reset = (await runBulk(dropped.client, {
      path: '/V1/products',
      items: ITEMS,
      chunkSize: 4,
    }).catch((e: unknown) => e)) as BulkIncompleteError;
    expect(reset).toBeInstanceOf(BulkIncompleteError);
    expect(reset.accepted).toEqual([]);
    expect(reset.failedChunk).toEqual({ firstIndex: 0, count: 4, outcome: 'unknown' });
    expect(reset.resumeFrom).toBe(0);
  });

  it('reports every accepted uuid when waiting fails, and which bulks had finished', async () => {
    const { client, bulkPosts } = setup(isStatusPoll, 2, { rate5xx: 1 });
    const error = (await runBulk(client, {
      path: '/V1/products',
      items: ITEMS,
      chunkSize: 4,
      minDelayMs: 1,
    }).catch((e: unknown) => e)) as BulkIncompleteError;
    expect(error).toBeInstanceOf(BulkIncompleteError);
    expect(error.stage).toBe('wait');
    expect(error.failedChunk).toBeUndefined();
    expect(error.resumeFrom).toBe(ITEMS.length);
    expect(bulkPosts()).toHaveLength(3);
    expect(error.accepted.map((b) => [b.firstIndex, b.count])).toEqual([
      [0, 4],
      [4, 4],
      [8, 2],
    ]);
    expect(error.accepted.filter((b) => b.finished).length).toBeLessThan(3);
    expect(error.message).toMatch(/waiting for the accepted bulks failed/);
  });

  it('checks every body before sending anything, so a bad item cannot strand accepted chunks', async () => {
    const { client, bulkPosts } = setup(() => false, 1, {});
    const items = ITEMS.map((_item, i) => (i === 7 ? { price: 1 } : { sku: `X-${i}`, price: 1 }));
    await expect(
      runBulk(client, { path: '/V1/products/{sku}', items, chunkSize: 2 }),
    ).rejects.toThrow(/items\[7\]\.sku/);
    expect(bulkPosts()).toHaveLength(0);
  });
});
