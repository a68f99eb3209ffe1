import {
  AuthRefusedError,
  HttpError,
  NetworkError,
  TimeoutError,
  type TransportEvent,
} from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import { adminTokenProvider, createCommerceClient } from '../src/index.js';
import { createCommerceEmulator } from '../src/testing.js';

const TOKEN_PATH = '/rest/default/V1/integration/admin/token';

/** A store whose admin token route answers from `script` in turn (then a token); other routes 200. */
function scriptedStore(script: (() => Response | Promise<Response>)[]) {
  const tokenCalls: string[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path === TOKEN_PATH) {
      tokenCalls.push(await request.text());
      const next = script.shift();
      if (next) return next();
      return Response.json('admintoken0123456789abcdefghijkl');
    }
    if (request.headers.get('authorization') !== 'Bearer admintoken0123456789abcdefghijkl') {
      return Response.json({ message: 'unauthorized' }, { status: 401 });
    }
    return Response.json({ sku: 'MB-01' });
  };
  return { fetch, tokenCalls };
}

/** A token endpoint that never answers: the request only ends when its signal aborts. */
function hungFetch(calls: { count: number }) {
  return (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    calls.count++;
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    return new Promise((_, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
}

const outage =
  (status: number, headers: Record<string, string> = {}) =>
  () =>
    Response.json({ message: 'Service Unavailable' }, { status, headers });

const CREDENTIAL_WORDS = /username|password|credential|sign-in/i;

describe('admin token requests under outages', () => {
  it('retries a 503, a 429 with Retry-After and a dropped connection, then gets the token', async () => {
    const store = scriptedStore([
      outage(503),
      outage(429, { 'retry-after': '0' }),
      () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
        });
      },
    ]);
    const client = createCommerceClient({
      baseUrl: 'http://store.test',
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
      fetch: store.fetch,
      retry: { retries: 4, minDelayMs: 1, maxDelayMs: 2 },
    });
    const { data } = await client.GET('/V1/products/{sku}', { params: { path: { sku: 'MB-01' } } });
    expect(data?.sku).toBe('MB-01');
    expect(store.tokenCalls).toHaveLength(4);
  });

  it('follows the client retry option: retry false sends the token request once', async () => {
    const store = scriptedStore([outage(503), outage(503), outage(503), outage(503), outage(503)]);
    const client = createCommerceClient({
      baseUrl: 'http://store.test',
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
      fetch: store.fetch,
      retry: false,
    });
    const error = await client
      .GET('/V1/products/{sku}', { params: { path: { sku: 'MB-01' } } })
      .catch((e: unknown) => e);
    expect(store.tokenCalls).toHaveLength(1);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBeInstanceOf(AuthRefusedError);
    expect((error as HttpError).status).toBe(503);
  });

  it('an outage that outlives the retries keeps its class and never blames the credentials', async () => {
    const cases: [string, (() => Response | Promise<Response>)[], (e: unknown) => void][] = [
      ['503', Array(3).fill(outage(503)), (e) => expect((e as HttpError).status).toBe(503)],
      [
        'reset',
        Array(3).fill(() => {
          throw new TypeError('fetch failed', {
            cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
          });
        }),
        (e) => expect(e).toBeInstanceOf(NetworkError),
      ],
    ];
    for (const [name, script, check] of cases) {
      const store = scriptedStore(script);
      const provider = adminTokenProvider({
        restUrl: 'http://store.test/rest/default',
        username: 'admin',
        password: 'admin123',
        fetch: store.fetch,
        retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 },
      });
      const error = await provider.getToken().catch((e: unknown) => e);
      expect(store.tokenCalls, name).toHaveLength(3);
      expect(error, name).not.toBeInstanceOf(AuthRefusedError);
      check(error);
      expect((error as Error).message, name).not.toMatch(CREDENTIAL_WORDS);
    }
  });

  it('a refusal (401 for a wrong password) is AuthRefusedError saying to check the username and password, sent once', async () => {
    const emulator = createCommerceEmulator();
    let tokenCalls = 0;
    const client = createCommerceClient({
      baseUrl: 'http://store.test',
      auth: { type: 'admin', username: 'admin', password: 'wrong-password' },
      retry: { retries: 4, minDelayMs: 1, maxDelayMs: 1 },
      fetch: (input: Request | string | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname === TOKEN_PATH) tokenCalls++;
        return emulator.fetch(request);
      },
    });
    const error = await client
      .GET('/V1/products/{sku}', { params: { path: { sku: 'MB-01' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRefusedError);
    expect((error as AuthRefusedError).code).toBe('AUTH_REFUSED');
    expect((error as AuthRefusedError).status).toBe(401);
    expect((error as Error).message).toMatch(/check the admin username and password/);
    expect((error as Error).message).not.toContain('wrong-password');
    expect(tokenCalls).toBe(1);
  });

  it('deadlineMs bounds the token request with its retries (a hung endpoint)', async () => {
    const calls = { count: 0 };
    const provider = adminTokenProvider({
      restUrl: 'http://store.test/rest/default',
      username: 'admin',
      password: 'admin123',
      fetch: hungFetch(calls),
      timeoutMs: 40,
      deadlineMs: 150,
      retry: { retries: 50, minDelayMs: 1, maxDelayMs: 1 },
    });
    const error = await provider.getToken().catch((e: unknown) => e);
    // Without the deadline all 51 attempts would be made; the deadline stops the retries.
    expect(error).toBeInstanceOf(TimeoutError);
    expect(calls.count).toBeLessThan(51);
    expect((error as Error).message).not.toMatch(CREDENTIAL_WORDS);
  });

  it('the client hands its deadlineMs, timeoutMs, events and logger to the token request', async () => {
    const calls = { count: 0 };
    const events: TransportEvent[] = [];
    const client = createCommerceClient({
      baseUrl: 'http://store.test',
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
      fetch: hungFetch(calls),
      timeoutMs: 40,
      deadlineMs: 150,
      retry: { retries: 50, minDelayMs: 1, maxDelayMs: 1 },
      onEvent: (event) => events.push(event),
    });
    const error = await client
      .GET('/V1/products/{sku}', { params: { path: { sku: 'MB-01' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    // The token request itself reported its attempts (it is not invisible to telemetry).
    expect(
      events.some((e) => 'path' in e && String(e.path).endsWith('/V1/integration/admin/token')),
    ).toBe(true);
    expect(JSON.stringify(events)).not.toContain('admin123');
  });
});
