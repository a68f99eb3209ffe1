export { bearerAuth } from './auth/bearer.js';
export { type JwtAlgorithm, signJwt, verifyJwt } from './auth/jwt.js';
export {
  type OAuth1Credentials,
  type OAuth1HeaderParams,
  oauth1Auth,
  oauth1Encode,
  oauth1Header,
  oauth1SignatureBaseString,
} from './auth/oauth1.js';
export {
  clientCredentialsTokenProvider,
  jwtBearerTokenProvider,
  type OAuth2TokenProviderOptions,
  oauth2TokenProvider,
  parseTokenResponse,
  type TokenRequestOptions,
} from './auth/oauth2.js';
export type { AuthStrategy } from './auth/strategy.js';
export {
  type AccessToken,
  cachedTokenProvider,
  type TokenProvider,
  tokenAuth,
} from './auth/token-provider.js';
export {
  AbortedError,
  AuthRefusedError,
  ConfigError,
  HttpError,
  type HttpErrorInit,
  httpErrorInit,
  NetworkError,
  PartitionReadError,
  PlumblineError,
  RateLimitError,
  RequestFailedError,
  TimeoutError,
  type VendorErrorInfo,
} from './errors.js';
export { eventLogRecord, type LoggerLike, type TransportEvent } from './events.js';
export { IDEMPOTENT_HEADER, isRetrySafe, markIdempotent } from './idempotency.js';
export type { Lease, LimiterBackend } from './limit/backend.js';
export {
  createLimiter,
  type Limiter,
  type LimiterOptions,
  type LimiterSlot,
} from './limit/limiter.js';
export { memoryLimiterBackend } from './limit/memory-backend.js';
export { flatten, type PaginateOptions, paginate } from './paginate.js';
export {
  type ReadPartition,
  type ReadPartitionsOptions,
  readPartitions,
} from './partitions.js';
export { createRedactor, REDACTED, type Redactor } from './redact.js';
export { DEFAULT_RETRY_STATUSES, parseRetryAfter, type RetryOptions } from './retry.js';
export { asSentences } from './sentence.js';
export type {
  InstrumentOptions,
  TelemetryAttributes,
  TelemetryCounter,
  TelemetryHistogram,
  TelemetryMeter,
  TelemetryObservable,
  TelemetryObservation,
  TelemetryOptions,
  TelemetrySpan,
  TelemetryTracer,
} from './telemetry/signals.js';
export type { ApiUsageReading } from './telemetry/transport-telemetry.js';
export {
  createTransport,
  type FetchLike,
  type TransportFetch,
  type TransportOptions,
  type VendorAdapter,
} from './transport.js';
export { parseVendorErrorBody } from './vendor-error.js';
export { type PollOptions, type PollStep, poll, sleep } from './wait.js';
