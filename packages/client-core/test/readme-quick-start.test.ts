// The README's quick start, run as written (the block marked doc-test: quick-start, imported
// from a scratch project that resolves the built package) against a loopback server of the
// emulator kit that plays the order API at https://shop.example.com/rest.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quickStartModule, routeOrigins } from '../../../scripts/doc-test/quick-start.mjs';
import { jsonResponse, listen } from '../src/testing.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0).reverse()) await undo();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('README quick start', () => {
  it('gets order 42 through the transport with the bearer token, logging to the given logger', async () => {
    const seen: string[] = [];
    const server = await listen(async (request) => {
      const { pathname } = new URL(request.url);
      seen.push(`${request.method} ${pathname} ${request.headers.get('authorization')}`);
      if (request.headers.get('authorization') !== 'Bearer quick-start-token')
        return jsonResponse({ message: 'The consumer is not authorized.' }, { status: 401 });
      if (pathname !== '/rest/V1/orders/42')
        return jsonResponse({ message: 'No route.' }, { status: 404 });
      return jsonResponse({ entity_id: 42, status: 'processing' });
    });
    cleanup.push(() => server.close());
    cleanup.push(routeOrigins({ 'https://shop.example.com': server.url }));
    vi.stubEnv('COMMERCE_TOKEN', 'quick-start-token');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const quickStart = quickStartModule(new URL('..', import.meta.url).pathname);
    cleanup.push(quickStart.remove);

    await import(quickStart.file);

    expect(seen).toEqual(['GET /rest/V1/orders/42 Bearer quick-start-token']);
    expect(log).toHaveBeenCalledWith('order 42 is processing');
    // The transport's events went to the logger the quick start handed it.
    expect(debug.mock.calls.map(([record]) => (record as { event?: string }).event)).toEqual(
      expect.arrayContaining(['request', 'response']),
    );
  });
});
