import type { IdempotencyRecord, IdempotencyStore } from '../../idempotency/store.js';
import {
  LuaScript,
  openRedis,
  pairs,
  type RedisSource,
  type RedisStoreOptions,
} from './connection.js';

// KEYS[1] = record hash. ARGV: token, now, lockMs
const beginScript = new LuaScript(`
local now = tonumber(ARGV[2])
local state = redis.call('HGET', KEYS[1], 'state')
local expires = tonumber(redis.call('HGET', KEYS[1], 'expires') or '0')
local locked = tonumber(redis.call('HGET', KEYS[1], 'locked') or '0')
if (not state) or (state == 'running' and locked <= now) or (expires > 0 and expires <= now) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'state', 'running', 'token', ARGV[1], 'locked', now + tonumber(ARGV[3]), 'updated', now)
  return {1}
end
return {0, redis.call('HGETALL', KEYS[1])}
`);

// KEYS[1] = record hash. ARGV: token, state, field, value, now, ttlMs ('' for none), release ('1' deletes)
const finishScript = new LuaScript(`
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
if ARGV[7] == '1' then redis.call('DEL', KEYS[1]) return 1 end
redis.call('HDEL', KEYS[1], 'token', 'locked')
redis.call('HSET', KEYS[1], 'state', ARGV[2], ARGV[3], ARGV[4], 'updated', ARGV[5])
if ARGV[6] ~= '' then
  local ttl = tonumber(ARGV[6])
  redis.call('HSET', KEYS[1], 'expires', tonumber(ARGV[5]) + ttl)
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1
`);

function toRecord(
  key: string,
  h: Record<string, string>,
  now: number,
): IdempotencyRecord | undefined {
  if (!h.state) return undefined;
  if (h.expires && Number(h.expires) <= now) return undefined;
  return {
    key,
    state: h.state as IdempotencyRecord['state'],
    ...(h.result === undefined ? {} : { result: h.result }),
    ...(h.error === undefined ? {} : { error: h.error }),
    ...(h.state === 'running' && h.locked ? { lockedUntil: Number(h.locked) } : {}),
    updatedAt: Number(h.updated),
  };
}

export interface RedisIdempotencyStore extends IdempotencyStore {
  close(): Promise<void>;
}

/** Idempotency keys in Redis 6+: one hash per key (`<prefix>idem:<key>`), claimed by a Lua script. */
export function redisIdempotencyStore(
  source: RedisSource,
  options: RedisStoreOptions = {},
): RedisIdempotencyStore {
  const handle = openRedis(source, options);
  const { redis } = handle;
  const k = (key: string) => `${handle.prefix}idem:${key}`;
  const finish = async (key: string, args: Array<string | number>) =>
    Number(await finishScript.run(redis, [k(key)], args)) === 1;

  return {
    async begin(key, { token, now, lockMs }) {
      const reply = (await beginScript.run(redis, [k(key)], [token, now, lockMs])) as [
        number,
        unknown?,
      ];
      if (reply[0] === 1) return { acquired: true, token };
      return { acquired: false, record: toRecord(key, pairs(reply[1]), now)! };
    },
    complete: (key, token, { result, now, ttlMs }) =>
      finish(key, [token, 'done', 'result', result, now, ttlMs ?? '', '0']),
    fail: (key, token, { error, now, release, ttlMs }) =>
      finish(key, [token, 'failed', 'error', error, now, ttlMs ?? '', release ? '1' : '0']),
    async get(key, now) {
      return toRecord(key, await redis.hgetall(k(key)), now);
    },
    async delete(key) {
      await redis.del(k(key));
    },
    close: () => handle.close(),
  };
}
