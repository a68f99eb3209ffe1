// The README's quick start, run as written (the block marked doc-test: quick-start, imported from
// a scratch project that resolves the built package) with in-memory stand-ins for the ERP and
// Commerce: incremental, resumable, parks bad records, pushes only changes.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { quickStartModule } from '../../../scripts/doc-test/quick-start.mjs';
import {
  createDeadLetterList,
  type KeyValueStore,
  memoryKeyValueStore,
  type RunSummary,
} from '../src/index.js';

interface ErpItem {
  id: string;
  updatedAt: string;
  sku: string;
  quantityAvailable: number;
}
interface QuickStart {
  syncStock(
    systems: {
      erp: { itemsModifiedSince(since: Date | undefined): Promise<ErpItem[]> };
      commerce: { updateStock(batch: { sku: string; qty: number }[]): Promise<void> };
      store: KeyValueStore;
    },
    signal?: AbortSignal,
  ): Promise<RunSummary<ErpItem, { sku: string; qty: number }>>;
}

const quickStart = quickStartModule(new URL('..', import.meta.url).pathname);
afterAll(() => quickStart.remove());

describe('README quick start', () => {
  it('syncs stock incrementally, pushes only changes and parks bad records', async () => {
    const { syncStock } = (await import(quickStart.file)) as QuickStart;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const items: ErpItem[] = Array.from({ length: 10 }, (_, i) => ({
      id: `I${i}`,
      updatedAt: `2026-05-01T10:00:0${Math.floor(i / 4)}Z`,
      sku: i === 5 ? '' : `SKU-${i}`,
      quantityAvailable: i,
    }));
    const asked: (string | undefined)[] = [];
    const erp = {
      async itemsModifiedSince(since: Date | undefined) {
        asked.push(since?.toISOString());
        const from = since?.getTime() ?? Number.NEGATIVE_INFINITY;
        return items.filter((item) => Date.parse(item.updatedAt) >= from);
      },
    };
    const stock = new Map<string, number>();
    const writes: string[] = [];
    const commerce = {
      async updateStock(batch: { sku: string; qty: number }[]) {
        for (const { sku, qty } of batch) {
          stock.set(sku, qty);
          writes.push(sku);
        }
      },
    };
    const store = memoryKeyValueStore();

    const first = await syncStock({ erp, commerce, store });
    expect(first).toMatchObject({ status: 'completed', done: 9, failed: 1 });
    expect(stock.size).toBe(9);
    expect(log).toHaveBeenLastCalledWith(
      expect.stringMatching(/^stock sync: 9 written, 1 parked, /),
    );
    // Parked durably in the same store as the checkpoint, with its reason.
    const parked = await createDeadLetterList({ store, name: 'erp-stock' }).list();
    expect(parked.entries.map((entry) => [entry.id, entry.reason.message])).toEqual([
      ['I5', 'item has no SKU'],
    ]);

    // Nothing new: the second run resumes from the checkpoint (minus the look-back) and writes nothing.
    expect((await syncStock({ erp, commerce, store })).done).toBe(0);
    expect(asked).toEqual([undefined, '2026-05-01T09:59:02.000Z']);

    // A late commit inside the look-back window and an update arrive: only they are written.
    items.push({
      id: 'I0',
      updatedAt: '2026-05-01T10:00:05Z',
      sku: 'SKU-0',
      quantityAvailable: 50,
    });
    items.push({ id: 'Ia', updatedAt: '2026-05-01T10:00:01Z', sku: 'SKU-a', quantityAvailable: 7 });
    writes.length = 0;
    expect((await syncStock({ erp, commerce, store })).done).toBe(2);
    expect(writes.sort()).toEqual(['SKU-0', 'SKU-a']);
    expect(stock.get('SKU-0')).toBe(50);
  });
});
