// The runner's source may return a promise of an array; the item type is inferred from it.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { memoryDeadLetter } from './dead-letter.js';
import { createRunner } from './runner.js';

describe('runner sources', () => {
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
