export {
  createSalesforceEmulator,
  type EmulatorField,
  type EmulatorObject,
  type RecordError,
  type SalesforceEmulator,
  type SalesforceEmulatorOptions,
  type SalesforceEmulatorState,
  type StoredRecord,
} from './testing/emulator.js';
export { SObjectStore } from './testing/store.js';
