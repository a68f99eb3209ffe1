import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ConsoleHandler } from './options.js';

/** The most request body bytes the adapter passes on (console forms are small). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Adapts a `(Request) => Promise<Response>` handler to `node:http`'s `(req, res)` listener, so
 * `http.createServer(nodeListener(handler))` serves the console. Express and Fastify can call
 * the same listener with their raw `req`/`res` (see the README).
 */
export function nodeListener(
  handler: ConsoleHandler,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    try {
      const response = await handler(await toRequest(req));
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') res.setHeader(name, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader('set-cookie', cookies);
      if (response.body) {
        for await (const chunk of Readable.fromWeb(response.body as never)) res.write(chunk);
      }
      res.end();
    } catch (error) {
      if (!res.headersSent) {
        res.statusCode = (error as { status?: number }).status === 413 ? 413 : 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
      }
      res.end(res.statusCode === 413 ? 'request body too large' : 'console error');
    }
  };
}

async function toRequest(req: IncomingMessage): Promise<Request> {
  const host = req.headers.host ?? 'localhost';
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  const url = new URL(req.url ?? '/', `${secure ? 'https' : 'http'}://${host}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  return new Request(url, { method, headers, body: Buffer.concat(chunks) });
}
