import { describe, expect, it } from 'vitest';
import {
  InvalidOptionError,
  ReconcileCapacityError,
  ReconcileDuplicateKeyError,
  ReconcileOrderError,
} from '../errors.js';
import { compareStreams, reconcile } from './reconcile.js';

interface Order {
  increment_id: string;
  grand_total: number;
  status: string;
}
interface SalesOrder {
  otherRefNum: string;
  total: string;
  status: string;
}

const orders: Order[] = [
  { increment_id: '100', grand_total: 10, status: 'processing' },
  { increment_id: '101', grand_total: 20, status: 'complete' },
  { increment_id: '103', grand_total: 30, status: 'complete' },
];
const salesOrders: SalesOrder[] = [
  { otherRefNum: '100', total: '10.00', status: 'processing' },
  { otherRefNum: '102', total: '5.00', status: 'complete' },
  { otherRefNum: '103', total: '31.00', status: 'complete' },
];
const options = {
  key: { left: (o: Order) => o.increment_id, right: (s: SalesOrder) => s.otherRefNum },
  map: {
    left: (o: Order) => ({ total: o.grand_total, status: o.status }),
    right: (s: SalesOrder) => ({ total: Number(s.total), status: s.status }),
  },
};

async function* stream<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

describe('reconcile', () => {
  for (const sorted of [true, false]) {
    it(`reports missing on either side and field differences (sorted: ${sorted})`, async () => {
      const redriven: string[] = [];
      const report = await reconcile(stream(orders), stream(salesOrders), {
        ...options,
        sorted,
        redrive: ({ missingFrom, key }) => {
          redriven.push(`${missingFrom}:${key}`);
        },
      });
      expect(report.missingRight).toEqual([{ key: '101', left: orders[1] }]);
      expect(report.missingLeft).toEqual([{ key: '102', right: salesOrders[1] }]);
      expect(report.different).toEqual([
        { key: '103', differences: [{ field: 'total', left: 30, right: 31 }] },
      ]);
      expect(report.stats).toMatchObject({
        matched: 1,
        missingLeft: 1,
        missingRight: 1,
        different: 1,
      });
      expect(redriven.sort()).toEqual(['left:102', 'right:101']);
      expect(report.redriven).toBe(2);
    });
  }

  it('compares only the chosen fields, by content', async () => {
    const report = await reconcile(
      [{ id: 1, price: 1, at: new Date('2026-01-01T00:00:00Z'), note: 'a' }],
      [{ id: 1, price: 1.0, at: '2026-01-01T00:00:00.000Z', note: 'b' }],
      { key: 'id', compare: ['price', 'at'] },
    );
    expect(report.stats.matched).toBe(1);
  });

  it('records a failing redrive without stopping', async () => {
    const report = await reconcile([{ id: 1 }, { id: 2 }], [], {
      key: 'id',
      redrive: ({ key }) => {
        if (key === 1) throw new Error('queue down');
      },
    });
    expect(report.redriven).toBe(1);
    expect(report.redriveFailures).toEqual([{ key: 1, error: 'queue down' }]);
  });

  it('streams 200,000 sorted rows per side holding at most one record per side', async () => {
    const total = 200_000;
    async function* side(name: 'left' | 'right') {
      for (let i = 0; i < total; i += 1) {
        if (name === 'left' && i % 50_000 === 7) continue; // missing on the left
        yield { id: i, qty: name === 'right' && i % 40_000 === 3 ? -1 : i % 10 };
      }
    }
    const events = compareStreams(side('left'), side('right'), { key: 'id', compare: ['qty'] });
    let missingLeft = 0;
    let different = 0;
    for await (const event of events) {
      if (event.type === 'missing-left') missingLeft += 1;
      if (event.type === 'different') different += 1;
    }
    expect(missingLeft).toBe(4);
    expect(different).toBe(5);
    expect(events.stats.matched).toBe(total - 9);
    expect(events.stats.peakBuffered).toBe(2);
  });

  it('reads two sorted streams in step by key, so memory cannot grow with the stream', async () => {
    // Observed from outside: each side records the key it was last asked for. A join that read
    // one side ahead (buffering it) would open a gap between the two; a merge-join keeps them
    // within a key or two of each other from the first record to the last.
    const total = 50_000;
    const last = { left: -1, right: -1 };
    let widestGap = 0;
    async function* side(name: 'left' | 'right') {
      for (let id = 0; id < total; id += 1) {
        if (name === 'left' && id % 1_000 === 5) continue; // missing on the left
        if (name === 'right' && id % 7_000 === 9) continue; // missing on the right
        last[name] = id;
        widestGap = Math.max(widestGap, Math.abs(last.left - last.right));
        yield { id, total: id % 13 };
      }
    }
    const report = await reconcile(side('left'), side('right'), { key: 'id' });
    expect(report.stats).toMatchObject({ missingLeft: 50, missingRight: 8, different: 0 });
    expect(report.stats.matched).toBe(total - 58);
    expect(widestGap).toBeLessThanOrEqual(2);
  });

  it('keeps report lists bounded while counts stay exact', async () => {
    const left = Array.from({ length: 30 }, (_, i) => ({ id: i }));
    const report = await reconcile(left, [], { key: 'id', maxReported: 5 });
    expect(report.missingRight).toHaveLength(5);
    expect(report.stats.missingRight).toBe(30);
  });

  it('numbers sort numerically, strings by code unit', async () => {
    const report = await reconcile([{ id: 2 }, { id: 10 }], [{ id: 2 }, { id: 10 }], { key: 'id' });
    expect(report.stats.matched).toBe(2);
  });

  it('raises typed errors for unsorted or duplicate streams and over-capacity memory mode', async () => {
    await expect(reconcile([{ id: 'b' }, { id: 'a' }], [], { key: 'id' })).rejects.toThrow(
      ReconcileOrderError,
    );
    await expect(reconcile([], [{ id: 'a' }, { id: 'a' }], { key: 'id' })).rejects.toThrow(
      ReconcileDuplicateKeyError,
    );
    await expect(
      reconcile([], [{ id: 'b' }, { id: 'a' }, { id: 'c' }], {
        key: 'id',
        sorted: false,
        maxInMemory: 2,
      }),
    ).rejects.toThrow(ReconcileCapacityError);
    await expect(reconcile([{ id: {} }], [], { key: 'id' })).rejects.toThrow(InvalidOptionError);
    // The in-memory mode accepts any order.
    const report = await reconcile([{ id: 'b' }, { id: 'a' }], [{ id: 'a' }, { id: 'b' }], {
      key: 'id',
      sorted: false,
    });
    expect(report.stats).toMatchObject({ matched: 2, peakBuffered: 3 });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      reconcile([{ id: 1 }], [{ id: 1 }], { key: 'id', signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
