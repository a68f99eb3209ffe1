import type { LoggerLike, TransportEvent } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import { createCommerceClient } from '../src/index.js';

/**
 * A store (or a proxy in front of it) that echoes the JSON request inside its JSON error: the
 * admin password then arrives escaped twice (once by our request JSON, once by the error JSON).
 * Passwords with `"`, `\` and non-ASCII text must not leak in any spelling, anywhere.
 */
const CORES = ['Hunter2Alpha', 'Bravo77Zulu', 'Ünïcødé🔑Kéy', 'Tango9Delta'];
const PASSWORDS = [
  `${CORES[0]}"${CORES[1]}`,
  `${CORES[1]}\\${CORES[3]}`,
  `${CORES[2]}\\"${CORES[0]}"\\\\`,
  `"${CORES[3]}\\u0022${CORES[2]}`,
];

/** The Magento-shaped error answers that echo the request body, by status. */
function echoingStore(status: number) {
  return async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const sent = await request.text();
    const parsed = sent ? (JSON.parse(sent) as unknown) : undefined;
    const body = {
      message: 'Could not authenticate the request %1 (%request)',
      parameters: { 1: sent, request: JSON.stringify(parsed) },
      errors: [{ message: 'Bad body: %1', parameters: [JSON.stringify(sent)] }],
      trace: `#0 Magento\\Webapi ${JSON.stringify({ received: sent })}`,
    };
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
}

/** Every spelling a core could take: raw, JSON-escaped one to three times, percent-encoded. */
function spellings(core: string): string[] {
  const out = new Set<string>([core, encodeURIComponent(core)]);
  let escaped = core;
  for (let depth = 0; depth < 3; depth++) {
    escaped = JSON.stringify(escaped).slice(1, -1);
    out.add(escaped);
  }
  return [...out];
}

function leaks(text: string): string[] {
  return CORES.flatMap((core) => spellings(core).filter((s) => text.includes(s)));
}

describe('admin password echoed by the store inside a JSON error', () => {
  it.each([400, 401, 500])(
    'appears in no message, toJSON(), event or log line (status %i)',
    async (status) => {
      for (const password of PASSWORDS) {
        const events: TransportEvent[] = [];
        const lines: string[] = [];
        const log =
          (level: string) =>
          (...args: unknown[]) =>
            lines.push(`${level} ${args.map((a) => JSON.stringify(a) ?? String(a)).join(' ')}`);
        const logger: LoggerLike = {
          debug: log('debug'),
          info: log('info'),
          warn: log('warn'),
          error: log('error'),
        };
        const client = createCommerceClient({
          baseUrl: 'http://store.test',
          auth: { type: 'admin', username: 'admin', password },
          fetch: echoingStore(status),
          retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
          onEvent: (event) => events.push(event),
          logger,
        });
        const error = await client
          .GET('/V1/products/{sku}', { params: { path: { sku: 'MB-01' } } })
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error, 'the call must fail').toBeInstanceOf(Error);
        const chain: unknown[] = [];
        for (let e: unknown = error; e instanceof Error && chain.length < 5; e = e.cause) {
          chain.push(e);
        }
        const seen = [
          ...chain.map((e) => (e as Error).message),
          ...chain.map((e) => JSON.stringify(e)),
          ...chain.map((e) => String((e as Error).stack)),
          JSON.stringify(events),
          ...lines,
        ].join('\n');
        expect(leaks(seen), `password ${JSON.stringify(password)}`).toEqual([]);
      }
    },
  );
});
