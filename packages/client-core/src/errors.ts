import { asSentences } from './sentence.js';

/** Vendor-specific details parsed from an error body. */
export interface VendorErrorInfo {
  vendorCode?: string;
  vendorMessage?: string;
  requestId?: string;
  details?: unknown[];
}

/**
 * Base class of every error Plumbline throws. `code` is stable; `message` says what to do, in
 * sentences: however its pieces ended, it has no doubled punctuation and ends with one period,
 * question or exclamation mark.
 */
export class PlumblineError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(asSentences(message), options);
    this.name = new.target.name;
    this.code = code;
  }

  /** A plain, redacted view for logs and structured output. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message };
  }
}

export interface HttpErrorInit extends VendorErrorInfo {
  status: number;
  statusText?: string;
  method: string;
  /** Already redacted URL. */
  url: string;
  /** Already redacted body excerpt (at most 2 KB is kept). */
  bodyExcerpt?: string;
  response?: Response;
  /** How many times the request was sent. */
  attempts?: number;
  /** Why the request was not retried, when it matters to the reader. */
  note?: string;
  message?: string;
}

const BODY_EXCERPT_LIMIT = 2048;

function statusHint(status: number, retryAfterMs?: number): string {
  if (status === 429) {
    const after =
      retryAfterMs === undefined ? '' : ` (the server asked to wait ${formatMs(retryAfterMs)})`;
    return `The rate limit was hit; lower the request rate or concurrency, or retry later${after}.`;
  }
  if (status === 400) return 'The request was rejected as invalid; check its parameters and body.';
  if (status === 401)
    return 'The credentials were rejected; check them or re-authenticate (expired or revoked token?).';
  if (status === 403)
    return 'The credentials lack permission for this resource; check the role, scopes or ACL.';
  if (status === 404) return 'The resource was not found; check the id and the path.';
  if (status === 405) return 'The method is not allowed on this path; check the API reference.';
  if (status === 408 || status === 504)
    return 'The server timed out; retry later or ask for less data per request.';
  if (status === 409) return 'The request conflicts with the current state; reload and retry.';
  if (status === 412) return 'A precondition failed; reload the resource and retry.';
  if (status === 413) return 'The request body is too large; send less data per request.';
  if (status === 415) return 'The content type is not accepted; check the Content-Type header.';
  if (status === 422) return 'The server could not process the data; fix the fields it names.';
  if (status >= 500) return 'The server is failing; retry later or check its status.';
  return 'Check the request against the API reference.';
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** The URL without its query, with `?…` when a query was present: messages stay short and safe. */
function shortUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}

function attemptsText(attempts: number | undefined): string {
  return attempts !== undefined && attempts > 1 ? ` after ${attempts} attempts` : '';
}

/** A non-2xx response. `response` (the buffered response) is non-enumerable. */
export class HttpError extends PlumblineError {
  readonly status: number;
  readonly statusText: string;
  readonly method: string;
  readonly url: string;
  readonly vendorCode?: string;
  readonly vendorMessage?: string;
  readonly requestId?: string;
  readonly details?: unknown[];
  readonly bodyExcerpt?: string;
  readonly attempts: number;
  declare readonly response?: Response;

  constructor(init: HttpErrorInit, code = 'HTTP_ERROR', retryAfterMs?: number) {
    const statusText = init.statusText ?? '';
    const message =
      init.message ??
      `${init.method} ${shortUrl(init.url)} answered ${init.status}${statusText ? ` ${statusText}` : ''}` +
        `${attemptsText(init.attempts)}` +
        `${init.vendorCode ? ` [${init.vendorCode}]` : ''}` +
        `${init.note ? ` (${init.note})` : ''}` +
        `${init.vendorMessage ? `: ${init.vendorMessage.trim()}` : ''}. ${statusHint(init.status, retryAfterMs)}` +
        `${init.requestId ? ` Request id: ${init.requestId}.` : ''}`;
    super(code, message);
    this.status = init.status;
    this.statusText = statusText;
    this.method = init.method;
    this.url = init.url;
    this.attempts = init.attempts ?? 1;
    if (init.vendorCode !== undefined) this.vendorCode = init.vendorCode;
    if (init.vendorMessage !== undefined) this.vendorMessage = init.vendorMessage;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.details !== undefined) this.details = init.details;
    if (init.bodyExcerpt !== undefined)
      this.bodyExcerpt = init.bodyExcerpt.slice(0, BODY_EXCERPT_LIMIT);
    Object.defineProperty(this, 'response', {
      value: init.response,
      enumerable: false,
      writable: false,
      configurable: true,
    });
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      status: this.status,
      statusText: this.statusText,
      method: this.method,
      url: this.url,
      attempts: this.attempts,
      vendorCode: this.vendorCode,
      vendorMessage: this.vendorMessage,
      requestId: this.requestId,
      details: this.details,
      bodyExcerpt: this.bodyExcerpt,
    };
  }
}

/** A rate-limit answer (429, or what the vendor adapter classifies as one). */
export class RateLimitError extends HttpError {
  readonly retryAfterMs?: number;

  constructor(init: HttpErrorInit & { retryAfterMs?: number }) {
    super(init, 'RATE_LIMITED', init.retryAfterMs);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/**
 * A token endpoint refused the credentials or the grant (400/401/403, e.g. OAuth `invalid_grant`,
 * `invalid_client`). Retrying will not help; the message names the OAuth error and says what to
 * check. An outage of the token endpoint is never this: it stays an HttpError (5xx),
 * RateLimitError, NetworkError or TimeoutError, retried first.
 */
/**
 * The fields of an HttpError as an HttpErrorInit, for an error that restates the same answer with
 * another message or class (`overrides` replace or add fields). The response is not copied: the
 * caller decides which copy (redacted or not) the new error keeps.
 */
export function httpErrorInit(error: HttpError, overrides: Partial<HttpErrorInit>): HttpErrorInit {
  return {
    status: error.status,
    statusText: error.statusText,
    method: error.method,
    url: error.url,
    attempts: error.attempts,
    ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
    ...(error.vendorMessage === undefined ? {} : { vendorMessage: error.vendorMessage }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.bodyExcerpt === undefined ? {} : { bodyExcerpt: error.bodyExcerpt }),
    ...overrides,
  };
}

export class AuthRefusedError extends HttpError {
  /** The OAuth 2.0 `error` code of the answer (RFC 6749 section 5.2), when it had one. */
  readonly oauthError?: string;

  constructor(init: HttpErrorInit & { oauthError?: string }) {
    super(init, 'AUTH_REFUSED');
    if (init.oauthError !== undefined) this.oauthError = init.oauthError;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), oauthError: this.oauthError };
  }
}

/** The per-attempt timeout or the overall deadline elapsed. */
export class TimeoutError extends PlumblineError {
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;
  /** `attempt`: one attempt exceeded `timeoutMs`; `deadline`: the whole call exceeded `deadlineMs`. */
  readonly kind: 'attempt' | 'deadline';
  readonly attempts: number;

  constructor(init: {
    method: string;
    url: string;
    timeoutMs: number;
    kind: 'attempt' | 'deadline';
    attempts?: number;
    message?: string;
    cause?: unknown;
  }) {
    const what =
      init.kind === 'deadline'
        ? `did not complete within its ${init.timeoutMs} ms deadline (deadlineMs)`
        : `timed out: no answer within ${init.timeoutMs} ms (timeoutMs)`;
    const todo =
      init.kind === 'deadline'
        ? 'Raise deadlineMs, ask for less data per request, or check the server.'
        : 'The server is slow or hung; raise timeoutMs or check the server.';
    super(
      'TIMEOUT',
      init.message ??
        `${init.method} ${shortUrl(init.url)} ${what}${attemptsText(init.attempts)}. ${todo}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.method = init.method;
    this.url = init.url;
    this.timeoutMs = init.timeoutMs;
    this.kind = init.kind;
    this.attempts = init.attempts ?? 1;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      method: this.method,
      url: this.url,
      timeoutMs: this.timeoutMs,
      kind: this.kind,
      attempts: this.attempts,
    };
  }
}

const NETWORK_CODE_TEXT: Record<string, string> = {
  ECONNRESET: 'the connection was reset',
  ECONNREFUSED: 'the connection was refused',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name was not found (DNS)',
  EAI_AGAIN: 'the host name lookup failed temporarily (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the socket was closed by the other side',
  UND_ERR_CLOSED: 'the socket was closed',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'the response headers timed out',
  UND_ERR_BODY_TIMEOUT: 'the response body timed out',
};

/** The request failed below HTTP: reset, refused, socket closed, DNS. */
export class NetworkError extends PlumblineError {
  readonly method: string;
  readonly url: string;
  /** The system or undici code, e.g. `ECONNRESET`, when known. */
  readonly causeCode?: string;
  readonly attempts: number;

  constructor(init: {
    method: string;
    url: string;
    causeCode?: string;
    attempts?: number;
    note?: string;
    cause?: unknown;
  }) {
    const what = (init.causeCode && NETWORK_CODE_TEXT[init.causeCode]) ?? 'the connection failed';
    super(
      'NETWORK_ERROR',
      `${init.method} ${shortUrl(init.url)} failed: ${what}` +
        `${init.causeCode ? ` (${init.causeCode})` : ''}${attemptsText(init.attempts)}` +
        `${init.note ? ` (${init.note})` : ''}. No response arrived; check the network, the host ` +
        'name and that the server is up, then retry.',
      { cause: init.cause },
    );
    this.method = init.method;
    this.url = init.url;
    if (init.causeCode !== undefined) this.causeCode = init.causeCode;
    this.attempts = init.attempts ?? 1;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      method: this.method,
      url: this.url,
      causeCode: this.causeCode,
      attempts: this.attempts,
    };
  }
}

/** The caller's own AbortSignal aborted the call. Never retried. */
export class AbortedError extends PlumblineError {
  readonly method: string;
  readonly url: string;

  constructor(init: { method: string; url: string; cause?: unknown; message?: string }) {
    super(
      'ABORTED',
      init.message ??
        `${init.method} ${shortUrl(init.url)} was aborted by the caller's signal; ` +
          'nothing was retried. Remove the abort or extend its time if this was not intended.',
      { cause: init.cause },
    );
    this.method = init.method;
    this.url = init.url;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url };
  }
}

/** An option was missing or invalid. Names the option and the problem. */
export class ConfigError extends PlumblineError {
  readonly option: string;

  constructor(option: string, problem: string) {
    super('CONFIG_ERROR', `Invalid option \`${option}\`: ${problem}.`);
    this.option = option;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), option: this.option };
  }
}

/** Something failed that is neither HTTP nor network (an auth strategy, a limiter backend). */
export class RequestFailedError extends PlumblineError {
  readonly method: string;
  readonly url: string;

  constructor(init: { method: string; url: string; reason: string; cause?: unknown }) {
    super(
      'REQUEST_FAILED',
      `${init.method} ${shortUrl(init.url)} could not be sent: ${init.reason}. ` +
        'Check the auth strategy, limiter backend or custom fetch configured on the transport.',
      { cause: init.cause },
    );
    this.method = init.method;
    this.url = init.url;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url };
  }
}

/**
 * One partition of a partitioned read failed; the other partitions were stopped. `cause` is the
 * partition's own error (an HttpError, RateLimitError, a vendor's typed error…).
 */
export class PartitionReadError extends PlumblineError {
  /** Zero-based index of the partition that failed. */
  readonly partition: number;
  /** What the partition covered, as the caller described it (e.g. `id > 1000 AND id <= 2000`). */
  readonly range: string;

  constructor(partition: number, range: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'PARTITION_FAILED',
      `partition ${partition} (${range}) of a partitioned read failed, so the other partitions were stopped: ${reason}`,
      { cause },
    );
    this.partition = partition;
    this.range = range;
  }

  override toJSON(): Record<string, unknown> {
    const cause = this.cause;
    return {
      ...super.toJSON(),
      partition: this.partition,
      range: this.range,
      ...(cause instanceof PlumblineError ? { cause: cause.toJSON() } : {}),
    };
  }
}
