import { describe, expect, it } from 'vitest';
import { walks } from '../../test/support/walks.js';
import { InvalidOptionError } from '../errors.js';
import { memoryKeyValueStore, openMemoryKeyValueStore } from './kv.js';

async function collect(iterable: AsyncIterable<[string, string]>): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

describe('memoryKeyValueStore', () => {
  it('gets, sets, overwrites and deletes', async () => {
    const kv = memoryKeyValueStore();
    expect(await kv.get('a')).toBeUndefined();
    await kv.set('a', '1');
    await kv.set('a', '2');
    expect(await kv.get('a')).toBe('2');
    await kv.delete('a');
    expect(await kv.get('a')).toBeUndefined();
  });

  it('setIfAbsent writes only once, and again after the entry expires', async () => {
    let now = 1_000;
    const kv = memoryKeyValueStore({ now: () => now });
    expect(await kv.setIfAbsent('k', 'first', { ttlMs: 50 })).toBe(true);
    expect(await kv.setIfAbsent('k', 'second')).toBe(false);
    expect(await kv.get('k')).toBe('first');
    now += 50;
    expect(await kv.get('k')).toBeUndefined();
    expect(await kv.setIfAbsent('k', 'third')).toBe(true);
    expect(await kv.get('k')).toBe('third');
  });

  it('its clock never steps back: an entry it has seen expire stays expired when the clock source steps back', async () => {
    let now = 1_000;
    const kv = memoryKeyValueStore({ now: () => now });
    await kv.set('lock', 'held', { ttlMs: 50 });
    await kv.set('other', 'x', { ttlMs: 1_000 });
    now = 1_100;
    expect(await kv.get('other')).toBe('x'); // the store has seen 1,100: 'lock' is expired
    now = 900; // an NTP step back on this machine
    expect(await kv.get('lock')).toBeUndefined();
    expect(await kv.setIfAbsent('lock', 'mine', { ttlMs: 100 })).toBe(true);
    now = 1_150; // 100 ms from the store's 1,100, wherever the source stood
    expect(await kv.get('lock')).toBe('mine');
    now = 1_200;
    expect(await kv.get('lock')).toBeUndefined();
  });

  it('lists live entries under a prefix in ascending key order', async () => {
    let now = 0;
    const kv = memoryKeyValueStore({ now: () => now });
    await kv.set('p/b', '2');
    await kv.set('p/a', '1');
    await kv.set('p/c', '3', { ttlMs: 10 });
    await kv.set('q/a', 'other');
    expect(await collect(kv.list('p/'))).toEqual([
      ['p/a', '1'],
      ['p/b', '2'],
      ['p/c', '3'],
    ]);
    now = 10;
    expect(await collect(kv.list('p/'))).toEqual([
      ['p/a', '1'],
      ['p/b', '2'],
    ]);
    expect(kv.size()).toBe(3);
  });

  it('rejects a non-positive ttl with a typed error naming the option', async () => {
    const kv = memoryKeyValueStore();
    await expect(kv.set('k', 'v', { ttlMs: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(kv.setIfAbsent('k', 'v', { ttlMs: -5 })).rejects.toMatchObject({
      code: 'INVALID_OPTION',
      option: 'ttlMs',
    });
  });
});

describe('memoryKeyValueStore key index', () => {
  it('lists a narrow prefix of a large store without looking at the other keys', async () => {
    const { store, index } = openMemoryKeyValueStore();
    for (let i = 0; i < 50_000; i += 1) {
      await store.set(`hash/product/SKU-${String(i).padStart(6, '0')}`, String(i));
    }
    await store.set('echo/commerce/product/SKU-1/fp/b', 'b');
    await store.set('echo/commerce/product/SKU-1/fp/a', 'a');
    await store.set('echo/commerce/product/SKU-10/fp/c', 'c');
    const before = index.visited;
    const first = walks(() =>
      store.list('echo/commerce/product/SKU-1/')[Symbol.asyncIterator]().next(),
    );
    expect(first.walks).toBe(0);
    expect(await first.result).toEqual({
      value: ['echo/commerce/product/SKU-1/fp/a', 'a'],
      done: false,
    });
    // Two matches plus the first key past them.
    expect(index.visited - before).toBe(3);
    expect(await collect(store.list('hash/product/SKU-04999'))).toHaveLength(10);
  });

  it('keeps UTF-8 byte order through inserts, overwrites, deletes and expiry', async () => {
    let now = 0;
    const { store } = openMemoryKeyValueStore({ now: () => now });
    const alive = new Map<string, string>();
    const alphabet = ['a', 'b', 'B', '/', '%2F', 'é', '\u{1F600}', '\uFF01', 'z', '0'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const word = () =>
      Array.from({ length: 1 + random(4) }, () => alphabet[random(alphabet.length)]).join('');
    for (let step = 0; step < 6_000; step += 1) {
      const key = word();
      const roll = random(10);
      if (roll < 6) {
        await store.set(key, String(step));
        alive.set(key, String(step));
      } else if (roll < 8) {
        await store.delete(key);
        alive.delete(key);
      } else {
        // Expires at once on the next tick of the fake clock.
        await store.set(key, 'brief', { ttlMs: 1 });
        alive.delete(key);
      }
      if (roll >= 8) now += 1;
    }
    now += 1;
    for (const prefix of ['', 'a', 'B', '/', 'é', '\u{1F600}', '\uFF01', 'zz', 'nothing']) {
      const expected = [...alive]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect(await collect(store.list(prefix))).toEqual(expected);
    }
    expect(store.size()).toBe(alive.size);
  });
});
