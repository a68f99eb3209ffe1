import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { jsonResponse, listen, type RunningServer, withFaults } from '../testing.js';
import { mswHandlers } from '../testing-msw.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const echo = async (request: Request) =>
  jsonResponse(
    {
      method: request.method,
      path: new URL(request.url).pathname,
      query: new URL(request.url).search,
      header: request.headers.get('x-test'),
      body: await request.text(),
    },
    { status: 201, headers: { 'x-served-by': 'emulator' } },
  );

describe('listen', () => {
  it('serves a handler on loopback with method, path, headers and body', async () => {
    const server = await listen(echo);
    servers.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.url}/V1/orders?x=1`, {
      method: 'POST',
      headers: { 'x-test': 'yes', 'content-type': 'text/plain' },
      body: 'hello ✓',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-served-by')).toBe('emulator');
    expect(await response.json()).toEqual({
      method: 'POST',
      path: '/V1/orders',
      query: '?x=1',
      header: 'yes',
      body: 'hello ✓',
    });
  });

  it('turns Response.error() into a connection reset and handler crashes into 500', async () => {
    const server = await listen(async (request) => {
      if (new URL(request.url).pathname === '/reset') return Response.error();
      throw new Error('bug in emulator');
    });
    servers.push(server);
    const reset = await fetch(`${server.url}/reset`).catch((e: TypeError) => e);
    expect(reset).toBeInstanceOf(TypeError);
    expect((reset as TypeError).message).toBe('fetch failed');
    const crash = await fetch(`${server.url}/crash`);
    expect(crash.status).toBe(500);
    expect(await crash.json()).toEqual({ message: 'Emulator handler failed: bug in emulator' });
  });

  it('streams bodies and closes even with a hung handler', async () => {
    const server = await listen(() => new Promise<Response>(() => undefined));
    const pending = fetch(`${server.url}/hang`).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 20));
    await server.close();
    expect(await pending).toBeInstanceOf(TypeError);
  });

  it('rejects an invalid port', async () => {
    await expect(listen(echo, { port: 70000 })).rejects.toThrow(ConfigError);
  });
});

describe('withFaults', () => {
  const ok = async () => jsonResponse({ ok: true });
  const statuses = async (seed: number) => {
    const handler = withFaults(ok, { seed, rate429: 0.2, rate5xx: 0.2, resetRate: 0.1 });
    const out: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await handler(new Request('http://x.test/'));
      out.push(r.type === 'error' ? 'reset' : String(r.status));
    }
    return { out, stats: handler.stats };
  };

  it('injects the configured shares, reproducibly from a seed', async () => {
    const a = await statuses(7);
    const b = await statuses(7);
    const c = await statuses(8);
    expect(a.out).toEqual(b.out);
    expect(a.out).not.toEqual(c.out);
    expect(a.stats.requests).toBe(200);
    expect(a.stats.injected429).toBe(a.out.filter((s) => s === '429').length);
    expect(a.stats.resets).toBe(a.out.filter((s) => s === 'reset').length);
    expect(a.stats.injected5xx).toBe(a.out.filter((s) => s.startsWith('5')).length);
    expect(a.stats.injected429).toBeGreaterThan(20);
    expect(a.stats.injected429).toBeLessThan(60);
    expect(a.stats.injected5xx).toBeGreaterThan(20);
    expect(a.stats.resets).toBeGreaterThan(5);
    expect(a.out.filter((s) => s === '200').length).toBeGreaterThan(60);
  });

  it('adds Retry-After to injected 429s and leaves unmatched requests alone', async () => {
    const handler = withFaults(ok, {
      rate429: 1,
      retryAfterSeconds: 3,
      match: (r) => r.method === 'POST',
    });
    const limited = await handler(new Request('http://x.test/', { method: 'POST' }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect((await handler(new Request('http://x.test/'))).status).toBe(200);
    expect(handler.stats.requests).toBe(1);
  });

  it('adds latency and streams slow bodies in chunks', async () => {
    const big = async () => new Response('x'.repeat(300));
    const handler = withFaults(big, { latencyMs: [30, 40], slowBodyBytesPerSecond: 1000 });
    const t0 = performance.now();
    const response = await handler(new Request('http://x.test/'));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(29);
    const reader = response.body!.getReader();
    const chunks: number[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value.length);
    }
    expect(chunks).toEqual([100, 100, 100]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(220);
  });

  it('rejects shares outside 0..1', () => {
    expect(() => withFaults(async () => jsonResponse({}), { rate5xx: 2 })).toThrow(/`rate5xx`/);
    expect(() => withFaults(async () => jsonResponse({}), { rate5xx: 0.6, rate429: 0.6 })).toThrow(
      ConfigError,
    );
  });
});

describe('mswHandlers', () => {
  it('routes requests under the base URL to the handler, resets included', async () => {
    const server = setupServer(
      ...mswHandlers(
        withFaults(echo, { resetRate: 1, match: (r) => r.url.endsWith('/reset') }),
        'https://shop.example.test/rest',
      ),
    );
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const response = await fetch('https://shop.example.test/rest/V1/x?y=2', {
        method: 'PUT',
        headers: { 'x-test': 'msw' },
        body: 'payload',
      });
      expect(await response.json()).toEqual({
        method: 'PUT',
        path: '/rest/V1/x',
        query: '?y=2',
        header: 'msw',
        body: 'payload',
      });
      await expect(fetch('https://shop.example.test/rest/reset')).rejects.toThrow(TypeError);
    } finally {
      server.close();
    }
  });
});
