// Public API of @plumbline/sync-core. Each concept lives in its own module.

export * from './durable.js';
export * from './errors.js';
export * from './kv.js';
export * from './primitives.js';
