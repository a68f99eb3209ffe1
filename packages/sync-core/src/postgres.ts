// @plumbline/sync-core/postgres: stores on PostgreSQL 9.5+ (pg, an optional peer dependency).

export type { PostgresSource, PostgresStoreOptions } from './stores/postgres/connection.js';
export {
  type PostgresIdempotencyStore,
  postgresIdempotencyStore,
} from './stores/postgres/idempotency.js';
export { type PostgresKeyValueStore, postgresKeyValueStore } from './stores/postgres/kv.js';
export { type PostgresQueueStore, postgresQueueStore } from './stores/postgres/queue.js';
export {
  type PostgresReservationStore,
  postgresReservationStore,
} from './stores/postgres/reservation.js';
