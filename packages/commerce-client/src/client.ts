import {
  type AuthStrategy,
  bearerAuth,
  ConfigError,
  createTransport,
  oauth1Auth,
  type TokenRequestOptions,
  type TransportOptions,
  tokenAuth,
} from '@plumbline/client-core';
import createClient, { type Client } from 'openapi-fetch';
import { adminTokenProvider } from './auth/admin-token.js';
import { type ImsCredentials, imsTokenProvider } from './auth/ims.js';
import type { paths as CommercePaths } from './generated/schema.js';
import { commercePathSerializer } from './path-params.js';
import { serializeQuery } from './query/search-criteria.js';
import { commerceVendorAdapter } from './vendor-adapter.js';

/** Admin username and password: a 4-hour admin token is fetched, cached, renewed on 401. */
export interface AdminAuth {
  type: 'admin';
  username: string;
  password: string;
  /** Default 4 h (Magento's default admin token lifetime). */
  tokenLifetimeMs?: number;
}
/** A bearer token: an integration access token (when bearer use is enabled) or a customer token. */
export interface BearerAuth {
  type: 'bearer';
  token: string;
}
/** OAuth 1.0a signing of an integration (HMAC-SHA256, as Magento requires). */
export interface OAuth1IntegrationAuth {
  type: 'oauth1';
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}
/** Adobe Commerce as a Cloud Service: IMS OAuth server-to-server (client credentials) token. */
export interface ImsAuth extends ImsCredentials {
  type: 'ims';
}
export type CommerceAuth = AdminAuth | BearerAuth | OAuth1IntegrationAuth | ImsAuth | AuthStrategy;

export interface CommerceClientOptions extends Omit<TransportOptions, 'auth' | 'vendor'> {
  /** Store root, e.g. `https://shop.example.com` (PaaS) or `https://<server>.api.commerce.adobe.com/<tenant-id>` (ACCS). */
  baseUrl: string;
  /** Store view code: `default` when omitted; `all` targets every store view (CMS and products only). */
  storeCode?: string;
  auth?: CommerceAuth;
  /**
   * `paas` (Adobe Commerce on cloud / on-premises, Magento Open Source): requests go to
   * `${baseUrl}/rest/${storeCode}`. `accs` (Adobe Commerce as a Cloud Service): requests go to
   * `${baseUrl}` and the store code travels in the `Store` header. Default: `accs` when the host
   * ends in `.api.commerce.adobe.com`, else `paas`.
   */
  platform?: 'paas' | 'accs';
}

/** The typed openapi-fetch client, plus where it points. */
export type CommerceClient<Paths extends {} = CommercePaths> = Client<
  Paths,
  `${string}/${string}`
> & {
  /** The REST root requests are relative to (`…/rest/<store>` or the ACCS tenant root). */
  readonly restUrl: string;
  readonly platform: 'paas' | 'accs';
  readonly storeCode: string;
};

const STORE_CODE = /^[a-z0-9_]+$/i;

function isStrategy(auth: CommerceAuth): auth is AuthStrategy {
  return typeof (auth as AuthStrategy).authorize === 'function';
}

/** How the client's token requests are sent: its fetch, retries, attempt timeout and deadline. */
function tokenRequestOptions(options: CommerceClientOptions): TokenRequestOptions & {
  fetch?: TransportOptions['fetch'];
} {
  return {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  };
}

function resolveAuth(
  auth: CommerceAuth | undefined,
  restUrl: string,
  options: CommerceClientOptions,
): AuthStrategy | undefined {
  if (auth === undefined) return undefined;
  if (auth === null || typeof auth !== 'object') {
    throw new ConfigError(
      'auth',
      'expected an object such as { type: "admin", username, password }',
    );
  }
  if (isStrategy(auth)) return auth;
  switch (auth.type) {
    case 'admin':
      return tokenAuth(
        adminTokenProvider({
          restUrl,
          username: auth.username,
          password: auth.password,
          ...(auth.tokenLifetimeMs === undefined ? {} : { tokenLifetimeMs: auth.tokenLifetimeMs }),
          ...tokenRequestOptions(options),
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          ...(options.logger ? { logger: options.logger } : {}),
        }),
      );
    case 'bearer':
      if (typeof auth.token !== 'string' || auth.token === '') {
        throw new ConfigError('auth.token', 'bearer auth needs a non-empty token');
      }
      return bearerAuth(auth.token);
    case 'oauth1':
      for (const name of [
        'consumerKey',
        'consumerSecret',
        'accessToken',
        'accessTokenSecret',
      ] as const) {
        if (typeof auth[name] !== 'string' || auth[name] === '') {
          throw new ConfigError(
            `auth.${name}`,
            'OAuth 1.0a integration auth needs a non-empty string',
          );
        }
      }
      return oauth1Auth({
        consumerKey: auth.consumerKey,
        consumerSecret: auth.consumerSecret,
        token: auth.accessToken,
        tokenSecret: auth.accessTokenSecret,
        signatureMethod: 'HMAC-SHA256',
      });
    case 'ims':
      return tokenAuth(imsTokenProvider(auth, tokenRequestOptions(options)));
    default:
      throw new ConfigError(
        'auth.type',
        `"${String((auth as { type?: unknown }).type)}" is not one of admin, bearer, oauth1, ims (or pass an AuthStrategy)`,
      );
  }
}

/**
 * The typed Adobe Commerce REST client: an openapi-fetch client on `${baseUrl}/rest/${storeCode}`
 * whose fetch is client-core's transport (auth, retries, timeouts, limits, typed errors) and whose
 * query serializer speaks Magento's bracketed searchCriteria.
 *
 * Generic over the paths, so types generated from a store's own schema (`plumbline-commerce
 * typegen`) plug in: `createCommerceClient<paths>({ … })`.
 */
export function createCommerceClient<Paths extends {} = CommercePaths>(
  options: CommerceClientOptions,
): CommerceClient<Paths> {
  if (!options || typeof options !== 'object')
    throw new ConfigError('options', 'expected an object');
  const {
    baseUrl,
    storeCode = 'default',
    auth,
    platform: platformOption,
    headers,
    ...transportOptions
  } = options;
  if (typeof baseUrl !== 'string' || baseUrl === '') {
    throw new ConfigError('baseUrl', 'expected the store URL, e.g. "https://shop.example.com"');
  }
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new ConfigError('baseUrl', `"${baseUrl}" is not an absolute URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError('baseUrl', `"${parsed.protocol}" is not http: or https:`);
  }
  if (parsed.search || parsed.hash) {
    throw new ConfigError('baseUrl', 'must not contain a query or fragment');
  }
  if (typeof storeCode !== 'string' || !STORE_CODE.test(storeCode)) {
    throw new ConfigError(
      'storeCode',
      `"${String(storeCode)}" is not a store code (letters, digits, "_"), e.g. "default"`,
    );
  }
  const platform =
    platformOption ?? (parsed.hostname.endsWith('.api.commerce.adobe.com') ? 'accs' : 'paas');
  if (platform !== 'paas' && platform !== 'accs') {
    throw new ConfigError('platform', `"${String(platform)}" is not "paas" or "accs"`);
  }
  const root = baseUrl.replace(/\/+$/, '');
  if (platform === 'paas' && /\/rest(\/|$)/.test(parsed.pathname)) {
    throw new ConfigError(
      'baseUrl',
      'give the store root without /rest/<store>; use storeCode for the store view',
    );
  }
  const restUrl = platform === 'accs' ? root : `${root}/rest/${storeCode}`;
  const strategy = resolveAuth(auth, restUrl, options);
  const transport = createTransport({
    ...transportOptions,
    ...(strategy ? { auth: strategy } : {}),
    vendor: commerceVendorAdapter,
    headers: {
      accept: 'application/json',
      ...(platform === 'accs' ? { store: storeCode } : {}),
      ...headers,
    },
  });
  const client = createClient<Paths>({
    baseUrl: restUrl,
    fetch: transport as (request: Request) => Promise<Response>,
    querySerializer: (query) => serializeQuery(query as Record<string, unknown>),
    // Every path parameter stays inside its segment: encoded whole; '', '.' and '..' refused.
    pathSerializer: commercePathSerializer(restUrl),
  });
  return Object.assign(client, { restUrl, platform, storeCode }) as CommerceClient<Paths>;
}
