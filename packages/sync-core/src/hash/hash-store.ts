import { storeKey } from '../internal/store-key.js';
import type { KeyValueStore } from '../kv.js';
import { type ContentHashOptions, contentHash } from './content-hash.js';

export interface HashStoreOptions extends ContentHashOptions {
  store: KeyValueStore;
  /** Key namespace inside the store; default `hash`. Keys are `<namespace>/<entity>/<key>`. */
  namespace?: string;
}

/** Remembers the content hash last written per (entity, key), so a sync pushes only changes. */
export interface HashStore {
  /** Whether `record` differs from what was last recorded for (entity, key); true when unknown. */
  changed(entity: string, key: string, record: unknown): Promise<boolean>;
  /** Records `record` as written; call after the sink confirmed the write. Returns the hash. */
  record(entity: string, key: string, record: unknown): Promise<string>;
  /** The recorded hash, if any. */
  get(entity: string, key: string): Promise<string | undefined>;
  /** Forgets (entity, key) so the next `changed` is true, e.g. after a target-side delete. */
  forget(entity: string, key: string): Promise<void>;
}

/** A hash store on any KeyValueStore (memory, SQLite, PostgreSQL, Redis). */
export function createHashStore(options: HashStoreOptions): HashStore {
  const { store, namespace = 'hash', ...hashOptions } = options;
  const keyOf = (entity: string, key: string) => storeKey(namespace, entity, key);
  return {
    async changed(entity, key, record) {
      return (await store.get(keyOf(entity, key))) !== contentHash(record, hashOptions);
    },
    async record(entity, key, record) {
      const hash = contentHash(record, hashOptions);
      await store.set(keyOf(entity, key), hash);
      return hash;
    },
    get: (entity, key) => store.get(keyOf(entity, key)),
    forget: (entity, key) => store.delete(keyOf(entity, key)),
  };
}
