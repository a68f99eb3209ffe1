// @plumbline/sync-core/sqlite: the embedded durable stores (better-sqlite3, an optional peer dependency).

export type {
  SqliteDatabase,
  SqliteSource,
  SqliteStoreOptions,
} from './stores/sqlite/connection.js';
export {
  type SqliteIdempotencyStore,
  sqliteIdempotencyStore,
} from './stores/sqlite/idempotency.js';
export { type SqliteKeyValueStore, sqliteKeyValueStore } from './stores/sqlite/kv.js';
export { type SqliteQueueStore, sqliteQueueStore } from './stores/sqlite/queue.js';
export {
  type SqliteReservationStore,
  sqliteReservationStore,
} from './stores/sqlite/reservation.js';
