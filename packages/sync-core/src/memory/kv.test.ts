import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.js';
import { memoryKeyValueStore } from './kv.js';

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
