import type { KeyValueStore } from '../../kv.js';
import { checkTtl } from '../input.js';
import { openRedis, type RedisSource, type RedisStoreOptions } from './connection.js';

const PAGE = 500;

export interface RedisKeyValueStore extends KeyValueStore {
  close(): Promise<void>;
}

/**
 * The KeyValueStore contract in Redis: one string per entry (`<prefix>kv:<key>`, TTL by PX) and a
 * sorted-set index for ordered prefix listing; entries that expired are dropped from the index as
 * `list` meets them.
 */
export function redisKeyValueStore(
  source: RedisSource,
  options: RedisStoreOptions = {},
): RedisKeyValueStore {
  const handle = openRedis(source, options);
  const { redis } = handle;
  const entry = (key: string) => `${handle.prefix}kv:${key}`;
  const index = `${handle.prefix}kv-index`;

  return {
    async get(key) {
      return (await redis.get(entry(key))) ?? undefined;
    },
    async set(key, value, opts) {
      checkTtl(opts?.ttlMs);
      const tx = redis.multi();
      if (opts?.ttlMs === undefined) tx.set(entry(key), value);
      else tx.set(entry(key), value, 'PX', Math.ceil(opts.ttlMs));
      await tx.zadd(index, 0, key).exec();
    },
    async setIfAbsent(key, value, opts) {
      checkTtl(opts?.ttlMs);
      const written =
        opts?.ttlMs === undefined
          ? await redis.set(entry(key), value, 'NX')
          : await redis.set(entry(key), value, 'PX', Math.ceil(opts.ttlMs), 'NX');
      if (written !== 'OK') return false;
      await redis.zadd(index, 0, key);
      return true;
    },
    async delete(key) {
      await redis.multi().del(entry(key)).zrem(index, key).exec();
    },
    async *list(prefix) {
      let start = `[${prefix}`;
      for (;;) {
        const keys = (await redis.zrangebylex(index, start, '+', 'LIMIT', 0, PAGE)).filter((key) =>
          key.startsWith(prefix),
        );
        if (keys.length === 0) return;
        const values = await redis.mget(...keys.map(entry));
        const stale: string[] = [];
        for (let i = 0; i < keys.length; i++) {
          const value = values[i];
          if (value === null || value === undefined) stale.push(keys[i]!);
          else yield [keys[i]!, value] as [string, string];
        }
        if (stale.length > 0) await redis.zrem(index, ...stale);
        if (keys.length < PAGE) return;
        start = `(${keys[keys.length - 1]}`;
      }
    },
    close: () => handle.close(),
  };
}
