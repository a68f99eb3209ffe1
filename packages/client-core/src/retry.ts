import { ConfigError } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt. Default 4 (5 attempts in all). */
  retries?: number;
  /** Base of the exponential backoff. Default 250 ms. */
  minDelayMs?: number;
  /** Cap of one backoff delay (Retry-After is honoured beyond it, within maxRetryTimeMs). Default 20 000 ms. */
  maxDelayMs?: number;
  /** No retry is scheduled that would end later than this after the first attempt started. Default 60 000 ms. */
  maxRetryTimeMs?: number;
  /** Statuses worth retrying. Default [408, 425, 429, 500, 502, 503, 504]. */
  statuses?: number[];
  /**
   * Also retry rate-limit answers (429 or vendor rate-limit) of requests that are not marked
   * idempotent, since the server refused them before doing any work. Default false.
   */
  retryUnsafeOnRateLimit?: boolean;
  /** Source of randomness for the jitter, in [0, 1). Default Math.random. */
  random?: () => number;
}

export const DEFAULT_RETRY_STATUSES: readonly number[] = [408, 425, 429, 500, 502, 503, 504];

export interface ResolvedRetryOptions {
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  maxRetryTimeMs: number;
  statuses: ReadonlySet<number>;
  retryUnsafeOnRateLimit: boolean;
  random: () => number;
}

function nonNegative(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new ConfigError(option, `expected a number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Validates retry options and fills in the defaults. `false` means a single attempt. */
export function resolveRetryOptions(retry: RetryOptions | false | undefined): ResolvedRetryOptions {
  const o = retry === false ? { retries: 0 } : (retry ?? {});
  const retries = nonNegative('retry.retries', o.retries, 4);
  if (!Number.isInteger(retries) && retries !== Number.POSITIVE_INFINITY) {
    throw new ConfigError('retry.retries', `expected a whole number, got ${retries}`);
  }
  const minDelayMs = nonNegative('retry.minDelayMs', o.minDelayMs, 250);
  const maxDelayMs = nonNegative('retry.maxDelayMs', o.maxDelayMs, 20_000);
  if (maxDelayMs < minDelayMs) {
    throw new ConfigError(
      'retry.maxDelayMs',
      `must be >= retry.minDelayMs (${minDelayMs}), got ${maxDelayMs}`,
    );
  }
  const statuses = o.statuses ?? DEFAULT_RETRY_STATUSES;
  if (
    !Array.isArray(statuses) ||
    statuses.some((s) => !Number.isInteger(s) || s < 100 || s > 599)
  ) {
    throw new ConfigError('retry.statuses', 'expected an array of HTTP status codes (100-599)');
  }
  return {
    retries,
    minDelayMs,
    maxDelayMs,
    maxRetryTimeMs: nonNegative('retry.maxRetryTimeMs', o.maxRetryTimeMs, 60_000),
    statuses: new Set(statuses),
    retryUnsafeOnRateLimit: o.retryUnsafeOnRateLimit ?? false,
    random: o.random ?? Math.random,
  };
}

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(maxDelay, minDelay * 2^n)),
 * where n is the number of retries already made.
 */
export function backoffDelay(retriesMade: number, options: ResolvedRetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.minDelayMs * 2 ** retriesMade);
  return Math.floor(options.random() * ceiling);
}

/**
 * Parses a Retry-After value: delta seconds (`120`) or an HTTP date. Returns milliseconds from
 * `now` (never negative), or undefined when absent or unparseable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
