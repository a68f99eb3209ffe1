import { describe, expect, it } from 'vitest';
import { walks } from '../../../test/support/walks.js';
import { openMemoryReservationStore } from './reservation.js';

const T0 = 1_000_000;

/** Fills one SKU with `count` one-unit holds expiring a millisecond apart from T0 + 1,000. */
async function crowded(count: number, retentionMs?: number) {
  let now = T0;
  const opened = openMemoryReservationStore({
    clock: () => now,
    ...(retentionMs === undefined ? {} : { retentionMs }),
  });
  await opened.store.setStock('HOT', count * 2);
  for (let i = 0; i < count; i += 1) {
    const result = await opened.store.reserve({
      key: `cart-${i}`,
      sku: 'HOT',
      qty: 1,
      ttlMs: 1_000 + i,
      id: `hold-${i}`,
    });
    expect(result.ok).toBe(true);
  }
  return {
    ...opened,
    at(time: number) {
      now = time;
    },
  };
}

describe('memory reservation store complexity', () => {
  it('reserves and reads a crowded SKU without walking its holds', async () => {
    const { store, shape, at } = await crowded(10_000);
    at(T0 + 10);
    const before = shape('HOT').work;
    const read = walks(() => store.level('HOT'));
    const reserve = walks(() =>
      store.reserve({ key: 'new', sku: 'HOT', qty: 1, ttlMs: 60_000, id: 'hold-new' }),
    );
    const confirm = walks(() => store.confirm('cart-5'));
    const release = walks(() => store.release('cart-6'));
    expect([read.walks, reserve.walks, confirm.walks, release.walks]).toEqual([0, 0, 0, 0]);
    expect(await read.result).toEqual({
      sku: 'HOT',
      stock: 20_000,
      held: 10_000,
      available: 10_000,
    });
    expect((await reserve.result).ok).toBe(true);
    expect(shape('HOT').work - before).toBeLessThan(4 * Math.log2(10_000));
    expect(await store.level('HOT')).toEqual({
      sku: 'HOT',
      stock: 19_999,
      held: 9_999,
      available: 10_000,
    });
  });

  it('records holds expired as its clock passes them, and a clock stepping back changes nothing', async () => {
    const { store, shape, at } = await crowded(1_000);
    // 500 holds (expiring T0+1000 .. T0+1499) have run out at T0 + 1,499.
    at(T0 + 1_499);
    expect((await store.level('HOT')).held).toBe(500);
    expect(shape('HOT')).toMatchObject({ expiryEntries: 500, active: 500, settled: 500 });
    // The clock steps back 299 ms: the store's time does not, and an expired hold stays expired.
    at(T0 + 1_200);
    expect((await store.level('HOT')).held).toBe(500);
    expect((await store.get('cart-250'))?.status).toBe('expired');
    expect((await store.confirm('cart-250'))?.status).toBe('expired');
    expect((await store.level('HOT')).stock).toBe(2_000);
    at(T0 + 2_000);
    expect((await store.level('HOT')).held).toBe(0);
    expect((await store.get('cart-1'))?.status).toBe('expired');
    expect(shape('HOT').active).toBe(0);
  });

  it('sweeps only the expired holds and skips the settled ones', async () => {
    const { store, shape, at } = await crowded(2_000);
    for (let i = 0; i < 2_000; i += 2) await store.confirm(`cart-${i}`);
    at(T0 + 1_010);
    const sweep = walks(() => store.sweep());
    expect(sweep.walks).toBe(0);
    // cart-1 .. cart-9 (odd, unconfirmed) expired by T0 + 1,010.
    expect(await sweep.result).toEqual({ expired: 5, purged: 0 });
    expect(await store.sweep()).toEqual({ expired: 0, purged: 0 });
    at(T0 + 5_000);
    expect(await store.sweep()).toEqual({ expired: 995, purged: 0 });
    expect(shape('HOT')).toMatchObject({ active: 0, sweepEntries: 0 });
    expect(await store.level('HOT')).toEqual({
      sku: 'HOT',
      stock: 3_000,
      held: 0,
      available: 3_000,
    });
  });

  it('purges settled holds in the order they settled, without walking the rest', async () => {
    const { store, shape, at } = await crowded(2_000, 10_000);
    for (let i = 0; i < 1_000; i += 1) await store.release(`cart-${i}`);
    at(T0 + 5_000);
    // The other 1,000 expire at T0 + 5,000: settled 5 s after the released ones.
    expect(await store.sweep()).toEqual({ expired: 1_000, purged: 0 });
    at(T0 + 10_000);
    const purge = walks(() => store.sweep());
    expect(purge.walks).toBe(0);
    expect(await purge.result).toEqual({ expired: 0, purged: 1_000 });
    expect(shape('HOT').settled).toBe(1_000);
    expect(await store.get('cart-0')).toBeUndefined();
    expect((await store.get('cart-1999'))?.status).toBe('expired');
    at(T0 + 15_000);
    expect(await store.sweep()).toEqual({ expired: 0, purged: 1_000 });
    expect(shape('HOT').settled).toBe(0);
    expect(await store.level('HOT')).toEqual({
      sku: 'HOT',
      stock: 4_000,
      held: 0,
      available: 4_000,
    });
  });
});
