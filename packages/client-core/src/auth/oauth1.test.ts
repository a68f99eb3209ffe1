import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { jsonResponse, listen, type RunningServer } from '../testing.js';
import { createTransport } from '../transport.js';
import { oauth1Auth, oauth1Encode, oauth1Header, oauth1SignatureBaseString } from './oauth1.js';

function headerParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.matchAll(/([a-z_]+)="([^"]*)"/g)) out[m[1]!] = decodeURIComponent(m[2]!);
  return out;
}

/** The independent implementation (npm oauth-1.0a) with HMAC-SHA256 and a fixed nonce/timestamp. */
function reference(options: {
  realm?: string;
  method: string;
  url: string;
  data?: Record<string, string>;
  nonce: string;
  timestamp: number;
}) {
  const oauth = new OAuth({
    consumer: { key: 'ck 3!x', secret: "cs*(s)'+é" },
    signature_method: 'HMAC-SHA256',
    hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    ...(options.realm ? { realm: options.realm } : {}),
  });
  oauth.getNonce = () => options.nonce;
  oauth.getTimeStamp = () => options.timestamp;
  const data = oauth.authorize(
    { url: options.url, method: options.method, ...(options.data ? { data: options.data } : {}) },
    { key: 'tok~en.1', secret: 'ts (secret) ☃' },
  );
  return { header: oauth.toHeader(data).Authorization, signature: data.oauth_signature };
}

const credentials = {
  consumerKey: 'ck 3!x',
  consumerSecret: "cs*(s)'+é",
  token: 'tok~en.1',
  tokenSecret: 'ts (secret) ☃',
};

describe('oauth1Header (RFC 5849)', () => {
  it('matches the worked example of section 1.2 (HMAC-SHA1)', () => {
    const header = oauth1Header({
      consumerKey: 'dpf43f3p2l4k3l03',
      consumerSecret: 'kd94hf93k423kf44',
      token: 'nnch734d00sl2jdk',
      tokenSecret: 'pfkkdhi9sl3r4s00',
      realm: 'Photos',
      signatureMethod: 'HMAC-SHA1',
      includeVersion: false,
      method: 'GET',
      url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
      nonce: 'chapoH',
      timestamp: 137131202,
    });
    expect(header).toBe(
      'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="chapoH", ' +
        'oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D", oauth_signature_method="HMAC-SHA1", ' +
        'oauth_timestamp="137131202", oauth_token="nnch734d00sl2jdk"',
    );
  });

  it('builds the base string of section 3.4.1.1 with query and form-body parameters', () => {
    const base = oauth1SignatureBaseString({
      method: 'POST',
      url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      bodyParams: new URLSearchParams('c2&a3=2+q'),
      oauthParams: {
        oauth_consumer_key: '9djdj82h48djs9d2',
        oauth_token: 'kkk9d7dh3k39sjv7',
        oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: '137131201',
        oauth_nonce: '7d8f3e4a',
      },
    });
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('normalizes the base string URI as in section 3.4.1.2', () => {
    const uri = (url: string) =>
      decodeURIComponent(
        oauth1SignatureBaseString({ method: 'get', url, oauthParams: [] }).split('&')[1]!,
      );
    expect(uri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123')).toBe('http://example.com/r%20v/X');
    expect(uri('https://www.example.net:8080/?q=1')).toBe('https://www.example.net:8080/');
    expect(uri('https://www.example.net:443/a')).toBe('https://www.example.net/a');
  });

  it('percent-encodes exactly as section 3.6', () => {
    expect(oauth1Encode("Ladies + Gentlemen!*'()")).toBe('Ladies%20%2B%20Gentlemen%21%2A%27%28%29');
    expect(oauth1Encode('az-AZ_09.~')).toBe('az-AZ_09.~');
    expect(oauth1Encode('☃é/=&')).toBe('%E2%98%83%C3%A9%2F%3D%26');
  });

  it('keeps realm in the header but out of the signature', () => {
    const common = {
      ...credentials,
      method: 'GET',
      url: 'https://a.test/x',
      nonce: 'n1',
      timestamp: 1,
    };
    const withRealm = headerParams(oauth1Header({ ...common, realm: '123456_SB1' }));
    const without = headerParams(oauth1Header(common));
    expect(withRealm.realm).toBe('123456_SB1');
    expect(without.realm).toBeUndefined();
    expect(withRealm.oauth_signature).toBe(without.oauth_signature);
  });

  it.each([
    [
      'GET',
      "https://acct.suitetalk.test/services/rest/record/v1/customer?q=name IS 'A (b)'&limit=5&x=a%2Bb*!",
    ],
    ['GET', 'https://acct.suitetalk.test/p/%E2%98%83?uni=caf%C3%A9&empty=&dup=2&dup=1'],
    ['POST', 'https://acct.suitetalk.test/restlet.nl?script=7&deploy=1'],
  ])('matches oauth-1.0a for HMAC-SHA256 with realm: %s %s', (method, rawUrl) => {
    const url = new URL(rawUrl).toString();
    const data =
      method === 'POST'
        ? { comment: "it's (50% off) + free!*", name: 'Zoë ☃', 'odd key': 'a&b=c' }
        : undefined;
    const ours = oauth1Header({
      ...credentials,
      realm: 'ACCT_SB1',
      method,
      url,
      ...(data ? { bodyParams: data } : {}),
      nonce: 'abcDEF123',
      timestamp: 1700000000,
    });
    const theirs = reference({
      realm: 'ACCT_SB1',
      method,
      url,
      ...(data ? { data } : {}),
      nonce: 'abcDEF123',
      timestamp: 1700000000,
    });
    expect(headerParams(ours)).toEqual(headerParams(theirs.header));
    expect(headerParams(ours).oauth_signature).toBe(theirs.signature);
    expect(headerParams(ours).oauth_signature_method).toBe('HMAC-SHA256');
    expect(headerParams(ours).oauth_version).toBe('1.0');
  });

  it('rejects incomplete credentials with ConfigError', () => {
    expect(() => oauth1Auth({ consumerKey: 'k', consumerSecret: '' })).toThrow(ConfigError);
    expect(() => oauth1Auth({ consumerKey: 'k', consumerSecret: 's', token: 't' })).toThrow(
      /`tokenSecret`/,
    );
    expect(() =>
      oauth1Auth({
        consumerKey: 'k',
        consumerSecret: 's',
        signatureMethod: 'PLAINTEXT' as 'HMAC-SHA1',
      }),
    ).toThrow(/`signatureMethod`/);
  });
});

describe('oauth1Auth through the transport', () => {
  let server: RunningServer | undefined;
  afterEach(async () => server?.close());

  it('signs query and form body, with a fresh nonce and a valid signature on every attempt', async () => {
    const seen: Array<{ nonce: string; valid: boolean }> = [];
    server = await listen(async (request) => {
      const params = headerParams(request.headers.get('authorization') ?? '');
      const body = Object.fromEntries(new URLSearchParams(await request.text()));
      const expected = reference({
        realm: 'ACCT_SB1',
        method: request.method,
        url: request.url,
        data: body,
        nonce: params.oauth_nonce!,
        timestamp: Number(params.oauth_timestamp),
      });
      seen.push({
        nonce: params.oauth_nonce!,
        valid: expected.signature === params.oauth_signature,
      });
      return seen.length === 1 ? jsonResponse({}, { status: 503 }) : jsonResponse({ ok: true });
    });
    const transport = createTransport({
      auth: oauth1Auth({ ...credentials, realm: 'ACCT_SB1' }),
      retry: { minDelayMs: 1, maxDelayMs: 5 },
    });
    const response = await transport(
      `${server.url}/app/site/hosting/restlet.nl?script=9&q=a%20b%2B(c)`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ note: "50% off! (it's) ☃ + *", empty: '' }).toString(),
      },
    );
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.valid)).toBe(true);
    expect(seen[0]!.nonce).not.toBe(seen[1]!.nonce);
  });
});
