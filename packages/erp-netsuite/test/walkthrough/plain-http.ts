import type { RunningServer } from '@plumbline/client-core/testing';
import {
  createNetSuiteEmulator,
  type NetSuiteEmulator,
  type NetSuiteEmulatorOptions,
} from '../../src/testing.js';

/**
 * The walkthroughs talk to the emulator the way someone following Oracle's guide with curl or
 * Postman would: plain `fetch` over loopback HTTP, JSON bodies, the headers such a client sends,
 * and nothing of our own client (no retries, no typed errors, no response parsing).
 */
export interface PlainAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the answer has none. */
  body: any;
}

export interface PlainSession {
  emulator: NetSuiteEmulator;
  /** `http://127.0.0.1:PORT`, the emulator's origin (Oracle's `https://demo123.suitetalk.api.netsuite.com`). */
  origin: string;
  /** Sends one request to `/services/rest<path>`; `path` may also be an absolute URL (a link). */
  send(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<PlainAnswer>;
  close(): Promise<void>;
}

export async function openPlainSession(
  options: Partial<NetSuiteEmulatorOptions> = {},
): Promise<PlainSession> {
  const emulator = createNetSuiteEmulator({ accountId: 'DEMO123', ...options });
  const server: RunningServer = await emulator.listen();
  const origin = server.url.replace(/\/$/, '');
  return {
    emulator,
    origin,
    async send(method, path, { body, headers = {} } = {}) {
      const url = /^https?:/.test(path) ? path : `${origin}/services/rest${path}`;
      const response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          'user-agent': 'curl/8.5.0',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text === '' ? undefined : JSON.parse(text),
      };
    },
    close: () => server.close(),
  };
}

/** The id at the end of a `Location` header (`…/customer/647` → `647`). */
export function idFromLocation(location: string | null): string {
  const match = /\/([^/]+)$/.exec(location ?? '');
  if (!match) throw new Error(`no id in Location ${String(location)}`);
  return match[1]!;
}
