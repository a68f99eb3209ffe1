import { describe, expect, it } from 'vitest';
import { AbortedError, PlumblineError } from './errors.js';
import { flatten, paginate } from './paginate.js';

interface Page {
  items: number[];
  hasMore: boolean;
}

const pages = (total: number, size: number, calls: number[]) => ({
  first: 0,
  fetchPage: async (offset: number) => {
    calls.push(offset);
    const items = Array.from({ length: Math.min(size, total - offset) }, (_, i) => offset + i);
    return { items, hasMore: offset + size < total };
  },
  next: (page: Page, offset: number) => (page.hasMore ? offset + size : undefined),
});

describe('paginate', () => {
  it('walks every page lazily and flattens items in order', async () => {
    const calls: number[] = [];
    const items: number[] = [];
    for await (const item of flatten(paginate(pages(25, 10, calls)), (p) => p.items))
      items.push(item);
    expect(items).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(calls).toEqual([0, 10, 20]);
  });

  it('fetches no further page once the consumer stops', async () => {
    const calls: number[] = [];
    for await (const page of paginate(pages(100, 10, calls))) {
      if (page.items[0] === 10) break;
    }
    expect(calls).toEqual([0, 10]);
  });

  it('stops with AbortedError when the signal aborts and passes the signal to fetchPage', async () => {
    const controller = new AbortController();
    const received: Array<AbortSignal | undefined> = [];
    const seen: number[] = [];
    const run = async () => {
      for await (const page of paginate({
        first: 1,
        signal: controller.signal,
        fetchPage: async (n: number, signal?: AbortSignal) => {
          received.push(signal);
          return n;
        },
        next: (n) => n + 1,
      })) {
        seen.push(page);
        if (page === 3) controller.abort();
      }
    };
    const error = await run().catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).message).toContain('after 3 page(s)');
    expect(seen).toEqual([1, 2, 3]);
    expect(received.every((s) => s === controller.signal)).toBe(true);
  });

  it('refuses a cursor that does not move and honours maxPages', async () => {
    const stuck = paginate({ first: 'a', fetchPage: async () => 1, next: () => 'a' });
    await expect(async () => {
      for await (const _ of stuck);
    }).rejects.toMatchObject({ code: 'PAGINATION_STUCK' });
    const endless = paginate({
      first: 0,
      fetchPage: async (n: number) => n,
      next: (n) => n + 1,
      maxPages: 3,
    });
    const got: number[] = [];
    const error = await (async () => {
      for await (const n of endless) got.push(n);
    })().catch((e) => e);
    expect(error).toBeInstanceOf(PlumblineError);
    expect((error as PlumblineError).code).toBe('PAGINATION_LIMIT');
    expect(got).toEqual([0, 1, 2]);
  });
});
