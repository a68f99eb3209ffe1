import { InvalidOptionError } from '../errors.js';
import { contentHash } from '../hash/content-hash.js';
import { storeKey, storePrefix } from '../internal/store-key.js';
import type { KeyValueStore } from '../kv.js';

export interface EchoGuardOptions {
  store: KeyValueStore;
  /** How long a remembered write counts as ours (ms). Change events arriving later are synced. */
  ttlMs: number;
  /**
   * The fields a fingerprint covers. Default: the fields of the remembered record, so the
   * server-side fields of the change event (timestamps, ids) do not defeat the match. List every
   * field the integration syncs to also catch a user's edit of a field the write did not touch.
   */
  fields?: readonly string[];
  /** A custom fingerprint (replaces the content hash); must be equal for a write and its echo. */
  fingerprint?: (record: Record<string, unknown>) => string;
  /** Reads the origin tag a change event carries (e.g. a custom attribute the integration sets). */
  originTag?: (record: Record<string, unknown>) => string | undefined;
  /** Key namespace inside the store; default `echo`. */
  namespace?: string;
}

/** A write to remember: the written record (fingerprinted) or an origin tag string. */
export type EchoWrite = Record<string, unknown> | string;

/** Recognises the change events the integration's own writes cause, so they are not synced back. */
export interface EchoGuard {
  /** Remembers a write to `target` (call before or after the write; before is safer). */
  remember(target: string, entity: string, key: string, write: EchoWrite): Promise<void>;
  /** Whether a change event from `target` is the echo of a remembered write. */
  isEcho(target: string, entity: string, key: string, event: EchoWrite): Promise<boolean>;
  /** Forgets every remembered write for (target, entity, key). */
  forget(target: string, entity: string, key: string): Promise<void>;
}

interface Remembered {
  fields?: string[];
  fingerprint: string;
}

/** Creates an echo guard on any KeyValueStore; entries expire after `ttlMs`. */
export function createEchoGuard(options: EchoGuardOptions): EchoGuard {
  const { store, ttlMs, namespace = 'echo' } = options;
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) {
    throw new InvalidOptionError(
      'ttlMs',
      `must be a positive number of milliseconds, got ${ttlMs}`,
    );
  }
  const fingerprintOf = (record: Record<string, unknown>, fields?: readonly string[]): string =>
    options.fingerprint ? options.fingerprint(record) : contentHash(record, { fields });
  const describe = (record: Record<string, unknown>): Remembered => {
    if (options.fingerprint) return { fingerprint: options.fingerprint(record) };
    const fields = [...(options.fields ?? Object.keys(record))].sort();
    return { fields, fingerprint: contentHash(record, { fields }) };
  };

  return {
    async remember(target, entity, key, write) {
      if (typeof write === 'string') {
        await store.set(storeKey(namespace, target, entity, key, 'tag', write), '{}', { ttlMs });
        return;
      }
      const remembered = describe(write);
      await store.set(
        storeKey(namespace, target, entity, key, 'fp', remembered.fingerprint),
        JSON.stringify(remembered),
        { ttlMs },
      );
    },
    async isEcho(target, entity, key, event) {
      const tag = typeof event === 'string' ? event : options.originTag?.(event);
      if (tag !== undefined) {
        const tagged = await store.get(storeKey(namespace, target, entity, key, 'tag', tag));
        if (tagged !== undefined) return true;
      }
      if (typeof event === 'string') return false;
      if (options.fingerprint || options.fields) {
        const fingerprint = fingerprintOf(event, options.fields);
        return (
          (await store.get(storeKey(namespace, target, entity, key, 'fp', fingerprint))) !==
          undefined
        );
      }
      // Each remembered write names its own fields; compare the event on those fields.
      for await (const [, value] of store.list(storePrefix(namespace, target, entity, key, 'fp'))) {
        const remembered = JSON.parse(value) as Remembered;
        if (fingerprintOf(event, remembered.fields) === remembered.fingerprint) return true;
      }
      return false;
    },
    async forget(target, entity, key) {
      const keys: string[] = [];
      for await (const [stored] of store.list(storePrefix(namespace, target, entity, key)))
        keys.push(stored);
      for (const stored of keys) await store.delete(stored);
    },
  };
}
