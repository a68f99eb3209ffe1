import { afterAll, describe, expect, it } from 'vitest';
import {
  createReservations,
  InvalidInputError,
  ReservationKeyConflictError,
  ReservationNotFoundError,
  ReservationStateError,
} from '../../src/index.js';
import { fakeClock } from '../support/services.js';
import { allBackends } from './backends.js';

const backends = (await allBackends()).filter((backend) => backend.reservations);
afterAll(async () => {
  for (const backend of backends) await backend.teardown();
});

describe.concurrent.each(backends)('reservations on $name', (backend) => {
  const setup = async () => {
    const clock = fakeClock();
    const reservations = createReservations(await backend.reservations!(), { clock: clock.now });
    return { clock, reservations };
  };

  it('holds stock while it lasts and reports what is left when it does not', async () => {
    const { reservations } = await setup();
    await reservations.setStock('SKU-1', 5);
    const first = await reservations.reserve({
      sku: 'SKU-1',
      qty: 3,
      key: 'cart-1',
      ttlMs: 60_000,
    });
    expect(first).toMatchObject({
      reserved: true,
      created: true,
      hold: { status: 'held', qty: 3 },
    });
    expect(await reservations.available('SKU-1')).toBe(2);
    const second = await reservations.reserve({
      sku: 'SKU-1',
      qty: 3,
      key: 'cart-2',
      ttlMs: 60_000,
    });
    expect(second).toMatchObject({ reserved: false, available: 2 });
    expect(await reservations.level('SKU-1')).toEqual({
      sku: 'SKU-1',
      stock: 5,
      held: 3,
      available: 2,
    });
    expect(await reservations.available('UNKNOWN')).toBe(0);
  });

  it('is idempotent by key and refuses a key reused for something else', async () => {
    const { reservations } = await setup();
    await reservations.setStock('SKU-1', 5);
    const first = await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'k', ttlMs: 60_000 });
    const again = await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'k', ttlMs: 60_000 });
    expect(again).toMatchObject({ reserved: true, created: false });
    expect(again.reserved && first.reserved && again.hold.createdAt).toBe(
      first.reserved && first.hold.createdAt,
    );
    expect(await reservations.available('SKU-1')).toBe(3);
    await expect(
      reservations.reserve({ sku: 'SKU-1', qty: 4, key: 'k', ttlMs: 60_000 }),
    ).rejects.toBeInstanceOf(ReservationKeyConflictError);
  });

  it('confirm turns a hold into a committed decrement of stock; release gives it back', async () => {
    const { reservations } = await setup();
    await reservations.setStock('SKU-1', 10);
    await reservations.reserve({ sku: 'SKU-1', qty: 4, key: 'a', ttlMs: 60_000 });
    await reservations.reserve({ sku: 'SKU-1', qty: 3, key: 'b', ttlMs: 60_000 });
    expect((await reservations.confirm('a')).status).toBe('confirmed');
    expect((await reservations.confirm('a')).status).toBe('confirmed');
    expect(await reservations.level('SKU-1')).toEqual({
      sku: 'SKU-1',
      stock: 6,
      held: 3,
      available: 3,
    });
    expect((await reservations.release('b')).status).toBe('released');
    expect((await reservations.release('b')).status).toBe('released');
    expect(await reservations.available('SKU-1')).toBe(6);
    await expect(reservations.release('a')).rejects.toMatchObject({
      code: 'RESERVATION_CONFIRMED',
    });
    await expect(reservations.confirm('b')).rejects.toMatchObject({ code: 'RESERVATION_RELEASED' });
    await expect(reservations.confirm('nope')).rejects.toBeInstanceOf(ReservationNotFoundError);
  });

  it('expired holds stop counting at once, refuse confirmation and are swept', async () => {
    const { clock, reservations } = await setup();
    await reservations.setStock('SKU-1', 2);
    await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'slow', ttlMs: 1_000 });
    expect(await reservations.available('SKU-1')).toBe(0);
    clock.advance(1_000);
    expect(await reservations.available('SKU-1')).toBe(2);
    expect((await reservations.get('slow'))?.status).toBe('expired');
    const error = await reservations.confirm('slow').catch((e) => e);
    expect(error).toBeInstanceOf(ReservationStateError);
    expect(error.code).toBe('RESERVATION_EXPIRED');
    expect(
      (await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'fast', ttlMs: 1_000 })).reserved,
    ).toBe(true);
  });

  it('sweep marks every unconfirmed hold past its expiry', async () => {
    const { clock, reservations } = await setup();
    await reservations.setStock('A', 1);
    await reservations.setStock('B', 1);
    await reservations.reserve({ sku: 'A', qty: 1, key: 'a', ttlMs: 1_000 });
    await reservations.reserve({ sku: 'B', qty: 1, key: 'b', ttlMs: 1_000 });
    await reservations.confirm('a');
    clock.advance(1_000);
    expect(await reservations.sweep()).toBe(1);
    expect(await reservations.sweep()).toBe(0);
    expect((await reservations.get('b'))?.status).toBe('expired');
    expect((await reservations.get('a'))?.status).toBe('confirmed');
    expect(await reservations.available('B')).toBe(1);
  });

  it('setStock replaces the on-hand figure from the ERP', async () => {
    const { reservations } = await setup();
    await reservations.setStock('SKU-1', 3);
    await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'a', ttlMs: 60_000 });
    await reservations.setStock('SKU-1', 1);
    expect(await reservations.level('SKU-1')).toEqual({
      sku: 'SKU-1',
      stock: 1,
      held: 2,
      available: 0,
    });
    expect(
      (await reservations.reserve({ sku: 'SKU-1', qty: 1, key: 'b', ttlMs: 60_000 })).reserved,
    ).toBe(false);
  });

  it('rejects bad input with a typed error naming the field', async () => {
    const { reservations } = await setup();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ sku: '', qty: 1, key: 'k', ttlMs: 1 }, 'sku'],
      [{ sku: 'S', qty: 0, key: 'k', ttlMs: 1 }, 'qty'],
      [{ sku: 'S', qty: 1.5, key: 'k', ttlMs: 1 }, 'qty'],
      [{ sku: 'S', qty: 1, key: 42, ttlMs: 1 }, 'key'],
      [{ sku: 'S', qty: 1, key: 'k', ttlMs: -5 }, 'ttlMs'],
    ];
    for (const [request, field] of cases) {
      const error = await reservations.reserve(request as never).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    await expect(reservations.setStock('S', -1)).rejects.toMatchObject({ field: 'qty' });
  });

  it('500 concurrent reserves for 100 units: exactly 100 confirm, and expired holds return to stock', async () => {
    const { clock, reservations } = await setup();
    await reservations.setStock('HOT', 100);
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        reservations.reserve({ sku: 'HOT', qty: 1, key: `order-${i}`, ttlMs: 10_000 }),
      ),
    );
    const won = results.filter((r) => r.reserved);
    expect(won).toHaveLength(100);
    expect(await reservations.available('HOT')).toBe(0);
    // Half the winners pay; the other half walk away and their holds expire.
    const paying = won.slice(0, 50).map((r) => (r.reserved ? r.hold.key : ''));
    const confirmed = await Promise.all(paying.map((key) => reservations.confirm(key)));
    expect(confirmed.every((hold) => hold.status === 'confirmed')).toBe(true);
    clock.advance(10_000);
    expect(await reservations.level('HOT')).toEqual({
      sku: 'HOT',
      stock: 50,
      held: 0,
      available: 50,
    });
    const late = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        reservations.reserve({ sku: 'HOT', qty: 1, key: `late-${i}`, ttlMs: 10_000 }),
      ),
    );
    expect(late.filter((r) => r.reserved)).toHaveLength(50);
    expect(await reservations.available('HOT')).toBe(0);
  }, 30_000);
});
