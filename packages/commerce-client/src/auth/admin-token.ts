import {
  type AccessToken,
  type AuthStrategy,
  ConfigError,
  cachedTokenProvider,
  createTransport,
  markIdempotent,
  PlumblineError,
  type TokenProvider,
  type TransportOptions,
  tokenAuth,
} from '@plumbline/client-core';
import { commerceVendorAdapter } from '../vendor-adapter.js';

/** Magento's default admin token lifetime (Stores > Configuration > Services > OAuth). */
export const ADMIN_TOKEN_LIFETIME_MS = 4 * 60 * 60 * 1000;

export interface AdminTokenOptions {
  /** `${baseUrl}/rest/${storeCode}` (or the ACCS root). */
  restUrl: string;
  username: string;
  password: string;
  /** Override when the store's admin token lifetime is not 4 hours. */
  tokenLifetimeMs?: number;
  fetch?: TransportOptions['fetch'];
  timeoutMs?: number;
  now?: () => number;
}

/** A cached admin token provider: POST /V1/integration/admin/token, kept for its lifetime, single flight. */
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
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const fetchToken = async (): Promise<AccessToken> => {
    const headers = markIdempotent({
      'content-type': 'application/json',
      accept: 'application/json',
    });
    const response = await transport(
      new Request(`${options.restUrl}/V1/integration/admin/token`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ username: options.username, password: options.password }),
      }),
    );
    const body: unknown = await response.json().catch(() => undefined);
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
