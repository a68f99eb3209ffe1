import { storeKey } from '../internal/store-key.js';
import type { KeyValueStore } from '../kv.js';

/**
 * The last synced version of each record (the base of a three-way merge): what both systems
 * agreed on after the last successful sync. Stored as JSON, so dates come back as ISO strings
 * (content comparison treats them as equal to the original dates).
 */
export interface BaseStore {
  get(entity: string, key: string): Promise<Record<string, unknown> | undefined>;
  /** Records the version both sides now hold; call after the sink confirmed the write. */
  set(entity: string, key: string, record: Record<string, unknown>): Promise<void>;
  delete(entity: string, key: string): Promise<void>;
}

export interface BaseStoreOptions {
  store: KeyValueStore;
  /** Key namespace; default `base`. Keys are `<namespace>/<entity>/<key>`. */
  namespace?: string;
}

/** A base store on any KeyValueStore (memory, SQLite, PostgreSQL, Redis). */
export function createBaseStore(options: BaseStoreOptions): BaseStore {
  const { store, namespace = 'base' } = options;
  const keyOf = (entity: string, key: string) => storeKey(namespace, entity, key);
  return {
    async get(entity, key) {
      const stored = await store.get(keyOf(entity, key));
      return stored === undefined ? undefined : (JSON.parse(stored) as Record<string, unknown>);
    },
    async set(entity, key, record) {
      await store.set(keyOf(entity, key), JSON.stringify(record));
    },
    delete: (entity, key) => store.delete(keyOf(entity, key)),
  };
}
