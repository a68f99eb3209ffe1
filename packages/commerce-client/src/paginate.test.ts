import { describe, expect, it } from 'vitest';
import { createCommerceClient } from './client.js';
import { CommerceInputError, CommerceResponseError } from './errors.js';
import { paginate } from './paginate.js';
import { searchCriteria } from './query/search-criteria.js';
import { createCommerceEmulator } from './testing/emulator.js';

function setup(productCount: number) {
  const emulator = createCommerceEmulator({
    integrationTokens: ['t'],
    seed: {
      products: Array.from({ length: productCount }, (_, i) => ({
        sku: `SKU-${String(i + 1).padStart(3, '0')}`,
        name: `Product ${i + 1}`,
        price: i % 2 === 0 ? 10 : 20,
      })),
    },
  });
  const calls: string[] = [];
  const client = createCommerceClient({
    baseUrl: 'http://emulator.test',
    auth: { type: 'bearer', token: 't' },
    fetch: (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      calls.push(decodeURIComponent(new URL(request.url).search));
      return emulator.fetch(request);
    },
  });
  return { emulator, client, calls };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('paginate (page mode)', () => {
  it('walks every page with the filters and stops on total_count', async () => {
    const { client, calls } = setup(45);
    const items = await collect(
      paginate(client, '/V1/products', {
        criteria: searchCriteria().where('price', 'eq', 10).orderBy('sku'),
        pageSize: 10,
      }),
    );
    expect(items).toHaveLength(23);
    expect(new Set(items.map((p) => p.sku)).size).toBe(23);
    expect(items.every((p) => p.price === 10)).toBe(true);
    expect(calls).toHaveLength(3);
    expect(calls[2]).toContain('searchCriteria[currentPage]=3');
  });

  it('stops when the server answers the last page again (Magento #3787) instead of looping', async () => {
    const { emulator } = setup(25);
    // A store that over-reports total_count: without the repeat guard paging would never end.
    const lying = createCommerceClient({
      baseUrl: 'http://emulator.test',
      auth: { type: 'bearer', token: 't' },
      fetch: async (input: Request | string | URL, init?: RequestInit) => {
        const response = await emulator.fetch(new Request(input, init));
        const body = (await response.json()) as { total_count: number };
        return Response.json({ ...body, total_count: 10_000 }, { status: response.status });
      },
    });
    const pages: number[] = [];
    const items = await collect(
      paginate(lying, '/V1/products', { pageSize: 10, onPage: (p) => pages.push(p.items.length) }),
    );
    expect(items).toHaveLength(25);
    expect(pages).toEqual([10, 10, 5]);
  });

  it('throws CommerceResponseError when the client does not throw on HTTP errors', async () => {
    const emulator = createCommerceEmulator();
    const client = createCommerceClient({
      baseUrl: 'http://emulator.test',
      auth: { type: 'bearer', token: 'not-accepted' },
      throwOnError: false,
      fetch: (input: Request | string | URL, init?: RequestInit) =>
        emulator.fetch(new Request(input, init)),
    });
    const error = await collect(paginate(client, '/V1/orders')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommerceResponseError);
    expect((error as CommerceResponseError).status).toBe(401);
  });

  it('rejects bad options with typed errors', async () => {
    const { client } = setup(1);
    await expect(collect(paginate(client, '/V1/products', { pageSize: 0 }))).rejects.toBeInstanceOf(
      CommerceInputError,
    );
    await expect(
      collect(
        paginate(client, '/V1/products', {
          criteria: searchCriteria().orderBy('sku'),
          keyset: { field: 'id' },
        }),
      ),
    ).rejects.toThrow(/criteria.sort_orders/);
  });
});

describe('paginate (keyset mode) while the data changes', () => {
  it('id keyset: rows inserted and updated during the scan are neither skipped nor repeated', async () => {
    const { client, emulator, calls } = setup(25);
    const seen: number[] = [];
    let inserted = 0;
    for await (const product of paginate(client, '/V1/products', {
      pageSize: 10,
      keyset: { field: 'id' },
    })) {
      seen.push(Number(product.id));
      if (seen.length % 10 === 0) {
        // Between pages: another process inserts a product and renames an early one.
        emulator.state.saveProduct({ sku: `NEW-${++inserted}`, name: 'Inserted' });
        emulator.state.saveProduct({ sku: 'SKU-001', name: 'Renamed' });
      }
    }
    expect(inserted).toBe(2);
    expect(seen).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    expect(calls[1]).toContain(
      '[field]=id&searchCriteria[filter_groups][0][filters][0][value]=10&searchCriteria[filter_groups][0][filters][0][condition_type]=gt',
    );
    expect(calls[1]).toContain('searchCriteria[currentPage]=1');
  });

  it('updated_at + id keyset: every version once, updated rows come back with their newer updated_at', async () => {
    const { client, emulator } = setup(25); // all 25 share one updated_at second: the id breaks ties
    const seen: { id: number; updated_at: string }[] = [];
    const cursors: unknown[] = [];
    for await (const product of paginate(client, '/V1/products', {
      pageSize: 10,
      keyset: { field: 'updated_at', tieBreaker: 'id' },
      onPage: (page) => cursors.push(page.cursor),
    })) {
      seen.push({ id: Number(product.id), updated_at: String(product.updated_at) });
      if (seen.length === 10) {
        emulator.state.advanceTime(1000);
        for (const sku of ['SKU-001', 'SKU-002', 'SKU-020', 'SKU-021'])
          emulator.state.saveProduct({ sku, price: 99 });
        emulator.state.saveProduct({ sku: 'NEW-1', name: 'Inserted' });
      }
    }
    const versions = seen.map((s) => `${s.id}@${s.updated_at}`);
    expect(new Set(versions).size).toBe(versions.length);
    const ids = seen.map((s) => s.id);
    for (let id = 1; id <= 26; id++) expect(ids).toContain(id);
    expect(ids.filter((id) => id === 1)).toHaveLength(2);
    expect(ids.filter((id) => id === 20)).toHaveLength(1);
    expect(seen.at(-1)?.id).toBe(26);
    expect(cursors[0]).toEqual({ value: seen[9]?.updated_at, id: 10 });
  });

  it('resumes after a cursor', async () => {
    const { client } = setup(12);
    const rest = await collect(
      paginate(client, '/V1/products', {
        pageSize: 5,
        keyset: { field: 'id', after: { value: 9 } },
      }),
    );
    expect(rest.map((p) => p.id)).toEqual([10, 11, 12]);
  });
});
