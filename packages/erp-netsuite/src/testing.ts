export type { CreditLimitOptions } from './testing/customer-credit.js';
export {
  createNetSuiteEmulator,
  type NetSuiteEmulator,
  type NetSuiteEmulatorOptions,
  type NetSuiteEmulatorSnapshot,
  type NetSuiteEmulatorState,
} from './testing/emulator.js';
export type { TbaCredentials } from './testing/oauth1-verifier.js';
export { EmulatorSnapshotError } from './testing/snapshot.js';
export type { RecordData } from './testing/store.js';
