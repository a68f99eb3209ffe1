// Which faults each store's schedule gets in CI and in `pnpm soak`. A fault joins a store's list
// once main keeps its promise under it; the soak's `--faults` flag tries any list.
import { FAULTS, type FaultProfile, type StoreKind } from './schedule.js';

export const CI_FAULTS: Record<StoreKind, ReadonlyArray<keyof FaultProfile>> = {
  memory: ['kill', 'slowLease', 'slowLock', 'reserve'],
  sqlite: ['kill', 'skew', 'slowLease', 'slowLock', 'reserve'],
  // Not yet: 'cut' (a connection dropped inside a store transaction crashes the worker).
  postgres: ['kill', 'delay', 'skew', 'slowLease', 'slowLock', 'reserve'],
  redis: ['kill', 'cut', 'delay', 'skew', 'slowLease', 'slowLock', 'reserve'],
  // Not yet: 'cut' (a dropped channel dead-letters a job twice) and 'publishFail' (a failed
  // publish leaves its dedupe mark, so the retried enqueue answers with a job that never exists).
  rabbitmq: ['kill', 'delay', 'skew', 'slowLease', 'slowLock'],
};

/** Every fault the suite knows: what each store must eventually survive. */
export const ALL_FAULTS: ReadonlyArray<keyof FaultProfile> = FAULTS;

export const STORES: readonly StoreKind[] = ['memory', 'sqlite', 'postgres', 'redis', 'rabbitmq'];
