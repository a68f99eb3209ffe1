import type { JobHandler, Queue, WorkOptions, WorkSummary } from '@plumbline/sync-core';
import type { ConsoleHandler } from '../src/index.js';

export const ORIGIN = 'http://console.test';

/** A browser-like session: keeps the cookie the console sets and reads form tokens from pages. */
export function session(handler: ConsoleHandler) {
  let cookie = '';
  const send = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    const response = await handler(new Request(`${ORIGIN}${path}`, { ...init, headers }));
    const set = response.headers.getSetCookie()[0];
    if (set) cookie = set.split(';')[0]!;
    return response;
  };
  return {
    get cookie() {
      return cookie;
    },
    async page(path: string) {
      const response = await send(path);
      return { response, text: await response.text() };
    },
    /** The CSRF token in the forms of a page. */
    async token(path = '/') {
      const { text } = await this.page(path);
      const match = /name="csrf" value="([^"]+)"/.exec(text);
      if (!match) throw new Error(`no form token on ${path}`);
      return match[1]!;
    },
    post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
      return send(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: ORIGIN,
          ...headers,
        },
        body: new URLSearchParams(fields).toString(),
      });
    },
  };
}

/** Works a queue until nothing is ready, delayed or running, then stops the worker. */
export async function drain<P>(
  queue: Queue<P>,
  handler: JobHandler<P>,
  options: Omit<WorkOptions, 'signal'> = {},
): Promise<WorkSummary> {
  const stop = new AbortController();
  const worker = queue.work(handler, { pollMs: 5, ...options, signal: stop.signal });
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      const stats = await queue.stats();
      if (stats.ready === 0 && stats.delayed === 0 && (stats.running ?? 0) === 0) break;
    }
  } finally {
    stop.abort();
  }
  return worker;
}
