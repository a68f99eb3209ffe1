import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthRefusedError,
  HttpError,
  NetworkError,
  RateLimitError,
  TimeoutError,
} from '../errors.js';
import { type Handler, jsonResponse, listen, type RunningServer } from '../testing.js';
import { createTransport } from '../transport.js';
import {
  clientCredentialsTokenProvider,
  jwtBearerTokenProvider,
  oauth2TokenProvider,
} from './oauth2.js';
import { type TokenProvider, tokenAuth } from './token-provider.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(handler: Handler) {
  const server = await listen(handler);
  servers.push(server);
  return server.url;
}

/** The settled outcome of `promise`, or 'still waiting' if it has not settled within `ms` (a bound, not an assertion on time). */
async function within(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise((resolve) => {
    timer = setTimeout(() => resolve('still waiting'), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ value }),
        (error: unknown) => error,
      ),
      guard,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const SECRET = 'Cl1ent-S3cret!"\\';
const fast = { retries: 2, minDelayMs: 1, maxDelayMs: 5 };

/** A token server answering the given statuses first (echoing the request body), then a token. */
function flaky(failures: Array<number | 'reset'>, counter: { requests: number }): Handler {
  return async (request) => {
    counter.requests += 1;
    const body = await request.text();
    const failure = failures[counter.requests - 1];
    if (failure === 'reset') return Response.error();
    if (failure !== undefined) {
      return jsonResponse(
        { error: 'server_error', error_description: `overloaded while handling ${body}` },
        { status: failure, headers: failure === 429 ? { 'retry-after': '0' } : {} },
      );
    }
    return jsonResponse({ access_token: `tok-${counter.requests}`, expires_in: 3600 });
  };
}

function providers(tokenUrl: string): Array<[string, TokenProvider]> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return [
    [
      'oauth2TokenProvider',
      oauth2TokenProvider({
        tokenUrl,
        params: () => ({ grant_type: 'refresh_token', refresh_token: SECRET }),
        retry: fast,
      }),
    ],
    [
      'clientCredentialsTokenProvider',
      clientCredentialsTokenProvider({
        tokenUrl,
        clientId: 'client',
        clientSecret: SECRET,
        retry: fast,
      }),
    ],
    [
      'jwtBearerTokenProvider',
      jwtBearerTokenProvider({
        tokenUrl,
        mode: 'client_assertion',
        issuer: 'client',
        privateKey,
        algorithm: 'ES256',
        retry: fast,
      }),
    ],
  ];
}

describe('token requests under outages', () => {
  it('every provider retries a 503 and then gets its token', async () => {
    for (const name of ['oauth2', 'clientCredentials', 'jwtBearer']) {
      const counter = { requests: 0 };
      const url = await serve(flaky([503], counter));
      const [, provider] = providers(`${url}/token`).find(([n]) => n.startsWith(name))!;
      expect(await within(provider.getToken(), 4_000)).toEqual({
        value: expect.objectContaining({ accessToken: 'tok-2' }),
      });
      expect(counter.requests).toBe(2);
    }
  });

  it('retries a 429 with Retry-After and a reset connection', async () => {
    const counter = { requests: 0 };
    const url = await serve(flaky([429, 'reset'], counter));
    const [[, provider]] = providers(`${url}/token`) as [[string, TokenProvider]];
    expect(await within(provider.getToken(), 4_000)).toEqual({
      value: expect.objectContaining({ accessToken: 'tok-3' }),
    });
    expect(counter.requests).toBe(3);
  });

  it('a hung token server with timeoutMs 200 gives a TimeoutError, not a 30 s wait', async () => {
    let requests = 0;
    const url = await serve(() => {
      requests += 1;
      return new Promise<Response>(() => {});
    });
    const provider = clientCredentialsTokenProvider({
      tokenUrl: `${url}/token`,
      clientId: 'client',
      clientSecret: SECRET,
      timeoutMs: 200,
      retry: false,
    });
    const error = await within(provider.getToken(), 4_000);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'attempt', timeoutMs: 200 });
    expect((error as Error).message).not.toContain('client id');
    // retry: false; on a loaded machine the request may not even reach the server in 200 ms.
    expect(requests).toBeLessThanOrEqual(1);
  });

  it('deadlineMs bounds the token request with its retries', async () => {
    const url = await serve(() => new Promise<Response>(() => {}));
    const provider = oauth2TokenProvider({
      tokenUrl: `${url}/token`,
      params: () => ({ grant_type: 'client_credentials' }),
      timeoutMs: 100,
      deadlineMs: 350,
      retry: { retries: 100, minDelayMs: 1, maxDelayMs: 5 },
    });
    const error = await within(provider.getToken(), 4_000);
    // Either the deadline fired, or the transport stopped because the next wait would not fit in
    // it (then the last attempt's timeout is reported); 100 retries of 100 ms never happen.
    expect(error).toBeInstanceOf(TimeoutError);
    const { kind, attempts } = error as TimeoutError;
    expect(kind === 'deadline' || (kind === 'attempt' && attempts < 10)).toBe(true);
  });

  it("a transport's timeoutMs bounds the wait for its token provider's hung endpoint", async () => {
    const tokenUrl = `${await serve(() => new Promise<Response>(() => {}))}/token`;
    const api = await serve(async () => jsonResponse({ ok: true }));
    // The provider keeps its 30 s default; the transport around it says 200 ms.
    const provider = clientCredentialsTokenProvider({
      tokenUrl,
      clientId: 'client',
      clientSecret: SECRET,
    });
    const transport = createTransport({ auth: tokenAuth(provider), timeoutMs: 200, retry: false });
    const error = await within(transport(`${api}/things`), 4_000);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'attempt', timeoutMs: 200 });
  });
});

describe('token request errors: refusal versus outage', () => {
  it('a refusal names the OAuth error code and says what to check', async () => {
    for (const [status, code] of [
      [400, 'invalid_grant'],
      [401, 'invalid_client'],
    ] as const) {
      let requests = 0;
      const url = await serve(async (request) => {
        requests += 1;
        return jsonResponse(
          { error: code, error_description: `rejected ${await request.text()}` },
          { status },
        );
      });
      const [, provider] = providers(`${url}/token`)[1]!;
      const error = (await within(provider.getToken(), 4_000)) as AuthRefusedError;
      expect(error).toBeInstanceOf(AuthRefusedError);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ code: 'AUTH_REFUSED', status, oauthError: code });
      expect(error.message).toContain(`OAuth error ${code}`);
      expect(error.message).toContain('check the client id');
      expect(requests).toBe(1); // a refusal is not retried
      const shown = `${error.message} ${JSON.stringify(error)} ${await error.response?.text()}`;
      expect(shown).not.toContain('Cl1ent-S3cret');
    }
  });

  it('an outage that outlives the retries is a retryable HttpError that does not blame the credentials', async () => {
    const counter = { requests: 0 };
    const url = await serve(flaky([503, 503, 503, 503], counter));
    const [, provider] = providers(`${url}/token`)[1]!;
    const error = (await within(provider.getToken(), 4_000)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error).not.toBeInstanceOf(AuthRefusedError);
    expect(error).toMatchObject({ code: 'HTTP_ERROR', status: 503, attempts: 3 });
    expect(counter.requests).toBe(3);
    expect(error.message).toContain('an outage, not a refusal of the credentials');
    expect(error.message).not.toMatch(/check the client id|secret or signing key/);
    const shown = `${error.message} ${JSON.stringify(error)} ${await error.response?.text()}`;
    expect(shown).not.toContain('Cl1ent-S3cret');
  });

  it('a rate limit and a dead endpoint are outages too: RateLimitError and NetworkError', async () => {
    const counter = { requests: 0 };
    const limited = await serve(flaky([429, 429, 429], counter));
    const [, provider] = providers(`${limited}/token`)[1]!;
    const rateLimited = (await within(provider.getToken(), 4_000)) as RateLimitError;
    expect(rateLimited).toBeInstanceOf(RateLimitError);
    expect(rateLimited.message).not.toContain('client id');

    const dead = await serve(async () => Response.error());
    const [, deadProvider] = providers(`${dead}/token`)[1]!;
    const network = (await within(deadProvider.getToken(), 4_000)) as NetworkError;
    expect(network).toBeInstanceOf(NetworkError);
    expect(network).toMatchObject({ code: 'NETWORK_ERROR', attempts: 3 });
    expect(network.message).not.toContain('client id');
  });
});
