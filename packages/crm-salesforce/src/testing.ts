export {
  createSalesforceEmulator,
  type EmulatorField,
  type EmulatorObject,
  type RecordError,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  type SalesforceEmulatorSnapshot,
  type SalesforceEmulatorState,
  type StoredRecord,
} from './testing/emulator.js';
export { EmulatorSnapshotError } from './testing/snapshot.js';
export { SObjectStore } from './testing/store.js';
