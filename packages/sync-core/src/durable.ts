// Durable primitives: reservations, idempotency and the queue, with their in-memory stores.
// Backends live in the subpath entries: /sqlite, /postgres, /redis, /rabbitmq.

export * from './idempotency/errors.js';
export * from './idempotency/idempotency.js';
export type * from './idempotency/store.js';
export * from './lease/errors.js';
export * from './queue/errors.js';
export {
  type BackoffOptions,
  type BrokerQueueStore,
  backoffDelay,
  createQueue,
  type DeadLetter,
  type EnqueueResult,
  type Job,
  type JobContext,
  type JobHandler,
  type JobOptions,
  type Queue,
  type QueuedJob,
  type QueueOptions,
  type WorkOptions,
  type WorkSummary,
} from './queue/queue.js';
export type * from './queue/store.js';
export * from './reservation/errors.js';
export * from './reservation/reservations.js';
export type {
  Hold,
  HoldPage,
  HoldStatus,
  ReservationRetention,
  ReservationStore,
  StockLevel,
  StoreReserveResult,
  SweepResult,
} from './reservation/store.js';
export {
  InvalidInputError,
  SchemaVersionError,
  StoreConfigError,
  SyncAbortedError,
} from './stores/errors.js';
export {
  type MemoryIdempotencyOptions,
  memoryIdempotencyStore,
} from './stores/memory/idempotency.js';
export { type MemoryQueueOptions, memoryQueueStore } from './stores/memory/queue.js';
export {
  type MemoryReservationOptions,
  memoryReservationStore,
} from './stores/memory/reservation.js';
