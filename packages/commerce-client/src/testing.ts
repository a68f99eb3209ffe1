export {
  BULK_STATUS,
  type CommerceEmulator,
  type CommerceEmulatorOptions,
  createCommerceEmulator,
  type EmulatorIntegration,
} from './testing/emulator.js';
export { type MagentoErrorBody, MagentoFault } from './testing/fault.js';
export { parseSearchCriteria, runSearch } from './testing/search.js';
export { EmulatorSnapshotError } from './testing/snapshot.js';
export type {
  BulkOperationRecord,
  BulkRecord,
  CommerceEmulatorSnapshot,
  CommerceEmulatorState,
  CommerceSeed,
  EmulatorCart,
  EmulatorCartLine,
  EmulatorRma,
  EmulatorRmaItem,
  EmulatorStock,
  EmulatorTransaction,
  PlaceOrderInput,
  Reservation,
} from './testing/state.js';
