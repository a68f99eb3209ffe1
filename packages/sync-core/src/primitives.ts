// The pure (non-durable) primitives of sync-core. Each concept lives in its own module and keeps
// its state in a KeyValueStore, so any durable KeyValueStore makes it durable.

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
  type OwnershipQuery,
  type RefusedField,
} from './ownership/ownership.js';
