import { storeKey } from '../internal/store-key.js';
import type { KeyValueStore } from '../kv.js';
import {
  createDeltaCursor,
  type DeltaCursor,
  type DeltaCursorOptions,
  decodeCursor,
} from './delta-cursor.js';

export interface CheckpointStoreOptions {
  store: KeyValueStore;
  /** Key namespace inside the store; default `cursor`. Keys are `<namespace>/<name>`. */
  namespace?: string;
}

/** Persists cursor tokens by sync name. Commit only after the sink confirmed the batch. */
export interface CheckpointStore {
  /** The stored cursor for `name`, or a fresh cursor when none was committed. */
  load<Row>(name: string, options?: DeltaCursorOptions<Row>): Promise<DeltaCursor<Row>>;
  /** The stored token, if any. */
  token(name: string): Promise<string | undefined>;
  /** Stores the cursor (or token) as the checkpoint of `name`. */
  commit<Row>(name: string, cursor: DeltaCursor<Row> | string): Promise<void>;
  /** Forgets the checkpoint so the next run starts from the beginning. */
  reset(name: string): Promise<void>;
}

/** A checkpoint store on any KeyValueStore (memory, SQLite, PostgreSQL, Redis). */
export function createCheckpointStore(options: CheckpointStoreOptions): CheckpointStore {
  const { store, namespace = 'cursor' } = options;
  const keyOf = (name: string) => storeKey(namespace, name);
  return {
    async load(name, cursorOptions) {
      return createDeltaCursor(cursorOptions, await store.get(keyOf(name)));
    },
    token: (name) => store.get(keyOf(name)),
    async commit(name, cursor) {
      if (typeof cursor === 'string') decodeCursor(cursor); // refuse to store a malformed token
      await store.set(keyOf(name), typeof cursor === 'string' ? cursor : cursor.encode());
    },
    reset: (name) => store.delete(keyOf(name)),
  };
}
