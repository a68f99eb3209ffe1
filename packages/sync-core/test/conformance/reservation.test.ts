import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  createReservations,
  InvalidInputError,
  ReservationKeyConflictError,
  ReservationNotFoundError,
  ReservationStaleError,
  ReservationStateError,
  type Reservations,
} from '../../src/index.js';
import { until } from '../support/services.js';
import { allBackends } from './backends.js';

const backends = (await allBackends()).filter((backend) => backend.reservations);
afterAll(async () => {
  for (const backend of backends) await backend.teardown();
});

/** Waits (bounded) until the store's own clock has run a hold out. */
const expiredBy = (reservations: Reservations, key: string) =>
  until(async () => (await reservations.get(key))?.status === 'expired', 10_000, 10);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.concurrent.each(backends)('reservations on $name', (backend) => {
  const setup = async (retentionMs?: number) =>
    createReservations(
      await backend.reservations!(retentionMs === undefined ? {} : { retentionMs }),
    );

  it('holds stock while it lasts and reports what is left when it does not', async () => {
    const reservations = await setup();
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
    const reservations = await setup();
    await reservations.setStock('SKU-1', 5);
    const first = await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'k', ttlMs: 60_000 });
    const again = await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'k', ttlMs: 60_000 });
    expect(again).toMatchObject({ reserved: true, created: false });
    expect(again.reserved && first.reserved && again.hold).toEqual(first.reserved && first.hold);
    expect(await reservations.available('SKU-1')).toBe(3);
    await expect(
      reservations.reserve({ sku: 'SKU-1', qty: 4, key: 'k', ttlMs: 60_000 }),
    ).rejects.toBeInstanceOf(ReservationKeyConflictError);
  });

  it('the same key reserved 20 times at once for the last unit gets one hold, created once', async () => {
    const reservations = await setup();
    await reservations.setStock('LAST', 1);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        reservations.reserve({ sku: 'LAST', qty: 1, key: 'one-cart', ttlMs: 60_000 }),
      ),
    );
    const ids = new Set(results.map((result) => (result.reserved ? result.hold.id : null)));
    expect([...ids]).toHaveLength(1);
    expect(ids.has(null)).toBe(false);
    expect(results.filter((result) => result.reserved && result.created)).toHaveLength(1);
  });

  it('confirm turns a hold into a committed decrement of stock; release gives it back', async () => {
    const reservations = await setup();
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

  it('a hold id fences confirm and release: another hold id is refused and changes nothing', async () => {
    const reservations = await setup();
    await reservations.setStock('SKU-1', 10);
    const a = await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'a', ttlMs: 60_000 });
    const b = await reservations.reserve({ sku: 'SKU-1', qty: 3, key: 'b', ttlMs: 60_000 });
    if (!a.reserved || !b.reserved) throw new Error('expected both holds');
    expect(a.hold.id).not.toBe(b.hold.id);
    for (const attempt of [
      () => reservations.confirm('a', { holdId: b.hold.id }),
      () => reservations.release('a', { holdId: b.hold.id }),
      () => reservations.confirm('a', { holdId: 'made-up' }),
    ]) {
      const error = await attempt().catch((e) => e);
      expect(error).toBeInstanceOf(ReservationStaleError);
      expect(error).toMatchObject({ code: 'RESERVATION_STALE', holdId: expect.any(String) });
    }
    expect((await reservations.get('a'))?.status).toBe('held');
    expect(await reservations.level('SKU-1')).toMatchObject({ stock: 10, held: 5 });
    expect((await reservations.confirm('a', { holdId: a.hold.id })).status).toBe('confirmed');
    // Repeating with the same id is harmless; a decided hold refuses the other decision.
    expect((await reservations.confirm('a', { holdId: a.hold.id })).status).toBe('confirmed');
    await expect(reservations.release('a', { holdId: a.hold.id })).rejects.toMatchObject({
      code: 'RESERVATION_CONFIRMED',
    });
    expect((await reservations.release('b', { holdId: b.hold.id })).status).toBe('released');
    await expect(reservations.confirm('b', { holdId: b.hold.id })).rejects.toMatchObject({
      code: 'RESERVATION_RELEASED',
    });
    expect(await reservations.level('SKU-1')).toEqual({
      sku: 'SKU-1',
      stock: 8,
      held: 0,
      available: 8,
    });
  });

  it('an expired hold stops counting, refuses confirmation for good and is swept', async () => {
    const reservations = await setup();
    await reservations.setStock('SKU-1', 2);
    await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'slow', ttlMs: 50 });
    await expiredBy(reservations, 'slow');
    expect(await reservations.available('SKU-1')).toBe(2);
    const error = await reservations.confirm('slow').catch((e) => e);
    expect(error).toBeInstanceOf(ReservationStateError);
    expect(error.code).toBe('RESERVATION_EXPIRED');
    expect((await reservations.get('slow'))?.status).toBe('expired');
    expect(
      (await reservations.reserve({ sku: 'SKU-1', qty: 2, key: 'fast', ttlMs: 60_000 })).reserved,
    ).toBe(true);
    await expect(reservations.confirm('slow')).rejects.toMatchObject({
      code: 'RESERVATION_EXPIRED',
    });
    expect((await reservations.release('slow')).status).toBe('expired');
    expect(await reservations.level('SKU-1')).toEqual({
      sku: 'SKU-1',
      stock: 2,
      held: 2,
      available: 0,
    });
  });

  it('reserving again under a key whose hold expired or was released answers reserved: false with that hold', async () => {
    const reservations = await setup();
    await reservations.setStock('AGAIN', 1);
    await reservations.reserve({ sku: 'AGAIN', qty: 1, key: 'cart-a', ttlMs: 50 });
    await expiredBy(reservations, 'cart-a');
    const rival = await reservations.reserve({
      sku: 'AGAIN',
      qty: 1,
      key: 'cart-b',
      ttlMs: 60_000,
    });
    expect(rival.reserved).toBe(true);
    // cart-a retries: the unit is cart-b's now, so "reserved" must not say otherwise.
    const retry = await reservations.reserve({
      sku: 'AGAIN',
      qty: 1,
      key: 'cart-a',
      ttlMs: 60_000,
    });
    expect(retry).toMatchObject({
      reserved: false,
      available: 0,
      level: { sku: 'AGAIN', stock: 1, held: 1, available: 0 },
      hold: { key: 'cart-a', status: 'expired' },
    });
    await reservations.setStock('FREED', 1);
    await reservations.reserve({ sku: 'FREED', qty: 1, key: 'cart-c', ttlMs: 60_000 });
    await reservations.release('cart-c');
    const again = await reservations.reserve({
      sku: 'FREED',
      qty: 1,
      key: 'cart-c',
      ttlMs: 60_000,
    });
    expect(again).toMatchObject({ reserved: false, available: 1, hold: { status: 'released' } });
    // A confirmed hold is still the same hold: repeating the reserve is harmless.
    await reservations.reserve({ sku: 'FREED', qty: 1, key: 'cart-d', ttlMs: 60_000 });
    await reservations.confirm('cart-d');
    expect(
      await reservations.reserve({ sku: 'FREED', qty: 1, key: 'cart-d', ttlMs: 60_000 }),
    ).toMatchObject({ reserved: true, created: false, hold: { status: 'confirmed' } });
  });

  it('a reserve that reuses an expired hold records it expired in the same step, and a late confirm too', async () => {
    const reservations = await setup();
    await reservations.setStock('REUSE', 1);
    await reservations.setStock('LATE', 1);
    await reservations.reserve({ sku: 'REUSE', qty: 1, key: 'gone', ttlMs: 50 });
    await reservations.reserve({ sku: 'LATE', qty: 1, key: 'late', ttlMs: 50 });
    await expiredBy(reservations, 'gone');
    await expiredBy(reservations, 'late');
    // Nothing has recorded them yet (get only reads): the rival's reserve must.
    const rival = await reservations.reserve({ sku: 'REUSE', qty: 1, key: 'rival', ttlMs: 60_000 });
    expect(rival.reserved).toBe(true);
    const gone = (await reservations.get('gone'))!;
    expect(gone.status).toBe('expired');
    expect(gone.updatedAt).toBeGreaterThanOrEqual(gone.expiresAt);
    expect(gone.updatedAt).toBeLessThanOrEqual(rival.reserved ? rival.hold.createdAt : 0);
    await expect(reservations.confirm('late')).rejects.toMatchObject({
      code: 'RESERVATION_EXPIRED',
    });
    const late = (await reservations.get('late'))!;
    expect(late.updatedAt).toBeGreaterThanOrEqual(late.expiresAt);
  });

  it('sweep records every unconfirmed hold past its expiry and changes no stock figure', async () => {
    const reservations = await setup();
    await reservations.setStock('A', 1);
    await reservations.setStock('B', 1);
    await reservations.reserve({ sku: 'A', qty: 1, key: 'a', ttlMs: 50 });
    await reservations.reserve({ sku: 'B', qty: 1, key: 'b', ttlMs: 50 });
    await reservations.confirm('a').catch(() => undefined);
    await expiredBy(reservations, 'b');
    const before = [await reservations.level('A'), await reservations.level('B')];
    // Reads may already have recorded b (memory and Redis do); sweep records whatever is left.
    const swept = await reservations.sweep();
    expect(swept.expired).toBeLessThanOrEqual(1);
    expect(swept.purged).toBe(0);
    expect(await reservations.sweep()).toEqual({ expired: 0, purged: 0 });
    expect((await reservations.get('b'))?.status).toBe('expired');
    expect((await reservations.get('b'))?.updatedAt).toBeGreaterThanOrEqual(
      (await reservations.get('b'))!.expiresAt,
    );
    expect([await reservations.level('A'), await reservations.level('B')]).toEqual(before);
    expect(await reservations.available('B')).toBe(1);
  });

  it('sweep purges settled holds after the retention and leaves stock, held and available alone', async () => {
    const reservations = await setup(300);
    await reservations.setStock('R', 10);
    const hold = async (key: string, ttlMs = 60_000) => {
      const result = await reservations.reserve({ sku: 'R', qty: 1, key, ttlMs });
      if (!result.reserved) throw new Error(`expected a hold for ${key}`);
      return result.hold;
    };
    const confirmed = await hold('confirmed');
    await hold('released');
    await hold('expired', 50);
    await hold('live');
    await reservations.confirm('confirmed');
    await reservations.release('released');
    await expiredBy(reservations, 'expired');
    const level = await reservations.level('R');
    expect(level).toEqual({ sku: 'R', stock: 9, held: 1, available: 8 });
    let purged = 0;
    await until(async () => {
      const swept = await reservations.sweep();
      expect(await reservations.level('R')).toEqual(level);
      purged += swept.purged;
      return purged === 3;
    });
    for (const key of ['confirmed', 'released', 'expired']) {
      expect(await reservations.get(key)).toBeUndefined();
    }
    expect((await reservations.holds('R')).map((h) => [h.key, h.status])).toEqual([
      ['live', 'held'],
    ]);
    // The key is free again; a confirm fenced to the purged hold's id cannot touch the new one.
    const again = await hold('confirmed');
    expect(again.id).not.toBe(confirmed.id);
    await expect(reservations.confirm('confirmed', { holdId: confirmed.id })).rejects.toMatchObject(
      { code: 'RESERVATION_STALE' },
    );
    expect((await reservations.get('confirmed'))?.status).toBe('held');
  }, 30_000);

  it('holds() pages through a SKU in key order with every final state, for audits', async () => {
    const reservations = await setup();
    await reservations.setStock('AUDIT', 10);
    for (const key of ['e', 'a', 'd', 'b', 'c']) {
      await reservations.reserve({ sku: 'AUDIT', qty: 1, key, ttlMs: key === 'd' ? 50 : 60_000 });
    }
    await reservations.reserve({ sku: 'OTHER', qty: 1, key: 'z', ttlMs: 60_000 });
    await reservations.confirm('a');
    await reservations.release('b');
    await expiredBy(reservations, 'd');
    const first = await reservations.holds('AUDIT', { limit: 2 });
    const rest = await reservations.holds('AUDIT', { after: first.at(-1)!.key, limit: 10 });
    expect([...first, ...rest].map((h) => [h.key, h.status])).toEqual([
      ['a', 'confirmed'],
      ['b', 'released'],
      ['c', 'held'],
      ['d', 'expired'],
      ['e', 'held'],
    ]);
    expect(await reservations.holds('AUDIT', { after: 'e' })).toEqual([]);
  });

  it('setStock replaces the on-hand figure from the ERP', async () => {
    const reservations = await setup();
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
    const reservations = await setup();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ sku: '', qty: 1, key: 'k', ttlMs: 1 }, 'sku'],
      [{ sku: 'S', qty: 0, key: 'k', ttlMs: 1 }, 'qty'],
      [{ sku: 'S', qty: 1.5, key: 'k', ttlMs: 1 }, 'qty'],
      [{ sku: 'S', qty: 1, key: 42, ttlMs: 1 }, 'key'],
      [{ sku: 'S', qty: 1, key: 'k', ttlMs: -5 }, 'ttlMs'],
      // UTF-8 makes both lone surrogates U+FFFD: two carts would share one hold.
      [{ sku: 'S', qty: 1, key: 'cart-\uD83D', ttlMs: 1 }, 'key'],
      [{ sku: 'S\u0000', qty: 1, key: 'k', ttlMs: 1 }, 'sku'],
    ];
    for (const [request, field] of cases) {
      const error = await reservations.reserve(request as never).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    await expect(reservations.setStock('S', -1)).rejects.toMatchObject({ field: 'qty' });
    await expect(reservations.confirm('k', { holdId: '' })).rejects.toMatchObject({
      field: 'holdId',
    });
    await expect(reservations.holds('S', { limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    await expect(reservations.holds('S', { limit: 10_001 })).rejects.toMatchObject({
      field: 'limit',
    });
    await expect(backend.reservations!({ retentionMs: 0 })).rejects.toMatchObject({
      code: 'STORE_CONFIG',
      option: 'retentionMs',
    });
  });

  it('500 concurrent reserves for 100 units: exactly 100 confirm, and released holds return to stock', async () => {
    const reservations = await setup();
    await reservations.setStock('HOT', 100);
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        reservations.reserve({ sku: 'HOT', qty: 1, key: `order-${i}`, ttlMs: 600_000 }),
      ),
    );
    const won = results.flatMap((r) => (r.reserved ? [r.hold.key] : []));
    expect(won).toHaveLength(100);
    expect(await reservations.available('HOT')).toBe(0);
    // Half the winners pay; the other half walk away.
    const confirmed = await Promise.all(won.slice(0, 50).map((key) => reservations.confirm(key)));
    expect(confirmed.every((hold) => hold.status === 'confirmed')).toBe(true);
    await Promise.all(won.slice(50).map((key) => reservations.release(key)));
    expect(await reservations.level('HOT')).toEqual({
      sku: 'HOT',
      stock: 50,
      held: 0,
      available: 50,
    });
    const late = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        reservations.reserve({ sku: 'HOT', qty: 1, key: `late-${i}`, ttlMs: 600_000 }),
      ),
    );
    expect(late.filter((r) => r.reserved)).toHaveLength(50);
    expect(await reservations.available('HOT')).toBe(0);
  }, 30_000);

  it('confirms racing reserves around the moment of expiry never oversell (40 last units)', async () => {
    const store = await backend.reservations!();
    const payer = createReservations(store);
    const rival = createReservations(store);
    const skus = Array.from({ length: 40 }, (_, i) => `EDGE-${i}`);
    for (const sku of skus) await payer.setStock(sku, 1);
    for (const sku of skus) await payer.reserve({ sku, qty: 1, key: `${sku}-payer`, ttlMs: 40 });
    // Fire both sides for every SKU across the expiry moment, spread over 0..80 ms.
    const outcomes = await Promise.all(
      skus.map(async (sku, i) => {
        await sleep(i * 2);
        const [confirmed, rivalResult] = await Promise.all([
          payer.confirm(`${sku}-payer`).then(
            () => true,
            (error: { code?: string }) => {
              expect(error.code).toBe('RESERVATION_EXPIRED');
              return false;
            },
          ),
          rival.reserve({ sku, qty: 1, key: `${sku}-rival`, ttlMs: 600_000 }),
        ]);
        return { sku, confirmed, took: rivalResult.reserved };
      }),
    );
    for (const { sku, confirmed, took } of outcomes) {
      expect({ sku, both: confirmed && took }).toEqual({ sku, both: false });
      const level = await payer.level(sku);
      expect(level.stock).toBeGreaterThanOrEqual(0);
      expect(level.held).toBeLessThanOrEqual(level.stock);
      expect(level.stock).toBe(confirmed ? 0 : 1);
      const final = (await payer.get(`${sku}-payer`))?.status;
      expect(final).toBe(confirmed ? 'confirmed' : 'expired');
    }
  }, 30_000);
});

/**
 * Calls `operation` while this process's clock reads `at`: whatever reads Date.now() during the
 * call's synchronous start (a manager deciding "now") sees the skewed time. Each manager below
 * runs at its own offset, as if on a machine whose clock is off by that much.
 */
function atClock<T>(at: number, operation: () => Promise<T>): Promise<T> {
  const spy = vi.spyOn(Date, 'now').mockReturnValue(at);
  try {
    return operation();
  } finally {
    spy.mockRestore();
  }
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as { code?: string },
  );

// Sequential (not concurrent): the clock of this process is skewed during each call.
describe.each(backends)('reservations on $name under clock skew between managers', (backend) => {
  const SKEWS = [2, 5_000];

  /** Stock 1; a slow manager holds it and confirms; a fast one tries to take the same unit. */
  async function race(skewMs: number, fastFirst: boolean) {
    const store = await backend.reservations!();
    const slow = createReservations(store);
    const fast = createReservations(store);
    const sku = `SKEW-${skewMs}-${fastFirst ? 'f' : 's'}`;
    const base = Date.now();
    // The slow manager's clock reads `base`; the fast one's reads `base + skewMs`.
    const onSlow = <T>(operation: () => Promise<T>) => atClock(base, operation);
    const onFast = <T>(operation: () => Promise<T>) => atClock(base + skewMs, operation);
    await onSlow(() => slow.setStock(sku, 1));
    // A hold whose ttl ends inside the skew window: expired for one manager, live for the other.
    const first = await onSlow(() =>
      slow.reserve({ sku, qty: 1, key: `${sku}-first`, ttlMs: Math.abs(skewMs) }),
    );
    expect(first.reserved).toBe(true);
    let took: boolean;
    let confirmError: { code?: string } | undefined;
    if (fastFirst) {
      took = (
        await onFast(() => fast.reserve({ sku, qty: 1, key: `${sku}-second`, ttlMs: 60_000 }))
      ).reserved;
      confirmError = await errorOf(onSlow(() => slow.confirm(`${sku}-first`)));
    } else {
      confirmError = await errorOf(onSlow(() => slow.confirm(`${sku}-first`)));
      took = (
        await onFast(() => fast.reserve({ sku, qty: 1, key: `${sku}-second`, ttlMs: 60_000 }))
      ).reserved;
    }
    const confirmed = confirmError === undefined;
    // Never both: the unit is either confirmed to the slow manager or held by the fast one.
    expect(confirmed && took).toBe(false);
    if (took) expect(confirmError).toMatchObject({ code: 'RESERVATION_EXPIRED' });
    const level = await slow.level(sku);
    expect(level.stock).toBeGreaterThanOrEqual(0);
    expect(level.held).toBeLessThanOrEqual(level.stock);
    expect(1 - level.stock).toBe(confirmed ? 1 : 0);
    // Once refused as expired, the hold stays expired: a later confirm is refused again.
    if (!confirmed) {
      expect(await errorOf(slow.confirm(`${sku}-first`))).toMatchObject({
        code: 'RESERVATION_EXPIRED',
      });
      expect((await slow.get(`${sku}-first`))?.status).toBe('expired');
    }
  }

  for (const skewMs of SKEWS) {
    it(`the fast manager (+${skewMs} ms) takes a unit the slow one then confirms: never both`, async () => {
      await race(skewMs, true);
    });
    it(`the slow manager confirms first, then the fast one (+${skewMs} ms) asks: never both`, async () => {
      await race(skewMs, false);
    });
    it(`the fast manager (-${skewMs} ms, i.e. behind) takes a unit: never both`, async () => {
      await race(-skewMs, true);
    });
  }
});
