import { http, type RequestHandler } from 'msw';
import type { Handler } from './handler.js';

/**
 * msw request handlers routing every request under baseUrl to the handler, e.g.
 * `setupServer(...mswHandlers(emulator.fetch, 'https://example.test'))`. A Response.error() from
 * the handler becomes a network error in the client.
 */
export function mswHandlers(handler: Handler, baseUrl: string): RequestHandler[] {
  const base = baseUrl.replace(/\/+$/, '');
  const resolver = ({ request }: { request: Request }) => handler(request);
  return [http.all(base, resolver), http.all(`${base}/*`, resolver)];
}
