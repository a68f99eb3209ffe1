import { createHmac, randomBytes } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { type AuthStrategy, builtInStrategy, withHeader } from './strategy.js';

export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
  /** Sent in the header (e.g. the NetSuite account id) but never part of the signature base string. */
  realm?: string;
  /** Default HMAC-SHA256. */
  signatureMethod?: 'HMAC-SHA256' | 'HMAC-SHA1';
  /** Send `oauth_version="1.0"` (optional in RFC 5849, expected by NetSuite). Default true. */
  includeVersion?: boolean;
}

export interface OAuth1HeaderParams extends OAuth1Credentials {
  method: string;
  url: string;
  /** Parameters of an application/x-www-form-urlencoded body; they are signed too. */
  bodyParams?: URLSearchParams | Record<string, string>;
  nonce?: string;
  timestamp?: number | string;
}

/** Percent-encoding of RFC 5849 section 3.6: everything but ALPHA, DIGIT, '-', '.', '_', '~', as UTF-8 %XX. */
export function oauth1Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Base string URI of RFC 5849 section 3.4.1.2: lower-case scheme and host, no default port, no query. */
function baseStringUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const host = url.hostname.toLowerCase();
  const defaultPort =
    (scheme === 'http:' && url.port === '80') || (scheme === 'https:' && url.port === '443');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  return `${scheme}//${host}${port}${url.pathname}`;
}

function validate(params: OAuth1Credentials): void {
  for (const name of ['consumerKey', 'consumerSecret'] as const) {
    if (typeof params[name] !== 'string' || params[name] === '') {
      throw new ConfigError(name, 'OAuth 1.0a needs a non-empty string');
    }
  }
  if (params.token !== undefined && typeof params.tokenSecret !== 'string') {
    throw new ConfigError('tokenSecret', 'is required when a token is given');
  }
  const method = params.signatureMethod ?? 'HMAC-SHA256';
  if (method !== 'HMAC-SHA256' && method !== 'HMAC-SHA1') {
    throw new ConfigError(
      'signatureMethod',
      `expected HMAC-SHA256 or HMAC-SHA1, got ${String(method)}`,
    );
  }
}

function protocolParams(params: OAuth1HeaderParams): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['oauth_consumer_key', params.consumerKey],
    ['oauth_nonce', params.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_signature_method', params.signatureMethod ?? 'HMAC-SHA256'],
    ['oauth_timestamp', String(params.timestamp ?? Math.floor(Date.now() / 1000))],
  ];
  if (params.token !== undefined) out.push(['oauth_token', params.token]);
  if (params.includeVersion ?? true) out.push(['oauth_version', '1.0']);
  return out;
}

function bodyPairs(body: OAuth1HeaderParams['bodyParams']): Array<[string, string]> {
  if (!body) return [];
  if (body instanceof URLSearchParams) return [...body];
  return Object.entries(body);
}

/**
 * The signature base string of RFC 5849 section 3.4.1 for the given protocol parameters (which
 * must not include realm or oauth_signature).
 */
export function oauth1SignatureBaseString(input: {
  method: string;
  url: string;
  oauthParams: Array<[string, string]> | Record<string, string>;
  bodyParams?: URLSearchParams | Record<string, string>;
}): string {
  const url = new URL(input.url);
  const pairs: Array<[string, string]> = [
    ...new URLSearchParams(url.search),
    ...bodyPairs(input.bodyParams),
    ...(Array.isArray(input.oauthParams) ? input.oauthParams : Object.entries(input.oauthParams)),
  ];
  const normalized = pairs
    .map(([name, value]) => [oauth1Encode(name), oauth1Encode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return [
    input.method.toUpperCase(),
    oauth1Encode(baseStringUri(url)),
    oauth1Encode(normalized),
  ].join('&');
}

/** The `Authorization` header value for one request: `OAuth realm="…", oauth_…="…"`. */
export function oauth1Header(params: OAuth1HeaderParams): string {
  validate(params);
  const oauthParams = protocolParams(params);
  const baseString = oauth1SignatureBaseString({
    method: params.method,
    url: params.url,
    oauthParams,
    ...(params.bodyParams ? { bodyParams: params.bodyParams } : {}),
  });
  const key = `${oauth1Encode(params.consumerSecret)}&${oauth1Encode(params.tokenSecret ?? '')}`;
  const algorithm = (params.signatureMethod ?? 'HMAC-SHA256') === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const signature = createHmac(algorithm, key).update(baseString).digest('base64');
  const fields = [...oauthParams, ['oauth_signature', signature] as [string, string]]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${oauth1Encode(name)}="${oauth1Encode(value)}"`);
  if (params.realm !== undefined) {
    fields.unshift(`realm="${params.realm.replace(/["\\]/g, (c) => `\\${c}`)}"`);
  }
  return `OAuth ${fields.join(', ')}`;
}

/**
 * OAuth 1.0a request signing (NetSuite token-based authentication). Signs the query and, for
 * application/x-www-form-urlencoded bodies, the body parameters; a fresh nonce and timestamp on
 * every attempt.
 */
export function oauth1Auth(
  credentials: OAuth1Credentials,
  options: { nonce?: () => string; timestamp?: () => number } = {},
): AuthStrategy {
  validate(credentials);
  const decoder = new TextDecoder();
  const recentSignatures: string[] = [];
  return builtInStrategy({
    async authorize(request, context) {
      const contentType = request.headers.get('content-type') ?? '';
      const form =
        context.body !== undefined &&
        contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
      const header = oauth1Header({
        ...credentials,
        method: request.method,
        url: request.url,
        ...(form && context.body
          ? { bodyParams: new URLSearchParams(decoder.decode(context.body)) }
          : {}),
        ...(options.nonce ? { nonce: options.nonce() } : {}),
        ...(options.timestamp ? { timestamp: options.timestamp() } : {}),
      });
      const signature = /oauth_signature="([^"]+)"/.exec(header)?.[1];
      if (signature) {
        recentSignatures.push(decodeURIComponent(signature));
        if (recentSignatures.length > 50) recentSignatures.shift();
      }
      return withHeader(request, 'authorization', header);
    },
    secrets: () => [
      ...[credentials.consumerSecret, credentials.token, credentials.tokenSecret].filter(
        (s): s is string => typeof s === 'string' && s !== '',
      ),
      ...recentSignatures,
    ],
  });
}
