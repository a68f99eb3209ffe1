import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import {
  AuthRefusedError,
  ConfigError,
  HttpError,
  httpErrorInit,
  PlumblineError,
  RateLimitError,
  TimeoutError,
} from '../errors.js';
import { markIdempotent } from '../idempotency.js';
import { createRedactor } from '../redact.js';
import type { RetryOptions } from '../retry.js';
import { createTransport } from '../transport.js';
import { type JwtAlgorithm, signJwt } from './jwt.js';
import { type AccessToken, cachedTokenProvider, type TokenProvider } from './token-provider.js';

/** Form parameters whose values are credentials and must be redacted. */
const SECRET_PARAMS = [
  'client_secret',
  'client_assertion',
  'assertion',
  'password',
  'refresh_token',
  'code',
  'code_verifier',
];

/** Statuses of a token endpoint that mean "these credentials or this grant are refused". */
const REFUSAL_STATUSES = new Set([400, 401, 403]);

/** How a token request is sent: retried on outages, bounded in time. Shared by every provider here. */
export interface TokenRequestOptions {
  /**
   * Retries of 408/425/429/5xx answers and network failures, with backoff and Retry-After (the
   * transport's RetryOptions; token requests are marked safe to repeat). Default: the transport's
   * defaults (4 retries). `false`: one attempt.
   */
  retry?: RetryOptions | false;
  /** Timeout of one attempt, body included. Default 30 000 ms. */
  timeoutMs?: number;
  /** Bound of the whole token request, retries and waits included. Default none. */
  deadlineMs?: number;
}

export interface OAuth2TokenProviderOptions extends TokenRequestOptions {
  tokenUrl: string;
  /** Form parameters of the token request, computed per request (a fresh assertion each time). */
  params: () => Record<string, string> | Promise<Record<string, string>>;
  fetch?: typeof fetch;
  /** Turns the JSON body into an AccessToken. Default: RFC 6749 section 5.1 fields. */
  parse?: (body: any) => AccessToken;
  /** Extra values to redact (client secrets, keys). */
  secrets?: string[];
  /** Extra headers, e.g. HTTP Basic client authentication. */
  headers?: () => Record<string, string>;
  refreshSkewMs?: number;
  now?: () => number;
}

/** Reads a body, giving up with a TimeoutError (and cancelling the stream) after timeoutMs. */
async function textWithin(response: Response, timeoutMs: number, url: string): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      response.body?.cancel().catch(() => {});
      reject(new TimeoutError({ method: 'POST', url, timeoutMs, kind: 'attempt' }));
    }, timeoutMs);
  });
  try {
    return await Promise.race([response.text(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The same answer with a message that says it came from the token endpoint. */
function tokenOutage(error: HttpError, message: string, response?: Response): HttpError {
  const init = httpErrorInit(error, { message, ...(response === undefined ? {} : { response }) });
  return error instanceof RateLimitError
    ? new RateLimitError({
        ...init,
        ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      })
    : new HttpError(init);
}

/**
 * Turns the transport's HttpError for a token request into the error a reader can act on: a
 * refusal (400/401/403) becomes AuthRefusedError naming the OAuth error; anything else (an outage
 * that outlived the retries, a wrong tokenUrl) keeps its class and says nothing about credentials.
 */
async function tokenFailure(
  error: HttpError,
  url: string,
  redactText: (s: string) => string,
): Promise<HttpError> {
  // error.response is the buffered answer; the copy kept on our error is redacted.
  const original = error.response;
  const response =
    original === undefined
      ? undefined
      : new Response(redactText(await original.clone().text()) || null, {
          status: original.status,
          statusText: original.statusText,
        });
  const head =
    `Token request POST ${url} answered ${error.status}${error.statusText ? ` ${error.statusText}` : ''}` +
    `${error.attempts > 1 ? ` after ${error.attempts} attempts` : ''}` +
    `${error.vendorCode ? ` [${error.vendorCode}]` : ''}${error.vendorMessage ? `: ${error.vendorMessage}` : ''}.`;
  if (REFUSAL_STATUSES.has(error.status)) {
    return new AuthRefusedError({
      ...httpErrorInit(error, response === undefined ? {} : { response }),
      ...(error.vendorCode === undefined ? {} : { oauthError: error.vendorCode }),
      message:
        `${head} The token endpoint refused the grant${error.vendorCode ? ` (OAuth error ${error.vendorCode})` : ''}; ` +
        'check the client id, the secret or signing key, the user and the scopes.',
    });
  }
  if (error.status === 429 || error.status >= 500 || error instanceof RateLimitError) {
    return tokenOutage(
      error,
      `${head} The token endpoint is unavailable (an outage, not a refusal of the credentials); retry later or check its status.`,
      response,
    );
  }
  return tokenOutage(
    error,
    `${head} This is not a token endpoint answer; check tokenUrl against the vendor's OAuth 2.0 documentation.`,
    response,
  );
}

/** RFC 6749 section 5.1: access_token, token_type, expires_in (seconds); everything else in extra. */
export function parseTokenResponse(body: any, now = Date.now()): AccessToken {
  if (!body || typeof body !== 'object' || typeof body.access_token !== 'string') {
    throw new PlumblineError(
      'TOKEN_INVALID',
      'The token response has no access_token; check that tokenUrl is the OAuth 2.0 token endpoint.',
    );
  }
  const { access_token, token_type, expires_in, ...extra } = body as Record<string, unknown>;
  const seconds = typeof expires_in === 'string' ? Number(expires_in) : expires_in;
  return {
    accessToken: access_token as string,
    ...(typeof token_type === 'string' ? { tokenType: token_type } : {}),
    ...(typeof seconds === 'number' && Number.isFinite(seconds)
      ? { expiresAt: now + seconds * 1000 }
      : {}),
    extra,
  };
}

/**
 * A token provider calling an OAuth 2.0 token endpoint (form-encoded POST): client credentials,
 * JWT bearer, refresh_token, client_assertion. Cached until shortly before expiry, single flight.
 * The request is retried on outages (429/5xx/network/attempt timeout, backoff, Retry-After) and
 * bounded by timeoutMs and deadlineMs. A refusal (400/401/403) throws AuthRefusedError naming the
 * OAuth error; an outage that outlives the retries throws HttpError / RateLimitError /
 * NetworkError / TimeoutError, never blaming the credentials. No secret reaches a message.
 */
export function oauth2TokenProvider(options: OAuth2TokenProviderOptions): TokenProvider {
  let tokenUrl: URL;
  try {
    tokenUrl = new URL(options.tokenUrl);
  } catch {
    throw new ConfigError(
      'tokenUrl',
      `expected an absolute URL, got ${JSON.stringify(options.tokenUrl)}`,
    );
  }
  if (typeof options.params !== 'function') {
    throw new ConfigError('params', 'expected a function returning the form parameters');
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const now = options.now ?? Date.now;
  const sentSecrets: string[] = [];
  let provider: TokenProvider | undefined;
  const allSecrets = () => [
    ...(options.secrets ?? []),
    ...sentSecrets,
    ...(provider?.secrets() ?? []),
  ];
  const redactor = createRedactor(allSecrets);
  // The token request goes through a transport of its own (no auth, so no recursion): it retries
  // outages with backoff and Retry-After and honours timeoutMs and deadlineMs.
  const transport = createTransport({
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    timeoutMs,
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    secrets: allSecrets,
    // Token requests show on spans and metrics as their own vendor.
    vendor: { name: 'oauth2' },
  });

  const fetchToken = async (): Promise<AccessToken> => {
    const params = await options.params();
    for (const name of SECRET_PARAMS) {
      const value = params[name];
      if (value && !sentSecrets.includes(value)) {
        sentSecrets.push(value);
        if (sentSecrets.length > 20) sentSecrets.shift();
      }
    }
    const url = redactor.url(tokenUrl.toString());
    let text: string;
    try {
      const response = await transport(tokenUrl.href, {
        method: 'POST',
        // Safe to repeat: a token request creates nothing a second one would duplicate.
        headers: markIdempotent({
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...options.headers?.(),
        }),
        body: new URLSearchParams(params).toString(),
      });
      text = await textWithin(response, timeoutMs, url);
    } catch (err) {
      if (err instanceof HttpError) throw await tokenFailure(err, url, redactor.text);
      throw err;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new PlumblineError(
        'TOKEN_INVALID',
        `The token response of POST ${url} is not JSON; check that tokenUrl is the OAuth 2.0 token endpoint.`,
      );
    }
    return options.parse ? options.parse(body) : parseTokenResponse(body, now());
  };

  provider = cachedTokenProvider(fetchToken, {
    ...(options.refreshSkewMs === undefined ? {} : { refreshSkewMs: options.refreshSkewMs }),
    now,
  });
  const cached = provider;
  return {
    getToken: (o) => cached.getToken(o),
    invalidate: (t) => cached.invalidate(t),
    secrets: allSecrets,
  };
}

/** The token request options of `options`, without undefined values. */
function sendOptions(options: TokenRequestOptions): TokenRequestOptions {
  return {
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  };
}

function required(option: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new ConfigError(option, 'expected a non-empty string');
  }
  return value;
}

/** OAuth 2.0 client credentials grant (RFC 6749 section 4.4), secret in the body or as HTTP Basic. */
export function clientCredentialsTokenProvider(
  options: TokenRequestOptions & {
    tokenUrl: string;
    clientId: string;
    clientSecret: string;
    scope?: string;
    /** 'client_secret_post' (default) or 'client_secret_basic'. */
    authMethod?: 'client_secret_post' | 'client_secret_basic';
    extraParams?: Record<string, string>;
    fetch?: typeof fetch;
    refreshSkewMs?: number;
    now?: () => number;
  },
): TokenProvider {
  const clientId = required('clientId', options.clientId);
  const clientSecret = required('clientSecret', options.clientSecret);
  const basic = options.authMethod === 'client_secret_basic';
  const basicValue = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  return oauth2TokenProvider({
    tokenUrl: options.tokenUrl,
    params: () => ({
      grant_type: 'client_credentials',
      ...(basic ? {} : { client_id: clientId, client_secret: clientSecret }),
      ...(options.scope ? { scope: options.scope } : {}),
      ...options.extraParams,
    }),
    ...(basic ? { headers: () => ({ authorization: `Basic ${basicValue}` }) } : {}),
    secrets: [clientSecret, basicValue],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...sendOptions(options),
    ...(options.refreshSkewMs === undefined ? {} : { refreshSkewMs: options.refreshSkewMs }),
    ...(options.now ? { now: options.now } : {}),
  });
}

/**
 * JWT-signed grants of RFC 7523: `mode: 'assertion'` sends grant_type jwt-bearer with the JWT as
 * `assertion` (Salesforce JWT bearer flow); `mode: 'client_assertion'` sends client_credentials
 * with the JWT as `client_assertion` (NetSuite OAuth 2.0 machine-to-machine). A new JWT (fresh
 * iat, exp, jti) is signed for every token request.
 */
export function jwtBearerTokenProvider(
  options: TokenRequestOptions & {
    tokenUrl: string;
    mode?: 'assertion' | 'client_assertion';
    /** iss claim (the client id / consumer key). */
    issuer: string;
    /** sub claim (the user), when the grant needs one. */
    subject?: string;
    /** aud claim. Default tokenUrl. */
    audience?: string;
    privateKey: string | KeyObject;
    algorithm?: JwtAlgorithm;
    kid?: string;
    /** Sent as a form parameter (assertion mode) or claim (client_assertion mode). */
    scope?: string | string[];
    /** Claims merged into the payload. */
    claims?: Record<string, unknown>;
    /** JWT lifetime. Default 180 s. */
    lifetimeSeconds?: number;
    /** client_id form parameter, when the server wants it next to the assertion. */
    clientId?: string;
    extraParams?: Record<string, string>;
    fetch?: typeof fetch;
    refreshSkewMs?: number;
    now?: () => number;
  },
): TokenProvider {
  const issuer = required('issuer', options.issuer);
  if (!options.privateKey) throw new ConfigError('privateKey', 'is required');
  const mode = options.mode ?? 'assertion';
  const algorithm = options.algorithm ?? 'RS256';
  const now = options.now ?? Date.now;
  const lifetime = options.lifetimeSeconds ?? 180;
  const audience = options.audience ?? options.tokenUrl;
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : options.scope;
  // Sign once up front so a wrong key or algorithm fails at construction, not mid-sync.
  const makeJwt = () => {
    const iat = Math.floor(now() / 1000);
    return signJwt({
      algorithm,
      privateKey: options.privateKey,
      ...(options.kid ? { kid: options.kid } : {}),
      payload: {
        iss: issuer,
        ...(options.subject ? { sub: options.subject } : {}),
        aud: audience,
        iat,
        exp: iat + lifetime,
        jti: randomUUID(),
        ...(mode === 'client_assertion' && options.scope ? { scope: options.scope } : {}),
        ...options.claims,
      },
    });
  };
  makeJwt();
  return oauth2TokenProvider({
    tokenUrl: options.tokenUrl,
    params: () =>
      mode === 'assertion'
        ? {
            grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
            assertion: makeJwt(),
            ...(scope ? { scope } : {}),
            ...(options.clientId ? { client_id: options.clientId } : {}),
            ...options.extraParams,
          }
        : {
            grant_type: 'client_credentials',
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: makeJwt(),
            ...(options.clientId ? { client_id: options.clientId } : {}),
            ...options.extraParams,
          },
    secrets: typeof options.privateKey === 'string' ? [options.privateKey] : [],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...sendOptions(options),
    ...(options.refreshSkewMs === undefined ? {} : { refreshSkewMs: options.refreshSkewMs }),
    now,
  });
}
