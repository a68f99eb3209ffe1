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
import { createRedactor, type Redactor, redactDeep } from './redact.js';
import {
  backoffDelay,
  parseRetryAfter,
  type ResolvedRetryOptions,
  type RetryOptions,
  resolveRetryOptions,
} from './retry.js';
import type { TelemetryOptions } from './telemetry/signals.js';
import {
  type ApiUsageReading,
  type CallTelemetry,
  TransportTelemetry,
} from './telemetry/transport-telemetry.js';
import { compactInfo, DEFAULT_REQUEST_ID_HEADERS, parseVendorErrorBody } from './vendor-error.js';
import { sleep } from './wait.js';

export interface VendorAdapter {
  /** The vendor's name on spans and metrics (`plumbline.vendor`), e.g. 'salesforce'. Default 'http'. */
  name?: string;
  /** The vendor's API usage reported on an answer (e.g. Salesforce's `Sforce-Limit-Info`), for the usage gauges. */
  apiUsage?(response: Response): ApiUsageReading | undefined;
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
  /**
   * Where spans and metrics go (docs/telemetry.md): a tracer and/or meter of yours, `false` for
   * none, or by default the global ones of `@opentelemetry/api` (an optional peer) when an SDK is
   * registered by the transport's first request.
   */
  telemetry?: TelemetryOptions | false;
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

/** The transport's options, validated and resolved once by createTransport. */
interface Config {
  retry: ResolvedRetryOptions;
  timeoutMs: number;
  deadlineMs: number | undefined;
  auth: AuthStrategy | undefined;
  limiter: Limiter | undefined;
  limitKey: string;
  vendor: VendorAdapter | undefined;
  /** The caller's own fetch, if any. */
  fetch: FetchLike | undefined;
  throwOnError: boolean;
  idempotencyHeaders: string[];
  requestIdHeaders: string[];
  defaultHeaders: Array<[string, string]>;
  redactor: Redactor;
  /** Whether anyone listens: without a listener or logger no event is built and no path redacted. */
  observed: boolean;
  emit: (event: TransportEvent) => void;
  /** Without auth or a fetch of the caller's, global fetch gets (url, init) and no Request is built. */
  directFetch: boolean;
  telemetry: TransportTelemetry;
}

function resolveConfig(options: TransportOptions): Config {
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
  const { auth, vendor } = options;
  const extraSecrets = options.secrets;
  return {
    retry: resolveRetryOptions(options.retry),
    timeoutMs: options.timeoutMs ?? 30_000,
    deadlineMs: options.deadlineMs,
    auth,
    limiter: options.limiter,
    limitKey: options.limitKey ?? 'default',
    vendor,
    fetch: options.fetch as FetchLike | undefined,
    throwOnError: options.throwOnError ?? true,
    idempotencyHeaders: (options.idempotencyHeaders ?? []).map((h) => h.toLowerCase()),
    requestIdHeaders: vendor?.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS,
    defaultHeaders: Object.entries(options.headers ?? {}),
    redactor: createRedactor(() => [
      ...(auth?.secrets() ?? []),
      ...(typeof extraSecrets === 'function' ? extraSecrets() : (extraSecrets ?? [])),
    ]),
    observed: options.onEvent !== undefined || options.logger !== undefined,
    emit: createEventSink(options.onEvent, options.logger),
    directFetch: options.fetch === undefined && auth === undefined,
    telemetry: new TransportTelemetry(
      options.telemetry,
      vendor?.name ?? 'http',
      vendor?.apiUsage?.bind(vendor),
    ),
  };
}

/**
 * The fetch function handed to openapi-fetch's createClient({ fetch }): retries (p-retry),
 * timeouts, limits, auth, refresh-on-401, typed and redacted errors, events.
 *
 * A call goes through five stages, each a function below, in this order:
 * 1. prepare: read the call once (method, URL, headers, body, signals), decide if it is safe to
 *    repeat, start the deadline;
 * 2. attempt: hold a limiter slot, authorize, send; a success is handed back with its slot held
 *    until the body is done (an error answer is read inside the slot);
 * 3. classify: turn what went wrong (an error answer, a thrown error, a timer) into one typed,
 *    redacted error plus what the retry decision needs;
 * 4. decide retry: retryable, within maxRetryTimeMs and the deadline? then report and wait;
 * 5. report: emit the final error and throw it (or hand back the error answer).
 */
export function createTransport(options: TransportOptions = {}): TransportFetch {
  const config = resolveConfig(options);
  return async function transportFetch(input, init) {
    const call = await prepare(config, input, init);
    let answer: Response | undefined;
    let failure: unknown;
    try {
      answer = await pRetry(() => attempt(call), {
        retries: config.retry.retries,
        minTimeout: 0,
        maxTimeout: 0,
        factor: 1,
        maxRetryTime: config.retry.maxRetryTimeMs,
        shouldRetry: ({ error, retriesConsumed }) => decideRetry(call, error, retriesConsumed),
      });
      return answer;
    } catch (err) {
      try {
        answer = report(call, err);
        return answer;
      } catch (error) {
        failure = error;
        throw error;
      }
    } finally {
      call.finish();
      call.telemetry?.end(answer, failure);
    }
  };
}

/** One call through the transport: what prepare read, and the state of its attempts. */
class Call {
  /** How many attempts have been sent. */
  sent = 0;
  /** Whether the auth strategy already refreshed once after a 401. */
  refreshed = false;
  /** The Request the auth strategy authorized for the latest attempt (for onUnauthorized). */
  sentRequest: Request | undefined = undefined;
  /** performance.now() when the latest attempt was sent (kept only when observed). */
  sentAt = 0;
  readonly startedAt = performance.now();
  readonly deadline: AbortController | undefined;
  private readonly deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private waitSignal: AbortSignal | undefined;
  private redactedUrl: string | undefined;
  private redactedPath: string | undefined;
  /** The recorder of this call's span and metrics; undefined when telemetry is off. */
  readonly telemetry: CallTelemetry | undefined;

  constructor(
    readonly config: Config,
    readonly method: string,
    readonly url: string,
    /** What is sent: the caller's headers, plus defaults, minus the idempotency marker. */
    readonly headers: Headers,
    readonly redirect: Request['redirect'],
    readonly idempotent: boolean,
    readonly callerSignal: AbortSignal | undefined,
    /** The body as text (encoded only if an auth strategy reads it) or bytes. */
    readonly text: string | undefined,
    private body: Uint8Array | undefined,
  ) {
    const { deadlineMs } = config;
    if (deadlineMs !== undefined) {
      const deadline = new AbortController();
      this.deadline = deadline;
      this.deadlineTimer = setTimeout(() => deadline.abort(), deadlineMs);
    }
    this.telemetry = config.telemetry.start(method, url, config.redactor.text);
  }

  /** The redacted URL, built only when an error needs it. */
  safeUrl(): string {
    this.redactedUrl ??= this.config.redactor.url(this.url);
    return this.redactedUrl;
  }

  /** The redacted path, built only when an event needs it. */
  path(): string {
    this.redactedPath ??= this.config.redactor.text(new URL(this.url).pathname);
    return this.redactedPath;
  }

  /** The body as sent by fetch: the text as it is, or the bytes. */
  payload(): string | Uint8Array | undefined {
    return this.text ?? this.body;
  }

  /** What a strategy gets; a text body is encoded only when the strategy reads `body`. */
  authContext(attempt: number): { attempt: number; body?: Uint8Array } {
    const context: { attempt: number; body?: Uint8Array } = { attempt };
    if (this.text !== undefined) {
      Object.defineProperty(context, 'body', {
        enumerable: true,
        get: () => {
          this.body ??= encoder.encode(this.text);
          return this.body;
        },
      });
    } else if (this.body !== undefined) context.body = this.body;
    return context;
  }

  /** What waits (limiter slot, retry delay) listen to: the caller's signal and the deadline. */
  waitOn(): AbortSignal | undefined {
    const { deadline, callerSignal } = this;
    if (deadline === undefined) return callerSignal;
    this.waitSignal ??=
      callerSignal === undefined
        ? deadline.signal
        : AbortSignal.any([callerSignal, deadline.signal]);
    return this.waitSignal;
  }

  /** What one attempt's fetch follows: its own timer, plus the caller's signal and the deadline. */
  attemptSignal(attemptAbort: AbortController): AbortSignal {
    const { deadline, callerSignal } = this;
    if (callerSignal === undefined && deadline === undefined) return attemptAbort.signal;
    return AbortSignal.any(
      deadline === undefined
        ? [callerSignal as AbortSignal, attemptAbort.signal]
        : callerSignal === undefined
          ? [deadline.signal, attemptAbort.signal]
          : [callerSignal, deadline.signal, attemptAbort.signal],
    );
  }

  finish(): void {
    clearTimeout(this.deadlineTimer);
  }
}

// ---------------------------------------------------------------------------------------------
// Stage 1: prepare

async function prepare(
  config: Config,
  input: Request | string | URL,
  init: RequestInit | undefined,
): Promise<Call> {
  const read = readCall(input, init);
  const { method, url } = read;
  // The caller's headers are sent as they are unless defaults or the marker must change them.
  let headers: Headers = read.headers;
  const marked = headers.has(IDEMPOTENT_HEADER);
  if (marked || config.defaultHeaders.length > 0) {
    headers = new Headers(read.headers);
    for (const [name, value] of config.defaultHeaders) {
      if (!headers.has(name)) headers.set(name, value);
    }
  }
  const idempotent = isRetrySafe(method, headers, config.idempotencyHeaders);
  if (marked) headers.delete(IDEMPOTENT_HEADER);
  const callerSignal = read.signal;
  if (callerSignal?.aborted) {
    const error = new AbortedError({
      method,
      url: config.redactor.url(url),
      cause: safeCause(callerSignal.reason, config.redactor.text),
    });
    if (config.observed) {
      config.emit({
        type: 'error',
        method,
        path: config.redactor.text(new URL(url).pathname),
        error,
      });
    }
    throw error;
  }
  const body =
    read.bodyFrom === undefined ? read.body : new Uint8Array(await read.bodyFrom.arrayBuffer());
  return new Call(
    config,
    method,
    url,
    headers,
    read.redirect,
    idempotent,
    callerSignal,
    read.text,
    body,
  );
}

// ---------------------------------------------------------------------------------------------
// Stage 2: attempt

/** One attempt: slot, timer, send; a success comes back with its slot held until its body is done. */
async function attempt(call: Call): Promise<Response> {
  const { config } = call;
  // Aborted only by this attempt's timer; fetch also follows the caller's signal and the deadline.
  const attemptAbort = new AbortController();
  const signal = call.attemptSignal(attemptAbort);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let slot: LimiterSlot | undefined;
  let response: Response;
  try {
    if (config.limiter) slot = await acquireSlot(call, config.limiter);
    // The timer bounds the attempt from the moment it holds its slot.
    timer = setTimeout(() => attemptAbort.abort(), config.timeoutMs);
    response = await send(call, signal);
  } catch (err) {
    clearTimeout(timer);
    await slot?.release();
    throw classifyError(call, err, attemptAbort.signal.aborted);
  }
  call.telemetry?.answered(response);
  if (config.observed) {
    config.emit({
      type: 'response',
      method: call.method,
      path: call.path(),
      status: response.status,
      attempt: call.sent,
      durationMs: Math.round(performance.now() - call.sentAt),
    });
  }
  if (response.status < 400) {
    clearTimeout(timer);
    return slot === undefined ? response : holdUntilBodyDone(response, slot.release);
  }
  let outcome: ResponseFailure;
  try {
    outcome = await classifyResponse(call, response, attemptAbort);
  } finally {
    clearTimeout(timer);
    await slot?.release();
  }
  const { auth } = config;
  if (outcome.unauthorized && auth?.onUnauthorized && !call.refreshed && call.sentRequest) {
    call.refreshed = true;
    call.telemetry?.tokenRefresh();
    let again: boolean;
    try {
      again = await auth.onUnauthorized(call.sentRequest, outcome.buffered.clone());
    } catch (err) {
      throw classifyError(call, err);
    }
    if (again) return attempt(call);
  }
  throw outcome.failure;
}

/** A limiter slot; with telemetry, the wait is timed and the slot counted while held. */
async function acquireSlot(call: Call, limiter: Limiter): Promise<LimiterSlot> {
  const { telemetry, config } = call;
  if (telemetry === undefined) return limiter.acquire(config.limitKey, call.waitOn());
  const waitFrom = performance.now();
  const held = await limiter.acquire(config.limitKey, call.waitOn());
  telemetry.slotAcquired(performance.now() - waitFrom, config.limitKey);
  let released = false;
  return {
    release: () => {
      if (!released) {
        released = true;
        telemetry.slotReleased(config.limitKey);
      }
      return held.release();
    },
  };
}

/**
 * Authorizes and sends one attempt by the cheapest path the configuration allows; records on the
 * call the Request the strategy authorized (for onUnauthorized) and when it was sent.
 */
async function send(call: Call, signal: AbortSignal): Promise<Response> {
  const { config, method, url } = call;
  const { auth } = config;
  call.sent += 1;
  call.sentRequest = undefined;
  // A Request copies its headers and its body bytes, so the call's own serve every attempt.
  const requestInit: RequestInit = {
    method,
    headers: call.headers,
    redirect: call.redirect,
    signal,
  };
  const payload = call.payload();
  if (payload !== undefined) requestInit.body = payload;
  if (config.directFetch) {
    // Nobody needs the Request itself: global fetch builds its own from (url, init).
    announce(call);
    return globalThis.fetch(url, requestInit);
  }
  if (auth !== undefined && config.fetch === undefined && headerOnlyStrategies.has(auth)) {
    // Our own strategies read only method, URL and headers (and context.body): they get a
    // Request without body or signal, and global fetch gets (url, init) with their headers.
    const forAuth = new Request(url, { method, headers: call.headers });
    ownedRequests.add(forAuth);
    const authorized = await settleBefore(
      auth.authorize(forAuth, call.authContext(call.sent)),
      signal,
    );
    call.sentRequest = authorized;
    announce(call);
    requestInit.headers = authorized.headers;
    return globalThis.fetch(url, requestInit);
  }
  const built = new Request(url, requestInit);
  let request = built;
  if (auth) {
    ownedRequests.add(built);
    request = await settleBefore(auth.authorize(built, call.authContext(call.sent)), signal);
  }
  call.sentRequest = request;
  announce(call);
  if (request === built && config.fetch === undefined) {
    // Credentials were set in place and the body is still ours: global fetch gets (url,
    // init) and does not have to wrap the Request's body stream in a new one.
    requestInit.headers = built.headers;
    return globalThis.fetch(url, requestInit);
  }
  return config.fetch === undefined ? globalThis.fetch(request) : config.fetch(request);
}

/** Emits the request event and notes when the attempt was sent (only when observed). */
function announce(call: Call): void {
  call.telemetry?.attempt(call.sent);
  if (!call.config.observed) return;
  call.config.emit({ type: 'request', method: call.method, path: call.path(), attempt: call.sent });
  call.sentAt = performance.now();
}

// ---------------------------------------------------------------------------------------------
// Stage 3: classify

/** A thrown error (or a timer that fired) as one typed, redacted failure. */
function classifyError(call: Call, err: unknown, attemptTimedOut = false): AttemptFailure {
  if (err instanceof AttemptFailure) return err;
  const { config, method, idempotent, callerSignal, sent } = call;
  const { redactor } = config;
  if (callerSignal?.aborted) {
    return new AttemptFailure(
      new AbortedError({
        method,
        url: call.safeUrl(),
        cause: safeCause(callerSignal.reason, redactor.text),
      }),
      { retryable: false, reason: 'aborted' },
    );
  }
  if (call.deadline?.signal.aborted) {
    return new AttemptFailure(
      new TimeoutError({
        method,
        url: call.safeUrl(),
        timeoutMs: config.deadlineMs ?? 0,
        kind: 'deadline',
        attempts: Math.max(1, sent),
      }),
      { retryable: false, reason: 'deadline' },
    );
  }
  if (attemptTimedOut) {
    return new AttemptFailure(
      new TimeoutError({
        method,
        url: call.safeUrl(),
        timeoutMs: config.timeoutMs,
        kind: 'attempt',
        attempts: sent,
      }),
      { retryable: idempotent, reason: 'timeout' },
    );
  }
  if (err instanceof PlumblineError) {
    return new AttemptFailure(err, { retryable: false, reason: err.code });
  }
  const net = networkFailure(err);
  if (net.network) {
    return new AttemptFailure(
      new NetworkError({
        method,
        url: call.safeUrl(),
        attempts: Math.max(1, sent),
        ...(net.code ? { causeCode: net.code } : {}),
        ...(idempotent ? {} : { note: `not retried: ${method} is not marked idempotent` }),
        cause: safeCause(err, redactor.text),
      }),
      { retryable: idempotent, reason: net.code ?? 'network error' },
    );
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new AttemptFailure(
    new RequestFailedError({
      method,
      url: call.safeUrl(),
      reason: redactor.text(reason),
      cause: safeCause(err, redactor.text),
    }),
    { retryable: false, reason: 'request failed' },
  );
}

interface ResponseFailure {
  failure: AttemptFailure;
  unauthorized: boolean;
  /** The answer with its body read, for error.response and onUnauthorized. */
  buffered: Response;
}

/** An error answer (status >= 400), read and parsed, as one typed, redacted failure. */
async function classifyResponse(
  call: Call,
  response: Response,
  attemptAbort: AbortController,
): Promise<ResponseFailure> {
  const { config, method } = call;
  const { vendor, retry, redactor } = config;
  let bodyText = '';
  if (response.body !== null) {
    try {
      bodyText = await response.text();
    } catch (err) {
      throw classifyError(call, err, attemptAbort.signal.aborted);
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
    for (const name of config.requestIdHeaders) {
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
    retryableStatus && (call.idempotent || (rateLimited && retry.retryUnsafeOnRateLimit));
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  if (rateLimited) call.telemetry?.rateLimited(status);
  if (rateLimited && config.observed) {
    config.emit({
      type: 'rate-limited',
      method,
      path: call.path(),
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const init = {
    status,
    statusText: response.statusText,
    method,
    url: call.safeUrl(),
    attempts: call.sent,
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
    failure: new AttemptFailure(error, {
      retryable,
      reason: `status ${status}`,
      status,
      response: buffered,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    }),
    unauthorized,
    buffered,
  };
}

// ---------------------------------------------------------------------------------------------
// Stage 4: decide retry

/**
 * Whether to send again: the failure is retryable and the wait (Retry-After, else backoff) ends
 * within maxRetryTimeMs and before the deadline. If so it reports the retry and waits.
 */
async function decideRetry(call: Call, error: unknown, retriesConsumed: number): Promise<boolean> {
  if (!(error instanceof AttemptFailure) || !error.info.retryable) return false;
  const { retry, deadlineMs, observed } = call.config;
  const delayMs = error.info.retryAfterMs ?? backoffDelay(retriesConsumed, retry);
  const elapsed = performance.now() - call.startedAt;
  if (elapsed + delayMs > retry.maxRetryTimeMs) return false;
  if (deadlineMs !== undefined && elapsed + delayMs >= deadlineMs) return false;
  call.telemetry?.retry(call.sent + 1, delayMs, error.info.reason);
  if (observed) {
    call.config.emit({
      type: 'retry',
      method: call.method,
      path: call.path(),
      attempt: call.sent + 1,
      delayMs,
      reason: error.info.reason,
      ...(error.info.status === undefined ? {} : { status: error.info.status }),
    });
  }
  try {
    await sleep(delayMs, call.waitOn());
  } catch (err) {
    throw classifyError(call, err);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Stage 5: report

/** The end of a failed call: the error answer itself (throwOnError: false), or the typed error. */
function report(call: Call, err: unknown): Response {
  const failure = classifyError(call, err);
  const { config } = call;
  if (!config.throwOnError && failure.info.response) return failure.info.response;
  if (config.observed) {
    config.emit({ type: 'error', method: call.method, path: call.path(), error: failure.error });
  }
  throw failure.error;
}
