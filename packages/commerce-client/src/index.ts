export { ADMIN_TOKEN_LIFETIME_MS, adminTokenAuth, adminTokenProvider } from './auth/admin-token.js';
export { ACCS_SCOPE, IMS_TOKEN_URL, type ImsCredentials, imsTokenProvider } from './auth/ims.js';
export {
  type CompanyStructureNode,
  companyStructure,
  createTeam,
  type RefusedPrice,
  saveTierPrices,
  sharedCatalogCompanyIds,
  type TierPrice,
  tierPrices,
} from './b2b.js';
export {
  type AsyncResponse,
  BULK_OPERATION_STATUS,
  type BulkDetailedStatus,
  type BulkItemResult,
  type BulkItemStatus,
  type BulkOperation,
  type BulkOptions,
  type BulkProgress,
  type BulkResult,
  bulkPath,
  runBulk,
  type WaitOptions,
  waitForBulk,
} from './bulk.js';
export {
  type AdminAuth,
  type BearerAuth,
  type CommerceAuth,
  type CommerceClient,
  type CommerceClientOptions,
  createCommerceClient,
  type ImsAuth,
  type OAuth1IntegrationAuth,
} from './client.js';
export {
  type AcceptedBulk,
  BulkIncompleteError,
  BulkTimeoutError,
  CommerceInputError,
  CommerceResponseError,
  type FailedBulkChunk,
} from './errors.js';
export type { components, operations, paths } from './generated/schema.js';
export { formatMagentoMessage } from './magento-message.js';
export {
  type KeysetCursor,
  type KeysetOptions,
  type PageInfo,
  type PaginateOptions,
  paginate,
  type SearchItem,
  type SearchPath,
} from './paginate.js';
export {
  captureInvoice,
  orderTransactions,
  type PaymentTransaction,
} from './payments.js';
export {
  type BuiltSearchCriteria,
  CONDITION_TYPES,
  type ConditionType,
  type FilterInput,
  type FilterScalar,
  type FilterValue,
  formatMagentoDate,
  type SearchCriteria,
  SearchCriteriaBuilder,
  type SearchFilter,
  type SearchFilterGroup,
  type SearchSortOrder,
  type SortDirection,
  searchCriteria,
  serializeQuery,
  serializeSearchCriteria,
} from './query/search-criteria.js';
export {
  addReturnComment,
  addReturnTrack,
  closeReturn,
  createReturn,
  getReturn,
  type NewRma,
  RMA_ITEM_STATUS,
  RMA_STATUS,
  type Rma,
  type RmaItemChange,
  updateReturnItems,
} from './returns.js';
export { CommerceValidationError, parseEntity, schemas } from './schemas/index.js';
export { TYPEGEN_PEERS, TypegenDependencyError } from './typegen/peers.js';
export {
  generateCommerceTypes,
  loadSchema,
  repairSchema,
  restRootOfSchemaUrl,
  type TypegenOptions,
  type TypegenResult,
} from './typegen/typegen.js';
export { commerceVendorAdapter, parseMagentoError } from './vendor-adapter.js';
export { type WebhookOperation, webhookOperations, webhookResponse } from './webhooks/responses.js';
export {
  COMMERCE_WEBHOOK_SIGNATURE_HEADER,
  IO_EVENTS_SIGNATURE_HEADERS,
  type PublicKeyInput,
  type RawBody,
  readCommerceWebhook,
  readIoEvent,
  verifyCommerceWebhookSignature,
  verifyIoEventSignature,
  WebhookSignatureError,
} from './webhooks/signature.js';
