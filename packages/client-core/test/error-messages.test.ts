// Every error client-core can raise reads as sentences: no doubled punctuation ("…View Login
// Audit Trail.. The credentials…"), no "?.", no stray whitespace, one terminator at the end,
// whatever the vendor's or the caller's text it carries ended with.
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import {
  AbortedError,
  AuthRefusedError,
  ConfigError,
  createTransport,
  HttpError,
  NetworkError,
  PartitionReadError,
  PlumblineError,
  RateLimitError,
  RequestFailedError,
  TimeoutError,
} from '../src/index.js';
import * as testingApi from '../src/testing.js';
import { EmulatorSnapshotError, listen } from '../src/testing.js';
import { ENDINGS, errorClasses, expectSentences, sentenceFlaws } from './support/sentences.js';

const url = 'https://api.example.test/v1/things/7?expand=all';
const http = { method: 'GET', url, status: 503, statusText: 'Service Unavailable' };

const cases: Record<string, api.PlumblineError[]> = {
  PlumblineError: ENDINGS.map(
    (text) => new PlumblineError('SOME_CODE', `Something failed: ${text}`),
  ),
  HttpError: ENDINGS.flatMap((text) => [
    new HttpError({ ...http, vendorMessage: text }),
    new HttpError({
      ...http,
      vendorCode: 'E1',
      vendorMessage: text,
      note: 'not retried: a POST',
      requestId: 'r-1',
      attempts: 3,
    }),
    new HttpError({
      ...http,
      status: 401,
      statusText: 'Unauthorized',
      vendorMessage: `first line\n${text}`,
    }),
    new HttpError({ ...http, message: `A message of its own that ${text}` }),
  ]),
  RateLimitError: ENDINGS.map(
    (text) =>
      new RateLimitError({ ...http, status: 429, vendorMessage: text, retryAfterMs: 2_000 }),
  ),
  AuthRefusedError: ENDINGS.map(
    (text) =>
      new AuthRefusedError({
        ...http,
        status: 400,
        vendorCode: 'invalid_grant',
        vendorMessage: text,
        oauthError: 'invalid_grant',
      }),
  ),
  TimeoutError: [
    new TimeoutError({ method: 'GET', url, timeoutMs: 200, kind: 'attempt', attempts: 2 }),
    new TimeoutError({ method: 'GET', url, timeoutMs: 5_000, kind: 'deadline' }),
    ...ENDINGS.map(
      (text) =>
        new TimeoutError({
          method: 'GET',
          url,
          timeoutMs: 1,
          kind: 'attempt',
          message: `Waited, and ${text}`,
        }),
    ),
  ],
  NetworkError: [
    new NetworkError({ method: 'POST', url, causeCode: 'ECONNRESET', attempts: 4 }),
    ...ENDINGS.map(
      (text) => new NetworkError({ method: 'POST', url, note: `not retried: ${text}` }),
    ),
  ],
  AbortedError: [
    new AbortedError({ method: 'GET', url }),
    ...ENDINGS.map((text) => new AbortedError({ method: 'GET', url, message: `The wait ${text}` })),
  ],
  ConfigError: ENDINGS.map(
    (text) => new ConfigError('timeoutMs', `must be a positive number; it ${text}`),
  ),
  RequestFailedError: ENDINGS.map(
    (text) => new RequestFailedError({ method: 'GET', url, reason: `the limiter backend ${text}` }),
  ),
  EmulatorSnapshotError: ENDINGS.map(
    (text) => new EmulatorSnapshotError('orders', `must be an array; it ${text}`),
  ),
  PartitionReadError: ENDINGS.map(
    (text) => new PartitionReadError(2, 'id > 1000 AND id <= 2000', new Error(`the range ${text}`)),
  ),
};

describe('error messages read as sentences', () => {
  it('covers every error class client-core exports', () => {
    const exported = [
      ...errorClasses(api, PlumblineError),
      ...errorClasses(testingApi, PlumblineError),
    ];
    expect(Object.keys(cases).sort()).toEqual([...new Set(exported)].sort());
  });

  it('every error, whatever its inner text ended with, has no doubled punctuation and one terminator', () => {
    expectSentences(cases);
  });

  it('a refusal whose message ends in a period, answered through the transport, reads "…View Login Audit Trail. The credentials…"', async () => {
    const server = await listen(
      async () =>
        new Response(
          JSON.stringify({
            message:
              'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
          }),
          { status: 401, headers: { 'content-type': 'application/json' } },
        ),
    );
    try {
      const error = await createTransport({ retry: false })(
        `${server.url}/services/rest/record/v1/customer/1`,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      const { message } = error as HttpError;
      expect(message).toContain('View Login Audit Trail. The credentials were rejected');
      expect(sentenceFlaws(message)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('the checker itself catches each flaw', () => {
    expect(sentenceFlaws('Trail.. The credentials were rejected.')).toContain('a doubled period');
    expect(sentenceFlaws('Expired token?. Sign in again.')).toContain(
      'a period after a question or exclamation mark',
    );
    expect(sentenceFlaws('It failed. . Retry.')).toContain('a period after a period');
    expect(sentenceFlaws('It failed \n. Retry.')).toContain('whitespace at the end of a line');
    expect(sentenceFlaws('It failed')).toEqual(['no sentence terminator at the end']);
    expect(
      sentenceFlaws('GET https://x.test/a?… answered 503: Down. Retry later (revoked token?).'),
    ).toEqual([]);
  });
});
