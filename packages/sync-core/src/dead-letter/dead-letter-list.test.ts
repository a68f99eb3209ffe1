import { describe, expect, it } from 'vitest';
import { createCheckpointStore } from '../cursor/checkpoint-store.js';
import { InvalidOptionError } from '../errors.js';
import type { KeyValueStore } from '../kv.js';
import { memoryKeyValueStore } from '../memory/kv.js';
import { createRunner } from '../runner/runner.js';
import { InvalidInputError } from '../stores/errors.js';
import { createDeadLetterList } from './dead-letter-list.js';

interface Row {
  id: number;
  updatedAt: number;
  sku: string;
}

const rows: Row[] = Array.from({ length: 12 }, (_, i) => ({ id: i, updatedAt: i, sku: `S${i}` }));

describe('createDeadLetterList with a runner', () => {
  it('parks sink failures durably with code, message, attempts and time, and replays them through the sink', async () => {
    const store = memoryKeyValueStore();
    const dead = createDeadLetterList<Row>({ store, name: 'stock', key: (row) => row.id });
    const target = new Map<string, number>();
    let commerceDown = true;
    const sink = (batch: Row[]) => ({
      failed: batch.flatMap((row, index) =>
        commerceDown && row.id % 5 === 0 ? [{ index, reason: `Commerce refused ${row.sku}` }] : [],
      ),
      written: batch.forEach((row) => {
        if (!(commerceDown && row.id % 5 === 0)) target.set(row.sku, row.id);
      }),
    });
    const checkpoints = createCheckpointStore({ store });
    const summary = await createRunner<Row>({
      source: () => rows,
      sink,
      batchSize: 4,
      concurrency: 2,
      cursor: { checkpoints, name: 'stock' },
      deadLetter: dead,
    }).run();
    expect(summary).toMatchObject({ done: 9, failed: 3 });
    const { entries } = await dead.list();
    expect(entries.map((entry) => [entry.id, entry.reason, entry.attempts])).toEqual([
      ['0', { stage: 'sink', message: 'Commerce refused S0', code: 'SINK_FAILED' }, 1],
      ['10', { stage: 'sink', message: 'Commerce refused S10', code: 'SINK_FAILED' }, 1],
      ['5', { stage: 'sink', message: 'Commerce refused S5', code: 'SINK_FAILED' }, 1],
    ]);
    // The checkpoint is past every row: each is in the target or in the durable list.
    const pending = (await checkpoints.load<Row>('stock')).filter(rows);
    expect(pending).toEqual([]);
    for (const row of rows)
      expect(target.has(row.sku) || (await dead.get(String(row.id))) !== undefined).toBe(true);

    // Commerce is back: replay the parked rows back through the sink.
    commerceDown = false;
    const replay = await dead.replay(async (row) => {
      const result = sink([row]);
      if (result.failed.length > 0) throw new Error(result.failed[0]?.reason);
    });
    expect(replay).toEqual({ replayed: 3, failed: 0 });
    expect(target.size).toBe(12);
    expect((await dead.list()).entries).toEqual([]);
  });

  it('parks a record that has no JSON form with the reason, rather than dropping it', async () => {
    const dead = createDeadLetterList<unknown>({ store: memoryKeyValueStore(), name: 'odd' });
    const cyclic: Record<string, unknown> = { id: 1 };
    cyclic.self = cyclic;
    await dead.park(cyclic, { stage: 'transform', message: 'no price list' });
    const [entry] = (await dead.list()).entries;
    expect(entry?.record).toBeUndefined();
    expect(entry).toMatchObject({
      unserialisable: expect.stringMatching(/circular/i),
      reason: { stage: 'transform', message: 'no price list', code: 'TRANSFORM_FAILED' },
    });
    // Replaying it cannot succeed: it stays parked, one more attempt, with the reason.
    expect(await dead.replay(() => {})).toEqual({ replayed: 0, failed: 1 });
    expect((await dead.list()).entries[0]).toMatchObject({
      attempts: 2,
      reason: { stage: 'replay', code: 'INVALID_OPTION' },
    });
  });

  it('two records parked without their key (undefined, null, empty, or a throwing key) never replace each other', async () => {
    const dead = createDeadLetterList<{ sku?: string | null; name: string }>({
      store: memoryKeyValueStore(),
      name: 'no-key',
      key: (record) => {
        if (record.name === 'throws') throw new TypeError('no sku');
        return record.sku as string;
      },
    });
    const bad = [
      { name: 'first' },
      { name: 'second' },
      { sku: null, name: 'null' },
      { sku: '', name: 'empty' },
      { name: 'throws' },
    ];
    for (const record of bad)
      await dead.park(record, { stage: 'validate', message: 'sku missing' });
    await dead.park({ sku: 'A', name: 'keyed' }, { stage: 'sink', message: 'down' });
    await dead.park({ sku: 'A', name: 'keyed again' }, { stage: 'sink', message: 'down' });
    const { entries } = await dead.list();
    expect(entries.map((entry) => entry.record?.name).sort()).toEqual(
      ['empty', 'first', 'keyed again', 'null', 'second', 'throws'].sort(),
    );
    expect(await dead.get('A')).toMatchObject({ attempts: 2, record: { name: 'keyed again' } });
  });

  it('parks a record whose key is not well-formed Unicode under a unique id, so the run goes on', async () => {
    // A key cut in the middle of an emoji keeps a lone surrogate, which has no percent-encoding:
    // the park threw URIError, so the run failed at this record on every attempt.
    const store = memoryKeyValueStore();
    const dead = createDeadLetterList<Row>({ store, name: 'stock', key: (row) => row.sku });
    const source = [
      { id: 1, updatedAt: 1, sku: 'S1' },
      { id: 2, updatedAt: 2, sku: 'mug-\u{1F600}'.slice(0, 5) },
      { id: 3, updatedAt: 3, sku: 'S3' },
    ];
    const written: number[] = [];
    const runner = createRunner<Row, Row>({
      source: async () => source,
      sink: async (batch) => {
        for (const row of batch) {
          if (row.id === 2) throw Object.assign(new Error('bad sku'), { permanent: true });
          written.push(row.id);
        }
      },
      batchSize: 1,
      concurrency: 1,
      cursor: { checkpoints: createCheckpointStore({ store }), name: 'stock' },
      deadLetter: dead,
    });
    await runner.run();
    expect(written).toEqual([1, 3]);
    const { entries } = await dead.list();
    expect(entries.map((entry) => entry.record?.id)).toEqual([2]);
    expect(entries[0]!.id).not.toBe(source[1]!.sku);
  });

  it('parks a record whose key is too long for the store under a unique id', async () => {
    // The MySQL store refuses a key over 3072 bytes with INVALID_INPUT (field key), before any
    // SQL runs; this store does the same at 64 bytes. A record parked because its id is too
    // long could not be parked at all: the park threw and the run failed at it every time.
    const memory = memoryKeyValueStore();
    const checked = (key: string) => {
      if (key.length > 64) throw new InvalidInputError('key', 'must be at most 64 bytes');
      return key;
    };
    const store: KeyValueStore = {
      ...memory,
      get: async (key) => memory.get(checked(key)),
      set: async (key, value, options) => memory.set(checked(key), value, options),
      setIfAbsent: async (key, value, options) => memory.setIfAbsent(checked(key), value, options),
      delete: async (key) => memory.delete(checked(key)),
      list: (prefix, options) => memory.list(prefix, options),
    };
    const dead = createDeadLetterList<{ sku: string }>({ store, name: 'stock', key: (r) => r.sku });
    const long = 'S'.repeat(100);
    await dead.park({ sku: long }, { stage: 'validate', message: 'sku too long' });
    await dead.park({ sku: 'S1' }, { stage: 'sink', message: 'down' });
    const { entries } = await dead.list();
    expect(entries.map((entry) => entry.record?.sku).sort()).toEqual([long, 'S1'].sort());
    expect(await dead.get('S1')).toMatchObject({ attempts: 1 });
  });

  it('keeps a readable copy of a record with a BigInt or a cycle, so its data is not lost', async () => {
    const dead = createDeadLetterList<unknown>({ store: memoryKeyValueStore(), name: 'big' });
    const order: Record<string, unknown> = { id: 'SO-1', qty: 12345678901234567890n, lines: [] };
    (order.lines as unknown[]).push({ order, sku: 'A' });
    await dead.park(order, { stage: 'sink', message: 'refused' });
    const [entry] = (await dead.list()).entries;
    expect(entry?.record).toBeUndefined();
    expect(entry?.unserialisable).toMatch(/BigInt/);
    expect(entry?.lossyCopy).toEqual({
      id: 'SO-1',
      qty: '12345678901234567890',
      lines: [{ order: '[Circular]', sku: 'A' }],
    });
  });

  it('a newer version parked while replay handles the old one stays parked', async () => {
    const dead = createDeadLetterList<{ sku: string; qty: number }>({
      store: memoryKeyValueStore(),
      name: 'stock',
      key: (record) => record.sku,
    });
    await dead.park({ sku: 'A', qty: 1 }, { stage: 'sink', message: 'down' });
    await dead.park({ sku: 'B', qty: 1 }, { stage: 'sink', message: 'down' });
    const result = await dead.replay(async (record) => {
      // The runner parks a newer version of the same key while the old one is replayed.
      await dead.park({ ...record, qty: 2 }, { stage: 'sink', message: 'down again' });
      if (record.sku === 'B') throw new Error('still down');
    });
    expect(result).toEqual({ replayed: 1, failed: 1 });
    const { entries } = await dead.list();
    expect(entries.map((entry) => [entry.record, entry.reason.message])).toEqual([
      [{ sku: 'A', qty: 2 }, 'down again'],
      [{ sku: 'B', qty: 2 }, 'down again'],
    ]);
  });

  it('rejects a bad name or page size with a typed error', async () => {
    expect(() => createDeadLetterList({ store: memoryKeyValueStore(), name: '' })).toThrow(
      InvalidOptionError,
    );
    const dead = createDeadLetterList({ store: memoryKeyValueStore(), name: 'x' });
    await expect(dead.list({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
