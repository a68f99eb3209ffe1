// A Redis KeyValueStore entry and its name in the listing index are written in one step: a
// process that dies between two commands must not leave a live entry that `list` never shows.
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisKeyValueStore } from '../src/redis.js';
import { deleteRedisPrefix, redisClient } from './support/redis.js';
import { serviceAvailable, uniquePrefix } from './support/services.js';

const redis = await serviceAvailable('redis');
const client = redis ? redisClient() : undefined;
const prefix = uniquePrefix('kvcrash');
afterAll(async () => {
  if (!client) return;
  await deleteRedisPrefix(client, prefix);
  client.disconnect();
});

/**
 * The client of a process that dies as soon as one command has succeeded: every later command
 * fails, as if the process had been killed between its first write and its second.
 */
function diesAfterFirstWrite(real: Redis): Redis {
  let dead = false;
  return new Proxy(real, {
    get(target, property) {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dead) return Promise.reject(new Error('the process died'));
        const result = value.apply(target, args);
        if (result instanceof Promise) {
          return result.then((reply) => {
            dead = true;
            return reply;
          });
        }
        return result;
      };
    },
  });
}

async function listed(store: ReturnType<typeof redisKeyValueStore>, under: string) {
  const keys: string[] = [];
  for await (const [key] of store.list(under)) keys.push(key);
  return keys;
}

describe.skipIf(!redis)('Redis KeyValueStore across a crash', () => {
  it('setIfAbsent never leaves a live entry that list does not show', async () => {
    const survivor = redisKeyValueStore(client!, { prefix });
    for (const ttlMs of [undefined, 60_000]) {
      const key = `mark/${ttlMs ?? 'forever'}`;
      const dying = redisKeyValueStore(diesAfterFirstWrite(client!), { prefix });
      // The first write landed; whatever came after it did not (SET NX, then ZADD, wrote the
      // entry and never listed it: a dead-letter or dedupe mark no list would ever show).
      await dying.setIfAbsent(key, 'v', ttlMs === undefined ? {} : { ttlMs }).catch(() => {});
      const live = (await survivor.get(key)) !== undefined;
      expect(await listed(survivor, 'mark/')).toEqual(live ? expect.arrayContaining([key]) : []);
      expect(live).toBe(true);
    }
  });
});
