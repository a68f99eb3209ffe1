import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { type Handler, jsonResponse, listen, type RunningServer } from '../testing.js';
import { createTransport } from '../transport.js';
import { verifyJwt } from './jwt.js';
import {
  clientCredentialsTokenProvider,
  jwtBearerTokenProvider,
  oauth2TokenProvider,
} from './oauth2.js';
import { type AccessToken, cachedTokenProvider, tokenAuth } from './token-provider.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: Handler) {
  const server = await listen(handler);
  servers.push(server);
  return server.url;
}

describe('cachedTokenProvider', () => {
  it('caches until refreshSkewMs before expiry and shares one fetch between concurrent callers', async () => {
    let clock = 1_000_000;
    let fetches = 0;
    const provider = cachedTokenProvider(
      async () => {
        fetches += 1;
        await new Promise((r) => setTimeout(r, 5));
        return { accessToken: `t${fetches}`, expiresAt: clock + 3_600_000 };
      },
      { refreshSkewMs: 60_000, now: () => clock },
    );
    const tokens = await Promise.all(Array.from({ length: 10 }, () => provider.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['t1']));
    expect(fetches).toBe(1);
    clock += 3_600_000 - 60_001;
    expect((await provider.getToken()).accessToken).toBe('t1');
    clock += 2;
    expect((await provider.getToken()).accessToken).toBe('t2');
    expect((await provider.getToken({ forceRefresh: true })).accessToken).toBe('t3');
    provider.invalidate('t1'); // not the cached one: no effect
    expect((await provider.getToken()).accessToken).toBe('t3');
    provider.invalidate('t3');
    expect((await provider.getToken()).accessToken).toBe('t4');
    expect(provider.secrets()).toEqual(['t1', 't2', 't3', 't4']);
  });

  it('does not cache failures', async () => {
    let n = 0;
    const provider = cachedTokenProvider(async () => {
      n += 1;
      if (n === 1) throw new Error('endpoint down');
      return { accessToken: 'ok' };
    });
    await expect(provider.getToken()).rejects.toThrow('endpoint down');
    expect((await provider.getToken()).accessToken).toBe('ok');
  });
});

describe('tokenAuth refresh on 401', () => {
  it('two concurrent 401s cause exactly one token refresh (loopback token endpoint)', async () => {
    let issued = 0;
    let current = '';
    let apiHits = 0;
    const url = await serve(async (request) => {
      const path = new URL(request.url).pathname;
      if (path === '/oauth2/token') {
        issued += 1;
        await new Promise((r) => setTimeout(r, 20));
        current = `access-${issued}`;
        return jsonResponse({ access_token: current, token_type: 'Bearer', expires_in: 3600 });
      }
      apiHits += 1;
      // the first token is revoked server-side right after being issued
      if (request.headers.get('authorization') !== 'Bearer access-2') {
        await new Promise((r) => setTimeout(r, 20));
        return jsonResponse({ error: 'invalid_token' }, { status: 401 });
      }
      return jsonResponse({ ok: true });
    });
    const provider = clientCredentialsTokenProvider({
      tokenUrl: `${url}/oauth2/token`,
      clientId: 'client',
      clientSecret: 'client-secret-value',
    });
    const transport = createTransport({ auth: tokenAuth(provider), retry: false });
    const [a, b] = await Promise.all([transport(`${url}/api/a`), transport(`${url}/api/b`)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(issued).toBe(2); // the initial token + ONE refresh
    expect(apiHits).toBe(4);
    expect(current).toBe('access-2');
  });

  it('re-sends only once: a second 401 is thrown as HttpError', async () => {
    let issued = 0;
    const provider = cachedTokenProvider(async (): Promise<AccessToken> => {
      issued += 1;
      return { accessToken: `never-valid-${issued}` };
    });
    const url = await serve(async () =>
      jsonResponse({ message: 'Session expired' }, { status: 401 }),
    );
    const transport = createTransport({ auth: tokenAuth(provider) });
    const error = (await transport(`${url}/x`).catch((e) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(401);
    expect(error.attempts).toBe(2);
    expect(issued).toBe(2);
  });
});

describe('oauth2TokenProvider', () => {
  it('client credentials: posts a form with the secret in the body or as HTTP Basic', async () => {
    const bodies: string[] = [];
    const auths: Array<string | null> = [];
    const url = await serve(async (request) => {
      bodies.push(await request.text());
      auths.push(request.headers.get('authorization'));
      return jsonResponse({ access_token: 'at', expires_in: 60, scope: 'read', instance_url: 'x' });
    });
    const post = clientCredentialsTokenProvider({
      tokenUrl: `${url}/token`,
      clientId: 'id 1',
      clientSecret: 's:ecret',
      scope: 'read',
    });
    const token = await post.getToken();
    expect(token.accessToken).toBe('at');
    expect(token.extra).toEqual({ scope: 'read', instance_url: 'x' });
    expect(Object.fromEntries(new URLSearchParams(bodies[0]))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'id 1',
      client_secret: 's:ecret',
      scope: 'read',
    });
    const basic = clientCredentialsTokenProvider({
      tokenUrl: `${url}/token`,
      clientId: 'id 1',
      clientSecret: 's:ecret',
      authMethod: 'client_secret_basic',
    });
    await basic.getToken();
    expect(auths[1]).toBe(`Basic ${Buffer.from('id%201:s%3Aecret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(bodies[1]))).toEqual({
      grant_type: 'client_credentials',
    });
  });

  it('turns an OAuth error answer into HttpError without the secret', async () => {
    const url = await serve(async (request) => {
      const body = await request.text();
      return jsonResponse(
        { error: 'invalid_client', error_description: `bad secret in ${body}` },
        { status: 401 },
      );
    });
    const provider = clientCredentialsTokenProvider({
      tokenUrl: `${url}/token`,
      clientId: 'c',
      clientSecret: 'TopSecret-123',
    });
    const error = (await provider.getToken().catch((e) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(401);
    expect(error.vendorCode).toBe('invalid_client');
    expect(error.message).toContain('Token request POST');
    expect(error.message).toContain('check the client id');
    expect(JSON.stringify(error)).not.toContain('TopSecret-123');
    expect(error.message).not.toContain('TopSecret-123');
  });

  it('JWT bearer (assertion) signs a fresh RS256 assertion the server can verify', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const assertions: string[] = [];
    const url = await serve(async (request) => {
      const form = new URLSearchParams(await request.text());
      expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
      const assertion = form.get('assertion')!;
      assertions.push(assertion);
      const verified = verifyJwt(assertion, publicKey);
      if (!verified) return jsonResponse({ error: 'invalid_grant' }, { status: 400 });
      const { iss, sub, aud, exp, iat } = verified.payload as Record<string, number | string>;
      expect([iss, sub, aud]).toEqual(['consumer-key', 'user@example.com', 'https://login.test']);
      expect(Number(exp) - Number(iat)).toBe(180);
      return jsonResponse({
        access_token: `sf-${assertions.length}`,
        instance_url: 'https://i.test',
      });
    });
    const provider = jwtBearerTokenProvider({
      tokenUrl: `${url}/services/oauth2/token`,
      issuer: 'consumer-key',
      subject: 'user@example.com',
      audience: 'https://login.test',
      privateKey: pem,
    });
    expect((await provider.getToken()).accessToken).toBe('sf-1');
    expect((await provider.getToken({ forceRefresh: true })).accessToken).toBe('sf-2');
    expect(assertions[0]).not.toBe(assertions[1]);
    expect(provider.secrets()).toEqual(expect.arrayContaining([pem, assertions[0], 'sf-1']));
  });

  it('client_assertion mode signs ES256 and PS256 assertions', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const url = await serve(async (request) => {
      const form = new URLSearchParams(await request.text());
      const key = form.get('client_id') === 'ec' ? ec.publicKey : rsa.publicKey;
      const verified = verifyJwt(form.get('client_assertion')!, key);
      const ok =
        form.get('grant_type') === 'client_credentials' &&
        form.get('client_assertion_type') ===
          'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' &&
        verified !== undefined;
      return ok
        ? jsonResponse({
            access_token: `${verified.header.alg}:${verified.payload.scope}`,
            expires_in: 3600,
          })
        : jsonResponse({ error: 'invalid_client' }, { status: 400 });
    });
    for (const [clientId, key, algorithm] of [
      ['ec', ec.privateKey, 'ES256'],
      ['rsa', rsa.privateKey, 'PS256'],
    ] as const) {
      const provider = jwtBearerTokenProvider({
        mode: 'client_assertion',
        tokenUrl: `${url}/token`,
        issuer: clientId,
        clientId,
        privateKey: key,
        algorithm,
        kid: 'cert-1',
        scope: ['restlets', 'rest_webservices'],
      });
      expect((await provider.getToken()).accessToken).toBe(
        `${algorithm}:restlets,rest_webservices`,
      );
    }
  });

  it('accepts a custom parse and params for refresh_token grants', async () => {
    const url = await serve(async () => jsonResponse({ token: 'custom', ttl: 10 }));
    const provider = oauth2TokenProvider({
      tokenUrl: `${url}/token`,
      params: () => ({ grant_type: 'refresh_token', refresh_token: 'rt-123456' }),
      parse: (body) => ({ accessToken: body.token, expiresAt: Date.now() + body.ttl * 1000 }),
    });
    expect((await provider.getToken()).accessToken).toBe('custom');
    expect(provider.secrets()).toContain('rt-123456');
  });
});
