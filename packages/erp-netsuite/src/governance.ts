import {
  ConfigError,
  createLimiter,
  type Limiter,
  type LimiterBackend,
} from '@plumbline/client-core';
import { accountRealm } from './account.js';
import type { NetSuiteClient } from './client.js';

/** NetSuite's default account concurrency limit for web services and RESTlets. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 5;

interface Registered {
  limiter: Limiter;
  maxConcurrent: number;
  backend?: LimiterBackend;
}

const registry = new Map<string, Registered>();
/** The limiter each client sends its requests through. */
const clientLimiters = new WeakMap<object, Limiter>();

/** Remembers the limiter of a client made by createNetSuiteClient. */
export function rememberClientLimiter(client: object, limiter: Limiter): void {
  clientLimiters.set(client, limiter);
}

/**
 * The concurrency cap of the limiter the client sends its requests through (the account's limit,
 * 5 by default), or undefined for a hand-made limiter that does not say.
 */
export function clientConcurrency(client: NetSuiteClient): number | undefined {
  return clientLimiters.get(client)?.maxConcurrent;
}

export interface AccountLimiterOptions {
  /** Concurrent requests allowed for the account. Default 5. */
  concurrency?: number;
  /** Share the limit across processes (for example sync-core's Redis store). Default in-memory. */
  backend?: LimiterBackend;
}

function checkConcurrency(value: unknown): number {
  if (value === undefined) return DEFAULT_ACCOUNT_CONCURRENCY;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(
      'concurrency',
      `expected a whole number of concurrent requests (1 or more), got ${String(value)}`,
    );
  }
  return value;
}

/**
 * The one limiter of an account: every client of the account in this process shares it, so they
 * stay under the account's concurrency limit together. Its key is the account realm.
 */
export function netSuiteAccountLimiter(
  accountId: string,
  options: AccountLimiterOptions = {},
): Limiter {
  const realm = accountRealm(accountId);
  const maxConcurrent = checkConcurrency(options.concurrency);
  const existing = registry.get(realm);
  if (existing) {
    const sameMax = options.concurrency === undefined || existing.maxConcurrent === maxConcurrent;
    const sameBackend = options.backend === undefined || existing.backend === options.backend;
    if (!sameMax || !sameBackend) {
      throw new ConfigError(
        'concurrency',
        `account ${realm} already shares a limiter of ${existing.maxConcurrent} concurrent requests in this process; every client of one account must use the same limit (pass ${existing.maxConcurrent}, or your own \`limiter\`)`,
      );
    }
    return existing.limiter;
  }
  const limiter = createLimiter({
    maxConcurrent,
    ...(options.backend ? { backend: options.backend } : {}),
  });
  registry.set(realm, {
    limiter,
    maxConcurrent,
    ...(options.backend ? { backend: options.backend } : {}),
  });
  return limiter;
}

/** `GET /system/v1/governanceLimits`: the account's and this integration's concurrency limits. */
export interface GovernanceLimits {
  accountConcurrencyLimit: number;
  accountUnallocatedConcurrencyLimit?: number;
  integrationConcurrencyLimit?: number;
  integrationLimitType: 'integrationSpecific' | 'accountLimit' | 'internal';
}

/** Reads the governance limits (NetSuite answers them to administrators only). */
export async function getGovernanceLimits(client: NetSuiteClient): Promise<GovernanceLimits> {
  const { data } = await client.GET('/system/v1/governanceLimits', {});
  return data as GovernanceLimits;
}

/**
 * The concurrency this integration may use: its own allocation when it has one, else the
 * account's unallocated share (shared by every integration without an allocation), else the
 * account limit. Pass it as `concurrency` to every client of the account.
 */
export function concurrencyFromGovernance(limits: GovernanceLimits): number {
  const value =
    limits.integrationLimitType === 'integrationSpecific'
      ? limits.integrationConcurrencyLimit
      : limits.integrationLimitType === 'accountLimit'
        ? limits.accountUnallocatedConcurrencyLimit
        : undefined;
  return Math.max(1, value ?? limits.accountConcurrencyLimit);
}
