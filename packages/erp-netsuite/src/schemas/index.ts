import { enumValue, link, reference } from './common.js';
import {
  customer,
  inventoryItem,
  invoice,
  itemFulfillment,
  itemLine,
  salesOrder,
} from './records.js';
import { asyncJob, error, errorDetail, recordList, suiteqlPage } from './service.js';

export type {
  Customer,
  InventoryItem,
  Invoice,
  ItemFulfillment,
  ItemLine,
  SalesOrder,
} from './records.js';
export type { AsyncJob, NetSuiteErrorBody, RecordList, SuiteqlPage } from './service.js';

/**
 * zod schemas of NetSuite's shapes, for boundaries and webhooks. Unknown fields (custom fields
 * included) pass through; references are `{ id, refName, links }`.
 */
export const schemas = {
  link,
  reference,
  enumValue,
  customer,
  salesOrder,
  itemLine,
  inventoryItem,
  itemFulfillment,
  invoice,
  suiteqlPage,
  recordList,
  asyncJob,
  errorDetail,
  error,
} as const;
