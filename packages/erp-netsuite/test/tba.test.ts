import { createHmac } from 'node:crypto';
import { ConfigError, HttpError } from '@plumbline/client-core';
import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import { createNetSuiteClient, getRecord, listRecords } from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

const tba = {
  consumerKey: 'ck-tba-test',
  consumerSecret: 'cs-very-secret-value',
  tokenId: 'tid-tba-test',
  tokenSecret: 'ts-very-secret-value',
};

function parseOAuthHeader(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of header.replace(/^OAuth\s+/, '').matchAll(/(\w+)="([^"]*)"/g)) {
    out[m[1]!] = decodeURIComponent(m[2]!);
  }
  return out;
}

/** A client whose requests are captured before they reach the emulator. */
function capturingClient(accountId: string, handler: (r: Request) => Promise<Response>) {
  const seen: Request[] = [];
  const client = createNetSuiteClient({
    accountId,
    auth: { type: 'tba', ...tba },
    baseUrl: 'https://emulator.test',
    retry: false,
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      seen.push(request.clone());
      return handler(request);
    },
  });
  return { client, seen };
}

describe('token-based authentication (OAuth 1.0a, HMAC-SHA256)', () => {
  it('signs exactly as the independent oauth-1.0a package does, with the realm in upper case', async () => {
    const accountId = '1234567_sb1';
    const emulator = createNetSuiteEmulator({ accountId, tba });
    emulator.state.insert('customer', [{ companyName: 'Acme' }]);
    const { client, seen } = capturingClient(accountId, emulator.fetch);
    await listRecords(client, 'customer', { q: 'companyName START_WITH "Ac me"', limit: 5 });

    const request = seen[0]!;
    const header = request.headers.get('authorization')!;
    const params = parseOAuthHeader(header);
    expect(header.startsWith('OAuth realm="1234567_SB1"')).toBe(true);
    expect(params.oauth_signature_method).toBe('HMAC-SHA256');

    const reference = new OAuth({
      consumer: { key: tba.consumerKey, secret: tba.consumerSecret },
      signature_method: 'HMAC-SHA256',
      realm: '1234567_SB1',
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
    reference.getNonce = () => params.oauth_nonce!;
    reference.getTimeStamp = () => Number(params.oauth_timestamp);
    const expected = reference.authorize(
      { url: request.url, method: request.method },
      { key: tba.tokenId, secret: tba.tokenSecret },
    );
    expect(params.oauth_signature).toBe(expected.oauth_signature);
    expect(reference.toHeader(expected).Authorization).toContain('realm="1234567_SB1"');
    // The emulator accepted it.
    expect(emulator.state.authRejections).toBe(0);
  });

  it('is rejected by the emulator when tampered with, replayed or stale, with NetSuite 401', async () => {
    const accountId = '1234567';
    const emulator = createNetSuiteEmulator({ accountId, tba });
    emulator.state.insert('customer', [{ companyName: 'Acme' }]);
    const { client, seen } = capturingClient(accountId, emulator.fetch);
    await getRecord(client, 'customer', '1');
    const original = seen[0]!;

    // Tampered: same header, different query.
    const tamperedUrl = new URL(original.url);
    tamperedUrl.searchParams.set('fields', 'email');
    const tampered = await emulator.fetch(new Request(tamperedUrl, { headers: original.headers }));
    expect(tampered.status).toBe(401);
    expect(tampered.headers.get('www-authenticate')).toBe(
      'OAuth realm="1234567", error="token_rejected", error_description="Invalid login attempt."',
    );
    const body = (await tampered.json()) as any;
    expect(body['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_LOGIN');
    expect(body.status).toBe(401);

    // Replayed: the nonce was already used.
    const replay = await emulator.fetch(new Request(original.url, { headers: original.headers }));
    expect(replay.status).toBe(401);

    // Stale: the emulator's clock is an hour ahead of the signature.
    const later = createNetSuiteEmulator({ accountId, tba, now: () => Date.now() + 3_600_000 });
    const stale = await later.fetch(new Request(original.url, { headers: original.headers }));
    expect(stale.status).toBe(401);

    // A client with a wrong secret gets a typed error quoting NetSuite's detail, without secrets.
    const wrong = createNetSuiteClient({
      accountId,
      auth: { type: 'tba', ...tba, tokenSecret: 'a-wrong-secret' },
      baseUrl: 'https://emulator.test',
      retry: false,
      fetch: (input: string | URL | Request, init?: RequestInit) =>
        emulator.fetch(input instanceof Request ? input : new Request(input, init)),
    });
    const error = await getRecord(wrong, 'customer', '1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    const http = error as HttpError;
    expect(http.status).toBe(401);
    expect(http.vendorCode).toBe('INVALID_LOGIN');
    expect(http.message).toContain('Invalid login attempt');
    const serialized = JSON.stringify(http.toJSON()) + http.message + String(http.stack);
    for (const secret of [tba.consumerSecret, tba.tokenSecret, 'a-wrong-secret']) {
      expect(serialized).not.toContain(secret);
    }
  });

  it('refuses HMAC-SHA1 with a ConfigError that says why', () => {
    const attempt = () =>
      createNetSuiteClient({
        accountId: '1234567',
        auth: { type: 'tba', ...tba, signatureMethod: 'HMAC-SHA1' },
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/auth\.signatureMethod.*HMAC-SHA1.*2023\.1.*HMAC-SHA256/);
  });

  it('names a missing credential without printing the others', () => {
    let error: unknown;
    try {
      createNetSuiteClient({ accountId: '1234567', auth: { type: 'tba', ...tba, tokenId: '' } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('auth.tokenId');
    expect((error as ConfigError).message).not.toContain(tba.consumerSecret);
  });
});
