import {
  type Hold,
  type ReservationStore,
  readStatus,
  stockLevel,
} from '../../reservation/store.js';
import {
  LuaScript,
  openRedis,
  pairs,
  type RedisSource,
  type RedisStoreOptions,
} from './connection.js';

// Shared Lua: expire the SKU's unconfirmed holds whose time is up (held zset scored by expiry).
const expireSku = `
local function expire_sku(p, sku, now)
  local z = p .. 'held:' .. sku
  local gone = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  for _, k in ipairs(gone) do
    local h = p .. 'hold:' .. k
    local q = tonumber(redis.call('HGET', h, 'qty') or '0')
    redis.call('DECRBY', p .. 'heldqty:' .. sku, q)
    redis.call('HSET', h, 'status', 'expired', 'updated', now)
    redis.call('ZREM', z, k)
  end
  return #gone
end
`;

// KEYS: none (one slot is not guaranteed; use a standalone or Sentinel Redis). ARGV: p, key, sku, qty, expiresAt, now
const reserveScript = new LuaScript(`${expireSku}
local p, key, sku, qty, expires, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
expire_sku(p, sku, now)
local h = p .. 'hold:' .. key
local existing = redis.call('HGETALL', h)
if #existing > 0 then return {1, 0, existing} end
local stock = tonumber(redis.call('GET', p .. 'stock:' .. sku) or '0')
local held = tonumber(redis.call('GET', p .. 'heldqty:' .. sku) or '0')
if stock - held < qty then return {0, stock, held} end
redis.call('HSET', h, 'key', key, 'sku', sku, 'qty', qty, 'status', 'held', 'created', now, 'expires', expires, 'updated', now)
redis.call('ZADD', p .. 'held:' .. sku, expires, key)
redis.call('INCRBY', p .. 'heldqty:' .. sku, qty)
redis.call('SADD', p .. 'skus', sku)
return {1, 1, redis.call('HGETALL', h)}
`);

// ARGV: p, key, now, target status
const settleScript = new LuaScript(`
local p, key, now, to = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local h = p .. 'hold:' .. key
if redis.call('EXISTS', h) == 0 then return nil end
local status = redis.call('HGET', h, 'status')
local expires = tonumber(redis.call('HGET', h, 'expires'))
if status == 'held' and expires > now then
  local sku = redis.call('HGET', h, 'sku')
  local qty = tonumber(redis.call('HGET', h, 'qty'))
  redis.call('HSET', h, 'status', to, 'updated', now)
  redis.call('ZREM', p .. 'held:' .. sku, key)
  redis.call('DECRBY', p .. 'heldqty:' .. sku, qty)
  if to == 'confirmed' then redis.call('DECRBY', p .. 'stock:' .. sku, qty) end
end
return redis.call('HGETALL', h)
`);

// ARGV: p, sku, now
const levelScript = new LuaScript(`${expireSku}
local p, sku, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
expire_sku(p, sku, now)
return {redis.call('GET', p .. 'stock:' .. sku) or '0', redis.call('GET', p .. 'heldqty:' .. sku) or '0'}
`);

// ARGV: p, now
const sweepScript = new LuaScript(`${expireSku}
local p, now = ARGV[1], tonumber(ARGV[2])
local n = 0
for _, sku in ipairs(redis.call('SMEMBERS', p .. 'skus')) do n = n + expire_sku(p, sku, now) end
return n
`);

export interface RedisReservationStore extends ReservationStore {
  close(): Promise<void>;
}

/**
 * Reservations in Redis 6+: every change is one Lua script, so check-and-hold is atomic and
 * never oversells. Keys: `<prefix>res:*`. Needs a standalone (or Sentinel) Redis, not Cluster.
 */
export function redisReservationStore(
  source: RedisSource,
  options: RedisStoreOptions = {},
): RedisReservationStore {
  const handle = openRedis(source, options);
  const { redis } = handle;
  const p = `${handle.prefix}res:`;
  const view = (reply: unknown, now: number): Hold => {
    const h = pairs(reply);
    const expiresAt = Number(h.expires);
    return {
      key: h.key!,
      sku: h.sku!,
      qty: Number(h.qty),
      status: readStatus(h.status!, expiresAt, now),
      createdAt: Number(h.created),
      expiresAt,
      updatedAt: Number(h.updated),
    };
  };

  return {
    async reserve({ key, sku, qty, expiresAt, now }) {
      const reply = (await reserveScript.run(redis, [], [p, key, sku, qty, expiresAt, now])) as [
        number,
        number | string,
        unknown,
      ];
      if (reply[0] === 1) return { ok: true, hold: view(reply[2], now), created: reply[1] === 1 };
      return { ok: false, level: stockLevel(sku, Number(reply[1]), Number(reply[2])) };
    },
    async confirm(key, now) {
      const reply = await settleScript.run(redis, [], [p, key, now, 'confirmed']);
      return reply ? view(reply, now) : undefined;
    },
    async release(key, now) {
      const reply = await settleScript.run(redis, [], [p, key, now, 'released']);
      return reply ? view(reply, now) : undefined;
    },
    async sweep(now) {
      return Number(await sweepScript.run(redis, [], [p, now]));
    },
    async level(sku, now) {
      const [stock, held] = (await levelScript.run(redis, [], [p, sku, now])) as [string, string];
      return stockLevel(sku, Number(stock), Number(held));
    },
    async setStock(sku, qty) {
      await redis.multi().set(`${p}stock:${sku}`, qty).sadd(`${p}skus`, sku).exec();
    },
    async get(key, now) {
      const reply = await redis.hgetall(`${p}hold:${key}`);
      if (Object.keys(reply).length === 0) return undefined;
      return view(Object.entries(reply).flat(), now);
    },
    close: () => handle.close(),
  };
}
