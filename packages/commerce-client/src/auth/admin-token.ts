import {
  type AccessToken,
  AuthRefusedError,
  type AuthStrategy,
  ConfigError,
  cachedTokenProvider,
  createTransport,
  HttpError,
  httpErrorInit,
  markIdempotent,
  PlumblineError,
  type TokenProvider,
  type TokenRequestOptions,
  type TransportOptions,
  tokenAuth,
} from '@plumbline/client-core';
import { commerceVendorAdapter } from '../vendor-adapter.js';

/** Magento's default admin token lifetime (Stores > Configuration > Services > OAuth). */
export const ADMIN_TOKEN_LIFETIME_MS = 4 * 60 * 60 * 1000;

/** Magento answers a bad admin sign-in with 401 (and a missing field with 400). */
const REFUSAL_STATUSES = new Set([400, 401, 403]);

export interface AdminTokenOptions extends TokenRequestOptions {
  /** `${baseUrl}/rest/${storeCode}` (or the ACCS root). */
  restUrl: string;
  username: string;
  password: string;
  /** Override when the store's admin token lifetime is not 4 hours. */
  tokenLifetimeMs?: number;
  fetch?: TransportOptions['fetch'];
  /** Events and log lines of the token requests (secrets redacted), as for any request. */
  onEvent?: TransportOptions['onEvent'];
  logger?: TransportOptions['logger'];
  now?: () => number;
}

/**
 * The error a reader can act on: a refusal (400/401/403) is `AuthRefusedError` saying to check the
 * admin username and password; an outage that outlived the retries (5xx, 429, a dropped
 * connection, a timeout) keeps its class and its message, which never blames the credentials.
 */
function adminTokenFailure(error: unknown): unknown {
  if (!(error instanceof HttpError) || !REFUSAL_STATUSES.has(error.status)) return error;
  const vendor = error.vendorMessage ? `: ${error.vendorMessage}` : '';
  return new AuthRefusedError({
    ...httpErrorInit(error, error.response === undefined ? {} : { response: error.response }),
    message:
      `POST ${error.url} answered ${error.status}${vendor}. The store refused the admin sign-in; ` +
      'check the admin username and password, and that the admin user is active and not locked.',
  });
}

/**
 * A cached admin token provider: POST /V1/integration/admin/token, kept for its lifetime, single
 * flight. The POST goes through a transport of its own (no auth), marked safe to repeat: outages
 * (408/425/429/5xx, network failures, attempt timeouts) are retried with backoff and
 * `Retry-After` under `retry`, each attempt is bounded by `timeoutMs` and the whole request,
 * retries included, by `deadlineMs`.
 */
export function adminTokenProvider(options: AdminTokenOptions): TokenProvider {
  for (const name of ['username', 'password'] as const) {
    if (typeof options[name] !== 'string' || options[name] === '') {
      throw new ConfigError(`auth.${name}`, 'admin auth needs a non-empty string');
    }
  }
  const lifetime = options.tokenLifetimeMs ?? ADMIN_TOKEN_LIFETIME_MS;
  const now = options.now ?? Date.now;
  const transport = createTransport({
    vendor: commerceVendorAdapter,
    secrets: [options.password],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const url = `${options.restUrl}/V1/integration/admin/token`;
  const fetchToken = async (): Promise<AccessToken> => {
    let body: unknown;
    try {
      const response = await transport(url, {
        method: 'POST',
        // Safe to repeat: a second admin token request creates nothing the first did not.
        headers: markIdempotent({ 'content-type': 'application/json', accept: 'application/json' }),
        body: JSON.stringify({ username: options.username, password: options.password }),
      });
      body = await response.json().catch(() => undefined);
    } catch (error) {
      throw adminTokenFailure(error);
    }
    if (typeof body !== 'string' || body === '') {
      throw new PlumblineError(
        'TOKEN_INVALID',
        'POST /V1/integration/admin/token did not answer a JSON string token; check baseUrl and storeCode.',
      );
    }
    return { accessToken: body, expiresAt: now() + lifetime, tokenType: 'Bearer' };
  };
  return cachedTokenProvider(fetchToken, { now, secrets: () => [options.password] });
}

/** Bearer auth with an admin token fetched from credentials, renewed on 401. */
export function adminTokenAuth(options: AdminTokenOptions): AuthStrategy {
  return tokenAuth(adminTokenProvider(options));
}
