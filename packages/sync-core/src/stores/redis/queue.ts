import type { ClaimedJob, DeadJob, QueueStore, StoredJob } from '../../queue/store.js';
import {
  LuaScript,
  openRedis,
  pairs,
  type RedisSource,
  type RedisStoreOptions,
} from './connection.js';

// Every key of one queue shares the hash tag {<queue>}, so a queue lives in one Cluster slot.
// KEYS: ready, keys, jobPrefix. ARGV: groups of 6 (id, key, payload, maxAttempts, runAt, createdAt)
const enqueueScript = new LuaScript(`
local out = {}
for i = 1, #ARGV, 6 do
  local id, key = ARGV[i], ARGV[i + 1]
  local existing = false
  if key ~= '' then existing = redis.call('HGET', KEYS[2], key) end
  if existing then
    table.insert(out, existing)
    table.insert(out, 0)
  else
    redis.call('HSET', KEYS[3] .. id, 'id', id, 'key', key, 'payload', ARGV[i + 2], 'attempts', 0,
      'max', ARGV[i + 3], 'runAt', ARGV[i + 4], 'created', ARGV[i + 5], 'state', 'ready')
    redis.call('ZADD', KEYS[1], ARGV[i + 4], id)
    if key ~= '' then redis.call('HSET', KEYS[2], key, id) end
    table.insert(out, id)
    table.insert(out, 1)
  end
end
return out
`);

// KEYS: ready, running, jobPrefix. ARGV: now, limit, token, leaseUntil
const claimScript = new LuaScript(`
local now, limit = ARGV[1], tonumber(ARGV[2])
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
  redis.call('ZADD', KEYS[2], ARGV[4], id)
  redis.call('HINCRBY', h, 'attempts', 1)
  redis.call('HSET', h, 'state', 'running', 'token', ARGV[3], 'lease', ARGV[4])
  table.insert(out, redis.call('HGETALL', h))
end
return out
`);

// KEYS: ready, running, dead, keys, jobPrefix. ARGV: id, token, action, a, b
// action: complete | retry (a = runAt, b = error) | bury (a = now, b = error) | extend (a = leaseUntil)
const settleScript = new LuaScript(`
local h = KEYS[5] .. ARGV[1]
if redis.call('HGET', h, 'token') ~= ARGV[2] or redis.call('HGET', h, 'state') ~= 'running' then return 0 end
local action = ARGV[3]
if action == 'extend' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
  redis.call('HSET', h, 'lease', ARGV[4])
  return 1
end
redis.call('ZREM', KEYS[2], ARGV[1])
if action == 'complete' then
  local key = redis.call('HGET', h, 'key')
  if key and key ~= '' then redis.call('HDEL', KEYS[4], key) end
  redis.call('DEL', h)
elseif action == 'retry' then
  redis.call('HDEL', h, 'token', 'lease')
  redis.call('HSET', h, 'state', 'ready', 'runAt', ARGV[4], 'error', ARGV[5])
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
else
  redis.call('HDEL', h, 'token', 'lease')
  redis.call('HSET', h, 'state', 'dead', 'failed', ARGV[4], 'error', ARGV[5])
  redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
end
return 1
`);

// KEYS: ready, dead, jobPrefix. ARGV: id, now
const replayScript = new LuaScript(`
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3] .. ARGV[1], 'failed')
redis.call('HSET', KEYS[3] .. ARGV[1], 'state', 'ready', 'attempts', 0, 'runAt', ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
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
 * scored by due time, claimed ones in a sorted set scored by lease expiry; each move is a Lua script.
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
    };
  };
  const settle = async (queue: string, args: Array<string | number>) => {
    const k = keys(queue);
    return (
      Number(await settleScript.run(redis, [k.ready, k.running, k.dead, k.keys, k.job], args)) === 1
    );
  };

  return {
    async enqueue(queue, jobs) {
      const k = keys(queue);
      const out: Array<{ id: string; created: boolean }> = [];
      for (let i = 0; i < jobs.length; i += CHUNK) {
        const args = jobs
          .slice(i, i + CHUNK)
          .flatMap((j) => [j.id, j.key ?? '', j.payload, j.maxAttempts, j.runAt, j.createdAt]);
        const reply = (await enqueueScript.run(redis, [k.ready, k.keys, k.job], args)) as Array<
          string | number
        >;
        for (let r = 0; r < reply.length; r += 2) {
          out.push({ id: String(reply[r]), created: reply[r + 1] === 1 });
        }
      }
      return out;
    },
    async claim(queue, { limit, leaseMs, now, token }) {
      const k = keys(queue);
      const reply = (await claimScript.run(
        redis,
        [k.ready, k.running, k.job],
        [now, limit, token, now + leaseMs],
      )) as unknown[];
      return reply.map(
        (row): ClaimedJob => ({ ...toStored(pairs(row)), token, leaseUntil: now + leaseMs }),
      );
    },
    extend: (queue, id, token, leaseUntil) => settle(queue, [id, token, 'extend', leaseUntil, '']),
    complete: (queue, id, token) => settle(queue, [id, token, 'complete', '', '']),
    retry: (queue, id, token, { runAt, error }) =>
      settle(queue, [id, token, 'retry', runAt, error]),
    bury: (queue, id, token, { error, now }) => settle(queue, [id, token, 'bury', now, error]),
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
    async replay(queue, id, now) {
      const k = keys(queue);
      return Number(await replayScript.run(redis, [k.ready, k.dead, k.job], [id, now])) === 1;
    },
    async stats(queue, now) {
      const k = keys(queue);
      const [ready, delayed, running, dead] = (await redis
        .multi()
        .zcount(k.ready, '-inf', now)
        .zcount(k.ready, `(${now}`, '+inf')
        .zcard(k.running)
        .zcard(k.dead)
        .exec())!.map(([, n]) => Number(n));
      return { ready: ready!, delayed: delayed!, running: running!, dead: dead! };
    },
    close: () => handle.close(),
  };
}
