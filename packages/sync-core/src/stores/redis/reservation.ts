import {
  type Hold,
  type ReservationRetention,
  type ReservationStore,
  readStatus,
  retentionOf,
  stockLevel,
} from '../../reservation/store.js';
import {
  execAll,
  LuaScript,
  openRedis,
  pairs,
  type RedisSource,
  type RedisStoreOptions,
} from './connection.js';

// Shared Lua: the Redis server's time in epoch ms (the one clock every decision uses), and the
// recording of a SKU's holds whose time is up as `expired` (held zset scored by expiry).
const common = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function settle(p, h, key, sku, qty, to, now)
  redis.call('HSET', h, 'status', to, 'updated', now)
  redis.call('ZREM', p .. 'held:' .. sku, key)
  redis.call('DECRBY', p .. 'heldqty:' .. sku, qty)
  redis.call('ZADD', p .. 'settled', now, key)
end
local function expire_sku(p, sku, now)
  local gone = redis.call('ZRANGEBYSCORE', p .. 'held:' .. sku, '-inf', now)
  for _, k in ipairs(gone) do
    local h = p .. 'hold:' .. k
    settle(p, h, k, sku, tonumber(redis.call('HGET', h, 'qty') or '0'), 'expired', now)
  end
  return #gone
end
`;

// KEYS: none (one slot is not guaranteed; use a standalone or Sentinel Redis). ARGV: p, key, sku, qty, ttlMs, id
const reserveScript = new LuaScript(`${common}
local p, key, sku, qty, ttl, id = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local now = now_ms()
local h = p .. 'hold:' .. key
local existing = redis.call('HGETALL', h)
if #existing > 0 then return {1, 0, now, existing} end
expire_sku(p, sku, now)
local stock = tonumber(redis.call('GET', p .. 'stock:' .. sku) or '0')
local held = tonumber(redis.call('GET', p .. 'heldqty:' .. sku) or '0')
if stock - held < qty then return {0, stock, held} end
redis.call('HSET', h, 'id', id, 'key', key, 'sku', sku, 'qty', qty, 'status', 'held',
  'created', now, 'expires', now + ttl, 'updated', now)
redis.call('ZADD', p .. 'held:' .. sku, now + ttl, key)
redis.call('ZADD', p .. 'keys:' .. sku, 0, key)
redis.call('INCRBY', p .. 'heldqty:' .. sku, qty)
redis.call('SADD', p .. 'skus', sku)
return {1, 1, now, redis.call('HGETALL', h)}
`);

// ARGV: p, key, target status, hold id or ''
const settleScript = new LuaScript(`${common}
local p, key, to, id = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = now_ms()
local h = p .. 'hold:' .. key
if redis.call('EXISTS', h) == 0 then return nil end
local status = redis.call('HGET', h, 'status')
local expires = tonumber(redis.call('HGET', h, 'expires'))
-- A hold written before hold ids has no 'id': its id is its key (as get reports it).
if status == 'held' and (id == '' or (redis.call('HGET', h, 'id') or key) == id) then
  local sku = redis.call('HGET', h, 'sku')
  local qty = tonumber(redis.call('HGET', h, 'qty'))
  if expires <= now then to = 'expired' end
  settle(p, h, key, sku, qty, to, now)
  if to == 'confirmed' then redis.call('DECRBY', p .. 'stock:' .. sku, qty) end
end
return {now, redis.call('HGETALL', h)}
`);

// ARGV: p, sku
const levelScript = new LuaScript(`${common}
local p, sku = ARGV[1], ARGV[2]
expire_sku(p, sku, now_ms())
return {redis.call('GET', p .. 'stock:' .. sku) or '0', redis.call('GET', p .. 'heldqty:' .. sku) or '0'}
`);

// ARGV: p, retentionMs. Deletes settled holds older than the retention; stock is not touched.
const sweepScript = new LuaScript(`${common}
local p, retention = ARGV[1], tonumber(ARGV[2])
local now = now_ms()
local expired = 0
for _, sku in ipairs(redis.call('SMEMBERS', p .. 'skus')) do expired = expired + expire_sku(p, sku, now) end
local old = redis.call('ZRANGEBYSCORE', p .. 'settled', '-inf', now - retention)
for _, k in ipairs(old) do
  local h = p .. 'hold:' .. k
  local sku = redis.call('HGET', h, 'sku')
  if sku then redis.call('ZREM', p .. 'keys:' .. sku, k) end
  redis.call('DEL', h)
  redis.call('ZREM', p .. 'settled', k)
end
return {expired, #old}
`);

// ARGV: p, key
const getScript = new LuaScript(`${common}
return {now_ms(), redis.call('HGETALL', ARGV[1] .. 'hold:' .. ARGV[2])}
`);

// ARGV: p, sku, after ('' for the first page), limit
const pageScript = new LuaScript(`${common}
local p, sku, after, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local from = after == '' and '-' or '(' .. after
local out = {now_ms()}
for _, k in ipairs(redis.call('ZRANGEBYLEX', p .. 'keys:' .. sku, from, '+', 'LIMIT', 0, limit)) do
  table.insert(out, redis.call('HGETALL', p .. 'hold:' .. k))
end
return out
`);

// ARGV: p, hold keys. Adopts holds written before hold ids (no 'id' field): the id is the key, and
// the hold joins the indexes later releases keep (keys:<sku> for holds(), settled for the purge).
const adoptScript = new LuaScript(`
local p = ARGV[1]
local n = 0
for i = 2, #ARGV do
  local k = ARGV[i]
  local h = p .. 'hold:' .. k
  if redis.call('EXISTS', h) == 1 and redis.call('HEXISTS', h, 'id') == 0 then
    redis.call('HSET', h, 'id', k)
    local sku = redis.call('HGET', h, 'sku')
    if sku then redis.call('ZADD', p .. 'keys:' .. sku, 0, k) end
    if redis.call('HGET', h, 'status') ~= 'held' then
      redis.call('ZADD', p .. 'settled', tonumber(redis.call('HGET', h, 'updated') or '0'), k)
    end
    n = n + 1
  end
end
return n
`);

/** The layout of hold keys this release writes; older holds are adopted once (see adoptScript). */
const LAYOUT = '2';

export interface RedisReservationStore extends ReservationStore {
  close(): Promise<void>;
}

/**
 * Reservations in Redis 6+: every change is one Lua script that reads the server's `TIME`, so
 * check-and-hold is atomic, never oversells, and expiry never depends on a caller's clock. Keys:
 * `<prefix>res:*`. Needs a standalone (or Sentinel) Redis, not Cluster.
 */
export function redisReservationStore(
  source: RedisSource,
  options: RedisStoreOptions & ReservationRetention = {},
): RedisReservationStore {
  const retentionMs = retentionOf(options);
  const handle = openRedis(source, options);
  const { redis } = handle;
  const p = `${handle.prefix}res:`;
  // Once per store: holds written by a release before hold ids are adopted (a SCAN of this
  // prefix's hold keys), then `res:layout` says so and later stores skip the scan.
  let adopted: Promise<void> | undefined;
  const adoptOldHolds = (): Promise<void> => {
    adopted ??= (async () => {
      if ((await redis.get(`${p}layout`)) === LAYOUT) return;
      let cursor = '0';
      do {
        const [next, names] = await redis.scan(cursor, 'MATCH', `${p}hold:*`, 'COUNT', 500);
        cursor = next;
        const keys = names.map((name) => name.slice(`${p}hold:`.length));
        if (keys.length > 0) await adoptScript.run(redis, [], [p, ...keys]);
      } while (cursor !== '0');
      await redis.set(`${p}layout`, LAYOUT);
    })().catch((error: unknown) => {
      adopted = undefined; // try again on the next call
      throw error;
    });
    return adopted;
  };
  const view = (reply: unknown, now: number): Hold => {
    const h = pairs(reply);
    const expiresAt = Number(h.expires);
    return {
      id: h.id ?? h.key!,
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
    async reserve({ key, sku, qty, ttlMs, id }) {
      await adoptOldHolds();
      const reply = (await reserveScript.run(redis, [], [p, key, sku, qty, ttlMs, id])) as [
        number,
        number | string,
        number | string,
        unknown?,
      ];
      if (reply[0] === 1) {
        return { ok: true, hold: view(reply[3], Number(reply[2])), created: reply[1] === 1 };
      }
      return { ok: false, level: stockLevel(sku, Number(reply[1]), Number(reply[2])) };
    },
    async confirm(key, holdId) {
      await adoptOldHolds();
      const reply = (await settleScript.run(redis, [], [p, key, 'confirmed', holdId ?? ''])) as
        | [number, unknown]
        | null;
      return reply ? view(reply[1], Number(reply[0])) : undefined;
    },
    async release(key, holdId) {
      await adoptOldHolds();
      const reply = (await settleScript.run(redis, [], [p, key, 'released', holdId ?? ''])) as
        | [number, unknown]
        | null;
      return reply ? view(reply[1], Number(reply[0])) : undefined;
    },
    async sweep() {
      await adoptOldHolds();
      const [expired, purged] = (await sweepScript.run(redis, [], [p, retentionMs])) as [
        number,
        number,
      ];
      return { expired: Number(expired), purged: Number(purged) };
    },
    async level(sku) {
      await adoptOldHolds();
      const [stock, held] = (await levelScript.run(redis, [], [p, sku])) as [string, string];
      return stockLevel(sku, Number(stock), Number(held));
    },
    async setStock(sku, qty) {
      await adoptOldHolds();
      await execAll(redis.multi().set(`${p}stock:${sku}`, qty).sadd(`${p}skus`, sku));
    },
    async get(key) {
      await adoptOldHolds();
      const [now, reply] = (await getScript.run(redis, [], [p, key])) as [number, unknown[]];
      return reply.length > 0 ? view(reply, Number(now)) : undefined;
    },
    async holds(sku, { after, limit }) {
      await adoptOldHolds();
      const [now, ...rows] = (await pageScript.run(redis, [], [p, sku, after ?? '', limit])) as [
        number,
        ...unknown[],
      ];
      return rows.map((row) => view(row, Number(now)));
    },
    close: () => handle.close(),
  };
}
