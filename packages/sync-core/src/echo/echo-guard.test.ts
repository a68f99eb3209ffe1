import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors.js';
import { canonicalJson } from '../hash/content-hash.js';
import { memoryKeyValueStore } from '../memory/kv.js';
import { createEchoGuard } from './echo-guard.js';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('createEchoGuard', () => {
  it('recognises the change event a remembered write causes, despite server-side fields', async () => {
    const clock = fakeClock();
    const echo = createEchoGuard({
      store: memoryKeyValueStore({ now: clock.now }),
      ttlMs: 60_000,
      ignoreFields: ['updated_at', 'entity_id'],
    });
    await echo.remember('commerce', 'product', 'SKU1', { price: 12.5, name: 'Mug' });
    const event = { name: 'Mug', price: 12.5, updated_at: '2026-01-01T00:00:00Z', entity_id: 7 };
    // A real edit of a written field is not an echo.
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { ...event, price: 13 })).toBe(false);
    expect(await echo.isEcho('commerce', 'product', 'SKU1', event)).toBe(true);
    // Other targets, entities and keys are separate.
    expect(await echo.isEcho('erp', 'product', 'SKU1', event)).toBe(false);
    expect(await echo.isEcho('commerce', 'product', 'SKU2', event)).toBe(false);
  });

  it('forgets writes after the TTL so later events are synced', async () => {
    const clock = fakeClock();
    const echo = createEchoGuard({ store: memoryKeyValueStore({ now: clock.now }), ttlMs: 1_000 });
    await echo.remember('erp', 'customer', 'C1', { email: 'a@example.com' });
    await echo.remember('erp', 'customer', 'C1', { email: 'a@example.com' });
    clock.advance(999);
    expect(await echo.isEcho('erp', 'customer', 'C1', { email: 'a@example.com' })).toBe(true);
    clock.advance(1);
    expect(await echo.isEcho('erp', 'customer', 'C1', { email: 'a@example.com' })).toBe(false);
  });

  it('matches origin tags, given directly or read from the event', async () => {
    const echo = createEchoGuard({
      store: memoryKeyValueStore(),
      ttlMs: 60_000,
      originTag: (record) => record.sync_origin as string | undefined,
    });
    // Each remembered write answers for one event.
    await echo.remember('crm', 'account', 'A1', 'plumbline-run-42');
    await echo.remember('crm', 'account', 'A1', 'plumbline-run-42');
    expect(await echo.isEcho('crm', 'account', 'A1', 'plumbline-run-42')).toBe(true);
    expect(
      await echo.isEcho('crm', 'account', 'A1', { sync_origin: 'plumbline-run-42', x: 1 }),
    ).toBe(true);
    expect(await echo.isEcho('crm', 'account', 'A1', { sync_origin: 'someone-else' })).toBe(false);
    expect(await echo.isEcho('crm', 'account', 'A1', 'plumbline-run-43')).toBe(false);
  });

  it('with `fields`, a user edit of any synced field is not mistaken for an echo', async () => {
    const echo = createEchoGuard({
      store: memoryKeyValueStore(),
      ttlMs: 60_000,
      fields: ['price', 'name'],
    });
    await echo.remember('commerce', 'product', 'SKU1', { price: 10, name: 'Mug' });
    expect(
      await echo.isEcho('commerce', 'product', 'SKU1', { price: 10, name: 'Mug', qty: 3 }),
    ).toBe(true);
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 10, name: 'Cup' })).toBe(
      false,
    );
  });

  it('uses a custom fingerprint and forgets on request', async () => {
    const echo = createEchoGuard({
      store: memoryKeyValueStore(),
      ttlMs: 60_000,
      fingerprint: (record) => `${record.version}`,
    });
    await echo.remember('erp', 'order', 'O1', { version: 3, total: 1 });
    expect(await echo.isEcho('erp', 'order', 'O1', { version: 3, total: 2 })).toBe(true);
    await echo.forget('erp', 'order', 'O1');
    expect(await echo.isEcho('erp', 'order', 'O1', { version: 3 })).toBe(false);
  });

  it('remembers several recent writes per record', async () => {
    const echo = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 60_000 });
    await echo.remember('commerce', 'product', 'S', { price: 1 });
    await echo.remember('commerce', 'product', 'S', { price: 2 });
    expect(await echo.isEcho('commerce', 'product', 'S', { price: 1 })).toBe(true);
    expect(await echo.isEcho('commerce', 'product', 'S', { price: 2 })).toBe(true);
    expect(await echo.isEcho('commerce', 'product', 'S', { price: 3 })).toBe(false);
  });

  it('sweep purges expired fingerprints from the store and keeps live ones', async () => {
    const clock = fakeClock();
    const store = memoryKeyValueStore({ now: clock.now });
    const echo = createEchoGuard({ store, ttlMs: 1_000 });
    for (let i = 0; i < 4; i++) await echo.remember('erp', 'customer', `C${i}`, { n: i });
    await store.set('cursor/other', 'kept'); // not the guard's
    clock.advance(500);
    await echo.remember('erp', 'customer', 'C9', { n: 9 });
    clock.advance(600);
    expect(await echo.sweep()).toBe(4);
    expect(store.size()).toBe(2);
    expect(await echo.isEcho('erp', 'customer', 'C9', { n: 9 })).toBe(true);
  });

  it('rejects a missing or non-positive ttl', () => {
    expect(() => createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 0 })).toThrow(
      InvalidOptionError,
    );
  });
});

describe('createEchoGuard never drops a user edit (issue 11, defect 5)', () => {
  it('an event that changed a field beyond the remembered write is not an echo', async () => {
    const echo = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 60_000 });
    await echo.remember('commerce', 'product', 'SKU1', { price: 10 });
    expect(
      await echo.isEcho('commerce', 'product', 'SKU1', { price: 10, name: 'User edited' }),
    ).toBe(false);
    // The write's own echo is still recognised afterwards (the user edit consumed nothing).
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 10 })).toBe(true);
  });

  it('a match is consumed: a second identical event is not an echo', async () => {
    const echo = createEchoGuard({
      store: memoryKeyValueStore(),
      ttlMs: 60_000,
      originTag: (record) => record.sync_origin as string | undefined,
    });
    await echo.remember('commerce', 'product', 'SKU1', { price: 10, name: 'Mug' });
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 10, name: 'Mug' })).toBe(true);
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 10, name: 'Mug' })).toBe(
      false,
    );
    // Two identical writes are two echoes.
    await echo.remember('commerce', 'product', 'SKU1', { price: 11 });
    await echo.remember('commerce', 'product', 'SKU1', { price: 11 });
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 11 })).toBe(true);
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 11 })).toBe(true);
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 11 })).toBe(false);
    // Origin tags too: a later user edit keeps the tag on the record but is not an echo.
    await echo.remember('commerce', 'product', 'SKU2', 'run-42');
    const tagged = { sync_origin: 'run-42', price: 3 };
    expect(await echo.isEcho('commerce', 'product', 'SKU2', tagged)).toBe(true);
    expect(await echo.isEcho('commerce', 'product', 'SKU2', { ...tagged, price: 4 })).toBe(false);
  });

  it('a field named __proto__ (or constructor) is compared like any other field', async () => {
    const echo = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 60_000 });
    await echo.remember('commerce', 'product', 'SKU1', { price: 10 });
    // Change events arrive as parsed JSON, where `__proto__` is an ordinary own field.
    const edited = JSON.parse('{"price":10,"__proto__":{"role":"admin"}}');
    expect(await echo.isEcho('commerce', 'product', 'SKU1', edited)).toBe(false);
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 10, constructor: 'x' })).toBe(
      false,
    );
    expect(await echo.isEcho('commerce', 'product', 'SKU1', { price: 10 })).toBe(true);
  });

  it('isEcho with consume: false only looks: the match is still there for the real event', async () => {
    const echo = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 60_000 });
    await echo.remember('erp', 'customer', 'C1', { email: 'a@x.io' });
    await echo.remember('erp', 'customer', 'C2', 'run-7');
    const look = { consume: false };
    expect(await echo.isEcho('erp', 'customer', 'C1', { email: 'a@x.io' }, look)).toBe(true);
    expect(await echo.isEcho('erp', 'customer', 'C1', { email: 'a@x.io' }, look)).toBe(true);
    expect(await echo.isEcho('erp', 'customer', 'C2', 'run-7', look)).toBe(true);
    expect(await echo.isEcho('erp', 'customer', 'C1', { email: 'a@x.io' })).toBe(true);
    expect(await echo.isEcho('erp', 'customer', 'C1', { email: 'a@x.io' }, look)).toBe(false);
    expect(await echo.isEcho('erp', 'customer', 'C2', 'run-7')).toBe(true);
  });

  it('concurrent identical events: exactly one of them is the echo', async () => {
    const echo = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 60_000 });
    await echo.remember('erp', 'customer', 'C1', { email: 'a@x.io' });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => echo.isEcho('erp', 'customer', 'C1', { email: 'a@x.io' })),
    );
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  const fieldName = fc.constantFrom('price', 'name', 'qty', 'sku', 'status', 'note');
  const fieldValue = fc.oneof(
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('a', 'b', 'Mug', ''),
    fc.boolean(),
    fc.constant(null),
  );
  const record = fc.dictionary(fieldName, fieldValue, { minKeys: 1 });

  it('any event with a field changed beyond the remembered write is never suppressed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        record,
        record,
        fieldName,
        fieldValue,
        fc.boolean(),
        async (write, rest, field, value, synced) => {
          const fields = synced ? ['price', 'name', 'qty', 'sku', 'status', 'note'] : undefined;
          const echo = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 60_000, fields });
          await echo.remember('t', 'e', 'k', write);
          // The event: anything at all, plus one field whose value is not what we wrote there
          // (a field we did not write, or a different value).
          fc.pre(!(field in write) || canonicalJson(write[field]) !== canonicalJson(value));
          const event = { ...write, ...rest, [field]: value };
          expect(await echo.isEcho('t', 'e', 'k', event)).toBe(false);
          // And the write's own echo is still there: only its exact echo consumes it.
          expect(await echo.isEcho('t', 'e', 'k', { ...write })).toBe(true);
          expect(await echo.isEcho('t', 'e', 'k', { ...write })).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
