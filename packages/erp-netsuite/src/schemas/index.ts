import { enumValue, link, reference } from './common.js';
import {
  cashRefund,
  contact,
  creditMemo,
  customer,
  customerItemPrice,
  inventoryItem,
  invoice,
  itemFulfillment,
  itemLine,
  itemPrice,
  itemReceipt,
  location,
  priceLevel,
  returnAuthorization,
  salesOrder,
} from './records.js';
import {
  asyncJob,
  asyncTask,
  asyncTaskList,
  error,
  errorDetail,
  governanceLimits,
  metadataCatalogList,
  recordList,
  suiteqlPage,
} from './service.js';

export type {
  CashRefund,
  Contact,
  CreditMemo,
  Customer,
  CustomerItemPrice,
  InventoryItem,
  Invoice,
  ItemFulfillment,
  ItemLine,
  ItemPrice,
  ItemReceipt,
  LocationRecord,
  PriceLevel,
  ReturnAuthorization,
  SalesOrder,
} from './records.js';
export type {
  AsyncJob,
  AsyncTask,
  AsyncTaskList,
  NetSuiteErrorBody,
  RecordList,
  SuiteqlPage,
} from './service.js';

/**
 * zod schemas of NetSuite's shapes, for boundaries and webhooks. Unknown fields (custom fields
 * included) pass through; references are `{ id, refName, links }`.
 */
export const schemas = {
  link,
  reference,
  enumValue,
  customer,
  contact,
  salesOrder,
  itemLine,
  inventoryItem,
  itemFulfillment,
  invoice,
  creditMemo,
  returnAuthorization,
  itemReceipt,
  cashRefund,
  location,
  priceLevel,
  customerItemPrice,
  itemPrice,
  suiteqlPage,
  recordList,
  asyncJob,
  asyncTaskList,
  asyncTask,
  governanceLimits,
  metadataCatalogList,
  errorDetail,
  error,
} as const;
