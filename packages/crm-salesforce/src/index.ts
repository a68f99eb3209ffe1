export type {
  SalesforceAccessTokenAuth,
  SalesforceAuth,
  SalesforceClientCredentialsAuth,
  SalesforceJwtAuth,
  SalesforceRefreshTokenAuth,
} from './auth/salesforce-auth.js';
export { CSV_NULL, CsvParser, csvRecords, csvValue, encodeCsvRow, parseCsv } from './bulk/csv.js';
export {
  type BulkIngestOperation,
  type BulkIngestOptions,
  type BulkIngestResult,
  bulkIngest,
} from './bulk/ingest.js';
export type { BulkJobInfo, PollOptions } from './bulk/poll.js';
export { type BulkQueryOptions, bulkQuery } from './bulk/query.js';
export {
  createSalesforceClient,
  DEFAULT_API_VERSION,
  DEFAULT_LOGIN_URL,
  type SalesforceClient,
  type SalesforceClientOptions,
} from './client.js';
export {
  ApiLimitThresholdError,
  BulkJobError,
  type BulkJobStage,
  CollectionsHaltedError,
  InvalidIdError,
  RecordShapeError,
  SalesforceApiError,
  type SalesforceErrorEntry,
  SalesforceResponseError,
  SoqlValueError,
  UpsertMultipleMatchesError,
  WindowOutOfReachError,
} from './errors.js';
export type { components, operations, paths } from './generated/schema.js';
export { idChecksum, isSalesforceId, toCaseSafeId } from './ids.js';
export {
  type DeletedIds,
  getDeleted,
  getUpdated,
  type ModstampCursor,
  type ModstampQueryOptions,
  modstampQuery,
  REPLICATION_REACH_DAYS,
  type ReplicationWindowOptions,
  type UpdatedIds,
} from './incremental.js';
export { type ApiUsage, type LimitGuardOptions, parseLimitInfo } from './limits.js';
export { PathParameterError } from './path.js';
export {
  type ChildRecords,
  childRecords,
  type QueryOptions,
  type QueryPage,
  query,
  queryAll,
  queryPages,
} from './query.js';
export {
  DEFAULT_PARTITION_CONCURRENCY,
  type QueryPartitionedOptions,
  queryPartitioned,
  SALESFORCE_MAX_PARTITION_CONCURRENCY,
} from './query-partitioned.js';
export type { RecordSchema } from './record-schema.js';
export * as schemas from './schemas/index.js';
export {
  escapeSoqlString,
  SoqlDate,
  SoqlFragment,
  SoqlIdentifier,
  SoqlLike,
  type SoqlLikeMatch,
  SoqlRaw,
  soql,
  soqlDate,
  soqlDateTime,
  soqlIdentifier,
  soqlLike,
  soqlLiteral,
  soqlRaw,
} from './soql.js';
export { type DescribeLike, generateTypes, TypegenError } from './typegen/generate.js';
export { salesforceVendor } from './vendor.js';
export {
  type CollectionOperation,
  type CollectionOutcome,
  type CollectionRecordError,
  type CollectionsOptions,
  collections,
} from './writes/collections.js';
export { type UpsertResult, upsert } from './writes/upsert.js';
