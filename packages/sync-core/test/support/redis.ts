import { Redis } from 'ioredis';
import { services } from './services.js';

export function redisClient(): Redis {
  return new Redis({
    host: services.redis.host,
    port: services.redis.port,
    maxRetriesPerRequest: 2,
  });
}

/** Deletes every key a test wrote under `prefix`. */
export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
