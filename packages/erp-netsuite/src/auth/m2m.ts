import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import {
  type AuthStrategy,
  ConfigError,
  oauth2TokenProvider,
  signJwt,
  type TokenProvider,
  type TokenRequestOptions,
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

/**
 * Token providers shared in the process, per fetch (weakly held: a client's own fetch and its
 * providers go together) and per every other input that makes a token.
 */
const GLOBAL_FETCH = {};
const providers = new WeakMap<object, Map<string, TokenProvider>>();

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
 * SHA-256 of the public half of the private key: names the key in a cache key without holding
 * anything secret, and is the same whether the key came as PEM or as a KeyObject.
 */
function keyFingerprint(privateKey: string | KeyObject): string {
  let key: KeyObject;
  try {
    key = createPublicKey(
      typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey,
    );
  } catch {
    throw new ConfigError('auth.privateKey', 'could not be read as a PEM (PKCS#8) private key');
  }
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/**
 * Where and how the token request is sent: the client's `fetch`, the account realm, and
 * client-core's token request options (the client's `retry`, `timeoutMs` and `deadlineMs`).
 */
export interface M2mTokenContext extends TokenRequestOptions {
  fetch?: typeof fetch;
  /** The account realm (`1234567_SB1`), part of the cache key. */
  realm?: string;
}

/** Everything that goes into a token request, except the fetch (the outer cache level). */
function providerKey(options: M2mAuthOptions, tokenUrl: string, context: M2mTokenContext): string {
  return JSON.stringify([
    context.realm ?? '',
    tokenUrl,
    options.clientId,
    options.certificateId,
    keyFingerprint(options.privateKey),
    options.algorithm ?? 'PS256',
    m2mScope(options.scope),
    options.assertionLifetimeSeconds ?? 300,
    context.retry ?? null,
    context.timeoutMs ?? null,
    context.deadlineMs ?? null,
  ]);
}

/**
 * The token provider for these credentials: tokens are cached until shortly before expiry and
 * shared by every client with the same account, token URL, client id, certificate id, key (by
 * fingerprint), algorithm, scopes, fetch and token request options. A rotated key or another fetch
 * gets its own provider. The token POST is sent by client-core's token request: outages (429,
 * 5xx, network errors, attempt timeouts) are retried with backoff and Retry-After within the
 * client's `retry`, `timeoutMs` and `deadlineMs`; a refusal (400/401 `invalid_client`,
 * `invalid_grant`) is `AuthRefusedError`.
 */
export function m2mTokenProvider(
  options: M2mAuthOptions,
  tokenUrl: string,
  context: M2mTokenContext = {},
): TokenProvider {
  validate(options);
  const key = providerKey(options, tokenUrl, context);
  const byFetch = context.fetch ?? GLOBAL_FETCH;
  let cache = providers.get(byFetch);
  if (!cache) {
    cache = new Map();
    providers.set(byFetch, cache);
  }
  const existing = cache.get(key);
  if (existing) return existing;
  const own = { ...options };
  const provider = oauth2TokenProvider({
    tokenUrl,
    params: () => ({
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: m2mClientAssertion(own, tokenUrl),
    }),
    secrets: typeof own.privateKey === 'string' ? [own.privateKey] : [],
    ...(context.fetch ? { fetch: context.fetch } : {}),
    ...(context.retry === undefined ? {} : { retry: context.retry }),
    ...(context.timeoutMs === undefined ? {} : { timeoutMs: context.timeoutMs }),
    ...(context.deadlineMs === undefined ? {} : { deadlineMs: context.deadlineMs }),
  });
  cache.set(key, provider);
  return provider;
}

/** Bearer auth from the shared token provider; a 401 invalidates the token and refreshes once. */
export function m2mAuth(
  options: M2mAuthOptions,
  tokenUrl: string,
  context: M2mTokenContext = {},
): AuthStrategy {
  return tokenAuth(m2mTokenProvider(options, tokenUrl, context));
}
