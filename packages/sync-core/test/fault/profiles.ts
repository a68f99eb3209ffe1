// Which faults each store's schedule gets in CI and in `pnpm soak`. A fault joins a store's list
// once main keeps its promise under it; the soak's `--faults` flag tries any list. Memory has no
// connection and one clock (no cut, delay, skew); SQLite is a file (no cut, delay); RabbitMQ is
// only a queue (no reserve); publishFail applies to RabbitMQ only.
import { FAULTS, type FaultProfile, type StoreKind } from './schedule.js';

export const CI_FAULTS: Record<StoreKind, ReadonlyArray<keyof FaultProfile>> = {
  memory: ['kill', 'slowLease', 'slowLock', 'reserve'],
  sqlite: ['kill', 'skew', 'slowLease', 'slowLock', 'reserve'],
  postgres: ['kill', 'cut', 'delay', 'skew', 'slowLease', 'slowLock', 'reserve'],
  mysql: ['kill', 'cut', 'delay', 'skew', 'slowLease', 'slowLock', 'reserve'],
  redis: ['kill', 'cut', 'delay', 'skew', 'slowLease', 'slowLock', 'reserve'],
  rabbitmq: ['kill', 'cut', 'delay', 'skew', 'slowLease', 'slowLock', 'publishFail'],
};

/** Every fault the suite knows: what each store must eventually survive. */
export const ALL_FAULTS: ReadonlyArray<keyof FaultProfile> = FAULTS;

export const STORES: readonly StoreKind[] = [
  'memory',
  'sqlite',
  'postgres',
  'mysql',
  'redis',
  'rabbitmq',
];
