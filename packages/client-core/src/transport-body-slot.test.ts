import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortedError } from './errors.js';
import { createLimiter } from './limit/limiter.js';
import { createTransport } from './transport.js';

/**
 * A loopback server whose bodies arrive slowly (4 chunks, `gapMs` apart). It counts the responses
 * open at once on its side: from the request's arrival until the response has finished or the
 * connection closed.
 */
async function slowBodyServer(options: { gapMs: number; status?: number }) {
  let open = 0;
  let maxOpen = 0;
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    let closed = false;
    const done = () => {
      if (closed) return;
      closed = true;
      open -= 1;
    };
    res.on('finish', done);
    res.on('close', done);
    res.writeHead(options.status ?? 200, { 'content-type': 'text/plain' });
    let sent = 0;
    const next = () => {
      if (closed || res.destroyed) return;
      if (sent === 4) {
        res.end();
        return;
      }
      sent += 1;
      res.write(`chunk-${sent};`);
      setTimeout(next, options.gapMs);
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  closers.push(close);
  return {
    url: `http://127.0.0.1:${port}`,
    maxOpen: () => maxOpen,
    open: () => open,
    requests: () => requests,
  };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('a concurrency slot is held until the body is done', () => {
  it('with a cap of 1 and slow bodies, the server never sees two responses open at once', async () => {
    const server = await slowBodyServer({ gapMs: 30 });
    const limiter = createLimiter({ maxConcurrent: 1 });
    const transport = createTransport({ limiter, limitKey: 'slow' });
    const bodies = await Promise.all(
      [1, 2, 3].map(async (i) => (await transport(`${server.url}/page/${i}`)).text()),
    );
    expect(bodies).toEqual(Array(3).fill('chunk-1;chunk-2;chunk-3;chunk-4;'));
    expect(server.requests()).toBe(3);
    expect(server.maxOpen()).toBe(1);
    expect(limiter.inFlight('slow')).toBe(0);
  });

  it('holds the slot while an error body is read, and for a stream read by hand', async () => {
    const failing = await slowBodyServer({ gapMs: 20, status: 404 });
    const limiter = createLimiter({ maxConcurrent: 1 });
    const transport = createTransport({ limiter, limitKey: 'k', retry: false });
    const outcomes = await Promise.all(
      [1, 2].map((i) => transport(`${failing.url}/missing/${i}`).catch((e: unknown) => e)),
    );
    expect(outcomes.map((e) => (e as { status?: number }).status)).toEqual([404, 404]);
    expect(failing.maxOpen()).toBe(1);

    const streaming = await slowBodyServer({ gapMs: 20 });
    const readByHand = async (path: string) => {
      const response = await transport(`${streaming.url}${path}`);
      const reader = response.body!.getReader();
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
      }
    };
    expect(await Promise.all([readByHand('/a'), readByHand('/b')])).toEqual([
      'chunk-1;chunk-2;chunk-3;chunk-4;',
      'chunk-1;chunk-2;chunk-3;chunk-4;',
    ]);
    expect(streaming.maxOpen()).toBe(1);
  });

  it('gives the slot back when the caller cancels the body', async () => {
    const server = await slowBodyServer({ gapMs: 1_000 });
    const limiter = createLimiter({ maxConcurrent: 1 });
    const transport = createTransport({ limiter, limitKey: 'k' });
    const first = await transport(`${server.url}/first`);
    expect(limiter.inFlight('k')).toBe(1);
    await first.body!.cancel();
    expect(limiter.inFlight('k')).toBe(0);
    const second = await transport(`${server.url}/second`);
    await second.body!.cancel();
    expect(limiter.inFlight('k')).toBe(0);
  });

  it("gives the slot back when the caller's signal aborts while the body downloads", async () => {
    const server = await slowBodyServer({ gapMs: 1_000 });
    const limiter = createLimiter({ maxConcurrent: 1 });
    const transport = createTransport({ limiter, limitKey: 'k' });
    const controller = new AbortController();
    const response = await transport(`${server.url}/slow`, { signal: controller.signal });
    const reading = response.text().catch((e: unknown) => e);
    controller.abort(new Error('caller gave up'));
    expect(await reading).toBeInstanceOf(Error);
    expect(limiter.inFlight('k')).toBe(0);
  });

  it('releases at once for an empty body (Content-Length: 0), which openapi-fetch never reads', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '0' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as AddressInfo;
    const limiter = createLimiter({ maxConcurrent: 1 });
    const transport = createTransport({ limiter, limitKey: 'k' });
    for (const path of ['/a', '/b', '/c']) {
      const response = await transport(`http://127.0.0.1:${port}${path}`, { method: 'DELETE' });
      expect(response.status).toBe(200);
      expect(limiter.inFlight('k')).toBe(0);
    }
  });

  it('keeps status, headers and url of the response it hands back', async () => {
    const server = await slowBodyServer({ gapMs: 1 });
    const transport = createTransport({ limiter: createLimiter({ maxConcurrent: 2 }) });
    const response = await transport(`${server.url}/where`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.url).toBe(`${server.url}/where`);
    expect(await response.text()).toBe('chunk-1;chunk-2;chunk-3;chunk-4;');
  });

  it('an aborted wait for a slot is an AbortedError and holds nothing', async () => {
    const server = await slowBodyServer({ gapMs: 1_000 });
    const limiter = createLimiter({ maxConcurrent: 1 });
    const transport = createTransport({ limiter, limitKey: 'k' });
    const holder = await transport(`${server.url}/hold`);
    const error = await transport(`${server.url}/wait`, {
      signal: AbortSignal.timeout(50),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(limiter.inFlight('k')).toBe(1);
    await holder.body!.cancel();
    expect(limiter.inFlight('k')).toBe(0);
  });
});
