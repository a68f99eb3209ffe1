// @plumbline/sync-core/redis: stores and a shared limiter backend on Redis 6+ (ioredis, an optional peer dependency).

export type { RedisSource, RedisStoreOptions } from './stores/redis/connection.js';
export { type RedisIdempotencyStore, redisIdempotencyStore } from './stores/redis/idempotency.js';
export { type RedisKeyValueStore, redisKeyValueStore } from './stores/redis/kv.js';
export {
  type RedisLease,
  type RedisLimiterBackend,
  type RedisLimiterOptions,
  redisLimiterBackend,
} from './stores/redis/limiter.js';
export { type RedisQueueStore, redisQueueStore } from './stores/redis/queue.js';
export { type RedisReservationStore, redisReservationStore } from './stores/redis/reservation.js';
