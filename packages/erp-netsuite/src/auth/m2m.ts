import type { KeyObject } from 'node:crypto';
import {
  type AuthStrategy,
  ConfigError,
  oauth2TokenProvider,
  signJwt,
  type TokenProvider,
  tokenAuth,
} from '@plumbline/client-core';

export type M2mAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

/** OAuth 2.0 client credentials (machine to machine) with a certificate's private key. */
export interface M2mAuthOptions {
  type: 'm2m';
  /** The integration record's client id (the JWT `iss`). */
  clientId: string;
  /** The certificate id from the OAuth 2.0 Client Credentials Setup page (the JWT `kid`). */
  certificateId: string;
  /** PEM (PKCS#8) or KeyObject of the certificate's private key. */
  privateKey: string | KeyObject;
  /** Signature algorithm of the certificate's key. Default PS256 (RSA-PSS). */
  algorithm?: M2mAlgorithm;
  /** Scopes; default `rest_webservices`. Several are sent comma-separated. */
  scope?: string | string[];
  /** Lifetime of each client assertion in seconds, at most 3600. Default 300. */
  assertionLifetimeSeconds?: number;
}

const ALGORITHMS = new Set<M2mAlgorithm>(['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']);
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const providers = new Map<string, TokenProvider>();

function nonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(
      `auth.${name}`,
      'is required for OAuth 2.0 client credentials (a non-empty string)',
    );
  }
  return value;
}

export function m2mScope(scope: string | string[] | undefined): string {
  const list = scope === undefined ? ['rest_webservices'] : Array.isArray(scope) ? scope : [scope];
  const clean = list.flatMap((s) => s.split(/[,\s]+/)).filter(Boolean);
  if (clean.length === 0)
    throw new ConfigError('auth.scope', 'names no scope; use rest_webservices');
  return clean.join(',');
}

/**
 * The JWT client assertion NetSuite expects: header `typ: JWT`, `alg`, `kid` = certificate id;
 * payload `iss` = client id, `scope`, `aud` = the token URL, `iat`, `exp` (at most 60 minutes).
 */
export function m2mClientAssertion(
  options: M2mAuthOptions,
  tokenUrl: string,
  nowMs: number = Date.now(),
): string {
  const lifetime = options.assertionLifetimeSeconds ?? 300;
  const iat = Math.floor(nowMs / 1000);
  return signJwt({
    payload: {
      iss: options.clientId,
      scope: m2mScope(options.scope),
      aud: tokenUrl,
      iat,
      exp: iat + lifetime,
    },
    privateKey: options.privateKey,
    algorithm: options.algorithm ?? 'PS256',
    kid: options.certificateId,
    header: { typ: 'JWT' },
  });
}

function validate(options: M2mAuthOptions): void {
  nonEmpty(options.clientId, 'clientId');
  nonEmpty(options.certificateId, 'certificateId');
  if (
    !options.privateKey ||
    (typeof options.privateKey === 'string' && !options.privateKey.includes('PRIVATE KEY'))
  ) {
    throw new ConfigError('auth.privateKey', 'must be a PEM private key or a KeyObject');
  }
  const algorithm = options.algorithm ?? 'PS256';
  if (!ALGORITHMS.has(algorithm)) {
    throw new ConfigError(
      'auth.algorithm',
      `NetSuite accepts PS256, PS384, PS512, ES256, ES384 or ES512 client assertions, not ${String(algorithm)}`,
    );
  }
  const lifetime = options.assertionLifetimeSeconds ?? 300;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 3600) {
    throw new ConfigError(
      'auth.assertionLifetimeSeconds',
      `must be a whole number of seconds from 1 to 3600 (NetSuite refuses assertions living longer than 60 minutes), got ${String(lifetime)}`,
    );
  }
}

/**
 * The account's token provider for these credentials: tokens are cached until shortly before
 * expiry and shared by every client of the same token URL, client id, certificate and scope.
 */
export function m2mTokenProvider(
  options: M2mAuthOptions,
  tokenUrl: string,
  fetchImpl?: typeof fetch,
  realm = '',
): TokenProvider {
  validate(options);
  const key = [
    realm,
    tokenUrl,
    options.clientId,
    options.certificateId,
    m2mScope(options.scope),
  ].join('\u0000');
  const existing = providers.get(key);
  if (existing) return existing;
  const provider = oauth2TokenProvider({
    tokenUrl,
    params: () => ({
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: m2mClientAssertion(options, tokenUrl),
    }),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  providers.set(key, provider);
  return provider;
}

/** Bearer auth from the shared token provider; a 401 invalidates the token and refreshes once. */
export function m2mAuth(
  options: M2mAuthOptions,
  tokenUrl: string,
  fetchImpl?: typeof fetch,
  realm = '',
): AuthStrategy {
  return tokenAuth(m2mTokenProvider(options, tokenUrl, fetchImpl, realm));
}
