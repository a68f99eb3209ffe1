import { createHmac } from 'node:crypto';
import { oauth1Header } from '@plumbline/client-core';
import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import { createCommerceEmulator } from './emulator.js';
import { hmacSignature, parseOAuthAuthorization, signatureBaseString } from './oauth1-verifier.js';

describe('the emulator OAuth 1.0a verifier (RFC 5849)', () => {
  it('builds the RFC 5849 section 3.4.1.1 example base string', () => {
    const header =
      'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"';
    const pairs = parseOAuthAuthorization(header) ?? [];
    const base = signatureBaseString({
      method: 'POST',
      url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      oauthParams: pairs.filter(([n]) => n !== 'realm' && n !== 'oauth_signature'),
      formBody: 'c2&a3=2+q',
    });
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
    // Section 3.4.1.2: scheme and host in lower case, default port left out.
    expect(
      signatureBaseString({
        method: 'get',
        url: 'HTTP://EXAMPLE.COM:80/r%20v/X?id=123',
        oauthParams: [],
      }),
    ).toBe('GET&http%3A%2F%2Fexample.com%2Fr%2520v%2FX&id%3D123');
    // The RFC prints bYT5CMsGcbgUdFHObYMEfcx6bsw=; the RFC errata correct it to this value,
    // for client secret j49sk3j29djd and token secret dh893hdasih9.
    expect(hmacSignature('HMAC-SHA1', base, 'j49sk3j29djd', 'dh893hdasih9')).toBe(
      'r6/TJjbCOr97/+UU0NsvSne7s5g=',
    );
  });

  const integration = {
    consumerKey: 'ck',
    consumerSecret: 'cs',
    accessToken: 'at',
    accessTokenSecret: 'ats',
  };
  const sign = (
    url: string,
    nonce: string,
    timestamp: string,
    method: 'HMAC-SHA256' | 'HMAC-SHA1' = 'HMAC-SHA256',
  ) =>
    oauth1Header({
      consumerKey: 'ck',
      consumerSecret: 'cs',
      token: 'at',
      tokenSecret: 'ats',
      signatureMethod: method,
      method: 'GET',
      url,
      nonce,
      timestamp,
    });

  function setup() {
    let now = 1_800_000_000_000;
    const emulator = createCommerceEmulator({
      integrations: [integration],
      now: () => now,
      seed: { products: [{ sku: 'MB-01', name: 'Bag', price: 1 }] },
    });
    const url = 'http://store.test/rest/default/V1/products/MB-01';
    const get = (authorization: string) =>
      emulator.fetch(new Request(url, { headers: { authorization } }));
    return {
      emulator,
      url,
      get,
      seconds: () => String(Math.floor(now / 1000)),
      advance: (ms: number) => {
        now += ms;
      },
    };
  }

  it('accepts HMAC-SHA256 and HMAC-SHA1 signatures and refuses a tampered one', async () => {
    const { url, get, seconds } = setup();
    expect((await get(sign(url, 'n1', seconds()))).status).toBe(200);
    expect((await get(sign(url, 'n2', seconds(), 'HMAC-SHA1'))).status).toBe(200);
    const tampered = sign(url, 'n3', seconds()).replace(
      /oauth_signature="[^"]+"/,
      'oauth_signature="AAAA"',
    );
    const refused = await get(tampered);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      message: 'The signature is invalid. Verify and try again.',
    });
  });

  it('refuses a replayed nonce', async () => {
    const { url, get, seconds } = setup();
    const header = sign(url, 'once', seconds());
    expect((await get(header)).status).toBe(200);
    const replay = await get(header);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { message: string }).message).toMatch(
      /nonce is already being used/,
    );
  });

  it('refuses a stale timestamp and one too far in the future', async () => {
    const { url, get, seconds, advance } = setup();
    const old = sign(url, 'old', seconds());
    advance(601_000);
    const stale = await get(old);
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { message: string }).message).toMatch(
      /Incorrect timestamp value/,
    );
    const future = sign(url, 'future', String(Number(seconds()) + 601));
    expect((await get(future)).status).toBe(401);
  });

  it('accepts what the independent oauth-1.0a package signs, with query and form data, and refuses its header with a wrong secret', async () => {
    const { emulator, seconds } = setup();
    const thirdParty = (consumerSecret: string, signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256') => {
      const oauth = new OAuth({
        consumer: { key: 'ck', secret: consumerSecret },
        signature_method: signatureMethod,
        hash_function: (base, key) =>
          createHmac(signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
            .update(base)
            .digest('base64'),
      });
      oauth.getTimeStamp = () => Number(seconds());
      return (method: string, url: string) =>
        oauth.toHeader(oauth.authorize({ url, method }, { key: 'at', secret: 'ats' }))
          .Authorization;
    };
    const search =
      'http://store.test/rest/default/V1/products?searchCriteria[pageSize]=5&searchCriteria[filter_groups][0][filters][0][field]=name&searchCriteria[filter_groups][0][filters][0][value]=%25B%C3%A4g%20%2B%25';
    for (const method of ['HMAC-SHA1', 'HMAC-SHA256'] as const) {
      const sign = thirdParty('cs', method);
      const one = await emulator.fetch(
        new Request('http://store.test/rest/default/V1/products/MB-01', {
          headers: {
            authorization: sign('GET', 'http://store.test/rest/default/V1/products/MB-01'),
          },
        }),
      );
      expect(one.status).toBe(200);
      expect(await one.json()).toMatchObject({ sku: 'MB-01' });
      const list = await emulator.fetch(
        new Request(search, { headers: { authorization: sign('GET', search) } }),
      );
      expect(list.status).toBe(200);
      const wrong = thirdParty('not-the-secret', method);
      const refused = await emulator.fetch(
        new Request(search, { headers: { authorization: wrong('GET', search) } }),
      );
      expect(refused.status).toBe(401);
    }
  });
});
