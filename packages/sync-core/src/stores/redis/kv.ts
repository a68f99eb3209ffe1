import type { KeyValueStore, KeyValueSweepOptions } from '../../kv.js';
import { checkTtl, requireStorableKey, requireStorableValue } from '../input.js';
import {
  execAll,
  LuaScript,
  openRedis,
  type RedisSource,
  type RedisStoreOptions,
} from './connection.js';

const PAGE = 500;

/** SET NX (with PX when ARGV[2] > 0) and, when it wrote, the name into the listing index. */
const setIfAbsentScript = new LuaScript(`
local written
if tonumber(ARGV[2]) > 0 then
  written = redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
else
  written = redis.call('SET', KEYS[1], ARGV[1], 'NX')
end
if not written then return 0 end
redis.call('ZADD', KEYS[2], 0, ARGV[3])
return 1`);

export interface RedisKeyValueStore extends KeyValueStore {
  take(key: string): Promise<string | undefined>;
  /** Drops expired entries' names from the listing index (Redis expires the values); returns how many. */
  sweep(options?: KeyValueSweepOptions): Promise<number>;
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
  // Drops a key's name from the index only while its entry is gone, in one atomic step, so a
  // key set again meanwhile stays listed.
  const unindexIfGone = async (key: string): Promise<number> =>
    Number(
      await redis.eval(
        "if redis.call('EXISTS', KEYS[1]) == 0 then return redis.call('ZREM', KEYS[2], ARGV[1]) end return 0",
        2,
        entry(key),
        index,
        key,
      ),
    );

  return {
    async get(key) {
      requireStorableKey(key);
      return (await redis.get(entry(key))) ?? undefined;
    },
    async set(key, value, opts) {
      requireStorableKey(key);
      checkTtl(opts?.ttlMs);
      requireStorableValue(value);
      const tx = redis.multi();
      if (opts?.ttlMs === undefined) tx.set(entry(key), value);
      else tx.set(entry(key), value, 'PX', Math.ceil(opts.ttlMs));
      await execAll(tx.zadd(index, 0, key));
    },
    async setIfAbsent(key, value, opts) {
      requireStorableKey(key);
      checkTtl(opts?.ttlMs);
      requireStorableValue(value);
      // One script: a process that dies after the SET can leave no entry the index never lists.
      const written = await setIfAbsentScript.run(
        redis,
        [entry(key), index],
        [value, opts?.ttlMs === undefined ? 0 : Math.ceil(opts.ttlMs), key],
      );
      return Number(written) === 1;
    },
    async delete(key) {
      requireStorableKey(key);
      await execAll(redis.multi().del(entry(key)).zrem(index, key));
    },
    async take(key) {
      requireStorableKey(key);
      // GET and DEL in one MULTI: no other client runs between them (GETDEL needs Redis 6.2).
      const [value] = await execAll(redis.multi().get(entry(key)).del(entry(key)).zrem(index, key));
      return typeof value === 'string' ? value : undefined;
    },
    async sweep(sweepOptions) {
      // Redis expires the entries itself; what is left is their names in the listing index.
      const prefix = sweepOptions?.prefix ?? '';
      const limit = sweepOptions?.limit ?? Number.POSITIVE_INFINITY;
      let removed = 0;
      let start = `[${prefix}`;
      while (removed < limit) {
        const keys = (await redis.zrangebylex(index, start, '+', 'LIMIT', 0, PAGE)).filter((key) =>
          key.startsWith(prefix),
        );
        if (keys.length === 0) break;
        const pipeline = redis.pipeline();
        for (const key of keys) pipeline.exists(entry(key));
        const exists = (await pipeline.exec()) ?? [];
        const gone = keys
          .filter((_, i) => exists[i]?.[1] === 0)
          .slice(0, Number.isFinite(limit) ? limit - removed : undefined);
        for (const key of gone) removed += await unindexIfGone(key);
        if (keys.length < PAGE) break;
        start = `(${keys[keys.length - 1]}`;
      }
      return removed;
    },
    async *list(prefix, listOptions) {
      let start =
        listOptions?.after !== undefined && listOptions.after >= prefix
          ? `(${listOptions.after}`
          : `[${prefix}`;
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
        for (const key of stale) await unindexIfGone(key);
        if (keys.length < PAGE) return;
        start = `(${keys[keys.length - 1]}`;
      }
    },
    close: () => handle.close(),
  };
}
