import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The emulator's own OAuth 1.0a verifier, written from RFC 5849 (not from our client's signer):
 * parse the Authorization header (section 3.5.1), build the signature base string (3.4.1),
 * HMAC-SHA1 or HMAC-SHA256 (the methods Magento's `Oauth::getSupportedSignatureMethods()`
 * lists), compare in constant time, and refuse a reused nonce or a timestamp outside the window.
 */

/** RFC 5849 section 3.6: unreserved characters stay, everything else is %XX of its UTF-8 bytes. */
export function oauthEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Section 3.5.1: `OAuth name="value", …` with percent-encoded values; undefined if not OAuth. */
export function parseOAuthAuthorization(header: string): [string, string][] | undefined {
  const match = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!match) return undefined;
  const out: [string, string][] = [];
  for (const part of (match[1] as string).split(',')) {
    const pair = /^\s*([^=\s]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!pair) return undefined;
    out.push([decodeURIComponent(pair[1] as string), decodeURIComponent(pair[2] as string)]);
  }
  return out;
}

/** Form decoding (W3C HTML 4.01 section 17.13.4): `+` is a space. */
function formPairs(text: string): [string, string][] {
  if (text === '') return [];
  return text.split('&').map((segment) => {
    const eq = segment.indexOf('=');
    const name = eq === -1 ? segment : segment.slice(0, eq);
    const value = eq === -1 ? '' : segment.slice(eq + 1);
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return [decode(name), decode(value)];
  });
}

/** Section 3.4.1: METHOD & encoded base URI & encoded normalized parameters. */
export function signatureBaseString(input: {
  method: string;
  url: string;
  /** Protocol parameters from the header, realm and oauth_signature already left out. */
  oauthParams: [string, string][];
  /** A form-encoded body (only when the content type is application/x-www-form-urlencoded). */
  formBody?: string;
}): string {
  const url = new URL(input.url);
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  const defaultPort =
    (scheme === 'http' && url.port === '80') || (scheme === 'https' && url.port === '443');
  const authority = `${url.hostname.toLowerCase()}${url.port && !defaultPort ? `:${url.port}` : ''}`;
  const baseUri = `${scheme}://${authority}${url.pathname}`;
  const params = [
    ...formPairs(url.search.slice(1)),
    ...input.oauthParams,
    ...(input.formBody === undefined ? [] : formPairs(input.formBody)),
  ]
    .map(([name, value]) => [oauthEncode(name), oauthEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return [oauthEncode(input.method.toUpperCase()), oauthEncode(baseUri), oauthEncode(params)].join(
    '&',
  );
}

export const OAUTH_SIGNATURE_METHODS = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256' } as const;

export function hmacSignature(
  method: keyof typeof OAUTH_SIGNATURE_METHODS,
  baseString: string,
  consumerSecret: string,
  tokenSecret: string,
): string {
  const key = `${oauthEncode(consumerSecret)}&${oauthEncode(tokenSecret)}`;
  return createHmac(OAUTH_SIGNATURE_METHODS[method], key).update(baseString).digest('base64');
}

/** Equal strings, compared in constant time over fixed-length digests (no length leak). */
export function timingSafeStringEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a === b;
}

/**
 * Remembers nonces per consumer for the timestamp window, within `capacity` entries. When full,
 * the oldest entry goes and the floor rises to its timestamp: a request at or below the floor is
 * refused as stale, so a forgotten nonce can never be replayed.
 */
export class NonceCache {
  readonly #seen = new Map<string, number>();
  #floor = Number.NEGATIVE_INFINITY;

  constructor(readonly capacity: number) {}

  get floor(): number {
    return this.#floor;
  }

  /** False when the nonce was already used (or is below the floor); records it otherwise. */
  use(key: string, timestamp: number, oldestAllowed: number): boolean {
    if (timestamp <= this.#floor) return false;
    for (const [k, ts] of this.#seen) {
      if (ts >= oldestAllowed) break;
      this.#seen.delete(k);
    }
    if (this.#seen.has(key)) return false;
    while (this.#seen.size >= this.capacity) {
      const [k, ts] = this.#seen.entries().next().value as [string, number];
      this.#seen.delete(k);
      this.#floor = Math.max(this.#floor, ts);
    }
    this.#seen.set(key, timestamp);
    return true;
  }
}
