import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAuth } from './auth/bearer.js';
import { oauth1Auth } from './auth/oauth1.js';
import { clientCredentialsTokenProvider, jwtBearerTokenProvider } from './auth/oauth2.js';
import type { AuthStrategy } from './auth/strategy.js';
import { tokenAuth } from './auth/token-provider.js';
import type { TransportEvent } from './events.js';
import { createRedactor } from './redact.js';
import { jsonResponse, listen, type RunningServer } from './testing.js';
import { createTransport } from './transport.js';

/**
 * A hostile server: it echoes every credential it receives back in error bodies, headers and
 * messages, and issues tokens. Whatever the client emits (events, log lines, errors) must not
 * contain any secret value.
 */
const seen = new Set<string>(); // every credential value the server observed on the wire
let server: RunningServer;
let issued = 0;

beforeAll(async () => {
  server = await listen(async (request) => {
    const url = new URL(request.url);
    const body = await request.text();
    const authorization = request.headers.get('authorization') ?? '';
    if (authorization) seen.add(authorization);
    for (const m of authorization.matchAll(/oauth_(?:signature|token)="([^"]+)"/g)) {
      seen.add(m[1]!);
      seen.add(decodeURIComponent(m[1]!));
    }
    const form = new URLSearchParams(body);
    for (const name of ['client_secret', 'assertion', 'client_assertion']) {
      const value = form.get(name);
      if (value) seen.add(value);
    }
    if (url.pathname === '/token') {
      if (form.get('grant_type')?.includes('jwt-bearer')) {
        return jsonResponse(
          {
            error: 'invalid_grant',
            error_description: `assertion ${form.get('assertion')} rejected`,
            echo: body,
          },
          { status: 400 },
        );
      }
      issued += 1;
      const token = `access-${issued}-SECRET-${'x'.repeat(20)}`;
      seen.add(token);
      seen.add(`refresh-${issued}-SECRET`);
      return jsonResponse({
        access_token: token,
        refresh_token: `refresh-${issued}-SECRET`,
        expires_in: 3600,
      });
    }
    const status = url.pathname.endsWith('/unauthorized') ? 401 : 503;
    return jsonResponse(
      {
        message: `Rejected credentials ${authorization} for ${url.search} body=${body}`,
        errors: [{ detail: authorization, password: url.searchParams.get('password') }],
        access_token: authorization.split(' ')[1],
      },
      {
        status,
        headers: {
          'x-request-id': `req ${authorization}`,
          'www-authenticate': `Bearer error="invalid_token", token="${authorization}"`,
        },
      },
    );
  });
});
afterAll(async () => server.close());

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const staticSecrets = [
  'bearer-SECRET-aaaa1111',
  'consumer-SECRET-cs',
  'token-SECRET-tok',
  'tokensecret-SECRET-ts',
  'client-SECRET-value!',
  'hunter2-SECRET',
  pem,
  pem.split('\n')[5]!, // a line of the key body
];

async function failingRun(auth: AuthStrategy, path: string, init?: RequestInit) {
  const events: TransportEvent[] = [];
  const lines: unknown[] = [];
  const logger = {
    debug: (o: object, m?: string) => lines.push([o, m]),
    info: (o: object, m?: string) => lines.push([o, m]),
    warn: (o: object, m?: string) => lines.push([o, m]),
    error: (o: object, m?: string) => lines.push([o, m]),
  };
  const transport = createTransport({
    auth,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
    onEvent: (e) => events.push(e),
    logger,
  });
  const error = await transport(`${server.url}${path}`, init).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  return [
    JSON.stringify(events),
    JSON.stringify(lines),
    JSON.stringify(error),
    String(error),
    error?.stack ?? '',
    inspect(error, { depth: 6 }),
    ...events.map((e) => inspect(e, { depth: 6 })),
  ].join('\n');
}

function leaks(output: string): string[] {
  const secrets = [...staticSecrets, ...seen].filter((s) => s.length >= 6);
  return secrets.filter((s) => output.includes(s) || output.includes(encodeURIComponent(s)));
}

describe('redaction of a failing run, per auth strategy', () => {
  it('bearer', async () => {
    const out = await failingRun(
      bearerAuth('bearer-SECRET-aaaa1111'),
      '/api/x?password=hunter2-SECRET&q=1',
    );
    expect(out).toContain('HTTP_ERROR');
    expect(out).toContain('[REDACTED]');
    expect(leaks(out)).toEqual([]);
  });

  it('OAuth 1.0a (signatures and token values included)', async () => {
    const auth = oauth1Auth({
      consumerKey: 'ck',
      consumerSecret: 'consumer-SECRET-cs',
      token: 'token-SECRET-tok',
      tokenSecret: 'tokensecret-SECRET-ts',
      realm: 'ACCT',
    });
    const out = await failingRun(auth, '/api/y', {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'password=hunter2-SECRET&a=1',
    });
    expect([...seen].some((s) => s.startsWith('OAuth '))).toBe(true);
    expect(leaks(out)).toEqual([]);
  });

  it('OAuth 2.0 client credentials with refresh on 401', async () => {
    const provider = clientCredentialsTokenProvider({
      tokenUrl: `${server.url}/token`,
      clientId: 'cid',
      clientSecret: 'client-SECRET-value!',
    });
    const out = await failingRun(tokenAuth(provider), '/api/unauthorized');
    expect(issued).toBeGreaterThanOrEqual(2); // refreshed once
    expect(out).toContain('"status":401');
    expect(leaks(out)).toEqual([]);
  });

  it('OAuth 2.0 JWT bearer whose token endpoint echoes the assertion', async () => {
    const provider = jwtBearerTokenProvider({
      tokenUrl: `${server.url}/token`,
      issuer: 'cid',
      subject: 'user',
      privateKey: pem,
    });
    const out = await failingRun(tokenAuth(provider), '/api/z');
    expect(out).toContain('invalid_grant');
    expect([...seen].some((s) => s.split('.').length === 3)).toBe(true);
    expect(leaks(out)).toEqual([]);
  });
});

describe('createRedactor', () => {
  const r = createRedactor(() => ['s3cr3t-value', 'a b+c/d']);
  it('scrubs literal secrets in plain, URL-encoded and JSON-escaped forms', () => {
    expect(r.text('x s3cr3t-value y')).toBe('x [REDACTED] y');
    expect(r.text('q=a%20b%2Bc%2Fd&z=a+b%2Bc%2Fd')).toBe('q=[REDACTED]&z=[REDACTED]');
  });
  it('scrubs credential patterns without knowing the values', () => {
    expect(r.text('Authorization: Bearer eyJhbGciOi.abc.def')).toBe(
      'Authorization: Bearer [REDACTED]',
    );
    expect(r.text('oauth_token="abc", oauth_signature="xyz%3D"')).toBe(
      'oauth_token="[REDACTED]", oauth_signature="[REDACTED]"',
    );
    expect(r.text('{"access_token":"tok","client_secret":"cs","password":"pw"}')).toBe(
      '{"access_token":"[REDACTED]","client_secret":"[REDACTED]","password":"[REDACTED]"}',
    );
    expect(r.text(`key ${pem.trim()} end`)).toBe('key [REDACTED] private key end');
    expect(r.text(JSON.stringify({ m: 'oauth_signature="abc" password="pw1"' }))).toBe(
      '{"m":"oauth_signature=\\"[REDACTED]\\" password=\\"[REDACTED]\\""}',
    );
  });
  it('redacts URLs and headers', () => {
    expect(r.url('https://u:p@h.test/a?access_token=t&sig=1&page=2')).toBe(
      'https://redacted:redacted@h.test/a?access_token=[REDACTED]&sig=[REDACTED]&page=2',
    );
    expect(
      r.headers(
        new Headers({ authorization: 'Basic abc', 'x-note': 'has s3cr3t-value', accept: 'a' }),
      ),
    ).toEqual({ accept: 'a', authorization: '[REDACTED]', 'x-note': 'has [REDACTED]' });
  });
});
