import type { IdempotencyRecord, IdempotencyStore } from '../../idempotency/store.js';
import { REDIS_NOW } from './clock.js';
import {
  LuaScript,
  openRedis,
  pairs,
  type RedisSource,
  type RedisStoreOptions,
} from './connection.js';

// A running claim's hash expires by itself twice its lockMs after the last renewal, so a holder
// that died leaves nothing behind; a result expires with its ttlMs (or is kept forever).

// KEYS[1] = record hash. ARGV: token, lockMs
const beginScript = new LuaScript(`
${REDIS_NOW}
local state = redis.call('HGET', KEYS[1], 'state')
local expires = tonumber(redis.call('HGET', KEYS[1], 'expires') or '0')
local locked = tonumber(redis.call('HGET', KEYS[1], 'locked') or '0')
if (not state) or (state == 'running' and locked <= now) or (expires > 0 and expires <= now) then
  local lockMs = tonumber(ARGV[2])
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'state', 'running', 'token', ARGV[1], 'locked', now + lockMs, 'updated', now)
  redis.call('PEXPIRE', KEYS[1], lockMs * 2)
  return {1, now}
end
return {0, now, redis.call('HGETALL', KEYS[1])}
`);

// KEYS[1] = record hash. ARGV: token, lockMs
const renewScript = new LuaScript(`
${REDIS_NOW}
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
local lockMs = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'locked', now + lockMs, 'updated', now)
redis.call('PEXPIRE', KEYS[1], lockMs * 2)
return 1
`);

// KEYS[1] = record hash. ARGV: token, state, field, value, ttlMs ('' for none), release ('1' deletes)
const finishScript = new LuaScript(`
${REDIS_NOW}
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'state') ~= 'running' then return 0 end
if ARGV[6] == '1' then redis.call('DEL', KEYS[1]) return 1 end
redis.call('HDEL', KEYS[1], 'token', 'locked')
redis.call('HSET', KEYS[1], 'state', ARGV[2], ARGV[3], ARGV[4], 'updated', now)
if ARGV[5] ~= '' then
  local ttl = tonumber(ARGV[5])
  redis.call('HSET', KEYS[1], 'expires', now + ttl)
  redis.call('PEXPIRE', KEYS[1], ttl)
else
  redis.call('PERSIST', KEYS[1])
end
return 1
`);

// KEYS[1] = record hash. Returns {now, fields...}
const getScript = new LuaScript(`
${REDIS_NOW}
return {now, redis.call('HGETALL', KEYS[1])}
`);

// KEYS = record hashes. Deletes those whose result expired or whose holder's lock ran out.
const sweepScript = new LuaScript(`
${REDIS_NOW}
local deleted = 0
for _, key in ipairs(KEYS) do
  local state = redis.call('HGET', key, 'state')
  local expires = tonumber(redis.call('HGET', key, 'expires') or '0')
  local locked = tonumber(redis.call('HGET', key, 'locked') or '0')
  if state and ((expires > 0 and expires <= now) or (state == 'running' and locked <= now)) then
    redis.call('DEL', key)
    deleted = deleted + 1
  end
end
return deleted
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

/**
 * Idempotency keys in Redis 6+: one hash per key (`<prefix>idem:<key>`), claimed, renewed and
 * finished by Lua scripts that judge expiry by the server's `TIME`.
 */
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
    async begin(key, { token, lockMs }) {
      const reply = (await beginScript.run(redis, [k(key)], [token, lockMs])) as [
        number,
        number,
        unknown?,
      ];
      if (reply[0] === 1) return { acquired: true, token };
      return { acquired: false, record: toRecord(key, pairs(reply[2]), Number(reply[1]))! };
    },
    async renew(key, token, { lockMs }) {
      return Number(await renewScript.run(redis, [k(key)], [token, lockMs])) === 1;
    },
    complete: (key, token, { result, ttlMs }) =>
      finish(key, [token, 'done', 'result', result, ttlMs ?? '', '0']),
    fail: (key, token, { error, release, ttlMs }) =>
      finish(key, [token, 'failed', 'error', error, ttlMs ?? '', release ? '1' : '0']),
    async get(key) {
      const [now, fields] = (await getScript.run(redis, [k(key)], [])) as [number, unknown];
      return toRecord(key, pairs(fields), Number(now));
    },
    async delete(key) {
      await redis.del(k(key));
    },
    async sweep(sweepOptions) {
      const limit = sweepOptions?.limit ?? Number.POSITIVE_INFINITY;
      let cursor = '0';
      let deleted = 0;
      do {
        const [next, keys] = await redis.scan(
          cursor,
          'MATCH',
          `${handle.prefix}idem:*`,
          'COUNT',
          500,
        );
        cursor = next;
        if (keys.length > 0) deleted += Number(await sweepScript.run(redis, keys, []));
      } while (cursor !== '0' && deleted < limit);
      return deleted;
    },
    close: () => handle.close(),
  };
}
