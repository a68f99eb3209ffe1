export { bearerAuth } from './auth/bearer.js';
export type { AuthStrategy } from './auth/strategy.js';
export {
  AbortedError,
  ConfigError,
  HttpError,
  type HttpErrorInit,
  NetworkError,
  PlumblineError,
  RateLimitError,
  RequestFailedError,
  TimeoutError,
  type VendorErrorInfo,
} from './errors.js';
export { eventLogRecord, type LoggerLike, type TransportEvent } from './events.js';
export { IDEMPOTENT_HEADER, isRetrySafe, markIdempotent } from './idempotency.js';
export type { Lease, LimiterBackend } from './limit/backend.js';
export { createLimiter, type Limiter, type LimiterOptions } from './limit/limiter.js';
export { memoryLimiterBackend } from './limit/memory-backend.js';
export { createRedactor, REDACTED, type Redactor } from './redact.js';
export { DEFAULT_RETRY_STATUSES, parseRetryAfter, type RetryOptions } from './retry.js';
export {
  createTransport,
  type FetchLike,
  type TransportFetch,
  type TransportOptions,
  type VendorAdapter,
} from './transport.js';
export { parseVendorErrorBody } from './vendor-error.js';
