import { createLimiter, type LimiterBackend } from '@plumbline/client-core';
import { afterAll, describe, expect, it } from 'vitest';
import { redisLimiterBackend } from '../src/redis.js';
import { deleteRedisPrefix, redisClient } from './support/redis.js';
import { serviceAvailable, services, uniquePrefix } from './support/services.js';

const available = await serviceAvailable('redis');
const redis = available ? redisClient() : undefined;
const prefix = uniquePrefix('lim');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(async () => {
  if (!redis) return;
  await deleteRedisPrefix(redis, prefix);
  redis.disconnect();
});

describe.skipIf(!available)('redisLimiterBackend', () => {
  it('plugs into client-core createLimiter and caps concurrency across backends sharing Redis', async () => {
    const backends: LimiterBackend[] = [0, 1, 2].map(() => redisLimiterBackend(redis!, { prefix }));
    const limiters = backends.map((backend) =>
      createLimiter({ maxConcurrent: 3, backend, leaseMs: 5_000 }),
    );
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        limiters[i % 3]!.run('netsuite:acct-1', async () => {
          running += 1;
          peak = Math.max(peak, running);
          await sleep(15);
          running -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });

  it('frees the slot of a holder that died once its lease expires, and renews live holders', async () => {
    const holder = redisLimiterBackend(
      { host: services.redis.host, port: services.redis.port },
      { prefix },
    );
    const other = redisLimiterBackend(redis!, { prefix });
    const alive = await other.acquire('k-alive', { maxConcurrent: 1, leaseMs: 400 });
    await holder.acquire('k-dead', { maxConcurrent: 1, leaseMs: 150 });
    await holder.close(); // the process "dies": nobody renews or releases its lease
    const started = Date.now();
    const next = await other.acquire('k-dead', { maxConcurrent: 1, leaseMs: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await next.release();
    // The live holder keeps renewing past several lease lengths, so nobody else gets in.
    const abort = AbortSignal.timeout(500);
    await expect(
      other.acquire('k-alive', { maxConcurrent: 1, leaseMs: 150, signal: abort }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
    });
    await alive.release();
    await (await other.acquire('k-alive', { maxConcurrent: 1, leaseMs: 150 })).release();
  });

  it('take() lets at most `limit` requests through per interval', async () => {
    const backend = redisLimiterBackend(redis!, { prefix });
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        await backend.take('rate', { limit: 3, intervalMs: 300 });
        times.push(Date.now() - started);
      }),
    );
    times.sort((a, b) => a - b);
    // At most 3 in any 300 ms window: the 4th waits for the 1st to leave it.
    expect(times).toHaveLength(6);
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(250);
  });

  it('rejects bad options with typed errors', async () => {
    const backend = redisLimiterBackend(redis!, { prefix });
    await expect(backend.acquire('k', { maxConcurrent: 0, leaseMs: 10 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      field: 'maxConcurrent',
    });
    expect(() => redisLimiterBackend(redis!, { prefix: 'bad prefix!' })).toThrow(/prefix/);
  });
});
