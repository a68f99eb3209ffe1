import { afterAll, describe, expect, it } from 'vitest';
import { createConflictLog, createEchoGuard } from '../../src/index.js';
import { primitivesOnKeyValueStore } from '../../src/memory/primitives-contract.js';
import { fakeClock, until } from '../support/services.js';
import { allBackends } from './backends.js';

const backends = (await allBackends()).filter((backend) => backend.kv);
afterAll(async () => {
  for (const backend of backends) await backend.teardown();
});

async function collect(iterable: AsyncIterable<[string, string]>) {
  const out: Array<[string, string]> = [];
  for await (const entry of iterable) out.push(entry);
  return out;
}

describe.concurrent.each(backends)('KeyValueStore on $name', (backend) => {
  it('gets, sets, overwrites and deletes', async () => {
    const kv = await backend.kv!();
    expect(await kv.get('cursor:orders')).toBeUndefined();
    await kv.set('cursor:orders', '{"at":1}');
    await kv.set('cursor:orders', '{"at":2}');
    expect(await kv.get('cursor:orders')).toBe('{"at":2}');
    await kv.delete('cursor:orders');
    await kv.delete('cursor:orders');
    expect(await kv.get('cursor:orders')).toBeUndefined();
  });

  it('expires entries after ttlMs', async () => {
    const clock = fakeClock(Date.now());
    const kv = await backend.kv!(clock.now);
    // Redis expires by its own (real) clock, so the TTL leaves room for a loaded machine.
    await kv.set('echo:1', 'x', { ttlMs: 1_500 });
    await kv.set('echo:2', 'y');
    expect(await kv.get('echo:1')).toBe('x');
    clock.advance(2_000);
    await until(async () => (await kv.get('echo:1')) === undefined, 10_000);
    expect(await kv.get('echo:1')).toBeUndefined();
    expect(await collect(kv.list('echo:'))).toEqual([['echo:2', 'y']]);
    expect(await kv.setIfAbsent('echo:1', 'z')).toBe(true);
  });

  it('setIfAbsent lets exactly one of many concurrent writers win', async () => {
    const kv = await backend.kv!();
    const wins = await Promise.all(
      Array.from({ length: 25 }, (_, i) => kv.setIfAbsent('lock:a', `writer-${i}`)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const winner = wins.indexOf(true);
    expect(await kv.get('lock:a')).toBe(`writer-${winner}`);
    expect(await kv.setIfAbsent('lock:a', 'late')).toBe(false);
  });

  it('lists live entries under a prefix in ascending key order, across pages', async () => {
    const kv = await backend.kv!();
    const keys = Array.from({ length: 620 }, (_, i) => `hash:${String(i).padStart(4, '0')}`);
    await Promise.all([...keys].reverse().map((key) => kv.set(key, key.toUpperCase())));
    await kv.set('hasi', 'outside');
    await kv.set('has', 'outside');
    const listed = await collect(kv.list('hash:'));
    expect(listed.map(([key]) => key)).toEqual(keys);
    expect(listed[3]).toEqual(['hash:0003', 'HASH:0003']);
    expect(await collect(kv.list('nothing-here:'))).toEqual([]);
  });

  it('lists keys in UTF-8 byte order on every store, and pages over them exactly once', async () => {
    // U+1F600 is a surrogate pair (0xD83D…) in UTF-16 but 0xF0… in UTF-8, so by code unit it sorts
    // before U+FF01 (0xFF01) and by UTF-8 bytes after it; the durable stores order by bytes.
    const kv = await backend.kv!();
    const keys = ['u:a', 'u:a\u00e9', 'u:a\uFF01', 'u:a\u{1F600}', 'u:a\u{1F600}z', 'u:b'];
    for (const key of [...keys].reverse()) await kv.set(key, key);
    expect((await collect(kv.list('u:'))).map(([key]) => key)).toEqual(keys);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page: string[] = [];
      for await (const [key] of kv.list('u:', { after })) {
        page.push(key);
        if (page.length === 2) break;
      }
      if (page.length === 0) break;
      seen.push(...page);
      after = page.at(-1);
    }
    expect(seen).toEqual(keys);
    expect((await collect(kv.list('u:a\uFF01'))).map(([key]) => key)).toEqual(['u:a\uFF01']);
    expect((await collect(kv.list('u:', { after: 'u:a\uFF01' }))).map(([key]) => key)).toEqual(
      keys.slice(3),
    );
  });

  it('take returns and deletes a value for exactly one of many concurrent callers', async () => {
    const kv = await backend.kv!();
    await kv.set('echo:w', 'written');
    const taken = await Promise.all(Array.from({ length: 20 }, () => kv.take!('echo:w')));
    expect(taken.filter((value) => value !== undefined)).toEqual(['written']);
    expect(await kv.get('echo:w')).toBeUndefined();
    expect(await collect(kv.list('echo:'))).toEqual([]);
    expect(await kv.take!('echo:w')).toBeUndefined();
  });

  it('lists a page after a given key, so pages never repeat or skip an entry', async () => {
    const kv = await backend.kv!();
    const keys = Array.from({ length: 30 }, (_, i) => `dead:${String(i).padStart(3, '0')}`);
    for (const key of keys) await kv.set(key, key);
    await kv.set('deaf', 'outside');
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page: string[] = [];
      for await (const [key] of kv.list('dead:', { after })) {
        page.push(key);
        if (page.length === 7) break;
      }
      if (page.length === 0) break;
      seen.push(...page);
      after = page.at(-1);
    }
    expect(seen).toEqual(keys);
    expect(await collect(kv.list('dead:', { after: 'dead:' }))).toHaveLength(30);
    expect(await collect(kv.list('dead:', { after: 'zzz' }))).toEqual([]);
  });

  it('sweep removes expired entries under a prefix from storage and keeps live ones', async () => {
    const clock = fakeClock(Date.now());
    const kv = await backend.kv!(clock.now);
    // Redis expires by its own (real) clock, so the TTL leaves room for a loaded machine.
    for (let i = 0; i < 5; i++) await kv.set(`echo:old:${i}`, 'x', { ttlMs: 1_500 });
    await kv.set('echo:live', 'y', { ttlMs: 60_000 });
    await kv.set('echo:forever', 'z');
    await kv.set('other:old', 'x', { ttlMs: 1_500 });
    await kv.set('probe:old', 'x', { ttlMs: 1_500 });
    expect(await kv.sweep!({ prefix: 'echo:' })).toBe(0); // nothing has expired yet
    clock.advance(2_000);
    await until(async () => (await kv.get('probe:old')) === undefined, 10_000);
    expect(await kv.sweep!({ prefix: 'echo:', limit: 2 })).toBe(2);
    expect(await kv.sweep!({ prefix: 'echo:' })).toBe(3);
    expect(await kv.sweep!({ prefix: 'echo:' })).toBe(0);
    expect(await collect(kv.list('echo:'))).toEqual([
      ['echo:forever', 'z'],
      ['echo:live', 'y'],
    ]);
    expect(await kv.sweep!({ prefix: 'other:' })).toBe(1);
    expect(await kv.get('echo:live')).toBe('y');
  });

  it('the echo guard and the conflict log sweep their expired and old entries, keeping the rest', async () => {
    const clock = fakeClock(Date.now());
    const kv = await backend.kv!(clock.now);
    const shortEcho = createEchoGuard({ store: kv, ttlMs: 1_500 });
    const longEcho = createEchoGuard({ store: kv, ttlMs: 60_000 });
    for (let i = 0; i < 3; i++) await shortEcho.remember('erp', 'customer', `C${i}`, { n: i });
    await longEcho.remember('erp', 'customer', 'K', { n: 9 });
    const T0 = Date.parse('2026-05-01T00:00:00Z');
    const decision = (entity: string, key: string, minutes: number) => ({
      entity,
      key,
      field: 'name',
      left: { system: 'commerce', value: 'a' },
      right: { system: 'erp', value: 'b' },
      winner: 'erp',
      value: 'b',
      rule: 'r',
      at: new Date(T0 + minutes * 60_000).toISOString(),
    });
    const log = createConflictLog({ store: kv });
    for (const [key, minutes] of [
      ['C1', 0],
      ['C2', 1],
      ['C1', 2],
    ] as const)
      await log.write(decision('customer', key, minutes));
    await log.write(decision('product', 'P', 0));
    const expiring = createConflictLog({ store: kv, namespace: 'short-log', ttlMs: 1_500 });
    await expiring.write(decision('customer', 'C1', 0));
    await kv.set('probe:last', 'x', { ttlMs: 1_500 });

    expect(await log.sweep!({ olderThan: new Date(T0 + 90_000) })).toEqual({
      removed: 3,
      purged: 0,
    });
    expect((await log.query({ entity: 'customer' })).map((e) => e.key)).toEqual(['C1']);
    expect(await log.query({ entity: 'customer', key: 'C1' })).toHaveLength(1);
    expect(await log.query({ entity: 'customer', key: 'C2' })).toEqual([]);
    expect(await log.query({ entity: 'product' })).toEqual([]);

    clock.advance(2_000);
    // Redis expires by its own clock: wait until a key written after all of them is gone.
    await until(async () => (await kv.get('probe:last')) === undefined, 10_000);
    expect(await shortEcho.sweep()).toBe(3);
    expect(await shortEcho.sweep()).toBe(0);
    expect(await expiring.sweep!()).toEqual({ removed: 0, purged: 2 });
    expect(await longEcho.isEcho('erp', 'customer', 'K', { n: 9 })).toBe(true);
    expect(await log.query({ entity: 'customer' })).toHaveLength(1);
  });

  it('refuses a value with NUL or a lone surrogate with a typed error naming value, on every store', async () => {
    // PostgreSQL text cannot hold NUL (it failed with a bare error 22021) and UTF-8 stores turn a
    // lone surrogate into U+FFFD, so every store refuses both before writing anything.
    const kv = await backend.kv!();
    for (const value of ['a\0b', 'a\uD800b']) {
      for (const method of ['set', 'setIfAbsent'] as const) {
        const error = await kv[method]('bad-value', value).catch((e) => e);
        expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'value' });
      }
    }
    expect(await kv.get('bad-value')).toBeUndefined();
    await kv.set('good-value', JSON.stringify('a\0b\uD800'));
    expect(JSON.parse((await kv.get('good-value'))!)).toBe('a\0b\uD800');
  });

  it('refuses a key with NUL or a lone surrogate with a typed error naming key, on every store and operation', async () => {
    // PostgreSQL failed with a bare error 22021 on NUL, and the UTF-8 stores turned 'a\uD83D' and
    // 'a\uD83E' into one key (U+FFFD): a write under one overwrote the other.
    const kv = await backend.kv!();
    for (const key of ['a\0b', 'a\uD83D', 'a\uD83E']) {
      const calls = [
        () => kv.set(key, 'v'),
        () => kv.setIfAbsent(key, 'v'),
        () => kv.get(key),
        () => kv.delete(key),
      ];
      for (const call of calls) {
        const error = await call().catch((e) => e);
        expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'key' });
      }
    }
    await kv.set('a\uFFFD', 'replacement character is a key like any other');
    expect(await kv.get('a\uFFFD')).toBe('replacement character is a key like any other');
  });

  it('rejects a non-positive ttl with a typed error', async () => {
    const kv = await backend.kv!();
    await expect(kv.set('k', 'v', { ttlMs: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('refuses a ttl too large for the store clock with a typed error, never a silent non-write', async () => {
    // 1e20 ms: PostgreSQL and MySQL overflowed BIGINT with a bare driver error, and Redis refused
    // the SET inside MULTI while set() resolved, so the value was never written.
    const kv = await backend.kv!();
    for (const method of ['set', 'setIfAbsent'] as const) {
      const error = await kv[method]('huge-ttl', 'v', { ttlMs: 1e20 }).catch((e) => e);
      expect(error).toMatchObject({ code: 'INVALID_OPTION', option: 'ttlMs' });
    }
    await kv.set('long-ttl', 'v', { ttlMs: 10 * 365 * 24 * 3_600_000 }); // ten years is fine
    expect(await kv.get('long-ttl')).toBe('v');
  });
});

// The primitives built on a KeyValueStore (cursor checkpoints, content hashes, the base store,
// echo fingerprints, the conflict log) on the service stores; memory and SQLite run the same
// suite in src/memory/primitives-contract.test.ts.
describe.concurrent.each(
  backends.filter((backend) => ['postgres', 'redis'].includes(backend.name)),
)('primitives on the $name KeyValueStore', (backend) => {
  primitivesOnKeyValueStore(() => backend.kv!());
});
