import {
  type AuthStrategy,
  ConfigError,
  createTransport,
  type Limiter,
  type LimiterBackend,
  type TransportOptions,
} from '@plumbline/client-core';
import createClient, { type Client } from 'openapi-fetch';
import { accountRealm, restBaseUrl, validateAccountId } from './account.js';
import { type M2mAuthOptions, m2mAuth } from './auth/m2m.js';
import { type TbaAuthOptions, tbaAuth } from './auth/tba.js';
import type { paths } from './generated/schema.js';
import { netSuiteAccountLimiter, rememberClientLimiter } from './governance.js';
import { netSuiteVendorAdapter } from './vendor.js';

export type NetSuiteAuth = TbaAuthOptions | M2mAuthOptions;

export interface NetSuiteClientOptions
  extends Omit<TransportOptions, 'auth' | 'limiter' | 'limitKey' | 'vendor'> {
  /** The account id, for example `1234567` or `1234567_SB1`. */
  accountId: string;
  /** Token-based authentication, OAuth 2.0 client credentials, or any client-core AuthStrategy. */
  auth: NetSuiteAuth | AuthStrategy;
  /** Concurrent requests for the account, shared by every client of it in this process. Default 5. */
  concurrency?: number;
  /** Share the account limit across processes (a client-core LimiterBackend, e.g. Redis). */
  limiterBackend?: LimiterBackend;
  /** Your own limiter (keyed by the account realm) instead of the shared per-account one. */
  limiter?: Limiter;
  /** Override `https://<account>.suitetalk.api.netsuite.com/services/rest`, e.g. for an emulator. */
  baseUrl?: string;
}

/** What the helpers need to know about the account behind a client. */
export interface NetSuiteAccountInfo {
  readonly accountId: string;
  readonly realm: string;
  /** Base URL of the REST services, ending in `/services/rest`. */
  readonly baseUrl: string;
}

/** The typed openapi-fetch client of the NetSuite REST services, with its account info. */
export type NetSuiteClient = Client<paths> & { readonly netsuite: NetSuiteAccountInfo };

function isStrategy(auth: unknown): auth is AuthStrategy {
  return !!auth && typeof (auth as AuthStrategy).authorize === 'function';
}

function resolveBaseUrl(accountId: string, override: string | undefined): string {
  if (override === undefined) return restBaseUrl(accountId);
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new ConfigError('baseUrl', `"${override}" is not an absolute URL`);
  }
  const base = url.toString().replace(/\/+$/, '');
  return base.endsWith('/services/rest') ? base : `${base}/services/rest`;
}

/**
 * A typed NetSuite SuiteTalk REST client: `client.GET('/record/v1/customer/{id}', ...)`,
 * `client.POST('/query/v1/suiteql', ...)` and the helpers of this package that take the client.
 */
export function createNetSuiteClient(options: NetSuiteClientOptions): NetSuiteClient {
  if (!options || typeof options !== 'object') {
    throw new ConfigError('options', 'pass { accountId, auth }');
  }
  const {
    accountId: rawAccountId,
    auth: authOption,
    concurrency,
    limiterBackend,
    limiter: ownLimiter,
    baseUrl: baseUrlOption,
    retry,
    idempotencyHeaders,
    ...transportOptions
  } = options;
  const accountId = validateAccountId(rawAccountId);
  const realm = accountRealm(accountId);
  const baseUrl = resolveBaseUrl(accountId, baseUrlOption);
  if (!authOption) {
    throw new ConfigError(
      'auth',
      "is required: { type: 'tba', consumerKey, consumerSecret, tokenId, tokenSecret } or { type: 'm2m', clientId, certificateId, privateKey }",
    );
  }
  let auth: AuthStrategy;
  if (isStrategy(authOption)) auth = authOption;
  else if (authOption.type === 'tba') auth = tbaAuth(accountId, authOption);
  else if (authOption.type === 'm2m') {
    // The token request honours the client's fetch, retries and time bounds.
    const { fetch: fetchOption, timeoutMs, deadlineMs } = transportOptions;
    auth = m2mAuth(authOption, `${baseUrl}/auth/oauth2/v1/token`, {
      realm,
      ...(fetchOption ? { fetch: fetchOption as typeof fetch } : {}),
      ...(retry === undefined ? {} : { retry }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(deadlineMs === undefined ? {} : { deadlineMs }),
    });
  } else {
    throw new ConfigError(
      'auth.type',
      `expected 'tba' or 'm2m', got ${JSON.stringify((authOption as { type?: unknown }).type)}`,
    );
  }
  if (ownLimiter && (concurrency !== undefined || limiterBackend)) {
    throw new ConfigError(
      'limiter',
      'pass either your own limiter or concurrency/limiterBackend, not both',
    );
  }
  const limiter =
    ownLimiter ??
    netSuiteAccountLimiter(accountId, {
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(limiterBackend ? { backend: limiterBackend } : {}),
    });
  const transport = createTransport({
    ...transportOptions,
    auth,
    limiter,
    limitKey: `netsuite:${realm}`,
    vendor: netSuiteVendorAdapter,
    // Concurrency refusals happen before NetSuite does any work: safe to retry even for writes.
    retry:
      retry === false
        ? false
        : { ...retry, retryUnsafeOnRateLimit: retry?.retryUnsafeOnRateLimit ?? true },
    idempotencyHeaders: [...(idempotencyHeaders ?? []), 'x-netsuite-idempotency-key'],
  });
  const client = createClient<paths>({
    baseUrl,
    fetch: transport as (r: Request) => Promise<Response>,
  });
  Object.defineProperty(client, 'netsuite', {
    value: Object.freeze({ accountId, realm, baseUrl }),
    enumerable: false,
  });
  rememberClientLimiter(client, limiter);
  return client as NetSuiteClient;
}
