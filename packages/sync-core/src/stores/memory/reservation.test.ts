import { describe, expect, it } from 'vitest';
import { walks } from '../../../test/support/walks.js';
import { openMemoryReservationStore } from './reservation.js';

const T0 = 1_000_000;

/** Fills one SKU with `count` one-unit holds expiring a millisecond apart from T0 + 1,000. */
async function crowded(count: number) {
  const opened = openMemoryReservationStore();
  await opened.store.setStock('HOT', count * 2, T0);
  for (let i = 0; i < count; i += 1) {
    const result = await opened.store.reserve({
      key: `cart-${i}`,
      sku: 'HOT',
      qty: 1,
      expiresAt: T0 + 1_000 + i,
      now: T0,
    });
    expect(result.ok).toBe(true);
  }
  return opened;
}

describe('memory reservation store complexity', () => {
  it('reserves and reads a crowded SKU without walking its holds', async () => {
    const { store, shape } = await crowded(10_000);
    const before = shape('HOT').work;
    const read = walks(() => store.level('HOT', T0 + 10));
    const reserve = walks(() =>
      store.reserve({ key: 'new', sku: 'HOT', qty: 1, expiresAt: T0 + 60_000, now: T0 + 10 }),
    );
    const confirm = walks(() => store.confirm('cart-5', T0 + 10));
    const release = walks(() => store.release('cart-6', T0 + 10));
    expect([read.walks, reserve.walks, confirm.walks, release.walks]).toEqual([0, 0, 0, 0]);
    expect(await read.result).toEqual({
      sku: 'HOT',
      stock: 20_000,
      held: 10_000,
      available: 10_000,
    });
    expect((await reserve.result).ok).toBe(true);
    expect(shape('HOT').work - before).toBeLessThan(4 * Math.log2(10_000));
    expect(await store.level('HOT', T0 + 10)).toEqual({
      sku: 'HOT',
      stock: 19_999,
      held: 9_999,
      available: 10_000,
    });
  });

  it('drops expired holds from the sum as the clock passes them, and stays exact if it goes back', async () => {
    const { store, shape } = await crowded(1_000);
    // 500 holds (expiring T0+1000 .. T0+1499) have run out at T0 + 1,499.
    expect((await store.level('HOT', T0 + 1_499)).held).toBe(500);
    expect(shape('HOT').expiryEntries).toBe(500);
    // A caller whose clock lags sees the holds still live at its time.
    expect((await store.level('HOT', T0 + 1_200)).held).toBe(799);
    expect((await store.level('HOT', T0 + 2_000)).held).toBe(0);
    expect((await store.get('cart-1', T0 + 2_000))?.status).toBe('expired');
    expect(shape('HOT').active).toBe(1_000);
  });

  it('sweeps only the expired holds and skips the settled ones', async () => {
    const { store, shape } = await crowded(2_000);
    for (let i = 0; i < 2_000; i += 2) await store.confirm(`cart-${i}`, T0);
    const sweep = walks(() => store.sweep(T0 + 1_010));
    expect(sweep.walks).toBe(0);
    // cart-1 .. cart-9 (odd, unconfirmed) expired by T0 + 1,010.
    expect(await sweep.result).toBe(5);
    expect(await store.sweep(T0 + 1_010)).toBe(0);
    expect(await store.sweep(T0 + 5_000)).toBe(995);
    expect(shape('HOT')).toMatchObject({ active: 0, sweepEntries: 0 });
    expect(await store.level('HOT', T0 + 5_000)).toEqual({
      sku: 'HOT',
      stock: 3_000,
      held: 0,
      available: 3_000,
    });
  });
});
