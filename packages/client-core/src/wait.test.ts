import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortedError, ConfigError, TimeoutError } from './errors.js';
import { type PollStep, poll, sleep } from './wait.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Settles a promise into an inspectable box without an unhandled rejection. */
function track<T>(promise: Promise<T>) {
  const box: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(box, { settled: true, value }),
    (error: unknown) => Object.assign(box, { settled: true, error }),
  );
  return box;
}

describe('sleep', () => {
  it('resolves only once its time has passed', async () => {
    const box = track(sleep(1_000));
    await vi.advanceTimersByTimeAsync(999);
    expect(box.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(box).toEqual({ settled: true, value: undefined });
  });

  it('rejects at once with AbortedError carrying the reason when the signal aborts, and clears its timer', async () => {
    const controller = new AbortController();
    const box = track(sleep(60_000, controller.signal));
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('shutting down');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(box.error).toBeInstanceOf(AbortedError);
    expect((box.error as AbortedError).code).toBe('ABORTED');
    expect((box.error as AbortedError).cause).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with AbortedError when the signal is already aborted, without starting a timer', async () => {
    const reason = new Error('already gone');
    await expect(sleep(10, AbortSignal.abort(reason))).rejects.toMatchObject({
      code: 'ABORTED',
      cause: reason,
    });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('poll', () => {
  it('checks until done and returns the value, waiting intervalMs × factor each time up to maxIntervalMs', async () => {
    const waits: Array<{ attempt: number; delayMs: number }> = [];
    const check = vi.fn(
      async ({ attempt }: { attempt: number }): Promise<PollStep<string>> =>
        attempt < 6 ? { done: false } : { done: true, value: `done at ${attempt}` },
    );
    const box = track(
      poll(check, {
        intervalMs: 100,
        factor: 2,
        maxIntervalMs: 500,
        onWait: (info) => waits.push(info),
      }),
    );
    await vi.runAllTimersAsync();
    expect(box.value).toBe('done at 6');
    expect(check).toHaveBeenCalledTimes(6);
    expect(waits).toEqual([
      { attempt: 1, delayMs: 100 },
      { attempt: 2, delayMs: 200 },
      { attempt: 3, delayMs: 400 },
      { attempt: 4, delayMs: 500 },
      { attempt: 5, delayMs: 500 },
    ]);
  });

  it('uses 1.5 as the default factor', async () => {
    const waits: number[] = [];
    const box = track(
      poll(
        async ({ attempt }) => (attempt < 4 ? { done: false } : { done: true, value: attempt }),
        { intervalMs: 100, onWait: ({ delayMs }) => waits.push(delayMs) },
      ),
    );
    await vi.runAllTimersAsync();
    expect(box.value).toBe(4);
    expect(waits).toEqual([100, 150, 225]);
  });

  it("waits the check's retryAfterMs instead of the backoff delay", async () => {
    const waits: number[] = [];
    const box = track(
      poll(
        async ({ attempt }) =>
          attempt === 1 ? { done: false, retryAfterMs: 7_000 } : { done: true, value: 'ok' },
        { intervalMs: 100, maxIntervalMs: 200, onWait: ({ delayMs }) => waits.push(delayMs) },
      ),
    );
    await vi.advanceTimersByTimeAsync(6_999);
    expect(box.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(box.value).toBe('ok');
    expect(waits).toEqual([7_000]);
  });

  it('throws TimeoutError naming how long it waited as soon as the next wait would pass timeoutMs', async () => {
    const checkedAt: number[] = [];
    const box = track(
      poll(
        async () => {
          checkedAt.push(performance.now());
          return { done: false };
        },
        { intervalMs: 400, factor: 2, timeoutMs: 1_000 },
      ),
    );
    const start = performance.now();
    await vi.runAllTimersAsync();
    expect(box.error).toBeInstanceOf(TimeoutError);
    const error = box.error as TimeoutError;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(
      /after waiting 400 ms over 2 check\(s\) without a result: the next wait of 800 ms would pass timeoutMs \(1000 ms\)/,
    );
    // Checks at 0 and 400; the next 800 ms wait would end at 1200, so it stops at 400.
    expect(checkedAt.map((t) => t - start)).toEqual([0, 400]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops at once when a retryAfterMs would end past timeoutMs', async () => {
    const check = vi.fn(
      async (): Promise<PollStep<number>> => ({
        done: false,
        retryAfterMs: 5_000,
      }),
    );
    const box = track(poll(check, { intervalMs: 10, timeoutMs: 1_000 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(box.error).toBeInstanceOf(TimeoutError);
    expect(check).toHaveBeenCalledTimes(1);
  });

  it('aborts a check still running at timeoutMs through its signal and throws TimeoutError', async () => {
    let seen: AbortSignal | undefined;
    const box = track(
      poll(
        ({ signal }) =>
          new Promise<PollStep<number>>((_, reject) => {
            seen = signal;
            signal?.addEventListener('abort', () => reject(new Error('request aborted')));
          }),
        { intervalMs: 10, timeoutMs: 2_000 },
      ),
    );
    await vi.advanceTimersByTimeAsync(1_999);
    expect(box.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen?.aborted).toBe(true);
    expect(box.error).toBeInstanceOf(TimeoutError);
    expect((box.error as TimeoutError).cause).toMatchObject({ message: 'request aborted' });
  });

  it("rejects with AbortedError when the caller's signal aborts during a wait", async () => {
    const controller = new AbortController();
    const check = vi.fn(async (): Promise<PollStep<number>> => ({ done: false }));
    const box = track(poll(check, { intervalMs: 10_000, signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(5_000);
    controller.abort(new Error('stop'));
    await vi.advanceTimersByTimeAsync(0);
    expect(box.error).toBeInstanceOf(AbortedError);
    expect(check).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes the caller signal to the check and does not call it when already aborted', async () => {
    const check = vi.fn(async (): Promise<PollStep<number>> => ({ done: true, value: 1 }));
    await expect(
      poll(check, { intervalMs: 1, signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(check).not.toHaveBeenCalled();
  });

  it('lets an error of the check through unchanged', async () => {
    const failure = new Error('job failed on the server');
    await expect(
      poll(
        async () => {
          throw failure;
        },
        { intervalMs: 1, timeoutMs: 1_000 },
      ),
    ).rejects.toBe(failure);
  });

  it('refuses bad options with a ConfigError naming the option', async () => {
    const check = async (): Promise<PollStep<number>> => ({ done: true, value: 1 });
    await expect(poll(check, { intervalMs: -1 })).rejects.toMatchObject({ option: 'intervalMs' });
    await expect(poll(check, { intervalMs: 1, factor: 0.5 })).rejects.toMatchObject({
      option: 'factor',
    });
    await expect(poll(check, { intervalMs: 1, timeoutMs: Number.NaN })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });
});
