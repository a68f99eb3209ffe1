import { afterAll, describe, expect, it } from 'vitest';
import {
  createIdempotency,
  IdempotencyFailedError,
  IdempotencyInProgressError,
  IdempotencyLockLostError,
  InvalidInputError,
  LeaseLostError,
} from '../../src/index.js';
import { until } from '../support/services.js';
import { allBackends } from './backends.js';

const backends = (await allBackends()).filter((backend) => backend.idempotency);
afterAll(async () => {
  for (const backend of backends) await backend.teardown();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.concurrent.each(backends)('idempotency on $name', (backend) => {
  it('runs once per key and hands the stored result to repeats', async () => {
    const idem = createIdempotency(await backend.idempotency!());
    let calls = 0;
    const work = async () => {
      calls += 1;
      return { orderId: 'SO-1', lines: [1, 2] };
    };
    expect(await idem.run('order:1', work)).toEqual({ orderId: 'SO-1', lines: [1, 2] });
    expect(await idem.run('order:1', work)).toEqual({ orderId: 'SO-1', lines: [1, 2] });
    expect(await idem.run('order:2', async () => undefined)).toBeNull();
    expect(calls).toBe(1);
    expect(await idem.get('order:1')).toMatchObject({ key: 'order:1', state: 'done' });
  });

  it('concurrent duplicates wait for the first run and never run twice', async () => {
    const idem = createIdempotency(await backend.idempotency!(), { pollMs: 10 });
    let calls = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        idem.run('charge:9', async () => {
          calls += 1;
          await sleep(80);
          return 'charged';
        }),
      ),
    );
    expect(calls).toBe(1);
    expect(results).toEqual(Array(20).fill('charged'));
  });

  it('refuses a concurrent duplicate with a typed error when asked to', async () => {
    const idem = createIdempotency(await backend.idempotency!(), { onDuplicate: 'refuse' });
    let started = false;
    const first = idem.run('k', async () => {
      started = true;
      await sleep(60);
      return 1;
    });
    await until(() => started);
    const error = await idem.run('k', async () => 2).catch((e) => e);
    expect(error).toBeInstanceOf(IdempotencyInProgressError);
    expect(error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(await first).toBe(1);
  });

  it('a waiting duplicate gives up after waitMs', async () => {
    const idem = createIdempotency(await backend.idempotency!(), { waitMs: 60, pollMs: 10 });
    let release: (() => void) | undefined;
    const first = idem.run(
      'slow',
      () =>
        new Promise<string>((resolve) => {
          release = () => resolve('ok');
        }),
    );
    await until(() => release !== undefined);
    await expect(idem.run('slow', async () => 'dup')).rejects.toBeInstanceOf(
      IdempotencyInProgressError,
    );
    release!();
    expect(await first).toBe('ok');
  });

  it('a failed run frees the key by default, or is kept and reported when configured', async () => {
    const store = await backend.idempotency!();
    const idem = createIdempotency(store);
    await expect(idem.run('a', async () => Promise.reject(new Error('ERP down')))).rejects.toThrow(
      'ERP down',
    );
    expect(await idem.run('a', async () => 'second try')).toBe('second try');

    const strict = createIdempotency(store, { releaseOnFailure: false });
    await expect(
      strict.run('b', async () => Promise.reject(new Error('bad order'))),
    ).rejects.toThrow('bad order');
    const error = await strict.run('b', async () => 'again').catch((e) => e);
    expect(error).toBeInstanceOf(IdempotencyFailedError);
    expect(error.message).toContain('bad order');
    await strict.forget('b');
    expect(await strict.run('b', async () => 'after forget')).toBe('after forget');
  });

  it("a holder that died frees its key after lockMs by the store's clock; its stale token is refused", async () => {
    const store = await backend.idempotency!();
    const idem = createIdempotency(store, { lockMs: 5_000, onDuplicate: 'refuse' });
    // A holder claimed the key and died: it never renews.
    expect((await store.begin('job-7', { token: 'zombie', lockMs: 150 })).acquired).toBe(true);
    await expect(idem.run('job-7', async () => 'x')).rejects.toBeInstanceOf(
      IdempotencyInProgressError,
    );
    await sleep(250);
    expect(await idem.run('job-7', async () => 'successor')).toBe('successor');
    expect(await store.complete('job-7', 'zombie', { result: '"zombie"' })).toBe(false);
    expect(await idem.run('job-7', async () => 'third')).toBe('successor');
  });

  it('a holder whose fn outlives lockMs renews its lock: a duplicate waits and fn runs once', async () => {
    const idem = createIdempotency(await backend.idempotency!(), {
      lockMs: 150,
      pollMs: 10,
      waitMs: 10_000,
    });
    let calls = 0;
    const slow = async () => {
      calls += 1;
      await sleep(600); // four times lockMs
      return 'booked once';
    };
    const first = idem.run('slow-holder', slow);
    await until(() => calls === 1);
    await sleep(300); // the unrenewed lock would have run out twice by now
    const second = await idem.run('slow-holder', slow);
    expect(await first).toBe('booked once');
    expect(second).toBe('booked once');
    expect(calls).toBe(1);
  });

  it('a holder that lost its key has its signal aborted and its completion refused with LEASE_LOST', async () => {
    const idem = createIdempotency(await backend.idempotency!(), { lockMs: 150 });
    let context: { token: string; signal: AbortSignal } | undefined;
    let finish: ((value: string) => void) | undefined;
    const holder = idem.run('fenced', (ctx) => {
      context = ctx;
      return new Promise<string>((resolve) => {
        finish = resolve;
      });
    });
    await until(() => context !== undefined);
    expect(typeof context!.token).toBe('string');
    expect(context!.signal.aborted).toBe(false);
    await idem.forget('fenced'); // an operator frees the key; a successor takes it
    expect(await idem.run('fenced', async () => 'successor')).toBe('successor');
    await until(() => context!.signal.aborted, 5_000); // the next renewal finds the key taken
    expect(context!.signal.reason).toBeInstanceOf(LeaseLostError);
    finish!('stale holder');
    const error = await holder.catch((e) => e);
    expect(error).toBeInstanceOf(LeaseLostError);
    expect(error).toBeInstanceOf(IdempotencyLockLostError);
    expect(error.code).toBe('LEASE_LOST');
    expect(await idem.run('fenced', async () => 'third')).toBe('successor');
  });

  it('a stale token can neither renew nor complete nor fail the key', async () => {
    const store = await backend.idempotency!();
    const first = await store.begin('stale', { token: 'old', lockMs: 100 });
    expect(first.acquired).toBe(true);
    await sleep(200); // the old holder's lock runs out by the store's clock
    const second = await store.begin('stale', { token: 'new', lockMs: 5_000 });
    expect(second.acquired).toBe(true);
    expect(await store.renew('stale', 'old', { lockMs: 5_000 })).toBe(false);
    expect(await store.complete('stale', 'old', { result: '"old"' })).toBe(false);
    expect(await store.fail('stale', 'old', { error: 'x', release: true })).toBe(false);
    expect(await store.complete('stale', 'new', { result: '"new"' })).toBe(true);
    expect(await store.get('stale')).toMatchObject({ state: 'done', result: '"new"' });
  });

  it("results expire after ttlMs by the store's clock", async () => {
    const idem = createIdempotency(await backend.idempotency!(), { ttlMs: 200 });
    expect(await idem.run('t', async () => 1)).toBe(1);
    expect(await idem.run('t', async () => 2)).toBe(1);
    await sleep(300);
    expect(await idem.get('t')).toBeUndefined();
    expect(await idem.run('t', async () => 3)).toBe(3);
  });

  it('sweep deletes expired results and abandoned claims and keeps live ones', async () => {
    const store = await backend.idempotency!();
    const shortLived = createIdempotency(store, { ttlMs: 100 });
    const kept = createIdempotency(store);
    await shortLived.run('expiring', async () => 1);
    await store.begin('abandoned', { token: 'dead-holder', lockMs: 100 });
    await kept.run('kept', async () => 2);
    await store.begin('live', { token: 'live-holder', lockMs: 60_000 });
    await sleep(250);
    const swept = await kept.sweep();
    // Redis may already have let them expire on their own (PEXPIRE); none survives a sweep.
    expect(swept).toBeLessThanOrEqual(2);
    expect(await kept.sweep()).toBe(0);
    expect(await store.get('expiring')).toBeUndefined();
    expect(await store.get('abandoned')).toBeUndefined();
    expect(await store.get('kept')).toMatchObject({ state: 'done', result: '2' });
    expect(await store.get('live')).toMatchObject({ state: 'running' });
  });

  it('a result that cannot be stored is reported and the key is not run again', async () => {
    const idem = createIdempotency(await backend.idempotency!());
    let calls = 0;
    const run = () =>
      idem.run('bigint', async () => {
        calls += 1;
        return { total: 10n };
      });
    await expect(run()).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'result' });
    await expect(run()).rejects.toBeInstanceOf(IdempotencyFailedError);
    expect(calls).toBe(1);
  });

  it('a result with no JSON form (a function, a symbol) is reported and the key is not run again', async () => {
    // JSON.stringify answers undefined for these instead of throwing: the store was handed no
    // result (MySQL refused the bind and the key ran again after lockMs; memory stored nothing
    // and the first caller got a SyntaxError).
    const idem = createIdempotency(await backend.idempotency!(), { lockMs: 300, pollMs: 20 });
    for (const [key, value] of [
      ['returns-function', () => 1],
      ['returns-symbol', Symbol('s')],
      ['returns-undefined-json', { toJSON: () => undefined }],
    ] as const) {
      let calls = 0;
      const run = () =>
        idem.run(key, async () => {
          calls += 1;
          return value;
        });
      await expect(run()).rejects.toMatchObject({ code: 'INVALID_INPUT', field: 'result' });
      await sleep(400); // past lockMs: a key left claimed would be run again now
      await expect(run()).rejects.toBeInstanceOf(IdempotencyFailedError);
      expect(calls).toBe(1);
    }
  });

  it('refuses a key that is not text every store can hold (a lone surrogate, a NUL) instead of letting two keys share a record', async () => {
    // Encoded as UTF-8, every lone surrogate becomes U+FFFD: 'order-\uD83D' and 'order-\uD83E'
    // (two titles cut mid-emoji) were one key, so the second order's effect never ran. PostgreSQL
    // text cannot hold NUL and answered with a bare driver error.
    const idem = createIdempotency(await backend.idempotency!());
    let calls = 0;
    const book = () => ++calls;
    for (const key of ['order-\uD83D', 'order-\uD83E', '\uDE00order', 'order-\u0000']) {
      const error = await idem.run(key, book).catch((e) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toMatchObject({ field: 'key' });
    }
    expect(calls).toBe(0);
    expect(await idem.run('order-\u{1F600}', book)).toBe(1); // a whole emoji is fine
  });

  it('a stored failure whose message holds a NUL is kept, and the caller gets its own error', async () => {
    // PostgreSQL text cannot hold NUL: the caller got a bare driver error instead of its own,
    // the failure was not stored and, after lockMs, fn ran a second time.
    const idem = createIdempotency(await backend.idempotency!(), { releaseOnFailure: false });
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error('vendor said: bad\u0000byte');
    };
    await expect(idem.run('nul-failure', failing)).rejects.toThrow('vendor said: bad\u0000byte');
    const error = await idem.run('nul-failure', failing).catch((e) => e);
    expect(error).toBeInstanceOf(IdempotencyFailedError);
    expect(error.message).toContain('vendor said: bad');
    expect(calls).toBe(1);
  });

  it('rejects an empty key', async () => {
    const idem = createIdempotency(await backend.idempotency!());
    await expect(idem.run('', async () => 1)).rejects.toBeInstanceOf(InvalidInputError);
  });
});
