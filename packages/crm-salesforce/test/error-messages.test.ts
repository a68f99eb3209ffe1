// Every error crm-salesforce can raise reads as sentences: no doubled punctuation, no "?.", no
// stray whitespace, one terminator at the end, whatever Salesforce's or the caller's text ended
// with (query errors, for one, end in a newline-separated reason).
import * as core from '@plumbline/client-core';
import { NetworkError, PlumblineError } from '@plumbline/client-core';
import * as testingCore from '@plumbline/client-core/testing';
import { describe, expect, it } from 'vitest';
import {
  ENDINGS,
  errorClasses,
  expectSentences,
} from '../../client-core/test/support/sentences.js';
import * as api from '../src/index.js';
import {
  ApiLimitThresholdError,
  BulkJobError,
  CollectionsHaltedError,
  InvalidIdError,
  PathParameterError,
  RecordShapeError,
  SalesforceApiError,
  SalesforceResponseError,
  SoqlValueError,
  TypegenError,
  UpsertMultipleMatchesError,
  WindowOutOfReachError,
} from '../src/index.js';
import * as testingApi from '../src/testing.js';

const url = 'https://acme.my.salesforce.com/services/data/v62.0/query?q=SELECT';
const queryError =
  "\nSELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'";

const cases: Record<string, PlumblineError[]> = {
  SalesforceApiError: [...ENDINGS, queryError].map(
    (text) =>
      new SalesforceApiError({
        method: 'GET',
        url,
        status: 400,
        vendorCode: 'MALFORMED_QUERY',
        vendorMessage: text,
        errors: [{ message: text, errorCode: 'MALFORMED_QUERY' }],
      }),
  ),
  SoqlValueError: ENDINGS.map((text) => new SoqlValueError(`soql value #2: undefined ${text}`)),
  UpsertMultipleMatchesError: [
    new UpsertMultipleMatchesError('Account', 'External_Id__c', 'A-1.', [
      '/services/data/v62.0/sobjects/Account/001',
    ]),
  ],
  ApiLimitThresholdError: [new ApiLimitThresholdError(4_600, 5_000, 0.9)],
  WindowOutOfReachError: [
    new WindowOutOfReachError(
      'deleted',
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-11-03T00:00:00Z'),
      30,
    ),
  ],
  BulkJobError: ENDINGS.map(
    (text) =>
      new BulkJobError('750xx0000000001', 'Failed', `Bulk job 750xx0000000001 failed: ${text}`, {
        stage: 'poll',
        jobAborted: false,
      }),
  ),
  RecordShapeError: ENDINGS.map(
    (text) => new RecordShapeError(`record 3: Name ${text}`, ['Name'], 3),
  ),
  InvalidIdError: [new InvalidIdError('001xx.')],
  SalesforceResponseError: ENDINGS.map(
    (text) => new SalesforceResponseError(200, '/composite/sobjects', `The answer ${text}`),
  ),
  CollectionsHaltedError: ENDINGS.flatMap((text) => [
    new CollectionsHaltedError(
      'create',
      [{ index: 0, success: true, id: '001xx0000000001AAA' }, undefined],
      [1],
      [2],
      new Error(text),
    ),
    new CollectionsHaltedError('upsert', [], [], [0], text),
    new CollectionsHaltedError(
      'delete',
      [],
      [0],
      [],
      new NetworkError({ method: 'POST', url, note: text }),
    ),
  ]),
  PathParameterError: [
    new PathParameterError('sobject', '..'),
    new PathParameterError('id', undefined),
  ],
  TypegenError: ENDINGS.map((text) => new TypegenError(`describe of Invoice__c ${text}`)),
};

describe('error messages read as sentences', () => {
  it('covers every error class crm-salesforce exports (re-exported client-core classes are tested there)', () => {
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
});
