/**
 * The names of the transport's spans, metrics and attributes. docs/telemetry.md lists each with
 * its meaning; `names.test.ts` keeps the two in step.
 */
export const ATTR = {
  vendor: 'plumbline.vendor',
  operation: 'plumbline.operation',
  method: 'http.request.method',
  status: 'http.response.status_code',
  errorType: 'error.type',
  serverAddress: 'server.address',
  urlTemplate: 'url.template',
  attempt: 'plumbline.attempt',
  retryDelay: 'plumbline.retry.delay_ms',
  retryReason: 'plumbline.retry.reason',
  limitKey: 'plumbline.limit.key',
  refreshReason: 'plumbline.refresh.reason',
} as const;

export const METRIC = {
  requests: 'plumbline.client.requests',
  duration: 'plumbline.client.request.duration',
  retries: 'plumbline.client.retries',
  rateLimited: 'plumbline.client.rate_limited',
  limiterWait: 'plumbline.client.limiter.wait',
  limiterInFlight: 'plumbline.client.limiter.in_flight',
  tokenRefreshes: 'plumbline.client.token.refreshes',
  apiUsage: 'plumbline.client.api.usage',
  apiLimit: 'plumbline.client.api.limit',
} as const;

export const EVENT = {
  attempt: 'plumbline.attempt',
  retry: 'plumbline.retry',
  rateLimited: 'plumbline.rate_limited',
} as const;

/** The instrumentation scope: the meter's and tracer's name. */
export const SCOPE = '@plumbline/client-core';
