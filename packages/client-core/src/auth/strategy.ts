/** How a transport adds credentials to a request. One instance may serve many transports. */
export interface AuthStrategy {
  /** Returns the request with credentials added. Called on EVERY attempt (fresh OAuth1 nonce each time). */
  authorize(request: Request, context: { attempt: number; body?: Uint8Array }): Promise<Request>;
  /** After a 401: refresh credentials (single flight) and return true if the request should be re-sent once. */
  onUnauthorized?(request: Request, response: Response): Promise<boolean>;
  /** Secret values (tokens, keys) the redactor must scrub from errors and events. */
  secrets(): string[];
}

/** A copy of `request` with one header set; the body (fresh per attempt) moves to the copy. */
export function withHeader(request: Request, name: string, value: string): Request {
  const headers = new Headers(request.headers);
  headers.set(name, value);
  return new Request(request, { headers });
}
