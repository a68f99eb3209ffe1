import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashInputError } from '../errors.js';
import { memoryKeyValueStore } from '../memory/kv.js';
import { canonicalJson, contentHash, sameContent } from './content-hash.js';
import { createHashStore } from './hash-store.js';

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((item, i) => shuffleKeys(item, seed + i));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  // A deterministic permutation driven by the seed.
  const order = entries
    .map((_, i) => i)
    .sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
  const out: Record<string, unknown> = {};
  for (const i of order.reverse()) {
    const [key, item] = entries[i] as [string, unknown];
    // defineProperty keeps a generated "__proto__" key an own property.
    Object.defineProperty(out, key, {
      value: shuffleKeys(item, seed + i),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

describe('contentHash', () => {
  it('is a sha256 hex digest', () => {
    expect(contentHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order at every depth (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(), (value, seed) => {
        const shuffled = shuffleKeys(value, seed);
        expect(contentHash(shuffled)).toBe(contentHash(value));
      }),
      { numRuns: 300 },
    );
  });

  it('ignores key order of records built in any insertion order (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string(), fc.jsonValue()), { selector: ([key]) => key }),
        (pairs) => {
          const forward = Object.fromEntries(pairs);
          const backward = Object.fromEntries([...pairs].reverse());
          expect(contentHash(backward)).toBe(contentHash(forward));
        },
      ),
    );
  });

  it('treats 1, 1.0 and 1e0 alike, -0 as 0, and drops undefined properties', () => {
    expect(contentHash({ n: 1 })).toBe(contentHash(JSON.parse('{"n": 1.0}')));
    expect(contentHash({ n: 1 })).toBe(contentHash(JSON.parse('{"n": 1e0}')));
    expect(contentHash({ n: -0 })).toBe(contentHash({ n: 0 }));
    expect(contentHash({ a: 1, b: undefined })).toBe(contentHash({ a: 1 }));
    expect(contentHash({ n: 1 })).not.toBe(contentHash({ n: '1' }));
  });

  it('normalises dates to ISO-8601 UTC', () => {
    const date = new Date('2026-03-01T10:00:00+02:00');
    expect(canonicalJson({ at: date })).toBe('{"at":"2026-03-01T08:00:00.000Z"}');
    expect(contentHash({ at: date })).toBe(contentHash({ at: '2026-03-01T08:00:00.000Z' }));
  });

  it('picks only own fields, never inherited ones', () => {
    expect(contentHash({ a: 1 }, { fields: ['a', 'constructor', 'toString'] })).toBe(
      contentHash({ a: 1 }),
    );
  });

  it('hashes chosen fields only', () => {
    const a = { sku: 'A', price: 10, updated_at: '2026-01-01' };
    const b = { sku: 'A', price: 10, updated_at: '2026-02-02' };
    expect(contentHash(a)).not.toBe(contentHash(b));
    expect(contentHash(a, { fields: ['sku', 'price'] })).toBe(
      contentHash(b, { fields: ['sku', 'price'] }),
    );
  });

  it('reads numeric strings as numbers only when asked', () => {
    expect(sameContent({ p: '10.0000' }, { p: 10 })).toBe(false);
    expect(sameContent({ p: '10.0000' }, { p: 10 }, { numericStrings: true })).toBe(true);
    expect(sameContent({ p: 'ten' }, { p: 10 }, { numericStrings: true })).toBe(false);
  });

  it('raises a typed error naming the path for values without content', () => {
    expect(() => contentHash({ a: { b: () => 1 } })).toThrow(HashInputError);
    expect(() => contentHash({ a: [Number.NaN] })).toThrow(/\$\.a\[0\]/);
    expect(() => contentHash({ at: new Date('nope') })).toThrow(/invalid/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => contentHash(cyclic)).toThrow(/cycle/);
    expect(() => contentHash({ tags: new Set(['a']) })).toThrow(/\$\.tags.*Map or Set/);
    expect(() => contentHash(new Map())).toThrow(HashInputError);
  });
});

describe('createHashStore', () => {
  it('reports a record changed until it is recorded, then only when its content changes', async () => {
    const hashes = createHashStore({ store: memoryKeyValueStore(), fields: ['price', 'name'] });
    const product = { sku: 'A', price: 10, name: 'Mug', stock: 3 };
    expect(await hashes.changed('product', 'A', product)).toBe(true);
    await hashes.record('product', 'A', product);
    expect(await hashes.changed('product', 'A', { ...product, stock: 99 })).toBe(false);
    expect(await hashes.changed('product', 'A', { ...product, price: 11 })).toBe(true);
    expect(await hashes.changed('product', 'B', product)).toBe(true);
    await hashes.forget('product', 'A');
    expect(await hashes.changed('product', 'A', product)).toBe(true);
  });

  it('pushes only what changed in a catalog pass', async () => {
    const hashes = createHashStore({ store: memoryKeyValueStore() });
    const catalog = Array.from({ length: 50 }, (_, i) => ({ sku: `S${i}`, price: i }));
    for (const item of catalog) await hashes.record('product', item.sku, item);
    const next = catalog.map((item, i) =>
      i % 10 === 0 ? { ...item, price: item.price + 1 } : item,
    );
    const pushed: string[] = [];
    for (const item of next)
      if (await hashes.changed('product', item.sku, item)) pushed.push(item.sku);
    expect(pushed).toEqual(['S0', 'S10', 'S20', 'S30', 'S40']);
  });
});
