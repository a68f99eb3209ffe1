import { generateKeyPairSync } from 'node:crypto';
import {
  AuthRefusedError,
  HttpError,
  NetworkError,
  RateLimitError,
  TimeoutError,
} from '@plumbline/client-core';
import { listen, type RunningServer } from '@plumbline/client-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSalesforceClient,
  queryAll,
  type SalesforceAuth,
  type SalesforceClientOptions,
} from '../src/index.js';
import { createSalesforceEmulator } from '../src/testing.js';

/**
 * Salesforce's token endpoint over loopback HTTP, behind a proxy that can answer token requests
 * itself (an outage, a rate limit, a reset, a hung server) before letting them through.
 */
const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Fault = (n: number, request: Request) => Response | Promise<Response> | undefined;

async function org(fault: Fault) {
  const emulator = createSalesforceEmulator({
    clients: [{ clientId: 'app', clientSecret: 'app-secret-value', refreshTokens: ['rt-value'] }],
    jwt: { clientId: 'jwt-app', publicKey, username: 'integration@example.com' },
    seed: { Account: [{ Name: 'Acme' }] },
  });
  let tokenRequests = 0;
  const server = await listen(async (request) => {
    if (new URL(request.url).pathname === '/services/oauth2/token') {
      tokenRequests++;
      const injected = await fault(tokenRequests, request);
      if (injected) return injected;
    }
    return emulator.fetch(request);
  });
  servers.push(server);
  return { emulator, server, tokenRequests: () => tokenRequests };
}

const flows = (): [string, SalesforceAuth][] => [
  ['jwt', { type: 'jwt', clientId: 'jwt-app', username: 'integration@example.com', privateKey }],
  [
    'clientCredentials',
    { type: 'clientCredentials', clientId: 'app', clientSecret: 'app-secret-value' },
  ],
  [
    'refreshToken',
    {
      type: 'refreshToken',
      clientId: 'app',
      clientSecret: 'app-secret-value',
      refreshToken: 'rt-value',
    },
  ],
];

const fastRetry = { retries: 3, minDelayMs: 1, maxDelayMs: 10 };

const client = (url: string, auth: SalesforceAuth, extra: Partial<SalesforceClientOptions> = {}) =>
  createSalesforceClient({
    loginUrl: url,
    auth,
    retry: fastRetry,
    ...extra,
  });

const unavailable = () =>
  new Response(JSON.stringify({ error: 'temporarily_unavailable' }), {
    status: 503,
    headers: { 'content-type': 'application/json' },
  });

describe('Salesforce token requests under outages', () => {
  for (const [name, auth] of flows()) {
    it(`${name}: one 503 from the token endpoint is retried and the call goes through`, async () => {
      const o = await org((n) => (n === 1 ? unavailable() : undefined));
      const c = client(o.server.url, auth);
      const rows = await queryAll<{ Name: string }>(c, 'SELECT Name FROM Account');
      expect(rows.map((r) => r.Name)).toEqual(['Acme']);
      expect(o.tokenRequests()).toBe(2);
    });
  }

  it('retries a 429 with Retry-After and a reset connection', async () => {
    const o = await org((n) =>
      n === 1
        ? new Response('slow down', { status: 429, headers: { 'retry-after': '0' } })
        : n === 2
          ? Response.error()
          : undefined,
    );
    const c = client(o.server.url, flows()[1]![1]);
    expect(await queryAll(c, 'SELECT Name FROM Account')).toHaveLength(1);
    expect(o.tokenRequests()).toBe(3);
  });

  it('an outage that outlives the retries does not blame the credentials; a refusal does', async () => {
    const down = await org(() => unavailable());
    const outage = await queryAll(
      client(down.server.url, flows()[1]![1]),
      'SELECT Id FROM Account',
    ).catch((e) => e);
    expect(outage).toBeInstanceOf(HttpError);
    expect(outage).not.toBeInstanceOf(AuthRefusedError);
    expect(outage.status).toBe(503);
    expect(outage.message).not.toMatch(/client id|secret|check the/i);
    expect(down.tokenRequests()).toBe(fastRetry.retries + 1);

    const up = await org(() => undefined);
    const refused = await queryAll(
      client(up.server.url, {
        type: 'clientCredentials',
        clientId: 'app',
        clientSecret: 'wrong-secret',
      }),
      'SELECT Id FROM Account',
    ).catch((e) => e);
    expect(refused).toBeInstanceOf(AuthRefusedError);
    expect(refused.code).toBe('AUTH_REFUSED');
    expect(refused.oauthError).toBe('invalid_client');
    expect(refused.message).toMatch(/client id/);
    expect(JSON.stringify(refused.toJSON()) + refused.message).not.toContain('wrong-secret');
    expect(up.tokenRequests()).toBe(1); // a refusal is not retried

    const badGrant = await queryAll(
      client(up.server.url, {
        type: 'refreshToken',
        clientId: 'app',
        clientSecret: 'app-secret-value',
        refreshToken: 'revoked',
      }),
      'SELECT Id FROM Account',
    ).catch((e) => e);
    expect(badGrant).toBeInstanceOf(AuthRefusedError);
    expect(badGrant.oauthError).toBe('invalid_grant');
  });

  it('a refusal while renewing an expired session stays AuthRefusedError', async () => {
    let refuse = false;
    const o = await org(() =>
      refuse
        ? new Response(
            JSON.stringify({
              error: 'invalid_grant',
              error_description: 'expired access/refresh token',
            }),
            { status: 400, headers: { 'content-type': 'application/json' } },
          )
        : undefined,
    );
    const c = client(o.server.url, flows()[2]![1]);
    expect(await queryAll(c, 'SELECT Name FROM Account')).toHaveLength(1);
    refuse = true;
    o.emulator.state.expireSessions();
    const error = await queryAll(c, 'SELECT Name FROM Account').catch((e) => e);
    expect(error).toBeInstanceOf(AuthRefusedError);
    expect(error.oauthError).toBe('invalid_grant');
    expect(error.message).not.toContain('rt-value');
  });

  it('a rate limit and a dead endpoint stay RateLimitError and NetworkError', async () => {
    const limited = await org(
      () => new Response('busy', { status: 429, headers: { 'retry-after': '0' } }),
    );
    const rate = await queryAll(
      client(limited.server.url, flows()[1]![1]),
      'SELECT Id FROM Account',
    ).catch((e) => e);
    expect(rate).toBeInstanceOf(RateLimitError);
    const dead = await org(() => Response.error());
    const network = await queryAll(
      client(dead.server.url, flows()[1]![1]),
      'SELECT Id FROM Account',
    ).catch((e) => e);
    expect(network).toBeInstanceOf(NetworkError);
    expect(network.message).not.toMatch(/client id|secret/i);
  });

  it("honours the client's timeoutMs against a hung token server instead of waiting 30 s", async () => {
    const hung = await org(
      (_n, request) =>
        new Promise<Response>((resolve) =>
          request.signal.addEventListener('abort', () =>
            resolve(new Response(null, { status: 499 })),
          ),
        ),
    );
    const c = client(hung.server.url, flows()[1]![1], { timeoutMs: 150, retry: false });
    const error = await queryAll(c, 'SELECT Id FROM Account').catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(hung.tokenRequests()).toBe(1);
  }, 10_000);

  it("honours the client's deadlineMs across token retries", async () => {
    const hung = await org(
      (_n, request) =>
        new Promise<Response>((resolve) =>
          request.signal.addEventListener('abort', () =>
            resolve(new Response(null, { status: 499 })),
          ),
        ),
    );
    const c = client(hung.server.url, flows()[0]![1], {
      timeoutMs: 100,
      deadlineMs: 400,
      retry: { retries: 50, minDelayMs: 1, maxDelayMs: 5 },
    });
    const error = await queryAll(c, 'SELECT Id FROM Account').catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    // 50 retries were allowed; the deadline stopped them long before
    expect(hung.tokenRequests()).toBeLessThan(20);
  }, 10_000);
});
