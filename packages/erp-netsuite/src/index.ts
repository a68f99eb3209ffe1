// The transport's error classes, re-exported so callers can `instanceof` them without importing
// @plumbline/client-core themselves.
export {
  AbortedError,
  ConfigError,
  HttpError,
  NetworkError,
  PlumblineError,
  RateLimitError,
  TimeoutError,
} from '@plumbline/client-core';
export { accountHostLabel, accountRealm, restBaseUrl, validateAccountId } from './account.js';
export {
  type M2mAlgorithm,
  type M2mAuthOptions,
  type M2mTokenContext,
  m2mAuth,
  m2mClientAssertion,
  m2mTokenProvider,
} from './auth/m2m.js';
export { type TbaAuthOptions, tbaAuth } from './auth/tba.js';
export {
  createNetSuiteClient,
  type NetSuiteAccountInfo,
  type NetSuiteAuth,
  type NetSuiteClient,
  type NetSuiteClientOptions,
} from './client.js';
export {
  AsyncJobError,
  NetSuiteArgumentError,
  NetSuiteProtocolError,
  SuiteqlRowError,
  SuiteqlScanError,
  SuiteqlValueError,
} from './errors.js';
export type { components, operations, paths } from './generated/schema.js';
export {
  type AccountLimiterOptions,
  clientConcurrency,
  concurrencyFromGovernance,
  DEFAULT_ACCOUNT_CONCURRENCY,
  type GovernanceLimits,
  getGovernanceLimits,
  netSuiteAccountLimiter,
} from './governance.js';
export { type SuiteqlPartitionedOptions, suiteqlRowsPartitioned } from './query/partitioned.js';
export {
  type RowSchema,
  SUITEQL_MAX_PAGE,
  SUITEQL_MAX_ROWS,
  type SuiteqlPageResult,
  type SuiteqlRow,
  type SuiteqlRowsOptions,
  suiteqlPage,
  suiteqlRows,
} from './query/rows.js';
export { isSuiteqlQuery, type SuiteqlQuery, type SuiteqlValue, suiteql } from './query/suiteql.js';
export {
  type AsyncJobState,
  type AsyncSubmission,
  type AsyncSubmitOptions,
  type AsyncTaskResult,
  type AsyncWaitOptions,
  asyncJobResult,
  createRecordAsync,
  runAsync,
  submitAsync,
  transformRecordAsync,
  upsertByExternalIdAsync,
  waitForJob,
} from './records/async.js';
export {
  BASE_PRICE_LEVEL_ID,
  type CustomerPrice,
  CustomerPriceError,
  type CustomerPriceSource,
  type ResolveCustomerPriceOptions,
  resolveCustomerPrice,
} from './records/pricing.js';
export {
  createRecord,
  deleteRecord,
  type GetRecordOptions,
  getRecord,
  getRecordByExternalId,
  type KnownRecordType,
  listRecords,
  type RecordBody,
  type RecordListPage,
  type RecordRef,
  type RecordType,
  recordIds,
  transformRecord,
  updateRecord,
  upsertByExternalId,
  type WriteOptions,
} from './records/record.js';
export * from './schemas/index.js';
export {
  type NetSuiteErrorDetail,
  type NetSuiteErrorEntry,
  netSuiteErrorDetails,
  netSuiteVendorAdapter,
  parseNetSuiteError,
} from './vendor.js';
