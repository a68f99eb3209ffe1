import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorRowError, CursorTokenError, InvalidOptionError } from '../errors.js';
import { memoryKeyValueStore } from '../memory/kv.js';
import { createCheckpointStore } from './checkpoint-store.js';
import { createDeltaCursor, DeltaCursor, decodeCursor } from './delta-cursor.js';

interface Row {
  id: number;
  updatedAt: number;
}

const ids = (rows: readonly Row[]) => rows.map((row) => row.id);

describe('DeltaCursor', () => {
  it('delivers rows sharing the watermark timestamp that commit late', () => {
    let cursor = createDeltaCursor<Row>();
    const first = cursor.filter([
      { id: 5, updatedAt: 100 },
      { id: 3, updatedAt: 100 },
    ]);
    expect(ids(first)).toEqual([3, 5]);
    cursor = cursor.advance(first);
    expect(cursor.window().since).toEqual(new Date(100));
    // id 4 shares the timestamp but became visible after the first run; a plain
    // `(updatedAt, id) > (100, 5)` cursor would skip it.
    const second = cursor.filter([
      { id: 3, updatedAt: 100 },
      { id: 4, updatedAt: 100 },
      { id: 5, updatedAt: 100 },
      { id: 1, updatedAt: 101 },
    ]);
    expect(ids(second)).toEqual([4, 1]);
  });

  it('re-reads the look-back window and de-duplicates the overlap', () => {
    let cursor = createDeltaCursor<Row>({ lookBackMs: 50 });
    cursor = cursor.advance(
      cursor.filter([
        { id: 1, updatedAt: 1_000 },
        { id: 2, updatedAt: 1_040 },
      ]),
    );
    expect(cursor.window().since).toEqual(new Date(990));
    const late = { id: 3, updatedAt: 995 };
    const next = cursor.filter([{ id: 1, updatedAt: 1_000 }, late, { id: 2, updatedAt: 1_040 }]);
    expect(next).toEqual([late]);
    // A row older than the window is out of reach (that is what the look-back bounds).
    expect(cursor.filter([{ id: 9, updatedAt: 989 }])).toEqual([]);
  });

  it('delivers a row again when it is updated (a new version)', () => {
    let cursor = createDeltaCursor<Row>();
    cursor = cursor.advance(cursor.filter([{ id: 1, updatedAt: 10 }]));
    expect(cursor.filter([{ id: 1, updatedAt: 10 }])).toEqual([]);
    expect(cursor.filter([{ id: 1, updatedAt: 11 }])).toEqual([{ id: 1, updatedAt: 11 }]);
  });

  it('accepts Date and ISO-8601 timestamps and custom accessors', () => {
    const cursor = createDeltaCursor<{ sku: string; modified: string }>({
      updatedAt: (row) => row.modified,
      id: (row) => row.sku,
    });
    const rows = [
      { sku: 'B', modified: '2026-01-01T00:00:00Z' },
      { sku: 'A', modified: '2026-01-01T00:00:00.000Z' },
    ];
    const next = cursor.advance(cursor.filter(rows));
    expect(next.state.watermark).toEqual({
      updatedAt: Date.parse('2026-01-01T00:00:00Z'),
      id: 'B',
    });
    expect(next.filter(rows)).toEqual([]);
  });

  it('keeps the token bounded by maxSeen, forgetting the oldest timestamps first', () => {
    let cursor = createDeltaCursor<Row>({ lookBackMs: 1_000, maxSeen: 3 });
    const rows = [1, 2, 3, 4, 5].map((id) => ({ id, updatedAt: id * 10 }));
    cursor = cursor.advance(cursor.filter(rows));
    expect(cursor.state.seen.map(([ts]) => ts)).toEqual([30, 40, 50]);
    expect(cursor.state.floor).toBeGreaterThan(20);
    expect(cursor.state.floor).toBeLessThan(20.001);
    // Nothing is repeated: rows at or below the forgotten timestamps count as delivered...
    expect(cursor.filter(rows)).toEqual([]);
    // ...while a late row after them is still in reach.
    expect(cursor.filter([{ id: 9, updatedAt: 25 }])).toEqual([{ id: 9, updatedAt: 25 }]);
    const bounded = createDeltaCursor({ maxSeen: 1, lookBackMs: 100 });
    const zero =
      bounded.advance([
        { id: 1, updatedAt: 0 },
        { id: 2, updatedAt: 3 },
      ]).state.floor ?? 0;
    expect(zero > 0 && zero < 1e-300).toBe(true);
    const negative =
      bounded.advance([
        { id: 1, updatedAt: -5 },
        { id: 2, updatedAt: 3 },
      ]).state.floor ?? 0;
    expect(negative > -5 && negative < -4.9999).toBe(true);
  });

  it('round-trips through a string token', () => {
    let cursor = createDeltaCursor<Row>({ lookBackMs: 5 });
    cursor = cursor.advance(
      cursor.filter([
        { id: 2, updatedAt: 7 },
        { id: 1, updatedAt: 7 },
      ]),
    );
    const token = cursor.encode();
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const restored = createDeltaCursor<Row>({ lookBackMs: 5 }, token);
    expect(restored.state).toEqual(cursor.state);
    expect(decodeCursor(token)).toEqual(cursor.state);
  });

  it('raises CursorTokenError for malformed tokens', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = [
      '',
      'not a token!',
      'bm90IGpzb24',
      encode([1]),
      encode({ v: 2, w: null, f: null, s: [] }),
      encode({ v: 1, w: [1], f: 0, s: [] }),
      encode({ v: 1, w: [1, 2], f: null, s: [] }),
      encode({ v: 1, w: null, f: null, s: [[1, [{}]]] }),
      encode({ v: 1, w: null, f: null, s: 'x' }),
    ];
    for (const token of bad) {
      expect(() => decodeCursor(token)).toThrow(CursorTokenError);
      expect(() => createDeltaCursor({}, token)).toThrow(
        expect.objectContaining({ code: 'CURSOR_TOKEN_INVALID' }),
      );
    }
  });

  it('raises typed errors for unusable rows and options', () => {
    const cursor = createDeltaCursor<Row>();
    expect(() => cursor.filter([{ id: 1, updatedAt: Number.NaN }])).toThrow(CursorRowError);
    expect(() => cursor.filter([{ id: undefined as never, updatedAt: 1 }])).toThrow(/"id"/);
    expect(() => new DeltaCursor({ lookBackMs: -1 })).toThrow(InvalidOptionError);
    expect(() => new DeltaCursor({ maxSeen: 0 })).toThrow(/maxSeen/);
  });
});

describe('createCheckpointStore', () => {
  it('loads a fresh cursor, then the committed one', async () => {
    const checkpoints = createCheckpointStore({ store: memoryKeyValueStore() });
    const cursor = await checkpoints.load<Row>('orders', { lookBackMs: 10 });
    expect(cursor.state.watermark).toBeUndefined();
    const batch = cursor.filter([{ id: 1, updatedAt: 5 }]);
    await checkpoints.commit('orders', cursor.advance(batch));
    const loaded = await checkpoints.load<Row>('orders', { lookBackMs: 10 });
    expect(loaded.state.watermark).toEqual({ updatedAt: 5, id: 1 });
    expect(await checkpoints.token('orders')).toBe(loaded.encode());
    await expect(checkpoints.commit('orders', 'garbage!')).rejects.toThrow(CursorTokenError);
    await checkpoints.reset('orders');
    expect((await checkpoints.load('orders')).state.watermark).toBeUndefined();
  });
});

type Event =
  | { type: 'tick'; ms: number }
  | { type: 'insert'; lag: number; count: number }
  | { type: 'update'; pick: number; lag: number }
  | { type: 'sync'; batchSize: number; restart: boolean };

describe('DeltaCursor (property)', () => {
  it('never skips or repeats a row across equal timestamps, late commits, updates and batch sizes', () => {
    const lookBackMs = 20;
    const lag = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: lookBackMs }));
    const event = fc.oneof(
      fc.record({ type: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 6 }) }),
      fc.record({
        type: fc.constant('insert' as const),
        lag,
        count: fc.integer({ min: 1, max: 4 }),
      }),
      fc.record({ type: fc.constant('update' as const), pick: fc.nat(), lag }),
      fc.record({
        type: fc.constant('sync' as const),
        batchSize: fc.integer({ min: 1, max: 8 }),
        restart: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 80 }),
        fc.integer({ min: 1, max: 8 }),
        (events: Event[], lastBatch) => {
          const options = { lookBackMs };
          const table: Row[] = [];
          const delivered = new Set<string>();
          const version = (row: Row) => `${row.id}@${row.updatedAt}`;
          let now = 1_000;
          let nextId = 0;
          let token: string | undefined;
          const sync = (batchSize: number, restart: boolean) => {
            let cursor = createDeltaCursor<Row>(options, token);
            const since = cursor.window().since?.getTime() ?? Number.NEGATIVE_INFINITY;
            // A snapshot query: WHERE updated_at >= since ORDER BY updated_at, id, read page by page.
            const visible = table
              .filter((row) => row.updatedAt >= since)
              .map((row) => ({ ...row }))
              .sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
            for (let start = 0; start < visible.length; start += batchSize) {
              const batch = cursor.filter(visible.slice(start, start + batchSize));
              for (const row of batch) {
                expect(delivered.has(version(row))).toBe(false); // never repeated
                delivered.add(version(row)); // the sink
              }
              cursor = cursor.advance(batch);
              token = cursor.encode(); // commit after sink
              if (restart) cursor = createDeltaCursor<Row>(options, token);
            }
            // Never skipped: every row version visible at the snapshot has been delivered.
            for (const row of table) expect(delivered.has(version(row))).toBe(true);
          };
          for (const step of events) {
            if (step.type === 'tick') now += step.ms;
            else if (step.type === 'insert') {
              // Ids are not in timestamp order, and a late commit carries an older updatedAt.
              for (let i = 0; i < step.count; i += 1) {
                table.push({ id: (nextId * 7919) % 10_007, updatedAt: now - step.lag });
                nextId += 1;
              }
            } else if (step.type === 'update') {
              const row = table[step.pick % Math.max(1, table.length)];
              if (row !== undefined && now - step.lag > row.updatedAt)
                row.updatedAt = now - step.lag;
            } else sync(step.batchSize, step.restart);
          }
          sync(lastBatch, false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
