/**
 * Lua that sets `now` to the Redis server's clock in epoch ms. Every expiry the Redis stores judge
 * is judged by it (Redis 5+ replicates script effects, so TIME is allowed in scripts).
 */
export const REDIS_NOW = `local __t = redis.call('TIME')
local now = tonumber(__t[1]) * 1000 + math.floor(tonumber(__t[2]) / 1000)`;
