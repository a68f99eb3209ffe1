/** How a transport adds credentials to a request. One instance may serve many transports. */
export interface AuthStrategy {
  /** Returns the request with credentials added. Called on EVERY attempt (fresh OAuth1 nonce each time). */
  authorize(request: Request, context: { attempt: number; body?: Uint8Array }): Promise<Request>;
  /** After a 401: refresh credentials (single flight) and return true if the request should be re-sent once. */
  onUnauthorized?(request: Request, response: Response): Promise<boolean>;
  /** Secret values (tokens, keys) the redactor must scrub from errors and events. */
  secrets(): string[];
}

/**
 * Requests the transport built for one attempt and hands to nobody else: a strategy may set
 * headers on them in place instead of copying them (a copy re-wraps the body in a new stream).
 */
export const ownedRequests = new WeakSet<Request>();

/**
 * The built-in strategies: they read only the request's method, URL and headers (and the body
 * from the context) and set headers with withHeader, so the transport may hand them a Request
 * without body or signal.
 */
export const headerOnlyStrategies = new WeakSet<AuthStrategy>();

/**
 * `request` with one header set: the same request when the transport owns it, otherwise a copy
 * (the body, fresh per attempt, moves to the copy).
 */
export function withHeader(request: Request, name: string, value: string): Request {
  if (ownedRequests.has(request)) {
    request.headers.set(name, value);
    return request;
  }
  const headers = new Headers(request.headers);
  headers.set(name, value);
  return new Request(request, { headers });
}

/** Marks a built-in strategy (see headerOnlyStrategies) and returns it. */
export function builtInStrategy<T extends AuthStrategy>(strategy: T): T {
  headerOnlyStrategies.add(strategy);
  return strategy;
}
