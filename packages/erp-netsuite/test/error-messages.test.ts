// Every error erp-netsuite can raise reads as sentences: no doubled punctuation ("…View Login
// Audit Trail.. The credentials…", as NetSuite's INVALID_LOGIN detail used to come out), no "?.",
// no stray whitespace, one terminator at the end, whatever NetSuite's or the caller's text ended with.
import * as core from '@plumbline/client-core';
import { HttpError, PlumblineError } from '@plumbline/client-core';
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
  AsyncJobError,
  CustomerPriceError,
  createNetSuiteClient,
  getRecord,
  NetSuiteArgumentError,
  NetSuiteProtocolError,
  SuiteqlRowError,
  SuiteqlScanError,
  SuiteqlValueError,
} from '../src/index.js';
import * as testingApi from '../src/testing.js';
import { createNetSuiteEmulator } from '../src/testing.js';
import { TypegenError } from '../src/typegen/model.js';

const cases: Record<string, PlumblineError[]> = {
  SuiteqlValueError: ENDINGS.map(
    (text) => new SuiteqlValueError(1, `undefined is refused; it ${text}`),
  ),
  SuiteqlScanError: ENDINGS.map(
    (text) =>
      new SuiteqlScanError(
        'SUITEQL_KEYSET_NEEDS_ID',
        `The query selects no id column, so it ${text}`,
      ),
  ),
  SuiteqlRowError: ENDINGS.map(
    (text) =>
      new SuiteqlRowError(4, '1042', [
        { path: 'email', message: `Invalid email address, it ${text}` },
        { path: '', message: text },
      ]),
  ),
  NetSuiteProtocolError: ENDINGS.map(
    (text) => new NetSuiteProtocolError(`The 204 answer had no Location header; it ${text}`),
  ),
  AsyncJobError: ENDINGS.map(
    (text) =>
      new AsyncJobError('ASYNC_JOB_FAILED', '77', `Job 77 failed: ${text}`, { progress: 'failed' }),
  ),
  NetSuiteArgumentError: ENDINGS.map(
    (text) => new NetSuiteArgumentError('id', `must be an internal id; it ${text}`),
  ),
  CustomerPriceError: ENDINGS.map(
    (text) => new CustomerPriceError('647', '42', `the item has no Base Price and it ${text}`),
  ),
};
// Raised by the typegen CLI, not exported.
const cliCases: Record<string, PlumblineError[]> = {
  TypegenError: ENDINGS.map((text) => new TypegenError(`The metadata catalog ${text}`)),
};

describe('error messages read as sentences', () => {
  it('covers every error class erp-netsuite exports (re-exported client-core classes are tested there)', () => {
    const exported = { ...testingApi, ...api } as Record<string, unknown>;
    const own = errorClasses(exported, PlumblineError).filter(
      (name) =>
        exported[name] !== (core as Record<string, unknown>)[name] && !(name in testingCore),
    );
    expect(Object.keys(cases).sort()).toEqual(own);
  });

  it('every error, whatever its inner text ended with, has no doubled punctuation and one terminator', () => {
    expectSentences({ ...cases, ...cliCases });
  });

  it('a rejected TBA login reads "…View Login Audit Trail. The credentials were rejected…"', async () => {
    const emulator = createNetSuiteEmulator({
      accountId: '1234567_SB1',
      tba: { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'ts' },
    });
    const netsuite = createNetSuiteClient({
      accountId: '1234567_SB1',
      auth: {
        type: 'tba',
        consumerKey: 'ck',
        consumerSecret: 'wrong',
        tokenId: 'ti',
        tokenSecret: 'ts',
      },
      baseUrl: 'https://emulator.test',
      fetch: emulator.fetch,
      retry: false,
    });
    const error = await getRecord(netsuite, 'customer', '1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    const { message } = error as HttpError;
    expect(message).toContain('View Login Audit Trail. The credentials were rejected');
    expect(sentenceFlaws(message)).toEqual([]);
  });
});
