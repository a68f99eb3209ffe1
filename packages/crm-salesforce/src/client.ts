import {
  AuthRefusedError,
  ConfigError,
  createTransport,
  HttpError,
  RateLimitError,
  type TransportOptions,
} from '@plumbline/client-core';
import createClient, { type Client } from 'openapi-fetch';
import { absoluteOrigin, resolveAuth, type SalesforceAuth } from './auth/salesforce-auth.js';
import { SalesforceApiError } from './errors.js';
import type { paths } from './generated/schema.js';
import { type ApiUsage, ApiUsageTracker, type LimitGuardOptions } from './limits.js';
import { serializePath } from './path.js';
import { rememberClientLimiter } from './query-partitioned.js';
import { salesforceVendor } from './vendor.js';

export const DEFAULT_API_VERSION = '62.0';
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

/** Requests are built against this placeholder origin and sent to the instance_url once it is known. */
const PLACEHOLDER_ORIGIN = 'https://instance.salesforce.invalid';

/**
 * Transport options (retry, timeouts, limiter, logger, fetch…) plus Salesforce's own. Non-2xx
 * answers always throw (SalesforceApiError / RateLimitError): the helpers rely on it.
 */
export interface SalesforceClientOptions
  extends Omit<TransportOptions, 'auth' | 'vendor' | 'throwOnError'> {
  /** Where to log in: https://login.salesforce.com (default), https://test.salesforce.com or your My Domain. */
  loginUrl?: string;
  /** The instance to call when the token response names none (the token's instance_url always wins). */
  instanceUrl?: string;
  auth: SalesforceAuth;
  /** API version, e.g. '62.0' (default). */
  apiVersion?: string;
  /** Pause or reject new work when the org's daily API usage reaches a threshold. */
  limits?: LimitGuardOptions;
}

export interface SalesforceClient extends Client<paths> {
  readonly apiVersion: string;
  /** The latest `Sforce-Limit-Info` reading, or undefined before the first response. */
  limits(): ApiUsage | undefined;
  /** The instance origin calls go to (logs in when needed). */
  instanceUrl(): Promise<string>;
  /**
   * A raw call through the same auth, limits, retries and errors: `path` is absolute on the
   * instance (`/services/data/v62.0/...`, e.g. a nextRecordsUrl) or relative to the versioned
   * base (`jobs/ingest/750.../batches`).
   */
  raw(path: string, init?: RequestInit): Promise<Response>;
}

const VERSION = /^\d{2,3}\.0$/;

/** A typed Salesforce REST client: openapi-fetch over client-core's transport, plus instance routing, limits and typed errors. */
export function createSalesforceClient(options: SalesforceClientOptions): SalesforceClient {
  if (!options || typeof options !== 'object')
    throw new ConfigError('options', 'expected an object');
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  if (typeof apiVersion !== 'string' || !VERSION.test(apiVersion)) {
    throw new ConfigError(
      'apiVersion',
      `expected a version like '62.0', got ${JSON.stringify(apiVersion)}`,
    );
  }
  const loginUrl = absoluteOrigin('loginUrl', options.loginUrl ?? DEFAULT_LOGIN_URL);
  const fallbackInstanceUrl =
    options.instanceUrl === undefined
      ? undefined
      : absoluteOrigin('instanceUrl', options.instanceUrl);
  const {
    auth,
    limits: guard,
    loginUrl: _l,
    instanceUrl: _i,
    apiVersion: _v,
    ...transportOptions
  } = options;
  const resolved = resolveAuth(auth, {
    loginUrl,
    ...(fallbackInstanceUrl ? { fallbackInstanceUrl } : {}),
    ...(options.fetch ? { fetch: options.fetch as typeof fetch } : {}),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  });
  const tracker = new ApiUsageTracker(guard);
  // A fetch of the caller's is wrapped so every answer (retried ones too) is read for
  // Sforce-Limit-Info. With the global fetch the transport is left to send (url, init) without
  // building Requests, and each call's final answer (or its error's response) is read instead.
  const callerFetch = options.fetch as ((request: Request) => Promise<Response>) | undefined;
  const transport = createTransport({
    ...transportOptions,
    auth: resolved.strategy,
    vendor: salesforceVendor,
    throwOnError: true,
    ...(callerFetch === undefined
      ? {}
      : {
          fetch: async (request: Request) => {
            const response = await callerFetch(request);
            tracker.observe(response);
            return response;
          },
        }),
  });
  const observeFinal = callerFetch === undefined;
  const base = `/services/data/v${apiVersion}`;

  /** Sends to the instance: `url` may name the placeholder origin, which becomes the instance's. */
  const sendTo = async (url: string, init: RequestInit): Promise<Response> => {
    const instance = await resolved.instanceUrl();
    const parsed = new URL(url);
    const target =
      parsed.origin === PLACEHOLDER_ORIGIN ? `${instance}${parsed.pathname}${parsed.search}` : url;
    try {
      // (url, init) with a string or byte body reaches the transport without another Request.
      const response = await transport(target, init);
      if (observeFinal) tracker.observe(response);
      return response;
    } catch (error) {
      if (observeFinal && error instanceof HttpError && error.response) {
        tracker.observe(error.response);
      }
      // A token endpoint's refusal (AuthRefusedError) keeps its class: it is not an API answer.
      if (
        error instanceof HttpError &&
        !(error instanceof RateLimitError) &&
        !(error instanceof SalesforceApiError) &&
        !(error instanceof AuthRefusedError)
      ) {
        throw SalesforceApiError.from(error);
      }
      throw error;
    }
  };

  const send = async (request: Request): Promise<Response> => {
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      signal: request.signal,
    };
    if (hasBody) init.body = await request.arrayBuffer();
    return sendTo(request.url, init);
  };

  const probe = async (signal: AbortSignal) => {
    const response = await send(new Request(`${PLACEHOLDER_ORIGIN}${base}/limits`, { signal }));
    await response.body?.cancel();
  };

  const clientFetch = async (request: Request): Promise<Response> => {
    await tracker.admit(probe, request.signal);
    return send(request);
  };

  const client = createClient<paths>({
    baseUrl: `${PLACEHOLDER_ORIGIN}${base}`,
    fetch: clientFetch,
    pathSerializer: serializePath,
  });
  rememberClientLimiter(client, options.limiter);
  return Object.assign(client, {
    apiVersion,
    limits: () => tracker.current(),
    instanceUrl: () => resolved.instanceUrl(),
    async raw(path: string, init: RequestInit = {}) {
      const absolute = path.startsWith('/') ? path : `${base}/${path}`;
      const url = `${PLACEHOLDER_ORIGIN}${absolute}`;
      const body = init.body;
      if (
        body === undefined ||
        body === null ||
        typeof body === 'string' ||
        body instanceof ArrayBuffer ||
        ArrayBuffer.isView(body)
      ) {
        // The common case (JSON text or bytes): no Request is built and read back here.
        await tracker.admit(probe, init.signal);
        return sendTo(url, init);
      }
      return clientFetch(new Request(url, init));
    },
  });
}
