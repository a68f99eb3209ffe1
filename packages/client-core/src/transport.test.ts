import { afterEach, describe, expect, it } from 'vitest';
import { bearerAuth } from './auth/bearer.js';
import {
  AbortedError,
  ConfigError,
  HttpError,
  NetworkError,
  RateLimitError,
  TimeoutError,
} from './errors.js';
import type { TransportEvent } from './events.js';
import { markIdempotent } from './idempotency.js';
import { createLimiter } from './limit/limiter.js';
import { type Handler, jsonResponse, listen, type RunningServer } from './testing.js';
import { createTransport } from './transport.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

interface Hit {
  at: number;
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/** A loopback server answering with `answer(hitNumber)`; records every hit. */
async function serve(answer: (n: number, request: Request) => Response | Promise<Response>) {
  const hits: Hit[] = [];
  const handler: Handler = async (request) => {
    const url = new URL(request.url);
    hits.push({
      at: performance.now(),
      method: request.method,
      path: url.pathname + url.search,
      headers: request.headers,
      body: await request.text(),
    });
    return answer(hits.length, request);
  };
  const server = await listen(handler);
  servers.push(server);
  return { url: server.url, hits };
}

const hang = (request: Request) =>
  new Promise<Response>((resolve) => {
    request.signal.addEventListener('abort', () => resolve(new Response(null)));
  });

const fast = { minDelayMs: 5, maxDelayMs: 20 };

describe('createTransport retries', () => {
  it('waits for Retry-After: 1 (seconds) after a 429 and then succeeds', async () => {
    const { url, hits } = await serve((n) =>
      n === 1
        ? jsonResponse({ message: 'slow down' }, { status: 429, headers: { 'retry-after': '1' } })
        : jsonResponse({ ok: true }),
    );
    const events: TransportEvent[] = [];
    const transport = createTransport({ retry: fast, onEvent: (e) => events.push(e) });
    const response = await transport(`${url}/items`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(hits).toHaveLength(2);
    const gap = hits[1]!.at - hits[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(gap).toBeLessThan(5000);
    expect(events).toContainEqual({
      type: 'rate-limited',
      method: 'GET',
      path: '/items',
      status: 429,
      retryAfterMs: 1000,
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'retry', attempt: 2, delayMs: 1000, status: 429 }),
    );
  });

  it('honours Retry-After given as an HTTP date', async () => {
    let retryAt = 0;
    const { url, hits } = await serve((n) => {
      if (n > 1) return jsonResponse({ ok: true });
      const date = new Date(Date.now() + 1300).toUTCString(); // second resolution
      retryAt = Date.parse(date);
      return new Response('busy', { status: 503, headers: { 'retry-after': date } });
    });
    const transport = createTransport({ retry: fast });
    const before = Date.now();
    const response = await transport(`${url}/date`);
    expect(response.status).toBe(200);
    expect(hits).toHaveLength(2);
    // the retry was not sent before the date the server named (minus scheduling slack)
    expect(Date.now()).toBeGreaterThanOrEqual(retryAt - 50);
    expect(retryAt - before).toBeGreaterThan(150);
  });

  it('does not retry a POST that gets 503 unless it is marked idempotent', async () => {
    const { url, hits } = await serve((n) =>
      n % 3 === 0 ? jsonResponse({ id: 1 }, { status: 201 }) : jsonResponse({}, { status: 503 }),
    );
    const transport = createTransport({ retry: fast });
    const error = await transport(`${url}/orders`, { method: 'POST', body: '{"a":1}' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).message).toContain('not retried: POST is not marked idempotent');
    expect(hits).toHaveLength(1);

    const marked = await transport(`${url}/orders`, {
      method: 'POST',
      body: '{"a":2}',
      headers: markIdempotent({ 'content-type': 'application/json' }),
    });
    expect(marked.status).toBe(201);
    expect(hits).toHaveLength(3);
    // the body was buffered once and re-sent intact; the marker header never left the process
    expect(hits.slice(1).map((h) => h.body)).toEqual(['{"a":2}', '{"a":2}']);
    expect(hits[2]!.headers.get('x-plumbline-idempotent')).toBeNull();
    expect(hits[2]!.headers.get('content-type')).toBe('application/json');

    const keyed = await transport(`${url}/orders`, {
      method: 'POST',
      body: 'x',
      headers: { 'Idempotency-Key': 'k-1' },
    });
    expect(keyed.status).toBe(201);
    expect(hits).toHaveLength(6);
  });

  it('retries a POST that carries a configured idempotency header', async () => {
    const { url, hits } = await serve((n) =>
      n === 1 ? jsonResponse({}, { status: 502 }) : jsonResponse({ ok: 1 }),
    );
    const transport = createTransport({ retry: fast, idempotencyHeaders: ['X-Request-Key'] });
    const response = await transport(`${url}/p`, {
      method: 'POST',
      body: 'b',
      headers: { 'x-request-key': 'abc' },
    });
    expect(response.status).toBe(200);
    expect(hits).toHaveLength(2);
  });

  it('retries through connection resets', async () => {
    const { url, hits } = await serve((n) => (n <= 2 ? Response.error() : jsonResponse({ n })));
    const transport = createTransport({ retry: fast });
    const response = await transport(`${url}/reset`);
    expect(await response.json()).toEqual({ n: 3 });
    expect(hits).toHaveLength(3);
  });

  it('reports a reset POST as a NetworkError without retrying it', async () => {
    const { url, hits } = await serve(() => Response.error());
    const transport = createTransport({ retry: fast });
    const error = await transport(`${url}/reset`, { method: 'POST', body: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('NETWORK_ERROR');
    expect((error as NetworkError).causeCode).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    expect(hits).toHaveLength(1);
  });

  it('reports refused connections as NetworkError after the configured attempts', async () => {
    const server = await listen(async () => jsonResponse({}));
    const url = server.url;
    await server.close();
    const events: TransportEvent[] = [];
    const transport = createTransport({
      retry: { ...fast, retries: 2 },
      onEvent: (e) => events.push(e),
    });
    const error = await transport(`${url}/gone`).catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).causeCode).toBe('ECONNREFUSED');
    expect((error as NetworkError).attempts).toBe(3);
    expect((error as Error).message).toContain(
      'the connection was refused (ECONNREFUSED) after 3 attempts',
    );
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
  });

  it.each([['EAI_AGAIN'], ['ENOTFOUND'], ['UND_ERR_SOCKET'], ['ECONNRESET']])(
    'retries undici "fetch failed" with cause.code %s',
    async (code) => {
      let calls = 0;
      const transport = createTransport({
        retry: fast,
        fetch: async () => {
          calls += 1;
          if (calls < 3)
            throw new TypeError('fetch failed', {
              cause: Object.assign(new Error(code), { code }),
            });
          return jsonResponse({ ok: true });
        },
      });
      expect((await transport('https://api.example.test/x')).status).toBe(200);
      expect(calls).toBe(3);
    },
  );

  it('throws RateLimitError at once when Retry-After would pass the deadline', async () => {
    const { url, hits } = await serve(() =>
      jsonResponse({}, { status: 429, headers: { 'retry-after': '120' } }),
    );
    const transport = createTransport({ retry: fast, deadlineMs: 5000 });
    const started = performance.now();
    const error = (await transport(`${url}/x`).catch((e) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
    expect(error.message).toContain('the server asked to wait 120 s');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(hits).toHaveLength(1);
  });

  it('gives up after retries with a typed, descriptive HttpError', async () => {
    const { url, hits } = await serve(() =>
      jsonResponse(
        { error: { code: 'UNAVAILABLE', message: 'Maintenance window' } },
        { status: 503, statusText: 'Service Unavailable', headers: { 'x-request-id': 'req-42' } },
      ),
    );
    const transport = createTransport({ retry: { ...fast, retries: 4 } });
    const error = (await transport(`${url}/v1/things?q=1`).catch((e) => e)) as HttpError;
    expect(hits).toHaveLength(5);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(503);
    expect(error.attempts).toBe(5);
    expect(error.vendorCode).toBe('UNAVAILABLE');
    expect(error.vendorMessage).toBe('Maintenance window');
    expect(error.requestId).toBe('req-42');
    expect(error.url).toBe(`${url}/v1/things?q=1`);
    expect(error.message).toBe(
      `GET ${url}/v1/things?… answered 503 Service Unavailable after 5 attempts [UNAVAILABLE]: ` +
        'Maintenance window. The server is failing; retry later or check its status. Request id: req-42.',
    );
    expect(Object.keys(error)).not.toContain('response');
    expect(error.response?.status).toBe(503);
    expect(await error.response?.json()).toEqual({
      error: { code: 'UNAVAILABLE', message: 'Maintenance window' },
    });
    expect(error.toJSON()).toMatchObject({ code: 'HTTP_ERROR', status: 503, requestId: 'req-42' });
  });

  it('does not retry 4xx answers and turns a final 429 into RateLimitError', async () => {
    const { url, hits } = await serve((_n, request) =>
      new URL(request.url).pathname === '/missing'
        ? jsonResponse({ message: 'No such entity' }, { status: 404 })
        : jsonResponse({ message: 'quota' }, { status: 429, headers: { 'retry-after': '0' } }),
    );
    const transport = createTransport({ retry: { ...fast, retries: 1 } });
    const notFound = await transport(`${url}/missing`).catch((e) => e);
    expect(notFound).toBeInstanceOf(HttpError);
    expect(hits).toHaveLength(1);
    const limited = (await transport(`${url}/limited`).catch((e) => e)) as RateLimitError;
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfterMs).toBe(0);
    expect(hits).toHaveLength(3);
  });

  it('keeps error.response readable even when vendor hooks read the body, and survives a throwing parser', async () => {
    const { url } = await serve(() =>
      jsonResponse({ code: 'E1', message: 'bad' }, { status: 400 }),
    );
    const transport = createTransport({
      vendor: {
        parseError: () => {
          throw new Error('parser bug');
        },
        isRetryable: (response) => {
          void response.text();
          return undefined;
        },
      },
    });
    const error = (await transport(`${url}/x`).catch((e) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.vendorCode).toBe('E1');
    expect(await error.response?.json()).toEqual({ code: 'E1', message: 'bad' });
  });

  it('returns the final non-2xx response when throwOnError is false', async () => {
    const { url } = await serve(() => jsonResponse({ message: 'nope' }, { status: 400 }));
    const transport = createTransport({ throwOnError: false });
    const response = await transport(`${url}/x`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'nope' });
  });

  it('lets a vendor adapter classify retryable and rate-limit answers', async () => {
    const { url, hits } = await serve((n) =>
      n === 1
        ? jsonResponse({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'limit' }, { status: 403 })
        : jsonResponse({ ok: true }),
    );
    const events: TransportEvent[] = [];
    const transport = createTransport({
      retry: fast,
      onEvent: (e) => events.push(e),
      vendor: {
        isRateLimit: (_r, info) => info.vendorCode === 'REQUEST_LIMIT_EXCEEDED',
        isRetryable: (_r, info) =>
          info.vendorCode === 'REQUEST_LIMIT_EXCEEDED' ? true : undefined,
      },
    });
    expect((await transport(`${url}/q`)).status).toBe(200);
    expect(hits).toHaveLength(2);
    expect(events.some((e) => e.type === 'rate-limited' && e.status === 403)).toBe(true);
  });
});

describe('createTransport timeouts and aborts', () => {
  it('turns a hung server into TimeoutError within the configured time', async () => {
    const { url } = await serve((_n, request) => hang(request));
    const transport = createTransport({ timeoutMs: 200, retry: false });
    const started = performance.now();
    const error = (await transport(`${url}/hung`).catch((e) => e)) as TimeoutError;
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.kind).toBe('attempt');
    expect(error.timeoutMs).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);
  });

  it('retries attempt timeouts of idempotent requests', async () => {
    const { url, hits } = await serve((n, request) => (n === 1 ? hang(request) : jsonResponse({})));
    const transport = createTransport({ timeoutMs: 300, retry: fast });
    expect((await transport(`${url}/slow-once`)).status).toBe(200);
    expect(hits).toHaveLength(2);
  });

  it('stops at the overall deadline, retries included', async () => {
    const { url, hits } = await serve((n, request) =>
      n === 1 ? jsonResponse({}, { status: 503 }) : hang(request),
    );
    const transport = createTransport({ timeoutMs: 5000, deadlineMs: 400, retry: fast });
    const started = performance.now();
    const error = (await transport(`${url}/hung`).catch((e) => e)) as TimeoutError;
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.kind).toBe('deadline');
    expect(error.attempts).toBe(2);
    expect(error.message).toContain(
      'did not complete within its 400 ms deadline (deadlineMs) after 2 attempts',
    );
    expect(hits).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(3000);
  });

  it('gives up before the deadline when the next wait would not fit in it', async () => {
    const { url, hits } = await serve(() =>
      jsonResponse({}, { status: 503, headers: { 'retry-after': '2' } }),
    );
    const transport = createTransport({ deadlineMs: 1000, retry: fast });
    const error = (await transport(`${url}/x`).catch((e) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(503);
    expect(hits).toHaveLength(1);
  });

  it("aborts everything on the caller's signal with AbortedError and no retry", async () => {
    const { url, hits } = await serve((_n, request) => hang(request));
    const transport = createTransport({ timeoutMs: 5000, retry: fast });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await transport(new Request(`${url}/x`, { signal: controller.signal })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(hits).toHaveLength(1);
    const already = await transport(`${url}/x`, { signal: AbortSignal.abort() }).catch((e) => e);
    expect(already).toBeInstanceOf(AbortedError);
    expect(hits).toHaveLength(1);
  });

  it('aborts a retry wait when the caller aborts', async () => {
    const { url, hits } = await serve(() =>
      jsonResponse({}, { status: 429, headers: { 'retry-after': '30' } }),
    );
    const transport = createTransport({ retry: fast });
    const error = await transport(`${url}/x`, { signal: AbortSignal.timeout(150) }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(hits).toHaveLength(1);
  });
});

describe('createTransport limits, auth and events', () => {
  it('never exceeds a concurrency cap of 3 under 50 parallel calls from two clients', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { url, hits } = await serve(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight -= 1;
      return jsonResponse({ ok: true });
    });
    const limiter = createLimiter({ maxConcurrent: 3 });
    const a = createTransport({ limiter, limitKey: 'account-1' });
    const b = createTransport({ limiter, limitKey: 'account-1' });
    // A slot is held until the body is read (see transport-body-slot.test.ts), so each body is read.
    const responses = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const response = await (i % 2 ? a : b)(`${url}/n/${i}`);
        await response.json();
        return response;
      }),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(hits).toHaveLength(50);
    expect(maxInFlight).toBe(3);
    expect(limiter.inFlight('account-1')).toBe(0);
  });

  it('sends credentials on every attempt and applies default headers', async () => {
    const { url, hits } = await serve((n) =>
      n === 1 ? jsonResponse({}, { status: 500 }) : jsonResponse({}),
    );
    const transport = createTransport({
      auth: bearerAuth('tok-123456'),
      retry: fast,
      headers: { 'user-agent': 'plumbline-test' },
    });
    await transport(`${url}/me`, { headers: { accept: 'application/json' } });
    expect(hits.map((h) => h.headers.get('authorization'))).toEqual([
      'Bearer tok-123456',
      'Bearer tok-123456',
    ]);
    expect(hits[0]!.headers.get('user-agent')).toBe('plumbline-test');
    expect(hits[0]!.headers.get('accept')).toBe('application/json');
  });

  it('emits request, response, retry and error events and logs them to a pino-like logger', async () => {
    const { url } = await serve(() => jsonResponse({ message: 'down' }, { status: 502 }));
    const events: TransportEvent[] = [];
    const lines: Array<{ level: string; obj: Record<string, unknown>; msg?: string }> = [];
    const logger = Object.fromEntries(
      ['debug', 'info', 'warn', 'error'].map((level) => [
        level,
        (obj: Record<string, unknown>, msg?: string) => lines.push({ level, obj, msg }),
      ]),
    );
    const transport = createTransport({
      retry: { ...fast, retries: 1 },
      onEvent: (e) => events.push(e),
      logger,
    });
    await transport(`${url}/a/b?secret=1`).catch(() => undefined);
    expect(events.map((e) => e.type)).toEqual([
      'request',
      'response',
      'retry',
      'request',
      'response',
      'error',
    ]);
    expect(events[1]).toMatchObject({ method: 'GET', path: '/a/b', status: 502, attempt: 1 });
    expect(typeof (events[1] as { durationMs: number }).durationMs).toBe('number');
    expect(events[2]).toMatchObject({ attempt: 2, reason: 'status 502', status: 502 });
    expect(lines.map((l) => l.level)).toEqual([
      'debug',
      'debug',
      'warn',
      'debug',
      'debug',
      'error',
    ]);
    expect(lines[5]!.obj).toMatchObject({
      event: 'error',
      err: { code: 'HTTP_ERROR', status: 502 },
    });
  });

  it('rejects bad options with ConfigError naming the option', () => {
    expect(() => createTransport({ timeoutMs: -1 })).toThrow(ConfigError);
    expect(() => createTransport({ timeoutMs: -1 })).toThrow(/`timeoutMs`/);
    expect(() => createTransport({ retry: { retries: -2 } })).toThrow(/`retry.retries`/);
    expect(() => createTransport({ limitKey: 'x' })).toThrow(/`limitKey`/);
    expect(() => createTransport({ retry: { minDelayMs: 10, maxDelayMs: 5 } })).toThrow(
      /`retry.maxDelayMs`/,
    );
  });
});

describe('createTransport request building', () => {
  it('sends (url, init) bodies as given: text with its default content type, bytes untouched', async () => {
    const { url, hits } = await serve(() => jsonResponse({ ok: true }));
    const transport = createTransport({ auth: bearerAuth('tok-123456') });
    await transport(`${url}/text`, { method: 'post', body: 'héllo' });
    const bytes = new Uint8Array([0, 1, 2, 250, 99, 98]);
    await transport(`${url}/bytes`, {
      method: 'PUT',
      body: bytes.subarray(3),
      headers: { 'content-type': 'application/octet-stream' },
    });
    await transport(`${url}/buffer`, {
      method: 'PATCH',
      body: new TextEncoder().encode('{}').buffer,
    });
    expect(hits.map((h) => [h.method, h.path, h.body])).toEqual([
      ['POST', '/text', 'héllo'],
      ['PUT', '/bytes', Buffer.from([250, 99, 98]).toString()],
      ['PATCH', '/buffer', '{}'],
    ]);
    expect(hits[0]!.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    expect(hits[1]!.headers.get('content-type')).toBe('application/octet-stream');
    expect(hits.every((h) => h.headers.get('authorization') === 'Bearer tok-123456')).toBe(true);
  });

  it('refuses what fetch refuses: a GET with a body, credentials in the URL, an unknown method', async () => {
    const transport = createTransport({ fetch: async () => new Response('{}') });
    await expect(transport('http://x.test/a', { method: 'GET', body: 'x' })).rejects.toThrow(
      TypeError,
    );
    await expect(transport('http://user:pw@x.test/a')).rejects.toThrow(TypeError);
    await expect(transport('http://x.test/a', { method: 'CONNECT' })).rejects.toThrow(TypeError);
  });

  it("keeps following the caller's signal while the body of a returned response is read", async () => {
    const transport = createTransport({
      fetch: async (request: Request) =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"partial":'));
              request.signal.addEventListener('abort', () =>
                controller.error(request.signal.reason),
              );
            },
          }),
        ),
    });
    for (const input of ['url', 'request'] as const) {
      const caller = new AbortController();
      const response =
        input === 'url'
          ? await transport('http://x.test/slow', { signal: caller.signal })
          : await transport(new Request('http://x.test/slow', { signal: caller.signal }));
      const reading = response.text();
      caller.abort(new Error(`caller stopped (${input})`));
      await expect(reading).rejects.toThrow(`caller stopped (${input})`);
    }
  });

  it("sets credentials on the transport's own request but copies a request it did not build", async () => {
    const seen: Request[] = [];
    const transport = createTransport({
      auth: bearerAuth('tok-123456'),
      fetch: async (request: Request) => {
        seen.push(request);
        return new Response('{}');
      },
    });
    await transport('http://x.test/a', { method: 'POST', body: '{"a":1}' });
    expect(seen[0]!.headers.get('authorization')).toBe('Bearer tok-123456');
    expect(await seen[0]!.text()).toBe('{"a":1}');

    const mine = new Request('http://x.test/b', { method: 'POST', body: 'x' });
    const authorized = await bearerAuth('tok-123456').authorize(mine, { attempt: 1 });
    expect(authorized).not.toBe(mine);
    expect(authorized.headers.get('authorization')).toBe('Bearer tok-123456');
    expect(mine.headers.get('authorization')).toBeNull();
  });

  it('redacts the URL of an error only when it is built, and never leaks the token', async () => {
    const events: TransportEvent[] = [];
    const transport = createTransport({
      retry: false,
      auth: bearerAuth('tok-secret-98765'),
      onEvent: (e) => events.push(e),
      fetch: async () => new Response('{"error":"nope"}', { status: 400 }),
    });
    const error = await transport('http://x.test/v1/items?access_token=tok-secret-98765').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect(JSON.stringify(error)).not.toContain('tok-secret-98765');
    expect((error as HttpError).url).toBe('http://x.test/v1/items?access_token=[REDACTED]');
    expect(events.map((e) => e.type)).toEqual(['request', 'response', 'error']);
  });
});

describe('createTransport with strategies of its own and of the caller', () => {
  it("gives a caller's strategy the full request and the body bytes; the built-in ones a body-less request", async () => {
    const { url, hits } = await serve(() => jsonResponse({ ok: true }));
    const seen: Array<{ body: string; context: string }> = [];
    const custom = {
      async authorize(request: Request, context: { attempt: number; body?: Uint8Array }) {
        const copy = new Request(request, {
          headers: { ...Object.fromEntries(request.headers), 'x-signed': 'yes' },
        });
        seen.push({
          body: await copy.clone().text(),
          context: new TextDecoder().decode(context.body),
        });
        return copy;
      },
      secrets: () => [],
    };
    await createTransport({ auth: custom })(`${url}/custom`, { method: 'POST', body: 'a=1&b=2' });
    expect(seen).toEqual([{ body: 'a=1&b=2', context: 'a=1&b=2' }]);
    expect(hits[0]).toMatchObject({ method: 'POST', path: '/custom', body: 'a=1&b=2' });
    expect(hits[0]!.headers.get('x-signed')).toBe('yes');

    await createTransport({ auth: bearerAuth('tok-123456') })(`${url}/own`, {
      method: 'PUT',
      body: '{"n":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(hits[1]).toMatchObject({ method: 'PUT', path: '/own', body: '{"n":1}' });
    expect(hits[1]!.headers.get('authorization')).toBe('Bearer tok-123456');
    expect(hits[1]!.headers.get('content-type')).toBe('application/json');
  });
});
