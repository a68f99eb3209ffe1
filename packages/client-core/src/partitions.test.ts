import { describe, expect, it } from 'vitest';
import { PartitionReadError } from './errors.js';
import { type ReadPartition, readPartitions } from './partitions.js';

/** Partitions of `pages` pages of `size` numbers each; counts what runs at once. */
function counted(count: number, pages: number, size: number) {
  const state = { running: 0, maxRunning: 0, aborted: 0, fetched: 0, started: 0, closed: 0 };
  const partitions: ReadPartition<number>[] = Array.from({ length: count }, (_, p) => ({
    range: `p${p}`,
    async *pages(signal: AbortSignal) {
      state.started++;
      try {
        yield* pagesOf(p, signal);
      } finally {
        state.closed++;
      }
    },
  }));
  async function* pagesOf(p: number, signal: AbortSignal) {
    for (let i = 0; i < pages; i++) {
      state.running++;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      await new Promise((r) => setTimeout(r, 1 + ((p * 7 + i) % 3)));
      state.running--;
      if (signal.aborted) {
        state.aborted++;
        return;
      }
      state.fetched++;
      const base = (p * pages + i) * size;
      yield Array.from({ length: size }, (_, k) => base + k);
    }
  }
  return { partitions, state };
}

async function drain<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...page);
  return out;
}

describe('readPartitions', () => {
  it('yields every item exactly once with at most `concurrency` partitions reading', async () => {
    const { partitions, state } = counted(9, 4, 5);
    const items = await drain(readPartitions(partitions, { concurrency: 3 }));
    expect(items).toHaveLength(9 * 4 * 5);
    expect(new Set(items).size).toBe(items.length);
    expect(state.maxRunning).toBeLessThanOrEqual(3);
    expect(state.maxRunning).toBeGreaterThan(1);
  });

  it('keeps partition order when ordered', async () => {
    const { partitions } = counted(6, 3, 4);
    const items = await drain(readPartitions(partitions, { concurrency: 4, ordered: true }));
    expect(items).toEqual(Array.from({ length: 6 * 3 * 4 }, (_, i) => i));
  });

  it('holds at most readAhead unread pages per running partition', async () => {
    const { partitions, state } = counted(4, 10, 1);
    let consumed = 0;
    let maxAhead = 0;
    for await (const _ of readPartitions(partitions, { concurrency: 4, readAhead: 2 })) {
      consumed++;
      maxAhead = Math.max(maxAhead, state.fetched - consumed);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(consumed).toBe(40);
    // 4 partitions × 2 pages ahead, less the page just handed over.
    expect(maxAhead).toBeLessThanOrEqual(4 * 2);
  });

  it('stops the other partitions and names the failed one in a PartitionReadError', async () => {
    const cause = new Error('HTTP 400 on page 2');
    const { partitions, state } = counted(8, 20, 1);
    const failing: ReadPartition<number>[] = partitions.map((p, i) =>
      i !== 2
        ? p
        : {
            range: 'p2',
            async *pages() {
              await new Promise((r) => setTimeout(r, 3));
              throw cause;
            },
          },
    );
    const error = await drain(readPartitions(failing, { concurrency: 4 })).catch((e) => e);
    expect(error).toBeInstanceOf(PartitionReadError);
    expect(error).toMatchObject({ code: 'PARTITION_FAILED', partition: 2, range: 'p2', cause });
    expect(error.message).toContain('HTTP 400 on page 2');
    await new Promise((r) => setTimeout(r, 20));
    // Far fewer pages than the 7 × 20 the healthy partitions hold: they were stopped.
    expect(state.fetched).toBeLessThan(7 * 20);
    expect(state.running).toBe(0);
    // Every partition that started was closed (its finally ran), none is left waiting.
    expect(state.closed).toBe(state.started);
  });

  it('aborts every partition when the consumer stops early', async () => {
    const { partitions, state } = counted(4, 50, 1);
    let seen = 0;
    for await (const _ of readPartitions(partitions, { concurrency: 4 })) {
      if (++seen === 3) break;
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(state.running).toBe(0);
    expect(state.fetched).toBeLessThan(20);
    expect(state.closed).toBe(state.started);
  });

  it('refuses a concurrency that is not a whole number >= 1', async () => {
    const { partitions } = counted(1, 1, 1);
    await expect(drain(readPartitions(partitions, { concurrency: 0 }))).rejects.toThrow(
      /`concurrency`/,
    );
  });
});
