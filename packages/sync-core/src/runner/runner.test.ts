import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBaseStore } from '../conflict/base-store.js';
import { memoryConflictLog } from '../conflict/conflict-log.js';
import { preferSystem, threeWayMerge } from '../conflict/policies.js';
import { createConflictResolver } from '../conflict/resolver.js';
import { createCheckpointStore } from '../cursor/checkpoint-store.js';
import { createEchoGuard } from '../echo/echo-guard.js';
import {
  CursorTokenError,
  InvalidOptionError,
  RunnerSinkError,
  UnknownEntityError,
} from '../errors.js';
import { createHashStore } from '../hash/hash-store.js';
import { memoryKeyValueStore } from '../memory/kv.js';
import { defineOwnership } from '../ownership/ownership.js';
import { memoryDeadLetter } from './dead-letter.js';
import { createRunner, type RunnerProgress } from './runner.js';

interface Row {
  id: number;
  updatedAt: number;
  sku: string;
  qty: number;
}

/** 1,000 rows in runs of equal timestamps, ids not in timestamp order. */
function table(count = 1_000): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: (i * 7919) % 10_007,
    updatedAt: 1_000 + Math.floor(i / 7),
    sku: `SKU-${i}`,
    qty: i % 5,
  }));
}

/** A source that answers the cursor's window like `WHERE updated_at >= $since ORDER BY updated_at, id`. */
function sourceOf(rows: Row[], pageSize = 64) {
  return async function* ({ window }: { window: { since: Date | undefined } | undefined }) {
    const since = window?.since?.getTime() ?? Number.NEGATIVE_INFINITY;
    const visible = rows
      .filter((row) => row.updatedAt >= since)
      .sort((a, b) => a.updatedAt - b.updatedAt || a.id - b.id);
    for (let start = 0; start < visible.length; start += pageSize) {
      await Promise.resolve();
      yield visible.slice(start, start + pageSize);
    }
  };
}

describe('createRunner', () => {
  it('parks a record that fails validation with its reason, and the run continues', async () => {
    const deadLetter = memoryDeadLetter<Row>();
    const written: string[] = [];
    const runner = createRunner<Row, { sku: string; qty: number }>({
      source: () => table(20),
      validate: (row) => (row.sku === 'SKU-3' ? 'sku SKU-3 is blocked' : undefined),
      transform: (row) => {
        if (row.sku === 'SKU-7') throw new Error('no price list for SKU-7');
        return { sku: row.sku, qty: row.qty };
      },
      sink: (batch) => {
        written.push(...batch.map((item) => item.sku));
      },
      batchSize: 4,
      concurrency: 2,
      deadLetter,
    });
    const summary = await runner.run();
    expect(summary).toMatchObject({
      status: 'completed',
      done: 18,
      failed: 2,
      skipped: 0,
      batches: 5,
    });
    expect(written).toHaveLength(18);
    expect(written).not.toContain('SKU-3');
    expect(deadLetter.entries.map((e) => [e.record.sku, e.reason.stage, e.reason.message])).toEqual(
      [
        ['SKU-3', 'validate', 'sku SKU-3 is blocked'],
        ['SKU-7', 'transform', 'no price list for SKU-7'],
      ],
    );
  });

  it('parks the records of a failing batch or single failed records and goes on', async () => {
    const deadLetter = memoryDeadLetter<Row>();
    let calls = 0;
    const runner = createRunner<Row>({
      source: () => table(12),
      sink: (batch) => {
        calls += 1;
        if (calls === 2) throw new Error('HTTP 500');
        return {
          failed: batch.flatMap((row, index) =>
            row.sku === 'SKU-9' ? [{ index, reason: 'duplicate sku' }] : [],
          ),
        };
      },
      batchSize: 4,
      concurrency: 1,
      deadLetter,
    });
    const summary = await runner.run();
    expect(summary).toMatchObject({ done: 7, failed: 5 });
    expect(deadLetter.entries.map((e) => `${e.record.sku}:${e.reason.message}`)).toEqual([
      'SKU-4:HTTP 500',
      'SKU-5:HTTP 500',
      'SKU-6:HTTP 500',
      'SKU-7:HTTP 500',
      'SKU-9:duplicate sku',
    ]);
  });

  it('resumes from its checkpoint after being killed mid-run, with nothing skipped', async () => {
    const rows = table();
    const checkpoints = createCheckpointStore({ store: memoryKeyValueStore() });
    const delivered: number[][] = [[], []];
    const controller = new AbortController();
    let batches = 0;
    const runnerFor = (run: 0 | 1) =>
      createRunner<Row>({
        source: sourceOf(rows),
        sink: async (batch, { signal }) => {
          batches += 1;
          await Promise.resolve();
          if (run === 0 && batches === 6) {
            controller.abort(new Error('killed'));
            throw signal.reason;
          }
          delivered[run]?.push(...batch.map((row) => row.id));
        },
        batchSize: 25,
        concurrency: 3,
        cursor: { checkpoints, name: 'orders', options: { lookBackMs: 3 } },
        deadLetter: memoryDeadLetter(),
      });
    const first = await runnerFor(0).run({ signal: controller.signal });
    expect(first.status).toBe('aborted');
    expect(delivered[0]?.length).toBeLessThan(rows.length);
    const second = await runnerFor(1).run();
    expect(second.status).toBe('completed');
    const all = new Set([...(delivered[0] ?? []), ...(delivered[1] ?? [])]);
    expect(all.size).toBe(rows.length);
    // At-least-once: only the batches in flight at the kill are delivered twice.
    const repeated = (delivered[1] ?? []).filter((id) => delivered[0]?.includes(id));
    expect(repeated.length).toBeLessThanOrEqual(3 * 25);
    // A third run finds nothing new.
    const third = await runnerFor(1).run();
    expect(third.done).toBe(0);
  });

  it('with sinkErrors "fail", a throwing sink stops the run and the next run resumes from the checkpoint', async () => {
    const rows = table(300);
    const checkpoints = createCheckpointStore({ store: memoryKeyValueStore() });
    const delivered = new Set<number>();
    let calls = 0;
    let broken = true;
    const runner = createRunner<Row>({
      source: sourceOf(rows, 40),
      sink: (batch) => {
        calls += 1;
        if (broken && calls === 4) throw new Error('connection reset');
        for (const row of batch) delivered.add(row.id);
      },
      batchSize: 30,
      concurrency: 1,
      sinkErrors: 'fail',
      cursor: { checkpoints, name: 'stock' },
      deadLetter: memoryDeadLetter(),
    });
    await expect(runner.run()).rejects.toThrow(RunnerSinkError);
    expect(delivered.size).toBe(90);
    broken = false;
    const resumed = await runner.run();
    expect(resumed.done).toBe(210);
    expect(delivered.size).toBe(300);
  });

  it('dry run writes nothing, commits nothing and reports what would be written', async () => {
    const checkpoints = createCheckpointStore({ store: memoryKeyValueStore() });
    const deadLetter = memoryDeadLetter<Row>();
    let sinkCalls = 0;
    const runner = createRunner<Row, { sku: string }>({
      source: sourceOf(table(10)),
      validate: (row) => (row.qty === 0 ? 'qty must be positive' : undefined),
      transform: (row) => ({ sku: row.sku }),
      sink: () => {
        sinkCalls += 1;
      },
      batchSize: 3,
      concurrency: 2,
      cursor: { checkpoints, name: 'dry' },
      deadLetter,
      dryRun: true,
    });
    const summary = await runner.run();
    expect(sinkCalls).toBe(0);
    expect(await checkpoints.token('dry')).toBeUndefined();
    expect(deadLetter.entries).toHaveLength(0);
    expect(summary.done).toBe(8);
    expect(summary.wouldWrite.map((item) => item.sku).sort()).toEqual(
      ['SKU-1', 'SKU-2', 'SKU-3', 'SKU-4', 'SKU-6', 'SKU-7', 'SKU-8', 'SKU-9'].sort(),
    );
    expect(summary.wouldPark.map((p) => [p.record.sku, p.reason.message])).toEqual([
      ['SKU-0', 'qty must be positive'],
      ['SKU-5', 'qty must be positive'],
    ]);
  });

  it('emits progress with done, failed, rate and ETA', async () => {
    let clock = 0;
    const events: RunnerProgress[] = [];
    const runner = createRunner<Row>({
      source: () => table(40),
      validate: (row) => (row.sku === 'SKU-0' ? 'bad' : undefined),
      sink: () => {
        clock += 1_000;
      },
      batchSize: 10,
      concurrency: 1,
      deadLetter: memoryDeadLetter(),
      total: 40,
      now: () => clock,
      onProgress: (progress) => events.push(progress),
    });
    await runner.run();
    expect(events.map((e) => [e.done, e.failed, e.batches])).toEqual([
      [9, 1, 1],
      [19, 1, 2],
      [29, 1, 3],
      [39, 1, 4],
    ]);
    expect(events[0]).toMatchObject({ elapsedMs: 1_000, rate: 10, total: 40, etaMs: 3_000 });
    expect(events[3]?.etaMs).toBe(0);
  });

  it('drives a progress bar to 100% with batches in flight at once', async () => {
    const bar: { value: number; total?: number; eta?: number }[] = [];
    const hashes = createHashStore({ store: memoryKeyValueStore() });
    await hashes.record('row', 'SKU-3', { ...table(4)[3] }); // unchanged: skipped
    const summary = await createRunner<Row>({
      source: () => table(230),
      validate: (row) => (row.id % 17 === 0 ? 'bad id' : undefined),
      sink: async () => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      },
      batchSize: 20,
      concurrency: 4,
      changes: { hashes, entity: 'row', key: (row) => row.sku },
      deadLetter: memoryDeadLetter(),
      total: 230,
      onProgress: ({ done, failed, skipped, total, etaMs }) =>
        bar.push({ value: done + failed + skipped, total, eta: etaMs }),
    }).run();
    expect(bar).toHaveLength(12); // one event per batch
    const values = bar.map((update) => update.value);
    expect(values).toEqual([...values].sort((a, b) => a - b)); // never goes backwards
    expect(bar.at(-1)).toEqual({ value: 230, total: 230, eta: 0 });
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.skipped).toBe(1);
    expect(summary.done + summary.failed + summary.skipped).toBe(230);
  });

  it('bounds the batches in flight by concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const runner = createRunner<Row>({
      source: () => table(100),
      sink: async () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
      },
      batchSize: 5,
      concurrency: 3,
      deadLetter: memoryDeadLetter(),
    });
    expect((await runner.run()).batches).toBe(20);
    expect(peak).toBe(3);
  });

  it('resolves conflicts, then keeps only fields the source owns, then skips unchanged records', async () => {
    const ownership = defineOwnership({
      systems: ['erp', 'commerce'] as const,
      entities: {
        product: { default: 'erp', fields: { name: 'commerce', description: 'commerce' } },
      },
    });
    const hashes = createHashStore({ store: memoryKeyValueStore() });
    const log = memoryConflictLog();
    const target = new Map<string, Record<string, unknown>>([
      ['A', { sku: 'A', price: 1, name: 'Old' }],
    ]);
    const written: Record<string, unknown>[] = [];
    const makeRunner = (records: Record<string, unknown>[]) =>
      createRunner<Record<string, unknown>>({
        source: () => records,
        sink: (batch) => {
          written.push(...batch);
        },
        batchSize: 10,
        concurrency: 1,
        ownership: { ownership, source: 'erp', entity: 'product', target: 'commerce' },
        conflict: {
          // A policy that prefers the target: it may not overrule the ERP on a field the ERP owns.
          resolver: createConflictResolver({ policy: preferSystem('commerce'), log }),
          entity: 'product',
          source: 'erp',
          target: 'commerce',
          key: (record) => String(record.sku),
          current: (record) => target.get(String(record.sku)),
        },
        changes: { hashes, entity: 'product', key: (record) => String(record.sku) },
        deadLetter: memoryDeadLetter(),
      });
    const first = await makeRunner([
      { sku: 'A', price: 2, description: 'erp text' },
      { sku: 'B', price: 3 },
      { description: 'only commerce-owned' },
    ]).run();
    expect(first).toMatchObject({ done: 2, skipped: 1, refusedFields: 2 });
    // A: the ERP-owned price is the ERP's; the target's own (stale) name is not sent back, nor
    // the commerce-owned description. B: no current record, so no conflict.
    expect(written).toEqual([
      { sku: 'A', price: 2 },
      { sku: 'B', price: 3 },
    ]);
    // The log tells the truth: ownership decided the price.
    expect(log.entries.find((entry) => entry.field === 'price')).toMatchObject({
      winner: 'erp',
      value: 2,
      rule: 'ownership',
    });
    const second = await makeRunner([{ sku: 'B', price: 3 }]).run();
    expect(second).toMatchObject({ done: 0, skipped: 1 });
  });

  it('with diff "fields", sends only the fields that changed since last written, with the identity fields', async () => {
    const hashes = createHashStore({ store: memoryKeyValueStore() });
    const bases = createBaseStore({ store: memoryKeyValueStore() });
    const written: Record<string, unknown>[] = [];
    const runWith = (records: Record<string, unknown>[]) =>
      createRunner<Record<string, unknown>>({
        source: () => records,
        sink: (batch) => {
          written.push(...batch);
        },
        batchSize: 10,
        concurrency: 1,
        conflict: {
          resolver: createConflictResolver({ policy: preferSystem('erp') }),
          entity: 'product',
          source: 'erp',
          target: 'commerce',
          key: (record) => String(record.sku),
          current: () => undefined,
          bases,
        },
        changes: {
          hashes,
          entity: 'product',
          key: (record) => String(record.sku),
          diff: 'fields',
          identity: ['sku'],
        },
        deadLetter: memoryDeadLetter(),
      }).run();
    await runWith([{ sku: 'A', price: 1, name: 'Mug', qty: 5 }]);
    expect(written).toEqual([{ sku: 'A', price: 1, name: 'Mug', qty: 5 }]);
    written.length = 0;
    expect(await runWith([{ sku: 'A', price: 2, name: 'Mug', qty: 5 }])).toMatchObject({ done: 1 });
    expect(written).toEqual([{ sku: 'A', price: 2 }]);
    expect(await bases.get('product', 'A')).toEqual({ sku: 'A', price: 2, name: 'Mug', qty: 5 });
    written.length = 0;
    expect(await runWith([{ sku: 'A', price: 2, name: 'Mug', qty: 5 }])).toMatchObject({
      done: 0,
      skipped: 1,
    });
    expect(written).toEqual([]);
  });

  it('never sends the target a field its source does not own, nor another value for one it does (property)', async () => {
    const fields = ['sku', 'price', 'name', 'qty', 'note'] as const;
    const value = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', 'y'));
    const record = fc.dictionary(fc.constantFrom(...fields), value);
    const owners = fc.dictionary(fc.constantFrom(...fields), fc.constantFrom('erp', 'commerce'));
    const policy = fc.constantFrom('prefer-commerce', 'prefer-erp', 'three-way');
    await fc.assert(
      fc.asyncProperty(
        record,
        record,
        record,
        owners,
        policy,
        async (output, current, base, fieldOwners, which) => {
          const ownership = defineOwnership({
            systems: ['erp', 'commerce'] as const,
            entities: { product: { default: 'erp', fields: fieldOwners } },
          });
          const written: Record<string, unknown>[] = [];
          await createRunner<Record<string, unknown>>({
            source: () => [output],
            sink: (batch) => {
              written.push(...batch);
            },
            batchSize: 1,
            concurrency: 1,
            ownership: { ownership, source: 'erp', entity: 'product', target: 'commerce' },
            conflict: {
              resolver: createConflictResolver({
                policy:
                  which === 'three-way'
                    ? threeWayMerge({ onBoth: preferSystem('commerce') })
                    : preferSystem(which === 'prefer-erp' ? 'erp' : 'commerce'),
              }),
              entity: 'product',
              source: 'erp',
              target: 'commerce',
              key: () => 'k',
              current: () => current,
              base: () => base,
            },
            deadLetter: memoryDeadLetter(),
          }).run();
          for (const sent of written) {
            for (const [field, sentValue] of Object.entries(sent)) {
              expect(ownership.ownerOf('product', field, { target: 'commerce' })).toBe('erp');
              expect(sentValue).toBe(output[field]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with an echo guard, does not sync its own writes back in a bidirectional sync', async () => {
    interface Customer {
      id: string;
      email: string;
      name: string;
    }
    const guard = createEchoGuard({
      store: memoryKeyValueStore(),
      ttlMs: 60_000,
      ignoreFields: ['lastModified', 'internalId'], // set by the ERP itself, never synced
    });
    const erp = new Map<string, Customer>();
    // Commerce -> ERP remembers each record it writes to the ERP, before writing it.
    const toErp = createRunner<Customer>({
      source: () => [
        { id: 'C1', email: 'a@x.io', name: 'Ada' },
        { id: 'C2', email: 'b@x.io', name: 'Bob' },
      ],
      sink: (batch) => {
        for (const customer of batch) erp.set(customer.id, { ...customer });
      },
      batchSize: 10,
      concurrency: 1,
      echo: { guard, entity: 'customer', remember: { system: 'erp', key: (c) => c.id } },
      deadLetter: memoryDeadLetter(),
    });
    expect(await toErp.run()).toMatchObject({ done: 2, echoes: 0 });
    // The ERP's change feed: both writes come back with server-side fields, then a user edits C2.
    const feed: Record<string, unknown>[] = [
      { ...erp.get('C1'), lastModified: '2026-05-01T10:00:00Z', internalId: 101 },
      { ...erp.get('C2'), lastModified: '2026-05-01T10:00:00Z', internalId: 102 },
      { ...erp.get('C2'), name: 'Robert', lastModified: '2026-05-01T10:05:00Z', internalId: 102 },
    ];
    const commerce: Customer[] = [];
    const progress: RunnerProgress[] = [];
    // ERP -> Commerce skips the events that are echoes of the writes above.
    const toCommerce = createRunner<Record<string, unknown>, Customer>({
      source: () => feed,
      transform: ({ id, email, name }) => ({ id, email, name }) as Customer,
      sink: (batch) => {
        commerce.push(...batch);
      },
      batchSize: 10,
      concurrency: 1,
      echo: { guard, entity: 'customer', skip: { system: 'erp', key: (e) => String(e.id) } },
      deadLetter: memoryDeadLetter(),
      onProgress: (event) => progress.push(event),
    });
    expect(await toCommerce.run()).toMatchObject({ done: 1, skipped: 2, echoes: 2, failed: 0 });
    expect(commerce).toEqual([{ id: 'C2', email: 'b@x.io', name: 'Robert' }]);
    expect(progress.at(-1)).toMatchObject({ echoes: 2 });
  });

  it('a dry run does not consume echoes: the real run after it still skips them', async () => {
    const guard = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 60_000 });
    await guard.remember('erp', 'customer', 'C1', { id: 'C1', email: 'a@x.io' });
    const written: unknown[] = [];
    const runner = (dryRun: boolean) =>
      createRunner<{ id: string; email: string }>({
        source: () => [{ id: 'C1', email: 'a@x.io' }],
        sink: (batch) => {
          written.push(...batch);
        },
        batchSize: 10,
        concurrency: 1,
        dryRun,
        deadLetter: memoryDeadLetter(),
        echo: { guard, entity: 'customer', skip: { system: 'erp', key: (event) => event.id } },
      });
    expect(await runner(true).run()).toMatchObject({ echoes: 1, wouldWrite: [] });
    expect(await runner(false).run()).toMatchObject({ echoes: 1, done: 0 });
    expect(written).toEqual([]);
  });

  it('stops before the sink, committing nothing, when the echo guard cannot remember a write', async () => {
    const guard = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 1_000 });
    guard.remember = async () => {
      throw new Error('echo store unreachable');
    };
    const store = memoryKeyValueStore();
    let sinkCalls = 0;
    const run = createRunner<Row>({
      source: sourceOf(table(30)),
      sink: () => {
        sinkCalls += 1;
      },
      batchSize: 10,
      concurrency: 1,
      cursor: { checkpoints: createCheckpointStore({ store }), name: 'rows' },
      echo: { guard, entity: 'row', remember: { system: 'erp', key: (row) => row.sku } },
      deadLetter: memoryDeadLetter(),
    }).run();
    await expect(run).rejects.toThrow('echo store unreachable');
    expect(sinkCalls).toBe(0); // an unremembered write would echo back, so it is not made
    expect(await store.get('cursor/rows')).toBeUndefined();
  });

  it('parks a record at stage "echo" when the echo guard fails, and goes on', async () => {
    const broken = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 1_000 });
    broken.isEcho = async (_system, _entity, key) => {
      if (key === 'B') throw new Error('echo store unreachable');
      return false;
    };
    const deadLetter = memoryDeadLetter<{ id: string }>();
    const written: { id: string }[] = [];
    const summary = await createRunner<{ id: string }>({
      source: () => [{ id: 'A' }, { id: 'B' }, { id: 'C' }],
      sink: (batch) => {
        written.push(...batch);
      },
      batchSize: 10,
      concurrency: 1,
      echo: { guard: broken, entity: 'x', skip: { system: 'erp', key: (r) => r.id } },
      deadLetter,
    }).run();
    expect(summary).toMatchObject({ done: 2, failed: 1 });
    expect(written).toEqual([{ id: 'A' }, { id: 'C' }]);
    expect(deadLetter.entries.map((e) => [e.record.id, e.reason.stage, e.reason.message])).toEqual([
      ['B', 'echo', 'echo store unreachable'],
    ]);
  });

  it('rejects bad options with typed errors', () => {
    const base = { source: () => [], sink: () => {}, deadLetter: memoryDeadLetter() };
    expect(() => createRunner({ ...base, batchSize: 0, concurrency: 1 })).toThrow(
      InvalidOptionError,
    );
    expect(() => createRunner({ ...base, batchSize: 1, concurrency: 1.5 })).toThrow(/concurrency/);
    expect(() =>
      createRunner({ ...base, batchSize: 1, concurrency: 1, deadLetter: {} as never }),
    ).toThrow(/deadLetter/);
    const ownership = defineOwnership({
      systems: ['a'] as const,
      entities: { x: { default: 'a' } },
    });
    expect(() =>
      createRunner({
        ...base,
        batchSize: 1,
        concurrency: 1,
        ownership: { ownership, source: 'a', entity: 'y' },
      }),
    ).toThrow(UnknownEntityError);
    const guard = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 1_000 });
    expect(() =>
      createRunner({ ...base, batchSize: 1, concurrency: 1, echo: { guard, entity: 'x' } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'echo' }));
    expect(() =>
      createRunner({
        ...base,
        batchSize: 1,
        concurrency: 1,
        echo: { guard: {} as never, entity: 'x', skip: { system: 'a', key: String } },
      }),
    ).toThrow(/echo\.guard/);
  });

  it('refuses to run from a corrupted checkpoint with a typed error, writing and reading nothing', async () => {
    const store = memoryKeyValueStore();
    await store.set('cursor/rows', 'eyJ2IjoxLCJ3IjpbMV0'); // truncated, e.g. by a bad manual edit
    let read = 0;
    let written = 0;
    const runner = createRunner<Row>({
      source: () => {
        read += 1;
        return table(10);
      },
      sink: () => {
        written += 1;
      },
      batchSize: 5,
      concurrency: 1,
      cursor: { checkpoints: createCheckpointStore({ store }), name: 'rows' },
      deadLetter: memoryDeadLetter(),
    });
    const failure = runner.run();
    await expect(failure).rejects.toThrow(CursorTokenError);
    await expect(failure).rejects.toMatchObject({ code: 'CURSOR_TOKEN_INVALID' });
    expect([read, written]).toEqual([0, 0]);
    expect(await store.get('cursor/rows')).toBe('eyJ2IjoxLCJ3IjpbMV0'); // left for inspection
  });

  it('fails the run when the source throws, keeping the last confirmed checkpoint', async () => {
    const checkpoints = createCheckpointStore({ store: memoryKeyValueStore() });
    const runner = createRunner<Row>({
      source: async function* () {
        yield table(10);
        throw new Error('source gone');
      },
      sink: () => {},
      batchSize: 5,
      concurrency: 1,
      cursor: { checkpoints, name: 's' },
      deadLetter: memoryDeadLetter(),
    });
    await expect(runner.run()).rejects.toThrow('source gone');
    expect((await checkpoints.load('s')).state.watermark).toBeDefined();
  });

  it('resumes with nothing skipped wherever it is killed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        async (count, sameTs, batchSize, concurrency, killAt, byAbort) => {
          const rows = Array.from({ length: count }, (_, i) => ({
            id: (i * 7919) % 10_007,
            updatedAt: Math.floor(i / sameTs),
            sku: `S${i}`,
            qty: 1,
          }));
          const checkpoints = createCheckpointStore({ store: memoryKeyValueStore() });
          const delivered: number[] = [];
          let calls = 0;
          const controller = new AbortController();
          const runner = (kill: boolean) =>
            createRunner<Row>({
              source: sourceOf(rows, 7),
              sink: async (batch, { signal }) => {
                calls += 1;
                await Promise.resolve();
                if (kill && calls === killAt) {
                  if (byAbort) controller.abort(new Error('killed'));
                  throw byAbort ? signal.reason : new Error('crash');
                }
                delivered.push(...batch.map((row) => row.id));
              },
              batchSize,
              concurrency,
              sinkErrors: 'fail',
              cursor: { checkpoints, name: 'p', options: { lookBackMs: 1 } },
              deadLetter: memoryDeadLetter(),
            });
          await runner(true)
            .run({ signal: controller.signal })
            .catch(() => undefined);
          const firstRun = delivered.length;
          await runner(false).run();
          expect(new Set(delivered).size).toBe(count);
          expect(delivered.length - count).toBeLessThanOrEqual(
            Math.min(firstRun, concurrency * batchSize),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('validates with a Standard Schema, parking records with field paths in the reason', async () => {
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) => {
          const row = value as Row;
          return row.qty > 2
            ? {
                issues: [
                  { message: 'must be at most 2', path: ['qty'] },
                  { message: 'is reserved', path: [{ key: 'sku' }] },
                ],
              }
            : { value };
        },
      },
    };
    const deadLetter = memoryDeadLetter<Row>();
    const summary = await createRunner<Row>({
      source: () => table(5),
      validate: schema,
      sink: () => {},
      batchSize: 5,
      concurrency: 1,
      deadLetter,
    }).run();
    expect(summary).toMatchObject({ done: 3, failed: 2 });
    expect(deadLetter.entries.map((e) => e.reason.message)).toEqual([
      'qty: must be at most 2; sku: is reserved',
      'qty: must be at most 2; sku: is reserved',
    ]);
  });

  it('stops without committing when the dead-letter target itself fails', async () => {
    const checkpoints = createCheckpointStore({ store: memoryKeyValueStore() });
    let parks = 0;
    const runner = createRunner<Row>({
      source: sourceOf(table(30)),
      validate: (row) => (row.sku === 'SKU-12' ? 'bad' : undefined),
      sink: () => {},
      batchSize: 10,
      concurrency: 1,
      cursor: { checkpoints, name: 'dl' },
      deadLetter: {
        park: () => {
          parks += 1;
          throw new Error('dead-letter store unreachable');
        },
      },
    });
    await expect(runner.run()).rejects.toThrow('dead-letter store unreachable');
    expect(parks).toBe(1);
    // Only the first batch (before the failing record) was confirmed.
    const cursor = await checkpoints.load<Row>('dl');
    expect(cursor.filter(table(30))).toHaveLength(20);
  });

  it('three-way merges against the last synced base it keeps in a base store', async () => {
    const bases = createBaseStore({ store: memoryKeyValueStore() });
    const target = new Map<string, Record<string, unknown>>();
    const runWith = (records: Record<string, unknown>[]) =>
      createRunner<Record<string, unknown>>({
        source: () => records,
        sink: (batch) => {
          for (const record of batch)
            target.set(String(record.id), { ...target.get(String(record.id)), ...record });
        },
        batchSize: 10,
        concurrency: 1,
        conflict: {
          resolver: createConflictResolver({
            policy: threeWayMerge({ onBoth: preferSystem('erp') }),
          }),
          entity: 'customer',
          source: 'commerce',
          target: 'erp',
          key: (record) => String(record.id),
          current: (record) => target.get(String(record.id)),
          bases,
        },
        deadLetter: memoryDeadLetter(),
      }).run();
    await runWith([{ id: 1, email: 'a@x.io', phone: '1', city: 'Paris' }]);
    expect(await bases.get('customer', '1')).toEqual({
      id: 1,
      email: 'a@x.io',
      phone: '1',
      city: 'Paris',
    });
    // The ERP changes the phone and the city; Commerce changes the email and the city.
    target.set('1', { id: 1, email: 'a@x.io', phone: '2', city: 'Nice' });
    await runWith([{ id: 1, email: 'b@x.io', phone: '1', city: 'Lyon' }]);
    // One-sided changes from both sides survive; the both-sided city goes to the ERP.
    expect(target.get('1')).toEqual({ id: 1, email: 'b@x.io', phone: '2', city: 'Nice' });
    expect(await bases.get('customer', '1')).toEqual(target.get('1'));
  });
});
