/** An emulator: a WHATWG request in, a WHATWG response out. */
export type Handler = (request: Request) => Promise<Response>;

/** A JSON response with `content-type: application/json` (other headers from init are kept). */
export function jsonResponse(body: unknown, init?: ResponseInit): Response {
  const headers = new Headers(init?.headers);
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return new Response(JSON.stringify(body), { ...init, headers });
}
