// @plumbline/sync-core/mysql: stores on MySQL 8 / MariaDB 10.6+ (mysql2, an optional peer dependency).

export type { MysqlSource, MysqlStoreOptions } from './stores/mysql/connection.js';
export {
  MYSQL_IDEMPOTENCY_KEY_BYTES,
  type MysqlIdempotencyStore,
  mysqlIdempotencyStore,
} from './stores/mysql/idempotency.js';
export {
  MYSQL_KV_KEY_BYTES,
  type MysqlKeyValueStore,
  mysqlKeyValueStore,
} from './stores/mysql/kv.js';
export { MYSQL_QUEUE_LIMITS, type MysqlQueueStore, mysqlQueueStore } from './stores/mysql/queue.js';
export {
  MYSQL_RESERVATION_LIMITS,
  type MysqlReservationStore,
  mysqlReservationStore,
} from './stores/mysql/reservation.js';
