import { afterAll, describe, expect, it } from 'vitest';
import {
  createIdempotency,
  IdempotencyFailedError,
  IdempotencyInProgressError,
  IdempotencyLockLostError,
  InvalidInputError,
} from '../../src/index.js';
import { fakeClock, until } from '../support/services.js';
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
    let started = false;
    const first = idem.run('slow', () => {
      started = true;
      return sleep(200).then(() => 'ok');
    });
    await until(() => started);
    await expect(idem.run('slow', async () => 'dup')).rejects.toBeInstanceOf(
      IdempotencyInProgressError,
    );
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

  it('a holder that died frees its key after lockMs, and a late finisher learns it lost the key', async () => {
    const clock = fakeClock();
    const store = await backend.idempotency!();
    const idem = createIdempotency(store, {
      lockMs: 5_000,
      clock: clock.now,
      onDuplicate: 'refuse',
    });
    let release: (() => void) | undefined;
    const zombie = idem.run(
      'job-7',
      () =>
        new Promise<string>((resolve) => {
          release = () => resolve('zombie');
        }),
    );
    await until(() => release !== undefined);
    await expect(idem.run('job-7', async () => 'x')).rejects.toBeInstanceOf(
      IdempotencyInProgressError,
    );
    clock.advance(5_000);
    expect(await idem.run('job-7', async () => 'successor')).toBe('successor');
    release!();
    await expect(zombie).rejects.toBeInstanceOf(IdempotencyLockLostError);
    expect(await idem.run('job-7', async () => 'third')).toBe('successor');
  });

  it('results expire after ttlMs', async () => {
    const clock = fakeClock();
    const idem = createIdempotency(await backend.idempotency!(), {
      ttlMs: 1_000,
      clock: clock.now,
    });
    expect(await idem.run('t', async () => 1)).toBe(1);
    expect(await idem.run('t', async () => 2)).toBe(1);
    clock.advance(1_000);
    expect(await idem.get('t')).toBeUndefined();
    expect(await idem.run('t', async () => 3)).toBe(3);
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

  it('rejects an empty key', async () => {
    const idem = createIdempotency(await backend.idempotency!());
    await expect(idem.run('', async () => 1)).rejects.toBeInstanceOf(InvalidInputError);
  });
});
