/** What a route handler receives. */
export interface RouteContext {
  request: Request;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Store code from the path (or the `Store` header in ACCS mode). */
  store: string;
  /** The customer a customer token belongs to (routes whose ACL is `self`). */
  customerId?: number;
}

/** A handler answers a JSON value (sent with 200) or a ready Response. */
export type RouteHandler = (context: RouteContext) => unknown | Promise<unknown>;

export interface Route {
  method: string;
  pattern: string;
  /**
   * ACL resource named in the 401 body; `anonymous` routes need no token, `self` routes a
   * customer token.
   */
  acl: string | 'anonymous';
  /** Message queue topic used when the route runs through /async. */
  topic?: string;
  handler: RouteHandler;
  segments: string[];
}

export function route(
  method: string,
  pattern: string,
  acl: string | 'anonymous',
  handler: RouteHandler,
  topic?: string,
): Route {
  const out: Route = {
    method,
    pattern,
    acl,
    handler,
    segments: pattern.split('/').filter(Boolean),
  };
  if (topic !== undefined) out.topic = topic;
  return out;
}

/**
 * Match `path` (decoded segments) against the routes. Literal segments win over parameters, as in
 * Magento (`/V1/customers/search` before `/V1/customers/:customerId`). With `bulk`, a parameter
 * segment is spelled `by<Name>` (`/V1/products/bySku`), as Magento's bulk routes do.
 */
export function matchRoute(
  routes: Route[],
  method: string,
  segments: string[],
  options: { bulk?: boolean } = {},
): { route: Route; params: Record<string, string> } | { methodMismatch: true } | undefined {
  let best: { route: Route; params: Record<string, string>; score: number } | undefined;
  let pathMatched = false;
  for (const candidate of routes) {
    if (candidate.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let score = 0;
    let ok = true;
    for (let i = 0; i < segments.length; i++) {
      const want = candidate.segments[i] as string;
      const got = segments[i] as string;
      if (want.startsWith(':')) {
        const name = want.slice(1);
        if (options.bulk) {
          if (got !== `by${name[0]?.toUpperCase()}${name.slice(1)}`) {
            ok = false;
            break;
          }
        } else {
          params[name] = got;
        }
      } else if (want === got) {
        score += 1;
      } else {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    pathMatched = true;
    if (candidate.method !== method) continue;
    if (!best || score > best.score) best = { route: candidate, params, score };
  }
  if (best) return { route: best.route, params: best.params };
  return pathMatched ? { methodMismatch: true } : undefined;
}
