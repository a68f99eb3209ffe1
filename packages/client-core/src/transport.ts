import { type AuthStrategy, headerOnlyStrategies, ownedRequests } from './auth/strategy.js';
import { holdUntilBodyDone } from './body-slot.js';
import {
  AbortedError,
  ConfigError,
  HttpError,
  NetworkError,
  PlumblineError,
  RateLimitError,
  RequestFailedError,
  TimeoutError,
  type VendorErrorInfo,
} from './errors.js';
import { createEventSink, type LoggerLike, type TransportEvent } from './events.js';
import { IDEMPOTENT_HEADER, isRetrySafe } from './idempotency.js';
import { pRetry } from './internal/p-retry.js';
import type { Limiter, LimiterSlot } from './limit/limiter.js';
import { createRedactor, redactDeep } from './redact.js';
import { backoffDelay, parseRetryAfter, type RetryOptions, resolveRetryOptions } from './retry.js';
import { compactInfo, DEFAULT_REQUEST_ID_HEADERS, parseVendorErrorBody } from './vendor-error.js';
import { sleep } from './wait.js';

export interface VendorAdapter {
  /** Parse a vendor error body into code/message/request id. */
  parseError?(response: Response, bodyText: string): VendorErrorInfo;
  /** Decide if a non-2xx response is retryable (default: RetryOptions.statuses). e.g. NetSuite 400 SSS_REQUEST_LIMIT_EXCEEDED. */
  isRetryable?(response: Response, info: VendorErrorInfo): boolean | undefined;
  /** Decide if a response is a rate-limit (becomes RateLimitError), default status 429. e.g. Salesforce 403 REQUEST_LIMIT_EXCEEDED. */
  isRateLimit?(response: Response, info: VendorErrorInfo): boolean | undefined;
  /** Is this 401-like response an expired session? default status 401. */
  isUnauthorized?(response: Response, info: VendorErrorInfo): boolean | undefined;
  /** Request id header names, e.g. ['x-request-id']. */
  requestIdHeaders?: string[];
}

export interface TransportOptions {
  auth?: AuthStrategy;
  retry?: RetryOptions | false;
  /** Per attempt, from the moment a limiter slot is held until the response headers (and, for errors, the body) arrive. Default 30 000 ms. */
  timeoutMs?: number;
  /** The whole call including retries and waits. Default none. */
  deadlineMs?: number;
  /** Concurrency / rate limit shared by clients with the same limiter and key. */
  limiter?: Limiter;
  /** Limiter key, e.g. the vendor account id. Default 'default'. */
  limitKey?: string;
  /** Underlying fetch. Default globalThis.fetch (looked up per call, so msw interception works). */
  fetch?: typeof fetch | FetchLike;
  vendor?: VendorAdapter;
  onEvent?: (event: TransportEvent) => void;
  /** pino-compatible logger: request/response at debug, retry/rate-limited at warn, error at error. */
  logger?: LoggerLike;
  /** Extra values to redact, or a function returning the current ones (asked on every use). */
  secrets?: string[] | (() => string[]);
  /** Default true: non-2xx final responses throw HttpError/RateLimitError. */
  throwOnError?: boolean;
  /** Default headers (User-Agent etc.); the request's own headers win. */
  headers?: Record<string, string>;
  /** Extra header names that mark a request as safe to retry (besides Idempotency-Key). */
  idempotencyHeaders?: string[];
}

export type FetchLike = (input: Request) => Promise<Response>;
/** What createTransport returns: a fetch that also accepts (url, init). Assignable to FetchLike. */
export type TransportFetch = (
  input: Request | string | URL,
  init?: RequestInit,
) => Promise<Response>;

interface FailureInfo {
  retryable: boolean;
  reason: string;
  retryAfterMs?: number;
  status?: number;
  response?: Response;
}

/** Carries a PlumblineError through p-retry together with what the retry decision needs. */
class AttemptFailure extends Error {
  constructor(
    readonly error: PlumblineError,
    readonly info: FailureInfo,
  ) {
    super(error.message);
  }
}

const NETWORK_MESSAGES = new Set([
  'fetch failed',
  'failed to fetch',
  'terminated',
  'network error',
]);

/** The system/undici code of a fetch failure (walking `cause`), and whether it is a network failure. */
function networkFailure(err: unknown): { network: boolean; code?: string } {
  let current: unknown = err;
  let code: string | undefined;
  let network = false;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    if (typeof e.code === 'string' && code === undefined) code = e.code;
    if (typeof e.message === 'string' && NETWORK_MESSAGES.has(e.message.toLowerCase())) {
      network = true;
    }
    current = e.cause;
  }
  if (code !== undefined && (/^E[A-Z_]+$/.test(code) || code.startsWith('UND_ERR'))) network = true;
  return code === undefined ? { network } : { network, code };
}

/** A redacted copy of a low-level error (name, message, stack, code, two levels of cause). */
function safeCause(err: unknown, redactText: (s: string) => string, depth = 0): unknown {
  if (!(err instanceof Error)) return err === undefined ? undefined : redactText(String(err));
  const copy = new Error(redactText(err.message));
  copy.name = err.name;
  copy.stack = redactText(err.stack ?? '');
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  if (depth < 2 && err.cause !== undefined) {
    Object.defineProperty(copy, 'cause', {
      value: safeCause(err.cause, redactText, depth + 1),
      enumerable: false,
    });
  }
  return copy;
}

/**
 * The strategy's answer, or the signal's reason as soon as the attempt's timer, the deadline or the
 * caller aborts: a token fetch that hangs cannot hold a call past its timeoutMs or deadlineMs (the
 * fetch itself goes on and serves later calls, since token providers share one fetch).
 */
function settleBefore<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function positive(option: string, value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(
      option,
      `expected a positive number of milliseconds, got ${String(value)}`,
    );
  }
}

/** What the transport needs of a call, read once from its (input, init). */
interface CallInput {
  method: string;
  url: string;
  /** The headers as the caller gave them (read-only here). */
  headers: Headers;
  redirect: Request['redirect'];
  /** The caller's signal; undefined when the caller cannot have given one. */
  signal: AbortSignal | undefined;
  /** The body as text (encoded only if an auth strategy asks for the bytes), as bytes, or a Request whose body still has to be read. */
  text: string | undefined;
  body: Uint8Array | undefined;
  bodyFrom: Request | undefined;
}

/** Methods the (url, init) fast path accepts; anything else goes through `new Request` and its checks. */
const PLAIN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const encoder = new TextEncoder();

function fromRequest(request: Request): CallInput {
  return {
    method: request.method.toUpperCase(),
    url: request.url,
    headers: request.headers,
    redirect: request.redirect,
    signal: request.signal,
    text: undefined,
    body: undefined,
    bodyFrom: request.body === null ? undefined : request,
  };
}

/**
 * Reads (url, init) without building a Request when the body is absent, a string or bytes (what
 * the clients send); any other shape goes through `new Request`, which validates and encodes it.
 */
function readCall(input: Request | string | URL, init?: RequestInit): CallInput {
  if (typeof input === 'object' && input !== null && 'url' in input) {
    return fromRequest(init === undefined ? input : new Request(input, init));
  }
  const method = (init?.method ?? 'GET').toUpperCase();
  const raw = init?.body;
  let body: Uint8Array | undefined;
  let text: string | undefined;
  if (raw === undefined || raw === null) body = undefined;
  else if (typeof raw === 'string') text = raw;
  else if (raw instanceof ArrayBuffer) body = new Uint8Array(raw.slice(0));
  else if (ArrayBuffer.isView(raw)) {
    body = new Uint8Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  } else return fromRequest(new Request(input, init));
  let url: string;
  try {
    url = new URL(input).href;
  } catch {
    return fromRequest(new Request(input, init));
  }
  if (
    !PLAIN_METHODS.has(method) ||
    ((body !== undefined || text !== undefined) && (method === 'GET' || method === 'HEAD')) ||
    /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url)
  ) {
    return fromRequest(new Request(input, init));
  }
  const headers = new Headers(init?.headers);
  if (text !== undefined && !headers.has('content-type')) {
    headers.set('content-type', 'text/plain;charset=UTF-8');
  }
  return {
    method,
    url,
    headers,
    redirect: init?.redirect ?? 'follow',
    signal: init?.signal ?? undefined,
    text,
    body,
    bodyFrom: undefined,
  };
}

/**
 * The fetch function handed to openapi-fetch's createClient({ fetch }): retries (p-retry),
 * timeouts, limits, auth, refresh-on-401, typed and redacted errors, events.
 */
export function createTransport(options: TransportOptions = {}): TransportFetch {
  positive('timeoutMs', options.timeoutMs);
  positive('deadlineMs', options.deadlineMs);
  if (options.auth && typeof options.auth.authorize !== 'function') {
    throw new ConfigError('auth', 'expected an AuthStrategy with an authorize(request) method');
  }
  if (options.limitKey !== undefined && !options.limiter) {
    throw new ConfigError(
      'limitKey',
      'was given without a limiter; pass limiter: createLimiter(...)',
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new ConfigError('fetch', 'expected a function');
  }
  const retry = resolveRetryOptions(options.retry);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadlineMs = options.deadlineMs;
  const { auth, limiter, vendor } = options;
  const limitKey = options.limitKey ?? 'default';
  const throwOnError = options.throwOnError ?? true;
  const idempotencyHeaders = (options.idempotencyHeaders ?? []).map((h) => h.toLowerCase());
  const requestIdHeaders = vendor?.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS;
  const extraSecrets = options.secrets;
  const redactor = createRedactor(() => [
    ...(auth?.secrets() ?? []),
    ...(typeof extraSecrets === 'function' ? extraSecrets() : (extraSecrets ?? [])),
  ]);
  // Without a listener or logger no event object is built and no path is redacted.
  const observed = options.onEvent !== undefined || options.logger !== undefined;
  const emit = createEventSink(options.onEvent, options.logger);
  const defaultHeaders = Object.entries(options.headers ?? {});
  // Without auth or a fetch of the caller's, the global fetch gets (url, init) and no Request is built here.
  const directFetch = options.fetch === undefined && auth === undefined;
  const baseFetch: FetchLike = options.fetch
    ? (options.fetch as FetchLike)
    : (request) => globalThis.fetch(request);

  return async function transportFetch(input, init) {
    const call = readCall(input, init);
    const { method, url } = call;
    // Redacted forms of the URL, built only when an error or an event needs them.
    let redactedUrl: string | undefined;
    const safeUrl = () => {
      redactedUrl ??= redactor.url(url);
      return redactedUrl;
    };
    let redactedPath: string | undefined;
    const path = () => {
      redactedPath ??= redactor.text(new URL(url).pathname);
      return redactedPath;
    };
    // The caller's headers are sent as they are unless defaults or the marker must change them.
    let headers: Headers = call.headers;
    const marked = headers.has(IDEMPOTENT_HEADER);
    if (marked || defaultHeaders.length > 0) {
      headers = new Headers(call.headers);
      for (const [name, value] of defaultHeaders) if (!headers.has(name)) headers.set(name, value);
    }
    const idempotent = isRetrySafe(method, headers, idempotencyHeaders);
    if (marked) headers.delete(IDEMPOTENT_HEADER);
    const callerSignal = call.signal;
    if (callerSignal?.aborted) {
      const error = new AbortedError({
        method,
        url: safeUrl(),
        cause: safeCause(callerSignal.reason, redactor.text),
      });
      if (observed) emit({ type: 'error', method, path: path(), error });
      throw error;
    }
    const text = call.text;
    let body =
      call.bodyFrom === undefined ? call.body : new Uint8Array(await call.bodyFrom.arrayBuffer());
    const bytes = (): Uint8Array => {
      body ??= encoder.encode(text);
      return body;
    };
    const payload = text ?? body;
    /** What a strategy gets; a text body is encoded only when the strategy reads `body`. */
    const authContext = (attempt: number): { attempt: number; body?: Uint8Array } => {
      const context: { attempt: number; body?: Uint8Array } = { attempt };
      if (text !== undefined)
        Object.defineProperty(context, 'body', { enumerable: true, get: bytes });
      else if (body !== undefined) context.body = body;
      return context;
    };

    const startedAt = performance.now();
    const deadline = deadlineMs === undefined ? undefined : new AbortController();
    const deadlineTimer =
      deadline === undefined ? undefined : setTimeout(() => deadline.abort(), deadlineMs);
    // What waits (limiter slot, retry delay) listen to: the caller's signal and the deadline.
    let waitSignal: AbortSignal | undefined;
    const waitOn = (): AbortSignal | undefined => {
      if (deadline === undefined) return callerSignal;
      waitSignal ??=
        callerSignal === undefined
          ? deadline.signal
          : AbortSignal.any([callerSignal, deadline.signal]);
      return waitSignal;
    };
    let sent = 0;
    let refreshed = false;

    const fail = (error: PlumblineError, info: FailureInfo) => new AttemptFailure(error, info);

    const classify = (err: unknown, attemptTimedOut = false): AttemptFailure => {
      if (err instanceof AttemptFailure) return err;
      if (callerSignal?.aborted) {
        return fail(
          new AbortedError({
            method,
            url: safeUrl(),
            cause: safeCause(callerSignal.reason, redactor.text),
          }),
          {
            retryable: false,
            reason: 'aborted',
          },
        );
      }
      if (deadline?.signal.aborted) {
        return fail(
          new TimeoutError({
            method,
            url: safeUrl(),
            timeoutMs: deadlineMs ?? 0,
            kind: 'deadline',
            attempts: Math.max(1, sent),
          }),
          { retryable: false, reason: 'deadline' },
        );
      }
      if (attemptTimedOut) {
        return fail(
          new TimeoutError({ method, url: safeUrl(), timeoutMs, kind: 'attempt', attempts: sent }),
          { retryable: idempotent, reason: 'timeout' },
        );
      }
      if (err instanceof PlumblineError) return fail(err, { retryable: false, reason: err.code });
      const net = networkFailure(err);
      if (net.network) {
        return fail(
          new NetworkError({
            method,
            url: safeUrl(),
            attempts: Math.max(1, sent),
            ...(net.code ? { causeCode: net.code } : {}),
            ...(idempotent ? {} : { note: `not retried: ${method} is not marked idempotent` }),
            cause: safeCause(err, redactor.text),
          }),
          { retryable: idempotent, reason: net.code ?? 'network error' },
        );
      }
      const reason = err instanceof Error ? err.message : String(err);
      return fail(
        new RequestFailedError({
          method,
          url: safeUrl(),
          reason: redactor.text(reason),
          cause: safeCause(err, redactor.text),
        }),
        { retryable: false, reason: 'request failed' },
      );
    };

    const failureFromResponse = async (
      response: Response,
      attemptAbort: AbortController,
    ): Promise<{ failure: AttemptFailure; unauthorized: boolean; buffered: Response }> => {
      let bodyText = '';
      if (response.body !== null) {
        try {
          bodyText = await response.text();
        } catch (err) {
          throw classify(err, attemptAbort.signal.aborted);
        }
      }
      const buffered = new Response(bodyText === '' ? null : bodyText, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      // Vendor hooks get their own copy so that error.response keeps an unread body.
      const forVendor = buffered.clone();
      let parsed = parseVendorErrorBody(bodyText);
      if (vendor?.parseError) {
        try {
          parsed = vendor.parseError(forVendor, bodyText);
        } catch {
          // a parser that cannot read this body leaves the generic parse in place
        }
      }
      const info = compactInfo(parsed);
      if (info.requestId === undefined) {
        for (const name of requestIdHeaders) {
          const value = response.headers.get(name);
          if (value) {
            info.requestId = value;
            break;
          }
        }
      }
      const status = response.status;
      const rateLimited = vendor?.isRateLimit?.(forVendor, info) ?? status === 429;
      const unauthorized = vendor?.isUnauthorized?.(forVendor, info) ?? status === 401;
      const retryableStatus = vendor?.isRetryable?.(forVendor, info) ?? retry.statuses.has(status);
      const retryable =
        retryableStatus && (idempotent || (rateLimited && retry.retryUnsafeOnRateLimit));
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      if (rateLimited && observed) {
        emit({
          type: 'rate-limited',
          method,
          path: path(),
          status,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      }
      const init = {
        status,
        statusText: response.statusText,
        method,
        url: safeUrl(),
        attempts: sent,
        response: buffered,
        ...(info.vendorCode === undefined ? {} : { vendorCode: redactor.text(info.vendorCode) }),
        ...(info.vendorMessage === undefined
          ? {}
          : { vendorMessage: redactor.text(info.vendorMessage) }),
        ...(info.requestId === undefined ? {} : { requestId: redactor.text(info.requestId) }),
        ...(info.details === undefined
          ? {}
          : { details: redactDeep(info.details, redactor.text) as unknown[] }),
        // Redacted before it is cut, so that no secret is cut in half and half of it kept.
        ...(bodyText === ''
          ? {}
          : { bodyExcerpt: redactor.text(bodyText.slice(0, 65_536)).slice(0, 4096) }),
        ...(retryableStatus && !retryable
          ? {
              note: `not retried: ${method} is not marked idempotent; use markIdempotent() or an Idempotency-Key header if it is safe to repeat`,
            }
          : {}),
      };
      const error = rateLimited
        ? new RateLimitError({ ...init, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) })
        : new HttpError(init);
      return {
        failure: fail(error, {
          retryable,
          reason: `status ${status}`,
          status,
          response: buffered,
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        }),
        unauthorized,
        buffered,
      };
    };

    const attempt = async (): Promise<Response> => {
      // Aborted only by this attempt's timer; fetch also follows the caller's signal and the deadline.
      const attemptAbort = new AbortController();
      const signal =
        callerSignal === undefined && deadline === undefined
          ? attemptAbort.signal
          : AbortSignal.any(
              deadline === undefined
                ? [callerSignal as AbortSignal, attemptAbort.signal]
                : callerSignal === undefined
                  ? [deadline.signal, attemptAbort.signal]
                  : [callerSignal, deadline.signal, attemptAbort.signal],
            );
      let timer: ReturnType<typeof setTimeout> | undefined;
      let sentRequest: Request | undefined;
      let started = 0;
      const send = async (): Promise<Response> => {
        timer = setTimeout(() => attemptAbort.abort(), timeoutMs);
        sent += 1;
        // A Request copies its headers and its body bytes, so the call's own serve every attempt.
        const requestInit: RequestInit = { method, headers, redirect: call.redirect, signal };
        if (payload !== undefined) requestInit.body = payload;
        if (directFetch) {
          // Nobody needs the Request itself: global fetch builds its own from (url, init).
          if (observed) {
            emit({ type: 'request', method, path: path(), attempt: sent });
            started = performance.now();
          }
          return globalThis.fetch(url, requestInit);
        }
        if (auth !== undefined && options.fetch === undefined && headerOnlyStrategies.has(auth)) {
          // Our own strategies read only method, URL and headers (and context.body): they get a
          // Request without body or signal, and global fetch gets (url, init) with their headers.
          const forAuth = new Request(url, { method, headers });
          ownedRequests.add(forAuth);
          const authorized = await settleBefore(auth.authorize(forAuth, authContext(sent)), signal);
          sentRequest = authorized;
          if (observed) {
            emit({ type: 'request', method, path: path(), attempt: sent });
            started = performance.now();
          }
          requestInit.headers = authorized.headers;
          return globalThis.fetch(url, requestInit);
        }
        const built = new Request(url, requestInit);
        let request = built;
        if (auth) {
          ownedRequests.add(built);
          request = await settleBefore(auth.authorize(built, authContext(sent)), signal);
        }
        sentRequest = request;
        if (observed) {
          emit({ type: 'request', method, path: path(), attempt: sent });
          started = performance.now();
        }
        if (request === built && options.fetch === undefined) {
          // Credentials were set in place and the body is still ours: global fetch gets (url,
          // init) and does not have to wrap the Request's body stream in a new one.
          requestInit.headers = built.headers;
          return globalThis.fetch(url, requestInit);
        }
        return baseFetch(request);
      };
      // The slot is held until the body is done (success) or read (error), not just the headers.
      let slot: LimiterSlot | undefined;
      let response: Response;
      try {
        if (limiter) slot = await limiter.acquire(limitKey, waitOn());
        response = await send();
      } catch (err) {
        clearTimeout(timer);
        await slot?.release();
        throw classify(err, attemptAbort.signal.aborted);
      }
      if (observed) {
        emit({
          type: 'response',
          method,
          path: path(),
          status: response.status,
          attempt: sent,
          durationMs: Math.round(performance.now() - started),
        });
      }
      if (response.status < 400) {
        clearTimeout(timer);
        return slot === undefined ? response : holdUntilBodyDone(response, slot.release);
      }
      let outcome: Awaited<ReturnType<typeof failureFromResponse>>;
      try {
        outcome = await failureFromResponse(response, attemptAbort);
      } finally {
        clearTimeout(timer);
        await slot?.release();
      }
      if (outcome.unauthorized && auth?.onUnauthorized && !refreshed && sentRequest) {
        refreshed = true;
        let again: boolean;
        try {
          again = await auth.onUnauthorized(sentRequest, outcome.buffered.clone());
        } catch (err) {
          throw classify(err);
        }
        if (again) return attempt();
      }
      throw outcome.failure;
    };

    try {
      return await pRetry(attempt, {
        retries: retry.retries,
        minTimeout: 0,
        maxTimeout: 0,
        factor: 1,
        maxRetryTime: retry.maxRetryTimeMs,
        shouldRetry: async ({ error, retriesConsumed }) => {
          if (!(error instanceof AttemptFailure) || !error.info.retryable) return false;
          const delayMs = error.info.retryAfterMs ?? backoffDelay(retriesConsumed, retry);
          const elapsed = performance.now() - startedAt;
          if (elapsed + delayMs > retry.maxRetryTimeMs) return false;
          if (deadlineMs !== undefined && elapsed + delayMs >= deadlineMs) return false;
          if (observed) {
            emit({
              type: 'retry',
              method,
              path: path(),
              attempt: sent + 1,
              delayMs,
              reason: error.info.reason,
              ...(error.info.status === undefined ? {} : { status: error.info.status }),
            });
          }
          try {
            await sleep(delayMs, waitOn());
          } catch (err) {
            throw classify(err);
          }
          return true;
        },
      });
    } catch (err) {
      const failure = classify(err);
      if (!throwOnError && failure.info.response) return failure.info.response;
      if (observed) emit({ type: 'error', method, path: path(), error: failure.error });
      throw failure.error;
    } finally {
      clearTimeout(deadlineTimer);
    }
  };
}
