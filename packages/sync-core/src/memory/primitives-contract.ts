// A behaviour suite for the primitives that keep state in a KeyValueStore (checkpoints, hashes,
// echo fingerprints, the conflict log). Durable store tests call it with their store factory to
// show the primitives work there unchanged. Test-only: not part of the public API or the build.
import { expect, it } from 'vitest';
import { createBaseStore } from '../conflict/base-store.js';
import { createConflictLog } from '../conflict/conflict-log.js';
import { lastWriterWins } from '../conflict/policies.js';
import { createConflictResolver } from '../conflict/resolver.js';
import { createCheckpointStore } from '../cursor/checkpoint-store.js';
import { createDeadLetterList } from '../dead-letter/dead-letter-list.js';
import { createEchoGuard } from '../echo/echo-guard.js';
import { createHashStore } from '../hash/hash-store.js';
import type { KeyValueStore } from '../kv.js';

/** Registers `it` blocks that run every KeyValueStore-backed primitive on stores from `open`. */
export function primitivesOnKeyValueStore(open: () => Promise<KeyValueStore>): void {
  it('commits and loads cursor checkpoints by name', async () => {
    const store = await open();
    const checkpoints = createCheckpointStore({ store });
    const cursor = await checkpoints.load<{ id: string; updatedAt: number }>('orders/eu', {
      lookBackMs: 5,
    });
    const batch = cursor.filter([
      { id: 'b', updatedAt: 10 },
      { id: 'a', updatedAt: 10 },
    ]);
    await checkpoints.commit('orders/eu', cursor.advance(batch));
    const again = await createCheckpointStore({ store }).load<{ id: string; updatedAt: number }>(
      'orders/eu',
      {
        lookBackMs: 5,
      },
    );
    expect(again.state.watermark).toEqual({ updatedAt: 10, id: 'b' });
    expect(
      again.filter([
        { id: 'a', updatedAt: 10 },
        { id: 'c', updatedAt: 10 },
      ]),
    ).toEqual([{ id: 'c', updatedAt: 10 }]);
    expect((await checkpoints.load('orders')).state.watermark).toBeUndefined();
  });

  it('detects changed content per entity and key', async () => {
    const hashes = createHashStore({ store: await open() });
    await hashes.record('product', 'SKU%_*1', { price: 1 });
    expect(await hashes.changed('product', 'SKU%_*1', { price: 1.0 })).toBe(false);
    expect(await hashes.changed('product', 'SKU%_*1', { price: 2 })).toBe(true);
    expect(await hashes.changed('product', 'SKU%_*', { price: 1 })).toBe(true);
  });

  it('keeps the last synced base per entity and key', async () => {
    const bases = createBaseStore({ store: await open() });
    await bases.set('customer', 'C/1', { email: 'a@x.io', at: new Date(0) });
    expect(await bases.get('customer', 'C/1')).toEqual({
      email: 'a@x.io',
      at: '1970-01-01T00:00:00.000Z',
    });
    expect(await bases.get('customer', 'C')).toBeUndefined();
    await bases.delete('customer', 'C/1');
    expect(await bases.get('customer', 'C/1')).toBeUndefined();
  });

  it('recognises echoes by fingerprint and origin tag, each match consumed once', async () => {
    const echo = createEchoGuard({
      store: await open(),
      ttlMs: 60_000,
      ignoreFields: ['updated_at'],
    });
    await echo.remember('commerce', 'product', 'A/1', { price: 5 });
    await echo.remember('commerce', 'product', 'A', 'run-7');
    // A user's edit of a field the write did not carry is not an echo.
    expect(await echo.isEcho('commerce', 'product', 'A/1', { price: 5, name: 'edited' })).toBe(
      false,
    );
    expect(await echo.isEcho('commerce', 'product', 'A/1', { price: 5, updated_at: 'now' })).toBe(
      true,
    );
    expect(await echo.isEcho('commerce', 'product', 'A/1', { price: 5 })).toBe(false); // consumed
    expect(await echo.isEcho('commerce', 'product', 'A', { price: 5 })).toBe(false);
    expect(await echo.isEcho('commerce', 'product', 'A', 'run-7')).toBe(true);
    expect(await echo.isEcho('commerce', 'product', 'A', 'run-7')).toBe(false);
  });

  it('lets exactly one of many concurrent identical events be the echo of one write', async () => {
    const echo = createEchoGuard({ store: await open(), ttlMs: 60_000 });
    await echo.remember('erp', 'customer', 'C1', { email: 'a@x.io' });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => echo.isEcho('erp', 'customer', 'C1', { email: 'a@x.io' })),
    );
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('queries the conflict log by entity, key and time range in time order', async () => {
    const log = createConflictLog({ store: await open() });
    let now = Date.parse('2026-05-01T00:00:00Z');
    const resolver = createConflictResolver({
      policy: lastWriterWins({ timestamp: 'at' }),
      log,
      now: () => now,
    });
    for (const [key, minute] of [
      ['k_1', 3],
      ['k%1', 1],
      ['k_1', 2],
    ] as const) {
      now = Date.parse('2026-05-01T00:00:00Z') + minute * 60_000;
      await resolver.resolve({
        entity: 'customer',
        key,
        left: { system: 'commerce', record: { at: 2, name: `m${minute}` } },
        right: { system: 'erp', record: { at: 1, name: 'erp' } },
      });
    }
    const all = await log.query({ entity: 'customer' });
    expect(all.filter((e) => e.field === 'name').map((e) => e.value)).toEqual(['m1', 'm2', 'm3']);
    const one = await log.query({ entity: 'customer', key: 'k_1' });
    expect(one.filter((e) => e.field === 'name').map((e) => e.value)).toEqual(['m2', 'm3']);
    const range = await log.query({
      entity: 'customer',
      from: new Date('2026-05-01T00:02:00Z'),
      to: new Date('2026-05-01T00:03:00Z'),
    });
    expect(range.filter((e) => e.field === 'name').map((e) => e.value)).toEqual(['m2']);
  });

  it('parks records durably with their reason, lists them in pages, replays and discards', async () => {
    const store = await open();
    let clock = Date.parse('2026-05-01T00:00:00Z');
    const dead = createDeadLetterList<{ sku: string; qty: number }>({
      store,
      name: 'erp/stock',
      key: (record) => record.sku,
      now: () => clock,
    });
    const failure = Object.assign(new Error('HTTP 503 from Commerce'), { code: 'HTTP_503' });
    for (let i = 0; i < 25; i++) {
      await dead.park(
        { sku: `S/${String(i).padStart(2, '0')}`, qty: i },
        { stage: 'sink', message: failure.message, error: failure },
      );
    }
    clock += 60_000;
    await dead.park({ sku: 'S/03', qty: 3 }, { stage: 'validate', message: 'qty too low' });
    // A second store handle (another process) sees what the first parked.
    const entry = await createDeadLetterList({ store, name: 'erp/stock' }).get('S/03');
    expect(entry).toEqual({
      id: 'S/03',
      record: { sku: 'S/03', qty: 3 },
      reason: { stage: 'validate', message: 'qty too low', code: 'VALIDATE_FAILED' },
      attempts: 2,
      firstParkedAt: '2026-05-01T00:00:00.000Z',
      parkedAt: '2026-05-01T00:01:00.000Z',
    });
    expect((await dead.get('S/00'))?.reason).toEqual({
      stage: 'sink',
      message: 'HTTP 503 from Commerce',
      code: 'HTTP_503',
    });
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await dead.list({ limit: 10, after });
      ids.push(...page.entries.map((e) => e.id));
      after = page.next;
    } while (after !== undefined);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `S/${String(i).padStart(2, '0')}`));
    expect((await createDeadLetterList({ store, name: 'erp' }).list()).entries).toEqual([]);

    // Replay: handler success discards, a throw keeps the entry with one more attempt.
    const replayed: string[] = [];
    const result = await dead.replay(
      (record) => {
        if (record.qty % 2 === 1) throw new Error(`still failing ${record.sku}`);
        replayed.push(record.sku);
      },
      { limit: 6 },
    );
    expect(result).toEqual({ replayed: 3, failed: 3 });
    expect(replayed).toEqual(['S/00', 'S/02', 'S/04']);
    expect(await dead.get('S/00')).toBeUndefined();
    expect(await dead.get('S/01')).toMatchObject({
      attempts: 2,
      reason: { stage: 'replay', message: 'still failing S/01', code: 'REPLAY_FAILED' },
    });
    expect(await dead.discard('S/01')).toBe(true);
    expect(await dead.discard('S/01')).toBe(false);
    expect(await dead.replay(() => {}, { ids: ['S/05', 'nope'] })).toEqual({
      replayed: 1,
      failed: 0,
    });
    expect((await dead.list({ limit: 100 })).entries).toHaveLength(25 - 3 - 1 - 1);
  });
}
