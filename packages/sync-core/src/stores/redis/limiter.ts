import { randomUUID } from 'node:crypto';
import { pause } from '../abort.js';
import { requirePositiveInt, requireText } from '../input.js';
import { LuaScript, openRedis, type RedisSource } from './connection.js';

// KEYS[1] = lease set. ARGV: leaseId, max, leaseMs. Returns 0 when acquired, else ms until the earliest lease expires.
const acquireScript = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
  return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(first[2]) - now)
`);

// KEYS[1] = lease set. ARGV: leaseId, leaseMs. Pushes the expiry out while the holder is alive.
const extendScript = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1
`);

// KEYS[1] = window set. ARGV: id, limit, intervalMs. Sliding-window log of request times.
const takeScript = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - interval)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], interval * 2)
  return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(first[2]) + interval - now)
`);

/** The lease a holder gets from `acquire`; matches client-core's `Lease`. */
export interface RedisLease {
  release(): Promise<void>;
}

/** Structurally client-core's `LimiterBackend`: pass it to `createLimiter({ backend })`. */
export interface RedisLimiterBackend {
  acquire(
    key: string,
    options: { maxConcurrent: number; leaseMs: number; signal?: AbortSignal },
  ): Promise<RedisLease>;
  take(
    key: string,
    options: { limit: number; intervalMs: number; signal?: AbortSignal },
  ): Promise<void>;
  close(): Promise<void>;
}

export interface RedisLimiterOptions {
  /** Prefix of the limiter's keys. Default `plumbline_`. */
  prefix?: string;
  /** Longest pause between attempts while the limit is full. Default 50. */
  maxPollMs?: number;
}

/**
 * A concurrency (and requests-per-interval) limit shared by every process that uses the same Redis
 * and key: a sorted set of lease ids scored by expiry, judged by the Redis server's clock. A live
 * holder renews its lease every leaseMs / 3; a holder that dies stops renewing and its slot frees
 * itself when the lease runs out.
 */
export function redisLimiterBackend(
  source: RedisSource,
  options: RedisLimiterOptions = {},
): RedisLimiterBackend {
  const handle = openRedis(source, options);
  const { redis } = handle;
  const maxPollMs = requirePositiveInt('maxPollMs', options.maxPollMs ?? 50);
  const leases = (key: string) => `${handle.prefix}limit:{${key}}:leases`;
  const window = (key: string) => `${handle.prefix}limit:{${key}}:window`;
  const renewals = new Set<ReturnType<typeof setInterval>>();

  return {
    async acquire(key, { maxConcurrent, leaseMs, signal }) {
      requireText('key', key);
      requirePositiveInt('maxConcurrent', maxConcurrent);
      requirePositiveInt('leaseMs', leaseMs);
      const id = randomUUID();
      const set = leases(key);
      for (;;) {
        if (signal?.aborted) await pause(0, signal, `acquiring a slot of ${key}`);
        const wait = Number(await acquireScript.run(redis, [set], [id, maxConcurrent, leaseMs]));
        if (wait === 0) break;
        await pause(Math.min(wait, maxPollMs, leaseMs), signal, `acquiring a slot of ${key}`);
      }
      const renew = setInterval(
        () => {
          extendScript.run(redis, [set], [id, leaseMs]).catch(() => {});
        },
        Math.max(1, Math.floor(leaseMs / 3)),
      );
      renew.unref?.();
      renewals.add(renew);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          clearInterval(renew);
          renewals.delete(renew);
          await redis.zrem(set, id);
        },
      };
    },
    async take(key, { limit, intervalMs, signal }) {
      requireText('key', key);
      requirePositiveInt('limit', limit);
      requirePositiveInt('intervalMs', intervalMs);
      const set = window(key);
      for (;;) {
        if (signal?.aborted) await pause(0, signal, `waiting for a request slot of ${key}`);
        const id = randomUUID();
        const wait = Number(await takeScript.run(redis, [set], [id, limit, intervalMs]));
        if (wait === 0) return;
        await pause(Math.min(wait, intervalMs), signal, `waiting for a request slot of ${key}`);
      }
    },
    /** Stops renewing held leases (they expire after leaseMs) and closes an owned client. */
    async close() {
      for (const renew of renewals) clearInterval(renew);
      renewals.clear();
      await handle.close();
    },
  };
}
