import type {
  ClaimedJob,
  DeadJob,
  JobState,
  ListedJob,
  QueueStore,
  StoredJob,
} from '../../queue/store.js';
import { REDIS_NOW } from './clock.js';
import {
  LuaScript,
  openRedis,
  pairs,
  type RedisSource,
  type RedisStoreOptions,
} from './connection.js';

// Every key of one queue shares the hash tag {<queue>}, so a queue lives in one Cluster slot.
// Every time (due, lease expiry, creation, failure) is the Redis server's TIME.
// KEYS: ready, keys, jobPrefix. ARGV: groups of 5 (id, key, payload, maxAttempts, delayMs)
const enqueueScript = new LuaScript(`
${REDIS_NOW}
local out = {}
for i = 1, #ARGV, 5 do
  local id, key = ARGV[i], ARGV[i + 1]
  local existing = false
  if key ~= '' then existing = redis.call('HGET', KEYS[2], key) end
  if existing then
    table.insert(out, existing)
    table.insert(out, 0)
  else
    local runAt = now + tonumber(ARGV[i + 4])
    redis.call('HSET', KEYS[3] .. id, 'id', id, 'key', key, 'payload', ARGV[i + 2], 'attempts', 0,
      'max', ARGV[i + 3], 'runAt', runAt, 'created', now, 'state', 'ready')
    redis.call('ZADD', KEYS[1], runAt, id)
    if key ~= '' then redis.call('HSET', KEYS[2], key, id) end
    table.insert(out, id)
    table.insert(out, 1)
  end
end
return out
`);

// KEYS: ready, running, jobPrefix. ARGV: limit, token, leaseMs
const claimScript = new LuaScript(`
${REDIS_NOW}
local limit = tonumber(ARGV[1])
local leaseUntil = now + tonumber(ARGV[3])
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
if #ids < limit then
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit - #ids)) do
    table.insert(ids, id)
  end
end
local out = {}
for _, id in ipairs(ids) do
  local h = KEYS[3] .. id
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[2], leaseUntil, id)
  redis.call('HINCRBY', h, 'attempts', 1)
  redis.call('HSET', h, 'state', 'running', 'token', ARGV[2], 'lease', leaseUntil)
  table.insert(out, redis.call('HGETALL', h))
end
return out
`);

// KEYS: ready, running, dead, keys, jobPrefix, done. ARGV: id, token, action, a, b
// action: extend (a = leaseMs) | complete (a = '1' keeps it as done) | retry (a = delayMs,
// b = error) | bury (b = error)
const settleScript = new LuaScript(`
${REDIS_NOW}
local h = KEYS[5] .. ARGV[1]
if redis.call('HGET', h, 'token') ~= ARGV[2] or redis.call('HGET', h, 'state') ~= 'running' then return 0 end
local action = ARGV[3]
if action == 'extend' then
  local leaseUntil = now + tonumber(ARGV[4])
  redis.call('ZADD', KEYS[2], leaseUntil, ARGV[1])
  redis.call('HSET', h, 'lease', leaseUntil)
  return 1
end
redis.call('ZREM', KEYS[2], ARGV[1])
if action == 'complete' then
  local key = redis.call('HGET', h, 'key')
  if key and key ~= '' then redis.call('HDEL', KEYS[4], key) end
  if ARGV[4] == '1' then
    redis.call('HDEL', h, 'token', 'lease')
    redis.call('HSET', h, 'state', 'done', 'finished', now)
    redis.call('ZADD', KEYS[6], now, ARGV[1])
  else
    redis.call('DEL', h)
  end
elseif action == 'retry' then
  local runAt = now + tonumber(ARGV[4])
  redis.call('HDEL', h, 'token', 'lease')
  redis.call('HSET', h, 'state', 'ready', 'runAt', runAt, 'error', ARGV[5])
  redis.call('ZADD', KEYS[1], runAt, ARGV[1])
else
  redis.call('HDEL', h, 'token', 'lease')
  redis.call('HSET', h, 'state', 'dead', 'failed', now, 'error', ARGV[5])
  redis.call('ZADD', KEYS[3], now, ARGV[1])
end
return 1
`);

// KEYS: ready, dead, jobPrefix. ARGV: id
const replayScript = new LuaScript(`
${REDIS_NOW}
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3] .. ARGV[1], 'failed')
redis.call('HSET', KEYS[3] .. ARGV[1], 'state', 'ready', 'attempts', 0, 'runAt', now)
redis.call('ZADD', KEYS[1], now, ARGV[1])
return 1
`);

// KEYS: dead, keys, jobPrefix. ARGV: id
const discardScript = new LuaScript(`
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
local key = redis.call('HGET', KEYS[3] .. ARGV[1], 'key')
if key and key ~= '' and redis.call('HGET', KEYS[2], key) == ARGV[1] then
  redis.call('HDEL', KEYS[2], key)
end
redis.call('DEL', KEYS[3] .. ARGV[1])
return 1
`);

// KEYS: ready, running, dead, done
const statsScript = new LuaScript(`
${REDIS_NOW}
return {
  redis.call('ZCOUNT', KEYS[1], '-inf', now),
  redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf'),
  redis.call('ZCARD', KEYS[2]),
  redis.call('ZCARD', KEYS[3]),
  redis.call('ZCARD', KEYS[4])
}
`);

// KEYS: the state's sorted set. ARGV: lowest score, highest score, limit. Ids, oldest first.
const rangeScript = new LuaScript(`
${REDIS_NOW}
local function bound(v)
  if v == 'now' then return now end
  if v == '(now' then return '(' .. now end
  return v
end
return redis.call('ZRANGEBYSCORE', KEYS[1], bound(ARGV[1]), bound(ARGV[2]), 'LIMIT', 0, tonumber(ARGV[3]))
`);

// KEYS: done, jobPrefix. ARGV: olderThanMs, limit
const sweepScript = new LuaScript(`
${REDIS_NOW}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('DEL', KEYS[2] .. id)
  redis.call('ZREM', KEYS[1], id)
end
return #ids
`);

const CHUNK = 500;

function toStored(h: Record<string, string>): StoredJob {
  return {
    id: h.id!,
    ...(h.key ? { key: h.key } : {}),
    payload: h.payload!,
    attempts: Number(h.attempts),
    maxAttempts: Number(h.max),
    runAt: Number(h.runAt),
    createdAt: Number(h.created),
    ...(h.error === undefined ? {} : { lastError: h.error }),
  };
}

export interface RedisQueueStore extends QueueStore {
  close(): Promise<void>;
}

/**
 * A durable queue in Redis 6+ (with AOF persistence for durability). Ready jobs sit in a sorted set
 * scored by due time, claimed ones in a sorted set scored by lease expiry; each move is a Lua
 * script, and every time is the server's TIME.
 */
export function redisQueueStore(
  source: RedisSource,
  options: RedisStoreOptions = {},
): RedisQueueStore {
  const handle = openRedis(source, options);
  const { redis } = handle;
  const keys = (queue: string) => {
    const base = `${handle.prefix}q:{${queue}}:`;
    return {
      ready: `${base}ready`,
      running: `${base}running`,
      dead: `${base}dead`,
      keys: `${base}keys`,
      job: `${base}job:`,
      done: `${base}done`,
    };
  };
  const settle = async (queue: string, args: Array<string | number>) => {
    const k = keys(queue);
    return (
      Number(
        await settleScript.run(redis, [k.ready, k.running, k.dead, k.keys, k.job, k.done], args),
      ) === 1
    );
  };

  return {
    async enqueue(queue, jobs) {
      const k = keys(queue);
      const out: Array<{ id: string; created: boolean }> = [];
      for (let i = 0; i < jobs.length; i += CHUNK) {
        const args = jobs
          .slice(i, i + CHUNK)
          .flatMap((j) => [j.id, j.key ?? '', j.payload, j.maxAttempts, Math.round(j.delayMs)]);
        const reply = (await enqueueScript.run(redis, [k.ready, k.keys, k.job], args)) as Array<
          string | number
        >;
        for (let r = 0; r < reply.length; r += 2) {
          out.push({ id: String(reply[r]), created: reply[r + 1] === 1 });
        }
      }
      return out;
    },
    async claim(queue, { limit, leaseMs, token }) {
      const k = keys(queue);
      const reply = (await claimScript.run(
        redis,
        [k.ready, k.running, k.job],
        [limit, token, leaseMs],
      )) as unknown[];
      return reply.map((row): ClaimedJob => {
        const h = pairs(row);
        return { ...toStored(h), token, leaseUntil: Number(h.lease) };
      });
    },
    extend: (queue, id, token, leaseMs) => settle(queue, [id, token, 'extend', leaseMs, '']),
    complete: (queue, id, token, completeOptions) =>
      settle(queue, [id, token, 'complete', completeOptions?.keep ? '1' : '0', '']),
    retry: (queue, id, token, { delayMs, error }) =>
      settle(queue, [id, token, 'retry', Math.round(delayMs), error]),
    bury: (queue, id, token, { error }) => settle(queue, [id, token, 'bury', '', error]),
    async list(queue, { state, limit }) {
      const k = keys(queue);
      const [set, low, high] = (
        {
          ready: [k.ready, '-inf', 'now'],
          delayed: [k.ready, '(now', '+inf'],
          running: [k.running, '-inf', '+inf'],
          dead: [k.dead, '-inf', '+inf'],
          done: [k.done, '-inf', '+inf'],
        } satisfies Record<JobState, [string, string, string]>
      )[state];
      const ids = (await rangeScript.run(redis, [set], [low, high, limit])) as string[];
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(k.job + id);
      const rows = (await pipeline.exec()) ?? [];
      return rows
        .map(([, h]) => h as Record<string, string>)
        .filter((h) => h?.id !== undefined)
        .map((h): ListedJob => {
          const finished = state === 'dead' ? h.failed : h.finished;
          return {
            ...toStored(h),
            state,
            ...(finished === undefined ? {} : { finishedAt: Number(finished) }),
          };
        });
    },
    async sweep(queue, { doneOlderThanMs, limit }) {
      const k = keys(queue);
      return Number(
        await sweepScript.run(redis, [k.done, k.job], [doneOlderThanMs, limit ?? 1_000_000]),
      );
    },
    async deadLetters(queue, { limit }) {
      const k = keys(queue);
      const ids = await redis.zrange(k.dead, 0, limit - 1);
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(k.job + id);
      const rows = (await pipeline.exec()) ?? [];
      return rows
        .map(([, h]) => h as Record<string, string>)
        .filter((h) => h?.state === 'dead')
        .map(
          (h): DeadJob => ({
            ...toStored(h),
            lastError: h.error ?? '',
            failedAt: Number(h.failed),
          }),
        );
    },
    async replay(queue, id) {
      const k = keys(queue);
      return Number(await replayScript.run(redis, [k.ready, k.dead, k.job], [id])) === 1;
    },
    async discard(queue, id) {
      const k = keys(queue);
      return Number(await discardScript.run(redis, [k.dead, k.keys, k.job], [id])) === 1;
    },
    async stats(queue) {
      const k = keys(queue);
      const [ready, delayed, running, dead, done] = (
        (await statsScript.run(redis, [k.ready, k.running, k.dead, k.done], [])) as number[]
      ).map(Number);
      return { ready: ready!, delayed: delayed!, running: running!, dead: dead!, done: done! };
    },
    close: () => handle.close(),
  };
}
