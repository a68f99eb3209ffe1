import { createHmac, timingSafeEqual } from 'node:crypto';

/** Token-based authentication credentials the emulator accepts. */
export interface TbaCredentials {
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export type OAuth1Verdict = { ok: true } | { ok: false; reason: string };

/** RFC 3986 percent-encoding as OAuth 1.0a (RFC 5849 section 3.6) wants it. */
function enc(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function parseHeader(header: string): Map<string, string> | undefined {
  if (!/^OAuth\s+/i.test(header)) return undefined;
  const params = new Map<string, string>();
  const re = /([A-Za-z0-9_]+)\s*=\s*"([^"]*)"/g;
  for (const m of header.replace(/^OAuth\s+/i, '').matchAll(re)) {
    params.set(m[1]!, decodeURIComponent(m[2]!));
  }
  return params;
}

/** The base string URI: scheme and host lower case, default port dropped, no query or fragment. */
function baseUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const defaultPort =
    (scheme === 'http:' && url.port === '80') || (scheme === 'https:' && url.port === '443');
  const host = url.hostname.toLowerCase() + (url.port && !defaultPort ? `:${url.port}` : '');
  return `${scheme}//${host}${url.pathname}`;
}

/**
 * Verifies NetSuite token-based authentication: OAuth 1.0a, HMAC-SHA256 only, realm = the account
 * (not part of the signature), timestamp within the allowed skew, nonce never seen before.
 */
export class OAuth1Verifier {
  private readonly seenNonces = new Map<string, number>();

  constructor(
    private readonly credentials: TbaCredentials,
    private readonly realm: string,
    private readonly now: () => number,
    private readonly maxSkewSeconds = 300,
  ) {}

  verify(request: Request, formBody?: URLSearchParams): OAuth1Verdict {
    const header = request.headers.get('authorization');
    const params = header ? parseHeader(header) : undefined;
    if (!params) return { ok: false, reason: 'no OAuth Authorization header' };
    if (params.get('realm') !== this.realm) return { ok: false, reason: 'wrong realm' };
    if (params.get('oauth_signature_method') !== 'HMAC-SHA256') {
      return { ok: false, reason: 'signature method is not HMAC-SHA256' };
    }
    if ((params.get('oauth_version') ?? '1.0') !== '1.0')
      return { ok: false, reason: 'bad version' };
    if (params.get('oauth_consumer_key') !== this.credentials.consumerKey) {
      return { ok: false, reason: 'unknown consumer key' };
    }
    if (params.get('oauth_token') !== this.credentials.tokenId) {
      return { ok: false, reason: 'unknown token' };
    }
    const timestamp = Number(params.get('oauth_timestamp'));
    const nowSeconds = Math.floor(this.now() / 1000);
    if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > this.maxSkewSeconds) {
      return { ok: false, reason: 'timestamp outside the allowed window' };
    }
    const nonce = params.get('oauth_nonce');
    if (!nonce) return { ok: false, reason: 'missing nonce' };
    const signature = params.get('oauth_signature');
    if (!signature) return { ok: false, reason: 'missing signature' };

    const url = new URL(request.url);
    const pairs: [string, string][] = [];
    for (const [k, v] of url.searchParams) pairs.push([enc(k), enc(v)]);
    if (formBody) for (const [k, v] of formBody) pairs.push([enc(k), enc(v)]);
    for (const [k, v] of params) {
      if (k === 'realm' || k === 'oauth_signature') continue;
      pairs.push([enc(k), enc(v)]);
    }
    pairs.sort((a, b) =>
      a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1,
    );
    const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
    const base = `${request.method.toUpperCase()}&${enc(baseUri(url))}&${enc(normalized)}`;
    const key = `${enc(this.credentials.consumerSecret)}&${enc(this.credentials.tokenSecret)}`;
    const expected = createHmac('sha256', key).update(base).digest();
    let given: Buffer;
    try {
      given = Buffer.from(signature, 'base64');
    } catch {
      return { ok: false, reason: 'signature is not base64' };
    }
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'signature mismatch' };
    }
    // A nonce is remembered only once the signature is valid, so a forger cannot burn nonces.
    const nonceKey = `${timestamp}:${nonce}`;
    if (this.seenNonces.has(nonceKey)) return { ok: false, reason: 'nonce already used' };
    this.seenNonces.set(nonceKey, timestamp);
    if (this.seenNonces.size > 50_000) this.prune(nowSeconds);
    return { ok: true };
  }

  private prune(nowSeconds: number): void {
    for (const [key, ts] of this.seenNonces) {
      if (Math.abs(nowSeconds - ts) > this.maxSkewSeconds) this.seenNonces.delete(key);
    }
  }
}
