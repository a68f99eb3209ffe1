// The pure (non-durable) primitives of sync-core. Each concept lives in its own module and keeps
// its state in a KeyValueStore, so any durable KeyValueStore makes it durable.

export { type BaseStore, type BaseStoreOptions, createBaseStore } from './conflict/base-store.js';
export {
  type ConflictLog,
  type ConflictLogEntry,
  type ConflictLogOptions,
  type ConflictLogQuery,
  type ConflictLogSweepOptions,
  type ConflictLogSweepResult,
  createConflictLog,
  memoryConflictLog,
} from './conflict/conflict-log.js';
export {
  type ConflictPolicy,
  type ConflictSide,
  customPolicy,
  type FieldConflict,
  type FieldDecision,
  lastWriterWins,
  ownerWins,
  preferSystem,
  threeWayMerge,
} from './conflict/policies.js';
export {
  type ConflictInput,
  type ConflictResolver,
  type ConflictResolverOptions,
  type ConflictResult,
  createConflictResolver,
} from './conflict/resolver.js';
export {
  type CheckpointStore,
  type CheckpointStoreOptions,
  createCheckpointStore,
} from './cursor/checkpoint-store.js';
export {
  type CursorState,
  type CursorWindow,
  createDeltaCursor,
  DeltaCursor,
  type DeltaCursorOptions,
  decodeCursor,
  type RowId,
} from './cursor/delta-cursor.js';
export {
  createDeadLetterList,
  type DeadLetterEntry,
  type DeadLetterList,
  type DeadLetterListOptions,
  type DeadLetterPage,
  type ReplayResult,
} from './dead-letter/dead-letter-list.js';
export {
  createEchoGuard,
  type EchoGuard,
  type EchoGuardOptions,
  type EchoWrite,
} from './echo/echo-guard.js';
export {
  type ContentHashOptions,
  canonicalJson,
  contentHash,
  sameContent,
} from './hash/content-hash.js';
export { createHashStore, type HashStore, type HashStoreOptions } from './hash/hash-store.js';
export {
  type MemoryKeyValueStore,
  type MemoryKeyValueStoreOptions,
  memoryKeyValueStore,
} from './memory/kv.js';
export {
  type AcceptResult,
  defineOwnership,
  type EntityOwnership,
  type FieldOwners,
  type Ownership,
  type OwnershipConfig,
  type OwnershipDescription,
  type OwnershipQuery,
  type RefusedField,
} from './ownership/ownership.js';
export { type RenderOwnershipOptions, renderOwnership } from './ownership/render-ownership.js';
export {
  compareStreams,
  type FieldDifference,
  type ReconcileEvent,
  type ReconcileKey,
  type ReconcileOptions,
  type ReconcileReport,
  type ReconcileReportOptions,
  type ReconcileStats,
  type Redrive,
  reconcile,
} from './reconcile/reconcile.js';
export {
  type BreakerState,
  CircuitBreaker,
  type CircuitBreakerOptions,
} from './resolver/circuit-breaker.js';
export {
  createResolver,
  type Resolved,
  type ResolvedSource,
  type Resolver,
  type ResolverClock,
  type ResolverOptions,
  systemClock,
} from './resolver/resolver.js';
export {
  type DeadLetterTarget,
  type FailureStage,
  memoryDeadLetter,
  type ParkedRecord,
  type ParkReason,
} from './runner/dead-letter.js';
export {
  createRunner,
  type Runner,
  type RunnerOptions,
  type RunnerProgress,
  type RunSummary,
  type SinkResult,
  type StandardSchemaLike,
} from './runner/runner.js';
