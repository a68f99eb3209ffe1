// A command that fails inside a Redis MULTI comes back as a reply, not a rejection: the stores
// must report it, never answer as if the write had happened.
import { afterAll, describe, expect, it } from 'vitest';
import { createReservations } from '../src/index.js';
import { redisKeyValueStore, redisReservationStore } from '../src/redis.js';
import { deleteRedisPrefix, redisClient } from './support/redis.js';
import { serviceAvailable, uniquePrefix } from './support/services.js';

const redis = await serviceAvailable('redis');
const client = redis ? redisClient() : undefined;
const prefix = uniquePrefix('multierr');
afterAll(async () => {
  if (!client) return;
  await deleteRedisPrefix(client, prefix);
  client.disconnect();
});

describe.skipIf(!redis)('Redis stores report a command that failed inside MULTI', () => {
  it('kv set, delete and take reject when the listing index is not a sorted set', async () => {
    const kv = redisKeyValueStore(client!, { prefix });
    // Another program wrote a plain string where the index lives: ZADD/ZREM fail with WRONGTYPE.
    await client!.set(`${prefix}kv-index`, 'not a sorted set');
    await expect(kv.set('order-1', 'v')).rejects.toThrow(/WRONGTYPE/);
    await expect(kv.delete('order-1')).rejects.toThrow(/WRONGTYPE/);
    await expect(kv.take('order-1')).rejects.toThrow(/WRONGTYPE/);
    await client!.del(`${prefix}kv-index`);
    await kv.set('order-1', 'v');
    expect(await kv.take('order-1')).toBe('v');
  });

  it('setStock rejects when the SKU set is not a set', async () => {
    const reservations = createReservations(redisReservationStore(client!, { prefix }));
    await client!.set(`${prefix}res:skus`, 'not a set');
    await expect(reservations.setStock('MUG', 3)).rejects.toThrow(/WRONGTYPE/);
  });
});
