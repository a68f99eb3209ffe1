import { createHash } from 'node:crypto';
import { type ChainableCommander, Redis, type RedisOptions } from 'ioredis';
import { StoreConfigError } from '../errors.js';
import { requirePrefix } from '../input.js';

export interface RedisStoreOptions {
  /** Prefix of every key this store writes (letters, digits, `_`). Default `plumbline_`. */
  prefix?: string;
}

/** An existing ioredis client (the store never quits it), or ioredis options / a URL (the store owns the client). */
export type RedisSource = Redis | RedisOptions | string;

export interface RedisHandle {
  redis: Redis;
  prefix: string;
  close(): Promise<void>;
}

export function openRedis(source: RedisSource, options: RedisStoreOptions = {}): RedisHandle {
  const prefix = requirePrefix(options.prefix, 'plumbline_');
  let redis: Redis;
  let owned = true;
  if (typeof source === 'string') redis = new Redis(source);
  else if (source && typeof (source as Redis).evalsha === 'function') {
    redis = source as Redis;
    owned = false;
  } else if (source && typeof source === 'object') redis = new Redis(source as RedisOptions);
  else
    throw new StoreConfigError(
      'redis',
      'must be an ioredis client, ioredis options or a redis:// URL',
    );
  // A client the store created: connection errors reach callers as rejected commands; without a
  // listener ioredis would also print every reconnect error to the console.
  if (owned) redis.on('error', () => {});
  return {
    redis,
    prefix,
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** A Lua script run by SHA (EVALSHA), loaded on first NOSCRIPT; the client instance is never modified. */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).includes('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Turns a flat HGETALL-style reply into an object. */
export function pairs(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const list = reply as string[];
  for (let i = 0; i + 1 < list.length; i += 2) out[list[i]!] = list[i + 1]!;
  return out;
}

/**
 * Runs a MULTI and answers its replies, throwing the first command's error: ioredis reports a
 * command that failed inside EXEC (WRONGTYPE, say) as a reply, not as a rejection, so without
 * this a write that did not happen would look like one that did.
 */
export async function execAll(transaction: ChainableCommander): Promise<unknown[]> {
  const replies = (await transaction.exec()) ?? [];
  for (const [error] of replies) if (error) throw error;
  return replies.map(([, reply]) => reply);
}
