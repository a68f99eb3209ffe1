import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TransportEvent } from './events.js';
import { createRedactor, REDACTED } from './redact.js';
import { createTransport } from './transport.js';

/** JSON string escaping as JavaScript writes it. */
const jsEscape = (s: string) => JSON.stringify(s).slice(1, -1);
/** JSON string escaping as PHP's json_encode writes it by default (Magento): `\/` and `\uXXXX`. */
const phpEscape = (s: string) =>
  jsEscape(s)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Every way the secret may be written after 0..4 JSON escapes (any mix of encoders), or percent-encoded. */
function encodingsOf(secret: string): string[] {
  const out = new Set<string>([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
  ]);
  let layer = [secret];
  for (let depth = 1; depth <= 4; depth++) {
    layer = layer.flatMap((s) => [jsEscape(s), phpEscape(s)]);
    for (const s of layer) out.add(s);
  }
  return [...out];
}

const hostile = fc.constantFrom('"', '\\', '%', '+', '\n', '/', '&', '=', ' ', 'é', '😀', '\u2028');
/** A secret of 8+ characters with characters every encoding treats differently. "Zq9" keeps it from matching fixed text by chance. */
const secretArb = fc
  .string({
    unit: fc.oneof(hostile, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
    minLength: 5,
    maxLength: 20,
  })
  .map((s) => `Zq9${s}`);
/** For each extra layer of echo, whether the echoing server escapes like PHP (true) or JavaScript. */
const echoArb = fc.array(fc.boolean(), { minLength: 0, maxLength: 3 });

describe('redaction at every escaping depth', () => {
  it('a secret JSON-escaped up to 4 times, URL- or form-encoded, never survives in message, toJSON, events or log records', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, echoArb, async (secret, layers) => {
        // A server that echoes the JSON request inside a JSON error, inside another, ... and
        // quotes the secret URL- and form-encoded too.
        const fetch = async (request: Request) => {
          let echo = await request.text(); // the secret is JSON-escaped once in here
          for (const php of layers) {
            const escapeLayer = php ? phpEscape : jsEscape;
            echo = `{"message":"upstream refused: ${escapeLayer(echo)}","code":"E_UPSTREAM"}`;
          }
          const body =
            `{"message":"Invalid request: ${jsEscape(echo)}",` +
            `"form":"${new URLSearchParams({ password: secret }).toString()}",` +
            `"uri":"${encodeURIComponent(secret)}","parameters":["${jsEscape(echo)}"]}`;
          return new Response(body, {
            status: 400,
            headers: { 'content-type': 'application/json' },
          });
        };
        const events: TransportEvent[] = [];
        const records: string[] = [];
        const log = (obj: unknown, msg?: string) => records.push(JSON.stringify([obj, msg]));
        const transport = createTransport({
          fetch,
          secrets: [secret],
          retry: false,
          onEvent: (event) => events.push(event),
          logger: { debug: log, info: log, warn: log, error: log },
        });
        const error = (await transport(
          `https://shop.test/V1/integration/admin/token/${encodeURIComponent(secret)}`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'admin', password: secret }),
          },
        ).catch((e: unknown) => e)) as Error;
        const shown = [
          error.message,
          error.stack ?? '',
          JSON.stringify(error),
          JSON.stringify(events),
          ...records,
        ].join('\n');
        expect(shown).toContain(REDACTED);
        for (const spelling of encodingsOf(secret)) expect(shown).not.toContain(spelling);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('redactor.text removes every depth of a fixed hostile secret', () => {
    const secret = 'pa"ss\\wörd/+%&x';
    const redactor = createRedactor(() => [secret]);
    for (const spelling of encodingsOf(secret)) {
      expect(redactor.text(`before ${spelling} after`)).toBe(`before ${REDACTED} after`);
    }
  });

  it('does not throw on a secret with a lone surrogate and still removes it', () => {
    const secret = 'abc\ud800def';
    expect(createRedactor(() => [secret]).text(`x ${secret} y`)).toBe(`x ${REDACTED} y`);
  });
});
