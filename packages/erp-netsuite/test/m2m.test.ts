import { generateKeyPairSync } from 'node:crypto';
import { AuthRefusedError, ConfigError, HttpError, TimeoutError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import {
  createNetSuiteClient,
  getRecord,
  m2mClientAssertion,
  m2mTokenProvider,
} from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: { export(o: object): string | Buffer }, type: 'pkcs8' | 'spki') =>
  String(key.export({ type, format: 'pem' }));

function decode(jwt: string) {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString()),
  };
}

const m2mOf = (keys: typeof rsa) => ({
  clientId: 'client-abc',
  certificateId: 'cert-123',
  publicKey: pem(keys.publicKey, 'spki'),
});
const authOf = (keys: typeof rsa) => ({
  type: 'm2m' as const,
  clientId: 'client-abc',
  certificateId: 'cert-123',
  privateKey: pem(keys.privateKey, 'pkcs8'),
});

/** A client whose token endpoint first answers the given statuses, then the emulator's token. */
function outageSetup(accountId: string, statuses: number[], retry: { retries?: number } = {}) {
  const emulator = createNetSuiteEmulator({ accountId, m2m: m2mOf(rsa) });
  emulator.state.insert('customer', [{ companyName: 'Acme' }]);
  let attempts = 0;
  const client = createNetSuiteClient({
    accountId,
    baseUrl: 'https://emulator.test',
    auth: authOf(rsa),
    retry: { minDelayMs: 1, maxDelayMs: 5, ...retry },
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      if (request.url.endsWith('/auth/oauth2/v1/token')) {
        const status = statuses[attempts++];
        if (status !== undefined) {
          return new Response('<html>Service Unavailable</html>', {
            status,
            headers: { 'content-type': 'text/html' },
          });
        }
      }
      return emulator.fetch(request);
    },
  });
  return { client, emulator, tokenAttempts: () => attempts };
}

function inProcess(
  emulator: { fetch: (r: Request) => Promise<Response> },
  counter?: { token: number },
) {
  return async (input: string | URL | Request, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (counter && request.url.endsWith('/auth/oauth2/v1/token')) counter.token++;
    return emulator.fetch(request);
  };
}

describe('OAuth 2.0 client credentials (M2M)', () => {
  it('builds the documented JWT client assertion', () => {
    const jwt = m2mClientAssertion(
      {
        type: 'm2m',
        clientId: 'client-abc',
        certificateId: 'cert-123',
        privateKey: pem(rsa.privateKey, 'pkcs8'),
      },
      'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
      1_700_000_000_000,
    );
    const { header, payload } = decode(jwt);
    expect(header).toEqual({ alg: 'PS256', typ: 'JWT', kid: 'cert-123' });
    expect(payload).toMatchObject({
      iss: 'client-abc',
      scope: 'rest_webservices',
      aud: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
      iat: 1_700_000_000,
    });
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(3600);
  });

  it.each([['PS256', rsa] as const, ['ES256', ec] as const])(
    'gets a token with a %s assertion, caches it and shares it between clients',
    async (algorithm, keys) => {
      const accountId = `1234567_${algorithm}`;
      const emulator = createNetSuiteEmulator({
        accountId,
        m2m: {
          clientId: 'client-abc',
          certificateId: 'cert-123',
          publicKey: pem(keys.publicKey, 'spki'),
        },
      });
      emulator.state.insert('customer', [{ companyName: 'Acme' }]);
      const counter = { token: 0 };
      const options = {
        accountId,
        baseUrl: 'https://emulator.test',
        auth: {
          type: 'm2m' as const,
          clientId: 'client-abc',
          certificateId: 'cert-123',
          privateKey: pem(keys.privateKey, 'pkcs8'),
          algorithm,
        },
        fetch: inProcess(emulator, counter),
      };
      const a = createNetSuiteClient(options);
      const b = createNetSuiteClient(options);
      const results = await Promise.all([
        getRecord(a, 'customer', '1'),
        getRecord(b, 'customer', '1'),
        getRecord(a, 'customer', '1'),
      ]);
      expect(results.map((r) => r.companyName)).toEqual(['Acme', 'Acme', 'Acme']);
      expect(counter.token).toBe(1);
      expect(emulator.state.tokensIssued).toBe(1);
    },
  );

  it('is refused by the token endpoint when the assertion is signed with another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const accountId = '1234567_BADKEY';
    const emulator = createNetSuiteEmulator({
      accountId,
      m2m: {
        clientId: 'client-abc',
        certificateId: 'cert-123',
        publicKey: pem(rsa.publicKey, 'spki'),
      },
    });
    const privateKey = pem(other.privateKey, 'pkcs8');
    const client = createNetSuiteClient({
      accountId,
      baseUrl: 'https://emulator.test',
      auth: { type: 'm2m', clientId: 'client-abc', certificateId: 'cert-123', privateKey },
      fetch: inProcess(emulator),
      retry: false,
    });
    const error = await getRecord(client, 'customer', '1').catch((e: unknown) => e);
    // A refusal of the grant, not an outage: it names the OAuth error and says what to check.
    expect(error).toBeInstanceOf(AuthRefusedError);
    expect(error).toMatchObject({
      code: 'AUTH_REFUSED',
      status: 401,
      oauthError: 'invalid_client',
    });
    expect((error as Error).message).toMatch(/check the client id/);
    const text = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(text).not.toContain('PRIVATE KEY');
    expect(emulator.state.tokensIssued).toBe(0);
  });

  it('signs with the rotated key: a second client with a new key and its own fetch gets its own token', async () => {
    const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const accountId = '1234567_ROTATE';
    const m2m = (publicKey: string) => ({
      clientId: 'client-abc',
      certificateId: 'cert-1',
      publicKey,
    });
    // The old certificate's emulator, and the same account after the key was rotated.
    const before = createNetSuiteEmulator({ accountId, m2m: m2m(pem(rsa.publicKey, 'spki')) });
    const after = createNetSuiteEmulator({ accountId, m2m: m2m(pem(rotated.publicKey, 'spki')) });
    before.state.insert('customer', [{ companyName: 'Before' }]);
    after.state.insert('customer', [{ companyName: 'After' }]);
    const auth = (privateKey: string) =>
      ({ type: 'm2m', clientId: 'client-abc', certificateId: 'cert-1', privateKey }) as const;
    const old = createNetSuiteClient({
      accountId,
      baseUrl: 'https://emulator.test',
      auth: auth(pem(rsa.privateKey, 'pkcs8')),
      fetch: inProcess(before),
      retry: false,
    });
    expect((await getRecord(old, 'customer', '1')).companyName).toBe('Before');
    const renewed = createNetSuiteClient({
      accountId,
      baseUrl: 'https://emulator.test',
      auth: auth(pem(rotated.privateKey, 'pkcs8')),
      fetch: inProcess(after),
      retry: false,
    });
    expect((await getRecord(renewed, 'customer', '1')).companyName).toBe('After');
    expect(after.state.tokensIssued).toBe(1); // the emulator verified the new key's signature
    expect(after.state.authRejections).toBe(0);
    expect(before.state.tokensIssued).toBe(1);
    // The first client keeps its own token and key.
    expect((await getRecord(old, 'customer', '1')).companyName).toBe('Before');
    expect(before.state.tokensIssued).toBe(1);
  });

  it('keeps one token per fetch: the same credentials with another fetch ask their own token endpoint', async () => {
    const accountId = '1234567_FETCH';
    const m2m = {
      clientId: 'client-abc',
      certificateId: 'cert-1',
      publicKey: pem(rsa.publicKey, 'spki'),
    };
    const first = createNetSuiteEmulator({ accountId, m2m });
    const second = createNetSuiteEmulator({ accountId, m2m });
    first.state.insert('customer', [{ companyName: 'First' }]);
    second.state.insert('customer', [{ companyName: 'Second' }]);
    const auth = {
      type: 'm2m' as const,
      clientId: 'client-abc',
      certificateId: 'cert-1',
      privateKey: pem(rsa.privateKey, 'pkcs8'),
    };
    const base = { accountId, baseUrl: 'https://emulator.test', auth, retry: false as const };
    const a = createNetSuiteClient({ ...base, fetch: inProcess(first) });
    const b = createNetSuiteClient({ ...base, fetch: inProcess(second) });
    expect((await getRecord(a, 'customer', '1')).companyName).toBe('First');
    expect((await getRecord(b, 'customer', '1')).companyName).toBe('Second');
    expect([first.state.tokensIssued, second.state.tokensIssued]).toEqual([1, 1]);
  });

  it('shares one provider for the same key given as PEM or KeyObject, and none across keys, scopes or token URLs', () => {
    const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const options = {
      type: 'm2m' as const,
      clientId: 'client-abc',
      certificateId: 'cert-1',
      privateKey: pem(rsa.privateKey, 'pkcs8'),
    };
    const url = 'https://share.test/services/rest/auth/oauth2/v1/token';
    const provider = m2mTokenProvider(options, url);
    expect(m2mTokenProvider({ ...options }, url)).toBe(provider);
    expect(m2mTokenProvider({ ...options, privateKey: rsa.privateKey }, url)).toBe(provider);
    expect(m2mTokenProvider({ ...options, privateKey: rotated.privateKey }, url)).not.toBe(
      provider,
    );
    expect(m2mTokenProvider({ ...options, scope: ['rest_webservices', 'restlets'] }, url)).not.toBe(
      provider,
    );
    expect(m2mTokenProvider({ ...options, algorithm: 'PS384' }, url)).not.toBe(provider);
    expect(m2mTokenProvider(options, `${url}?other`)).not.toBe(provider);
    const ownFetch = (async () => new Response()) as typeof fetch;
    expect(m2mTokenProvider(options, url, { fetch: ownFetch })).not.toBe(provider);
    expect(m2mTokenProvider(options, url, { fetch: ownFetch })).toBe(
      m2mTokenProvider(options, url, { fetch: ownFetch }),
    );
  });

  it('retries a 503 from the token endpoint and gets its token', async () => {
    const { client, emulator, tokenAttempts } = outageSetup('1234567_T503', [503]);
    expect((await getRecord(client, 'customer', '1')).companyName).toBe('Acme');
    expect(tokenAttempts()).toBe(2);
    expect(emulator.state.tokensIssued).toBe(1);
  });

  it("an outage that outlives the client's retries is an outage, not a refusal of the credentials", async () => {
    const { client, tokenAttempts } = outageSetup('1234567_TDOWN', [503, 503, 503, 503, 503, 503], {
      retries: 2,
    });
    const error = await getRecord(client, 'customer', '1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBeInstanceOf(AuthRefusedError);
    expect(error).toMatchObject({ status: 503 });
    expect((error as Error).message).not.toMatch(/client id|secret|signing key/i);
    expect(tokenAttempts()).toBe(3); // the client's retry option: 1 + 2 retries
  });

  it.each([
    ['timeoutMs', { timeoutMs: 150 }],
    ['deadlineMs', { deadlineMs: 150 }],
  ] as const)('a hung token endpoint: the client gives up at its %s', async (_name, bound) => {
    const accountId = `1234567_HUNG${_name.length}`;
    const emulator = createNetSuiteEmulator({ accountId, m2m: m2mOf(rsa) });
    const client = createNetSuiteClient({
      accountId,
      baseUrl: 'https://emulator.test',
      auth: authOf(rsa),
      retry: false,
      ...bound,
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const request = input instanceof Request ? input : new Request(input, init);
        const signal = init?.signal ?? request.signal;
        if (!request.url.endsWith('/auth/oauth2/v1/token')) return emulator.fetch(request);
        // Never answers; only its signal ends the wait.
        return new Promise<Response>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
        });
      },
    });
    const error = await getRecord(client, 'customer', '1').catch((e: unknown) => e);
    // The client gave up at its own bound (not after the token request's 30 s default) and no
    // token was issued. Whether the hung token fetch itself is aborted at that moment is not
    // asserted: in a full run of this file it sometimes is not (an open defect, see the README).
    expect(error).toBeInstanceOf(TimeoutError);
    expect(emulator.state.tokensIssued).toBe(0);
  });

  it('rejects assertions that would live longer than 60 minutes and unsupported algorithms', () => {
    const base = {
      type: 'm2m' as const,
      clientId: 'c',
      certificateId: 'k',
      privateKey: pem(rsa.privateKey, 'pkcs8'),
    };
    expect(() =>
      createNetSuiteClient({
        accountId: '1234567_LIFE',
        auth: { ...base, assertionLifetimeSeconds: 7200 },
      }),
    ).toThrow(/assertionLifetimeSeconds.*60 minutes/);
    expect(() =>
      createNetSuiteClient({
        accountId: '1234567_ALG',
        auth: { ...base, algorithm: 'RS256' as never },
      }),
    ).toThrow(ConfigError);
  });
});
