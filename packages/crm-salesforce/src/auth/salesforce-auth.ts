import type { KeyObject } from 'node:crypto';
import {
  type AuthStrategy,
  bearerAuth,
  ConfigError,
  clientCredentialsTokenProvider,
  jwtBearerTokenProvider,
  oauth2TokenProvider,
  type TokenProvider,
  type TokenRequestOptions,
  tokenAuth,
} from '@plumbline/client-core';

/** OAuth 2.0 JWT bearer flow: an RS256 assertion signed with the connected app's certificate key. */
export interface SalesforceJwtAuth {
  type: 'jwt';
  /** The connected app's consumer key (the `iss` claim). */
  clientId: string;
  /** The Salesforce username to act as (the `sub` claim). */
  username: string;
  /** PEM private key (or KeyObject) matching the certificate uploaded to the connected app. */
  privateKey: string | KeyObject;
  /** The `aud` claim. Default: the loginUrl origin (login.salesforce.com, test.salesforce.com or your My Domain). */
  audience?: string;
}

/** OAuth 2.0 client credentials flow (needs a My Domain loginUrl and a run-as user on the app). */
export interface SalesforceClientCredentialsAuth {
  type: 'clientCredentials';
  clientId: string;
  clientSecret: string;
}

/** OAuth 2.0 refresh token flow. */
export interface SalesforceRefreshTokenAuth {
  type: 'refreshToken';
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
}

/** An access token you already hold (it cannot be refreshed: a 401 surfaces as an error). */
export interface SalesforceAccessTokenAuth {
  type: 'accessToken';
  accessToken: string;
  instanceUrl: string;
}

export type SalesforceAuth =
  | SalesforceJwtAuth
  | SalesforceClientCredentialsAuth
  | SalesforceRefreshTokenAuth
  | SalesforceAccessTokenAuth;

export interface ResolvedAuth {
  strategy: AuthStrategy;
  /** The instance origin to call: from the token response (instance_url), or the given one. */
  instanceUrl(): Promise<string>;
  provider?: TokenProvider;
}

function nonEmpty(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(option, 'expected a non-empty string');
  }
  return value;
}

export function absoluteOrigin(option: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
    return url.origin;
  } catch {
    throw new ConfigError(option, `expected an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
}

/**
 * The JWT `aud` Salesforce expects: https://login.salesforce.com for production (also when you
 * log in through a My Domain), https://test.salesforce.com for sandboxes, and the site URL for
 * an Experience Cloud site (any other host).
 */
export function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) {
    return 'https://test.salesforce.com';
  }
  if (host === 'login.salesforce.com' || host.endsWith('.my.salesforce.com')) {
    return 'https://login.salesforce.com';
  }
  return new URL(loginUrl).origin;
}

/** Builds the auth strategy and instance resolution for one of the four Salesforce auth modes. */
export function resolveAuth(
  auth: SalesforceAuth,
  options: TokenRequestOptions & {
    loginUrl: string;
    fallbackInstanceUrl?: string;
    fetch?: typeof fetch;
  },
): ResolvedAuth {
  if (!auth || typeof auth !== 'object') {
    throw new ConfigError(
      'auth',
      "expected { type: 'jwt' | 'clientCredentials' | 'refreshToken' | 'accessToken', ... }",
    );
  }
  const tokenUrl = `${options.loginUrl}/services/oauth2/token`;
  // Token requests go through client-core's token transport: retried on 429/5xx and network
  // errors with backoff and Retry-After, bounded by the client's own timeoutMs and deadlineMs.
  const fetchOption = {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  };
  let provider: TokenProvider;
  switch (auth.type) {
    case 'accessToken': {
      const token = nonEmpty('auth.accessToken', auth.accessToken);
      const instance = absoluteOrigin(
        'auth.instanceUrl',
        nonEmpty('auth.instanceUrl', auth.instanceUrl),
      );
      return { strategy: bearerAuth(token), instanceUrl: async () => instance };
    }
    case 'jwt':
      nonEmpty('auth.clientId', auth.clientId);
      nonEmpty('auth.username', auth.username);
      if (!auth.privateKey)
        throw new ConfigError('auth.privateKey', 'is required (PEM text or a KeyObject)');
      provider = jwtBearerTokenProvider({
        tokenUrl,
        mode: 'assertion',
        issuer: auth.clientId,
        subject: auth.username,
        audience: auth.audience ?? jwtAudience(options.loginUrl),
        privateKey: auth.privateKey,
        algorithm: 'RS256',
        lifetimeSeconds: 180,
        ...fetchOption,
      });
      break;
    case 'clientCredentials':
      provider = clientCredentialsTokenProvider({
        tokenUrl,
        clientId: nonEmpty('auth.clientId', auth.clientId),
        clientSecret: nonEmpty('auth.clientSecret', auth.clientSecret),
        ...fetchOption,
      });
      break;
    case 'refreshToken': {
      const clientId = nonEmpty('auth.clientId', auth.clientId);
      const refreshToken = nonEmpty('auth.refreshToken', auth.refreshToken);
      const secret = auth.clientSecret;
      provider = oauth2TokenProvider({
        tokenUrl,
        params: () => ({
          grant_type: 'refresh_token',
          client_id: clientId,
          refresh_token: refreshToken,
          ...(secret ? { client_secret: secret } : {}),
        }),
        secrets: secret ? [refreshToken, secret] : [refreshToken],
        ...fetchOption,
      });
      break;
    }
    default:
      throw new ConfigError(
        'auth.type',
        `expected 'jwt', 'clientCredentials', 'refreshToken' or 'accessToken', got ${JSON.stringify((auth as { type?: unknown }).type)}`,
      );
  }
  const p = provider;
  return {
    provider: p,
    strategy: tokenAuth(p),
    async instanceUrl() {
      const token = await p.getToken();
      const instance = token.extra?.instance_url;
      if (typeof instance === 'string' && instance !== '')
        return absoluteOrigin('instance_url', instance);
      if (options.fallbackInstanceUrl) return options.fallbackInstanceUrl;
      return options.loginUrl;
    },
  };
}
