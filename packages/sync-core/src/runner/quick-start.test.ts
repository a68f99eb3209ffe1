// The README's quick start, run against in-memory stand-ins for the ERP and Commerce.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createCheckpointStore } from '../cursor/checkpoint-store.js';
import { createDeadLetterList } from '../dead-letter/dead-letter-list.js';
import { createHashStore } from '../hash/hash-store.js';
import { memoryKeyValueStore } from '../memory/kv.js';
import { defineOwnership } from '../ownership/ownership.js';
import { memoryDeadLetter } from './dead-letter.js';
import { createRunner, type RunnerProgress } from './runner.js';

interface ErpItem {
  id: string;
  updatedAt: string;
  sku: string;
  quantityAvailable: number;
}

function fakeErp(items: ErpItem[]) {
  return {
    async *itemsModifiedSince(since: Date | undefined) {
      const from = since?.getTime() ?? Number.NEGATIVE_INFINITY;
      const rows = items
        .filter((item) => Date.parse(item.updatedAt) >= from)
        .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
      for (let i = 0; i < rows.length; i += 3) yield rows.slice(i, i + 3);
    },
  };
}

describe('README quick start', () => {
  it('syncs stock incrementally, pushes only changes and parks bad records', async () => {
    const items: ErpItem[] = Array.from({ length: 10 }, (_, i) => ({
      id: `I${i}`,
      updatedAt: `2026-05-01T10:00:0${Math.floor(i / 4)}Z`,
      sku: i === 5 ? '' : `SKU-${i}`,
      quantityAvailable: i,
    }));
    const erp = fakeErp(items);
    const stock = new Map<string, number>();
    const commerce = {
      async updateStock(batch: { sku: string; qty: number }[]) {
        for (const { sku, qty } of batch) stock.set(sku, qty);
      },
    };

    const store = memoryKeyValueStore();
    const ownership = defineOwnership<{ product: { sku: string; qty: number; name: string } }>()({
      systems: ['commerce', 'erp'] as const,
      entities: { product: { default: 'erp', fields: { name: 'commerce' } } },
    });
    const deadLetter = createDeadLetterList({
      store,
      name: 'erp-stock',
      key: (item: { id: string }) => item.id,
    });
    const progress: RunnerProgress[] = [];
    const runner = createRunner({
      source: ({ window }) => erp.itemsModifiedSince(window?.since),
      validate: (item) => (item.sku ? undefined : 'item has no SKU'),
      transform: (item) => ({ sku: item.sku, qty: item.quantityAvailable }),
      sink: (batch) => commerce.updateStock(batch),
      batchSize: 4,
      concurrency: 2,
      cursor: {
        checkpoints: createCheckpointStore({ store }),
        name: 'erp-stock',
        options: { lookBackMs: 60_000 },
      },
      ownership: { ownership, source: 'erp', entity: 'product', target: 'commerce' },
      changes: { hashes: createHashStore({ store }), entity: 'product', key: (p) => p.sku },
      deadLetter,
      onProgress: (event) => progress.push(event),
    });

    const first = await runner.run();
    expect(first).toMatchObject({ status: 'completed', done: 9, failed: 1 });
    expect(stock.size).toBe(9);
    // Parked durably in the same store as the checkpoint, with its reason.
    const parked = (await deadLetter.list()).entries;
    expect(parked.map((entry) => [entry.id, entry.reason, entry.attempts])).toEqual([
      ['I5', { stage: 'validate', message: 'item has no SKU', code: 'VALIDATE_FAILED' }, 1],
    ]);
    expect(progress.at(-1)?.done).toBe(9);

    // Nothing new: the cursor's look-back re-reads the window but delivers nothing twice.
    expect((await runner.run()).done).toBe(0);

    // A late commit inside the look-back window and an update arrive.
    items.push({
      id: 'I0',
      updatedAt: '2026-05-01T10:00:05Z',
      sku: 'SKU-0',
      quantityAvailable: 50,
    });
    items.push({ id: 'Ia', updatedAt: '2026-05-01T10:00:01Z', sku: 'SKU-a', quantityAvailable: 7 });
    const third = await runner.run();
    expect(third.done).toBe(2);
    expect(stock.get('SKU-0')).toBe(50);
    expect(stock.get('SKU-a')).toBe(7);
  });

  it('accepts a source that returns a promise of an array, and infers the item type from it', async () => {
    interface Item {
      sku: string;
      quantityAvailable: number;
    }
    const erp = {
      async itemsModifiedSince(_since: Date | undefined): Promise<Item[]> {
        return [
          { sku: 'A', quantityAvailable: 1 },
          { sku: '', quantityAvailable: 2 },
        ];
      },
    };
    const stock: { sku: string; qty: number }[] = [];
    const deadLetter = memoryDeadLetter<Item>();
    const runner = createRunner({
      source: ({ window }) => erp.itemsModifiedSince(window?.since),
      validate: (item) => {
        expectTypeOf(item).toEqualTypeOf<Item>();
        return item.sku ? undefined : 'item has no SKU';
      },
      transform: (item) => ({ sku: item.sku, qty: item.quantityAvailable }),
      sink: (batch) => {
        expectTypeOf(batch).toEqualTypeOf<{ sku: string; qty: number }[]>();
        stock.push(...batch);
      },
      batchSize: 10,
      concurrency: 1,
      deadLetter,
    });
    expect(await runner.run()).toMatchObject({ done: 1, failed: 1 });
    expect(stock).toEqual([{ sku: 'A', qty: 1 }]);
  });
});
