// Every error commerce-client can raise reads as sentences: no doubled punctuation, no "?.", no
// stray whitespace, one terminator at the end, whatever Magento's or the caller's text ended with.
import * as core from '@plumbline/client-core';
import { HttpError, NetworkError, PlumblineError } from '@plumbline/client-core';
import * as testingCore from '@plumbline/client-core/testing';
import { describe, expect, it } from 'vitest';
import {
  ENDINGS,
  errorClasses,
  expectSentences,
  sentenceFlaws,
} from '../../client-core/test/support/sentences.js';
import * as api from '../src/index.js';
import {
  BulkIncompleteError,
  BulkTimeoutError,
  CommerceInputError,
  CommerceResponseError,
  CommerceValidationError,
  createCommerceClient,
  TypegenDependencyError,
  WebhookSignatureError,
} from '../src/index.js';
import * as testingApi from '../src/testing.js';
import { createCommerceEmulator } from '../src/testing.js';

const outage = (text: string) =>
  new HttpError({
    method: 'POST',
    url: 'https://shop.test/rest/async/bulk/V1/products',
    status: 503,
    vendorMessage: text,
  });

const cases: Record<string, PlumblineError[]> = {
  CommerceInputError: ENDINGS.map(
    (text) => new CommerceInputError('path.sku', `must be a non-empty string; it ${text}`),
  ),
  CommerceValidationError: ENDINGS.flatMap((text) => [
    new CommerceValidationError('order', [
      { path: 'items.0.sku', message: `Expected string, and it ${text}` },
    ]),
    new CommerceValidationError('orders', [
      { path: '', message: text },
      { path: 'total_count', message: 'Required' },
    ]),
  ]),
  WebhookSignatureError: ENDINGS.map(
    (text) => new WebhookSignatureError('bad-signature', `The signature ${text}`),
  ),
  BulkTimeoutError: [new BulkTimeoutError('6b4f1c3e-0000-4000-8000-000000000001', 30_000)],
  CommerceResponseError: [new CommerceResponseError('GET /V1/bulk/x/detailed-status', 200)],
  TypegenDependencyError: [
    new TypegenDependencyError('openapi-typescript'),
    new TypegenDependencyError('yaml.'),
  ],
  BulkIncompleteError: ENDINGS.flatMap((text) => [
    new BulkIncompleteError({
      stage: 'submit',
      accepted: [{ bulkUuid: 'b-1', firstIndex: 0, count: 100, finished: false }],
      failedChunk: { firstIndex: 100, count: 100, outcome: 'unknown' },
      resumeFrom: 100,
      results: [],
      cause: outage(text),
    }),
    new BulkIncompleteError({
      stage: 'wait',
      accepted: [],
      resumeFrom: 0,
      results: [],
      cause: new NetworkError({ method: 'GET', url: 'https://shop.test/rest/V1/bulk', note: text }),
    }),
  ]),
};

describe('error messages read as sentences', () => {
  it('covers every error class commerce-client exports (re-exported client-core classes are tested there)', () => {
    const exported = { ...testingApi, ...api } as Record<string, unknown>;
    const own = errorClasses(exported, PlumblineError).filter(
      (name) =>
        exported[name] !== (core as Record<string, unknown>)[name] && !(name in testingCore),
    );
    expect(Object.keys(cases).sort()).toEqual(own);
  });

  it('every error, whatever its inner text ended with, has no doubled punctuation and one terminator', () => {
    expectSentences(cases);
  });

  it("Magento's own messages ending in a period read as sentences through the client", async () => {
    const emulator = createCommerceEmulator({});
    const commerce = createCommerceClient({
      baseUrl: 'https://shop.example.test',
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
      fetch: emulator.fetch,
      retry: false,
    });
    // 404: "The request does not match any route." and a 401 for a wrong password.
    const unknownRoute = await commerce
      .GET('/V1/orders/{id}', { params: { path: { id: 999 } } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const refused = await createCommerceClient({
      baseUrl: 'https://shop.example.test',
      auth: { type: 'admin', username: 'admin', password: 'wrong' },
      fetch: emulator.fetch,
      retry: false,
    })
      .GET('/V1/orders/{id}', { params: { path: { id: 1 } } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    for (const error of [unknownRoute, refused]) {
      expect(error).toBeInstanceOf(PlumblineError);
      expect(sentenceFlaws((error as Error).message)).toEqual([]);
    }
  });
});
