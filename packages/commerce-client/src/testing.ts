export {
  BULK_STATUS,
  type CommerceEmulator,
  type CommerceEmulatorOptions,
  createCommerceEmulator,
  type EmulatorIntegration,
} from './testing/emulator.js';
export { type MagentoErrorBody, MagentoFault } from './testing/fault.js';
export { parseSearchCriteria, runSearch } from './testing/search.js';
export type {
  BulkOperationRecord,
  BulkRecord,
  CommerceEmulatorState,
  CommerceSeed,
  PlaceOrderInput,
  Reservation,
} from './testing/state.js';
