import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError, UnknownEntityError } from '../errors.js';
import { memoryKeyValueStore } from '../memory/kv.js';
import { defineOwnership } from '../ownership/ownership.js';
import { createConflictLog, memoryConflictLog } from './conflict-log.js';
import {
  customPolicy,
  lastWriterWins,
  ownerWins,
  preferSystem,
  threeWayMerge,
} from './policies.js';
import { createConflictResolver } from './resolver.js';

const T0 = Date.parse('2026-05-01T12:00:00Z');

describe('lastWriterWins', () => {
  it('takes the later timestamp and logs each differing field', async () => {
    const log = memoryConflictLog();
    const resolver = createConflictResolver({
      policy: lastWriterWins({ timestamp: 'updatedAt' }),
      log,
      now: () => T0,
    });
    const { merged, decisions } = await resolver.resolve({
      entity: 'customer',
      key: 'C1',
      left: {
        system: 'commerce',
        record: { name: 'Ada', phone: '1', updatedAt: '2026-05-01T10:00:00Z' },
      },
      right: {
        system: 'erp',
        record: { name: 'Ada L.', phone: '1', updatedAt: '2026-05-01T11:00:00Z' },
      },
    });
    expect(merged).toEqual({ name: 'Ada L.', phone: '1', updatedAt: '2026-05-01T11:00:00Z' });
    expect(decisions.map((d) => d.field)).toEqual(['name', 'updatedAt']);
    expect(log.entries[0]).toEqual({
      entity: 'customer',
      key: 'C1',
      field: 'name',
      left: { system: 'commerce', value: 'Ada' },
      right: { system: 'erp', value: 'Ada L.' },
      winner: 'erp',
      value: 'Ada L.',
      rule: 'last-writer-wins',
      at: '2026-05-01T12:00:00.000Z',
    });
  });

  it('breaks ties by system priority, then by value hash, the same way from either side', async () => {
    const byPriority = createConflictResolver({
      policy: lastWriterWins({ timestamp: 'at', priority: ['erp', 'commerce'] }),
    });
    const a = { system: 'commerce', record: { at: 5, price: 1 } };
    const b = { system: 'erp', record: { at: 5, price: 2 } };
    expect(
      (await byPriority.resolve({ entity: 'p', key: 'k', left: a, right: b })).merged.price,
    ).toBe(2);
    expect(
      (await byPriority.resolve({ entity: 'p', key: 'k', left: b, right: a })).merged.price,
    ).toBe(2);
    const byHash = createConflictResolver({ policy: lastWriterWins({ timestamp: 'at' }) });
    const one = await byHash.resolve({ entity: 'p', key: 'k', left: a, right: b });
    const two = await byHash.resolve({ entity: 'p', key: 'k', left: b, right: a });
    expect(one.merged.price).toBe(two.merged.price);
    expect(one.decisions[0]?.rule).toBe('last-writer-wins/hash');
  });
});

describe('ownerWins', () => {
  it('keeps the owner value from the ownership map', async () => {
    const ownership = defineOwnership({
      systems: ['commerce', 'erp', 'crm'] as const,
      entities: { customer: { default: 'erp', fields: { email: 'commerce', segment: 'crm' } } },
    });
    const resolver = createConflictResolver({ policy: ownerWins(ownership) });
    const { merged, decisions } = await resolver.resolve({
      entity: 'customer',
      key: 'C1',
      left: { system: 'commerce', record: { email: 'new@x.io', name: 'A', segment: 'b2c' } },
      right: { system: 'erp', record: { email: 'old@x.io', name: 'B', segment: 'b2b' } },
    });
    expect(merged).toEqual({ email: 'new@x.io', name: 'B', segment: 'b2b' });
    expect(decisions.map((d) => [d.field, d.winner, d.rule])).toEqual([
      ['email', 'commerce', 'owner-wins'],
      ['name', 'erp', 'owner-wins'],
      ['segment', 'erp', 'owner-wins/unowned'],
    ]);
  });

  it('raises UnknownEntityError for an entity the ownership map does not declare', async () => {
    const ownership = defineOwnership({
      systems: ['commerce', 'erp'] as const,
      entities: { customer: { default: 'erp' } },
    });
    const resolver = createConflictResolver({ policy: ownerWins(ownership) });
    const resolving = resolver.resolve({
      entity: 'custmer',
      key: 'C1',
      left: { system: 'commerce', record: { name: 'A' } },
      right: { system: 'erp', record: { name: 'B' } },
    });
    await expect(resolving).rejects.toThrow(UnknownEntityError);
    await expect(resolving).rejects.toMatchObject({ code: 'UNKNOWN_ENTITY', entity: 'custmer' });
  });
});

describe('threeWayMerge', () => {
  it('takes one-sided changes and sends both-sided changes to the policy', async () => {
    const resolver = createConflictResolver({
      policy: threeWayMerge({ onBoth: preferSystem('erp') }),
    });
    const base = { name: 'Ada', phone: '1', city: 'Paris', tier: 'gold' };
    const { merged, decisions } = await resolver.resolve({
      entity: 'customer',
      key: 'C1',
      base,
      left: {
        system: 'commerce',
        record: { name: 'Ada L.', phone: '1', city: 'Lyon', tier: 'gold' },
      },
      right: { system: 'erp', record: { name: 'Ada', phone: '2', city: 'Nice', tier: 'gold' } },
    });
    expect(merged).toEqual({ name: 'Ada L.', phone: '2', city: 'Nice', tier: 'gold' });
    expect(decisions.map((d) => [d.field, d.rule])).toEqual([
      ['city', 'three-way/prefer-system'],
      ['name', 'three-way'],
      ['phone', 'three-way'],
    ]);
  });

  it('treats a field deleted on one side as a one-sided change', async () => {
    const resolver = createConflictResolver({
      policy: threeWayMerge({ onBoth: preferSystem('erp') }),
    });
    const { merged } = await resolver.resolve({
      entity: 'c',
      key: '1',
      base: { a: 1, b: 2 },
      left: { system: 'commerce', record: { a: 1 } },
      right: { system: 'erp', record: { a: 1, b: 2 } },
    });
    expect(merged).toEqual({ a: 1 });
  });

  const value = fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom('x', 'y'),
  );
  const record = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), value);

  it('is deterministic and keeps every one-sided change (property)', async () => {
    await fc.assert(
      fc.asyncProperty(record, record, record, fc.boolean(), async (base, left, right, useLww) => {
        const onBoth = useLww
          ? lastWriterWins({ timestamp: 'a', priority: ['erp'] })
          : preferSystem('commerce');
        const run = () =>
          createConflictResolver({ policy: threeWayMerge({ onBoth }) }).resolve({
            entity: 'e',
            key: 'k',
            base,
            left: { system: 'commerce', record: left },
            right: { system: 'erp', record: right },
          });
        const first = await run();
        const second = await run();
        expect(second.merged).toEqual(first.merged);
        // Swapping the sides decides the same values.
        const swapped = await createConflictResolver({ policy: threeWayMerge({ onBoth }) }).resolve(
          {
            entity: 'e',
            key: 'k',
            base,
            left: { system: 'erp', record: right },
            right: { system: 'commerce', record: left },
          },
        );
        expect(swapped.merged).toEqual(first.merged);
        for (const field of new Set([
          ...Object.keys(left),
          ...Object.keys(right),
          ...Object.keys(base),
        ])) {
          const [b, l, r] = [base[field], left[field], right[field]];
          if (l === b && r !== b) expect(first.merged[field]).toBe(r);
          if (r === b && l !== b) expect(first.merged[field]).toBe(l);
          if (l === r) expect(first.merged[field]).toBe(l);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('customPolicy', () => {
  it('can produce a merged value, logged with winner "merged"', async () => {
    const resolver = createConflictResolver({
      policy: customPolicy('max-stock', ({ left, right }) => ({
        value: Math.max(Number(left.value), Number(right.value)),
      })),
    });
    const { merged, decisions } = await resolver.resolve({
      entity: 'product',
      key: 'S',
      left: { system: 'commerce', record: { qty: 3 } },
      right: { system: 'erp', record: { qty: 7 } },
    });
    expect(merged).toEqual({ qty: 7 });
    expect(decisions[0]).toMatchObject({ winner: 'merged', rule: 'max-stock', value: 7 });
  });

  it('rejects a verdict that is not left, right or { value }', async () => {
    const resolver = createConflictResolver({
      policy: customPolicy('broken', () => 'both' as 'left'),
    });
    await expect(
      resolver.resolve({
        entity: 'p',
        key: 'k',
        left: { system: 'a', record: { x: 1 } },
        right: { system: 'b', record: { x: 2 } },
      }),
    ).rejects.toThrow(InvalidOptionError);
  });
});

describe('createConflictLog', () => {
  it('queries decisions by entity, key and time range on a KeyValueStore', async () => {
    const log = createConflictLog({ store: memoryKeyValueStore() });
    let clock = T0;
    const resolver = createConflictResolver({ policy: preferSystem('erp'), log, now: () => clock });
    for (const [key, minutes] of [
      ['C2', 0],
      ['C1', 1],
      ['C2', 2],
      ['C1', 3],
    ] as const) {
      clock = T0 + minutes * 60_000;
      await resolver.resolve({
        entity: 'customer',
        key,
        left: { system: 'commerce', record: { name: `n${minutes}` } },
        right: { system: 'erp', record: { name: 'erp' } },
      });
    }
    await resolver.resolve({
      entity: 'product',
      key: 'C1',
      left: { system: 'commerce', record: { x: 1 } },
      right: { system: 'erp', record: { x: 2 } },
    });
    const all = await log.query({ entity: 'customer' });
    expect(all.map((e) => [e.key, e.left.value])).toEqual([
      ['C2', 'n0'],
      ['C1', 'n1'],
      ['C2', 'n2'],
      ['C1', 'n3'],
    ]);
    expect((await log.query({ entity: 'customer', key: 'C1' })).map((e) => e.left.value)).toEqual([
      'n1',
      'n3',
    ]);
    const window = await log.query({
      entity: 'customer',
      from: new Date(T0 + 60_000),
      to: new Date(T0 + 3 * 60_000),
    });
    expect(window.map((e) => e.left.value)).toEqual(['n1', 'n2']);
    expect(await log.query({ entity: 'customer', limit: 1 })).toHaveLength(1);
    expect(await log.query({ entity: 'product' })).toHaveLength(1);
  });

  it('keeps entity and key boundaries even when names share prefixes or contain slashes', async () => {
    const log = createConflictLog({ store: memoryKeyValueStore() });
    const entry = {
      field: 'f',
      left: { system: 'a', value: 1 },
      right: { system: 'b', value: 2 },
      winner: 'a',
      value: 1,
      rule: 'r',
      at: new Date(T0).toISOString(),
    };
    await log.write({ ...entry, entity: 'order', key: 'A/1' });
    await log.write({ ...entry, entity: 'order', key: 'A' });
    await log.write({ ...entry, entity: 'orders', key: 'A' });
    expect(await log.query({ entity: 'order', key: 'A' })).toHaveLength(1);
    expect(await log.query({ entity: 'order' })).toHaveLength(2);
  });

  it('sweeps decisions older than its retention (ttlMs) by default, on the same clock', async () => {
    let clock = T0;
    const store = memoryKeyValueStore({ now: () => clock });
    const log = createConflictLog({ store, ttlMs: 60 * 60_000, now: () => clock });
    const entry = {
      entity: 'customer',
      field: 'f',
      left: { system: 'a', value: 1 },
      right: { system: 'b', value: 2 },
      winner: 'a',
      value: 1,
      rule: 'r',
    };
    // A decision stamped two hours ago (e.g. a replayed one) and one stamped now.
    await log.write({ ...entry, key: 'old', at: new Date(T0 - 2 * 60 * 60_000).toISOString() });
    await log.write({ ...entry, key: 'new', at: new Date(T0).toISOString() });
    expect(await log.sweep?.()).toEqual({ removed: 1, purged: 0 });
    expect((await log.query({ entity: 'customer' })).map((e) => e.key)).toEqual(['new']);
    clock += 61 * 60_000; // the store's TTL expires the other one
    expect(await log.sweep?.()).toEqual({ removed: 0, purged: 2 });
    expect(store.size()).toBe(1); // only the log's entity marker is left

    const memory = memoryConflictLog();
    await memory.write({ ...entry, key: 'k', at: new Date(T0).toISOString() });
    expect(await memory.sweep?.({ olderThan: new Date(T0 + 1) })).toEqual({
      removed: 1,
      purged: 0,
    });
    expect(memory.entries).toEqual([]);
  });
});
