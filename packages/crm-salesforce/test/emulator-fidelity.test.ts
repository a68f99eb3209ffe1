/**
 * The emulator answers in the structures real Salesforce sends: every answer is compared,
 * structurally (keys and kinds of values), with our fixtures of real payloads in fixtures/real/
 * (see real-payloads.test.ts for where those structures come from).
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signJwt } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import { schemas } from '../src/index.js';
import { createSalesforceEmulator } from '../src/testing.js';
import { shapeDiff } from './shape.js';

const read = (name: string) =>
  readFileSync(new URL(`./fixtures/real/${name}`, import.meta.url), 'utf8');
const real = (name: string): any => JSON.parse(read(name));

const V = '/services/data/v62.0';

describe('the emulator answers in the structures Salesforce sends', () => {
  const TOKEN = 'emulator-token';
  const ORIGIN = 'https://org.example.com';
  const setup = () => {
    const emulator = createSalesforceEmulator({
      accessTokens: [TOKEN],
      objects: [
        {
          name: 'Contact',
          fields: [
            {
              name: 'Legacy_Id__c',
              type: 'string',
              length: 40,
              externalId: true,
              unique: true,
              nillable: true,
              createable: true,
              updateable: true,
            },
          ],
        },
        {
          name: 'Invoice__c',
          fields: [
            {
              name: 'Number__c',
              type: 'string',
              length: 20,
              externalId: true,
              unique: true,
              nillable: true,
              createable: true,
              updateable: true,
            },
            {
              name: 'Account__c',
              type: 'reference',
              referenceTo: ['Account'],
              relationshipName: 'Account__r',
              nillable: true,
              createable: true,
              updateable: true,
            },
          ],
        },
      ],
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const init: RequestInit = {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      };
      if (body !== undefined) init.body = JSON.stringify(body);
      const response = await emulator.fetch(new Request(`${ORIGIN}${V}${path}`, init));
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        text,
        json:
          text && response.headers.get('content-type')?.includes('json')
            ? JSON.parse(text)
            : undefined,
      };
    };
    return { emulator, call };
  };
  const same = (actual: unknown, expected: unknown, options = {}) =>
    expect(shapeDiff(actual, expected, options)).toEqual([]);

  it('query pages: records, parents, null parents, nextRecordsUrl, subqueries, COUNT()', async () => {
    const { emulator, call } = setup();
    const account = emulator.state.insert('Account', {
      Name: 'Harbor & Sons',
      AnnualRevenue: 10,
      NumberOfEmployees: 3,
    });
    emulator.state.insert('Account', { Name: 'Quiet Pines' });
    for (let i = 0; i < 2; i++)
      emulator.state.insert('Contact', {
        LastName: `L${i}`,
        AccountId: account,
        Birthdate: '1990-01-02',
      });
    for (let i = 0; i < 199; i++) emulator.state.insert('Contact', { LastName: `N${i}` });
    const q = encodeURIComponent(
      'SELECT Id, LastName, Email, Birthdate, HasOptedOutOfEmail, CreatedDate, Account.Name, Account.Owner.Email FROM Contact ORDER BY LastName',
    );
    const response = await emulator.fetch(
      new Request(`${ORIGIN}${V}/query?q=${q}`, {
        headers: { authorization: `Bearer ${TOKEN}`, 'Sforce-Query-Options': 'batchSize=200' },
      }),
    );
    const page = (await response.json()) as { nextRecordsUrl: string; records: unknown[] };
    const expected = real('query-page-1.json');
    same(page, expected);
    const withParent = page.records.find((r: any) => r.Account) as any;
    expect(withParent.Account.Owner).toMatchObject({
      attributes: { type: 'User' },
      Email: 'integration@emulator.invalid',
    });
    // the compound address, null while its parts are empty
    const addresses = await call(
      'GET',
      `/query?q=${encodeURIComponent('SELECT BillingAddress FROM Account ORDER BY Name')}`,
    );
    expect(addresses.json.records.map((r: any) => r.BillingAddress)).toEqual([null, null]);
    emulator.state.store.update('Account', account, { BillingCity: 'Oslo', BillingCountry: 'NO' });
    const address = (await call('GET', `/sobjects/Account/${account}?fields=BillingAddress`)).json;
    expect(address.BillingAddress).toEqual({
      city: 'Oslo',
      country: 'NO',
      geocodeAccuracy: null,
      latitude: null,
      longitude: null,
      postalCode: null,
      state: null,
      street: null,
    });
    expect(page.records).toHaveLength(200);
    expect(page.nextRecordsUrl).toMatch(
      /^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-200$/,
    );
    expect(response.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/);
    const last = await call('GET', page.nextRecordsUrl.slice(V.length));
    same(last.json, real('query-page-2.json'));
    expect(last.json.done).toBe(true);
    expect(last.json.nextRecordsUrl).toBeUndefined();

    const sub = await call(
      'GET',
      `/query?q=${encodeURIComponent('SELECT Id, Name, AnnualRevenue, NumberOfEmployees, (SELECT Id, LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name')}`,
    );
    same(sub.json, real('query-subquery.json'));
    expect(
      sub.json.records[0].Contacts.records.map((c: { LastName: string }) => c.LastName),
    ).toEqual(['L0', 'L1']);
    expect(sub.json.records[1].Contacts).toBeNull();
    const aggregate = await call(
      'GET',
      `/query?q=${encodeURIComponent('SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry')}`,
    );
    same(aggregate.json, real('query-aggregate.json'));
    expect(aggregate.json.records[0].attributes).toEqual({ type: 'AggregateResult' });
    const count = await call(
      'GET',
      `/query?q=${encodeURIComponent('SELECT COUNT() FROM Account')}`,
    );
    same(count.json, real('query-count.json'));
    expect(count.json.totalSize).toBe(2);
  });

  it('errors: status codes and error arrays for queries, reads and writes', async () => {
    const { emulator, call } = setup();
    emulator.state.insert('Invoice__c', { Name: 'i', Number__c: 'N-1' });
    const errors = real('errors.json');
    const q = (soql: string) => call('GET', `/query?q=${encodeURIComponent(soql)}`);
    const answers: Record<string, Awaited<ReturnType<typeof call>>> = {
      MALFORMED_QUERY: await q('SELECT Id FROMM Account'),
      INVALID_FIELD: await q('SELECT Nmae FROM Account'),
      INVALID_TYPE: await q('SELECT Id FROM Acount'),
      NOT_FOUND: await call('GET', '/sobjects/Account/001Ho00000Fz9ZZIAZ'),
      DUPLICATE_VALUE: await call('POST', '/sobjects/Invoice__c', { Name: 'j', Number__c: 'N-1' }),
      REQUIRED_FIELD_MISSING: await call('POST', '/sobjects/Contact', { FirstName: 'x' }),
      INVALID_FIELD_ON_WRITE: await call('POST', '/sobjects/Account', {
        Name: 'a',
        Colour__c: 'red',
      }),
    };
    const expired = await emulator.fetch(
      new Request(`${ORIGIN}${V}/limits`, { headers: { authorization: 'Bearer nope' } }),
    );
    answers.INVALID_SESSION_ID = {
      status: expired.status,
      headers: expired.headers,
      text: '',
      json: await expired.json(),
    };
    for (const [name, answer] of Object.entries(answers)) {
      const expected = errors[name];
      expect({ name, status: answer.status }).toEqual({ name, status: expected.status });
      expect({ name, code: answer.json[0].errorCode }).toEqual({
        name,
        code: expected.body[0].errorCode,
      });
      expect({ name, diff: shapeDiff(answer.json, expected.body, { missingOk: true }) }).toEqual({
        name,
        diff: [],
      });
    }
    expect(answers.REQUIRED_FIELD_MISSING?.json[0].fields).toEqual(['LastName']);
    // query errors read like Salesforce's: the query line, a caret, row and column, the reason
    const firstSentence = (message: string) => message.split('. ')[0];
    for (const name of ['MALFORMED_QUERY', 'INVALID_FIELD', 'INVALID_TYPE'])
      expect(firstSentence(answers[name]?.json[0].message)).toBe(
        firstSentence(errors[name].body[0].message),
      );
    const eof = await q('SELECT Id FROM Account WHERE');
    expect(eof.json[0].message).toBe(
      "\nSELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'",
    );
    const multiline = await q('SELECT Id,\n  Nmae\nFROM Account');
    expect(multiline.json[0].message).toMatch(
      /^\n {2}Nmae\n {2}\^\nERROR at Row:2:Column:3\nNo such column 'Nmae'/,
    );
  });

  it('create, upsert (201 with Location, 200, 300) and collections with failures', async () => {
    const { emulator, call } = setup();
    const created = await call('POST', '/sobjects/Account', { Name: 'A' });
    expect(created.status).toBe(201);
    same(created.json, real('sobject-create.json'));
    expect(created.headers.get('location')).toBe(`${V}/sobjects/Account/${created.json.id}`);
    const inserted = await call('PATCH', '/sobjects/Invoice__c/Number__c/N-9', { Name: 'x' });
    expect(inserted.status).toBe(201);
    same(inserted.json, real('upsert-created.json'));
    const updated = await call('PATCH', '/sobjects/Invoice__c/Number__c/N-9', { Name: 'y' });
    expect(updated.status).toBe(200);
    same(updated.json, real('upsert-updated.json'));
    emulator.state.store.models.get('invoice__c')?.fields.set('number__c', {
      name: 'Number__c',
      type: 'string',
      externalId: true,
      nillable: true,
    });
    emulator.state.insert('Invoice__c', { Name: 'dupe', Number__c: 'N-9' });
    const multiple = await call('PATCH', '/sobjects/Invoice__c/Number__c/N-9', { Name: 'z' });
    expect(multiple.status).toBe(300);
    same(multiple.json, real('upsert-multiple.json'));

    const mixed = await call('POST', '/composite/sobjects', {
      allOrNone: false,
      records: [
        { attributes: { type: 'Account' }, Name: 'ok' },
        { attributes: { type: 'Account' } },
      ],
    });
    expect(mixed.status).toBe(200);
    same(mixed.json, real('collections-create.json'));
    expect(Object.keys(mixed.json[1])).not.toContain('id');
    const rolledBack = await call('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Account' }, Name: 'fine' },
        { attributes: { type: 'Account' } },
      ],
    });
    same(rolledBack.json, real('collections-all-or-none.json'));
    expect(rolledBack.json[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    const doomed = emulator.state.insert('Account', { Name: 'doomed' });
    await call('DELETE', `/sobjects/Account/${doomed}`);
    const keep = emulator.state.insert('Account', { Name: 'keep' });
    const deletes = await call(
      'DELETE',
      `/composite/sobjects?ids=${keep},${doomed},001Ho00000Zz9ZZIAZ&allOrNone=false`,
    );
    same(deletes.json, [real('collections-create.json')[0]]);
    expect(deletes.json.map((r: any) => [r.id, r.success, r.errors[0]?.statusCode])).toEqual([
      [keep, true, undefined],
      [doomed, false, 'ENTITY_IS_DELETED'],
      ['001Ho00000Zz9ZZIAZ', false, 'INVALID_CROSS_REFERENCE_KEY'],
    ]);
    const upserts = await call('PATCH', '/composite/sobjects/Account/Id', {
      records: [{ attributes: { type: 'Account' }, Id: created.json.id, Name: 'B' }],
    });
    same(upserts.json, real('collections-upsert.json'));
  });

  it('composite: Location headers, 204 with a null body, error arrays, PROCESSING_HALTED', async () => {
    const { call } = setup();
    const body = (allOrNone: boolean) => ({
      allOrNone,
      compositeRequest: [
        {
          method: 'POST',
          url: `${V}/sobjects/Account`,
          referenceId: 'newAccount',
          body: { Name: 'Lantern Works' },
        },
        {
          method: 'GET',
          url: `${V}/sobjects/Account/@{newAccount.id}?fields=Name`,
          referenceId: 'readAccount',
        },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Account/@{newAccount.id}`,
          referenceId: 'touchAccount',
          body: { Phone: '1' },
        },
        {
          method: 'POST',
          url: `${V}/sobjects/Contact`,
          referenceId: 'newContact',
          body: { Email: 'nope' },
        },
      ],
    });
    const partial = await call('POST', '/composite', body(false));
    same(partial.json, real('composite.json'));
    expect(partial.json.compositeResponse[0].httpHeaders.Location).toBe(
      `${V}/sobjects/Account/${partial.json.compositeResponse[0].body.id}`,
    );
    expect(partial.json.compositeResponse[2]).toMatchObject({ body: null, httpStatusCode: 204 });
    const dependent = await call('POST', '/composite', {
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Contact`, referenceId: 'bad', body: {} },
        {
          method: 'GET',
          url: `${V}/sobjects/Contact/@{bad.id}`,
          referenceId: 'readBad',
        },
      ],
    });
    same(dependent.json, real('composite-halted.json'));
    expect(dependent.json.compositeResponse[1]).toMatchObject({
      httpStatusCode: 400,
      body: [
        {
          errorCode: 'PROCESSING_HALTED',
          message: expect.stringMatching(/^Invalid reference specified/),
        },
      ],
    });
    const halted = await call('POST', '/composite', body(true));
    same(halted.json, real('composite-halted.json'));
    expect(halted.json.compositeResponse[0].body[0].errorCode).toBe('PROCESSING_HALTED');
  });

  it('describe, limits, updated and deleted', async () => {
    const { emulator, call } = setup();
    const realDescribe = real('describe-account.json');
    const describe = (await call('GET', '/sobjects/Account/describe')).json;
    // every top-level property and every field property a real describe has, and no others
    same(describe, realDescribe);
    const fieldKeys = [
      'name',
      'type',
      'label',
      'length',
      'nillable',
      'createable',
      'updateable',
      'externalId',
      'unique',
      'custom',
      'referenceTo',
      'relationshipName',
      'picklistValues',
      'soapType',
      'defaultedOnCreate',
      'idLookup',
      'calculated',
      'filterable',
      'sortable',
      'precision',
      'scale',
      'digits',
      'byteLength',
      'caseSensitive',
      'nameField',
    ];
    for (const field of describe.fields) {
      for (const key of fieldKeys)
        expect({ field: field.name, key, has: key in field }).toEqual({
          field: field.name,
          key,
          has: true,
        });
      expect(shapeDiff(field, realDescribe.fields[0])).toEqual([]);
    }
    for (const key of [
      'name',
      'label',
      'labelPlural',
      'keyPrefix',
      'custom',
      'fields',
      'childRelationships',
      'urls',
      'queryable',
    ])
      expect(describe).toHaveProperty(key);
    expect(
      describe.childRelationships.map((c: { relationshipName: string }) => c.relationshipName),
    ).toEqual(expect.arrayContaining(['Contacts', 'Opportunities', 'Invoices__r']));
    expect(schemas.describe.parse(describe).name).toBe('Account');

    const limits = (await call('GET', '/limits')).json;
    same(limits, real('limits.json'), { extraOk: true });
    expect(schemas.limits.parse(limits).DailyApiRequests?.Max).toBeGreaterThan(0);

    const id = emulator.state.insert('Account', { Name: 'gone' });
    await call('DELETE', `/sobjects/Account/${id}`);
    const start = new Date(Date.now() - 86_400_000).toISOString();
    const end = new Date(Date.now() + 60_000).toISOString();
    const range = `start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`;
    same((await call('GET', `/sobjects/Account/updated/?${range}`)).json, real('updated.json'));
    const deleted = (await call('GET', `/sobjects/Account/deleted/?${range}`)).json;
    same(deleted, real('deleted.json'));
    expect(deleted.deletedRecords[0].id).toBe(id);
  });

  it('Bulk API 2.0: job infos, result CSV headers and Sforce-Locator paging headers', async () => {
    const { emulator, call } = setup();
    const created = await call('POST', '/jobs/ingest', {
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'Legacy_Id__c',
      contentType: 'CSV',
      lineEnding: 'LF',
    });
    same(created.json, real('bulk-ingest-created.json'));
    const id = created.json.id as string;
    const put = await emulator.fetch(
      new Request(`${ORIGIN}${V}/jobs/ingest/${id}/batches`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
        body: 'Legacy_Id__c,LastName\nL-1,Ok\nL-2,\n',
      }),
    );
    expect(put.status).toBe(201);
    await call('PATCH', `/jobs/ingest/${id}`, { state: 'UploadComplete' });
    let info = (await call('GET', `/jobs/ingest/${id}`)).json;
    while (info.state !== 'JobComplete') info = (await call('GET', `/jobs/ingest/${id}`)).json;
    same(info, real('bulk-ingest-complete.json'));
    expect(info).toMatchObject({
      jobType: 'V2Ingest',
      numberRecordsProcessed: 2,
      numberRecordsFailed: 1,
    });
    const ok = await call('GET', `/jobs/ingest/${id}/successfulResults`);
    expect(ok.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(ok.text.split('\n')[0]).toBe('"sf__Id","sf__Created","Legacy_Id__c","LastName"');
    const failed = await call('GET', `/jobs/ingest/${id}/failedResults`);
    expect(failed.text.split('\n')[0]).toBe('"sf__Id","sf__Error","Legacy_Id__c","LastName"');
    expect(failed.text.split('\n')[1]).toMatch(
      /^"","REQUIRED_FIELD_MISSING:[^"]*:LastName --","L-2",""$/,
    );
    const unprocessed = await call('GET', `/jobs/ingest/${id}/unprocessedrecords`);
    expect(unprocessed.text.split('\n')[0]).toBe('"Legacy_Id__c","LastName"');

    // a failed update names the record in sf__Id
    const contactId = emulator.state.insert('Contact', { LastName: 'Kept' });
    const update = await call('POST', '/jobs/ingest', { object: 'Contact', operation: 'update' });
    await emulator.fetch(
      new Request(`${ORIGIN}${V}/jobs/ingest/${update.json.id}/batches`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
        body: `Id,Email\n${contactId},not-an-email\n`,
      }),
    );
    await call('PATCH', `/jobs/ingest/${update.json.id}`, { state: 'UploadComplete' });
    while ((await call('GET', `/jobs/ingest/${update.json.id}`)).json.state !== 'JobComplete');
    const updateFailed = await call('GET', `/jobs/ingest/${update.json.id}/failedResults`);
    expect(updateFailed.text.split('\n')[1]).toMatch(
      new RegExp(`^"${contactId}","INVALID_EMAIL_ADDRESS:[^"]*","${contactId}","not-an-email"$`),
    );

    for (let i = 0; i < 3; i++) emulator.state.insert('Account', { Name: `Acc ${i}` });
    const queryJob = await call('POST', '/jobs/query', {
      operation: 'query',
      query: 'SELECT Id, Name FROM Account',
    });
    same(queryJob.json, real('bulk-query-created.json'));
    const early = await call('GET', `/jobs/query/${queryJob.json.id}/results`);
    expect(early.status).toBe(412);
    expect(early.json[0].errorCode).toBe('JOB_NOT_COMPLETE');
    expect(early.json[0].message).toMatch(/Current status: UPLOAD_COMPLETE$/);
    let queryInfo = (await call('GET', `/jobs/query/${queryJob.json.id}`)).json;
    while (queryInfo.state !== 'JobComplete')
      queryInfo = (await call('GET', `/jobs/query/${queryJob.json.id}`)).json;
    same(queryInfo, real('bulk-query-complete.json'));
    const list = await call('GET', '/jobs/query');
    same(list.json, real('bulk-query-list.json'));
    expect(schemas.bulkJobList.parse(list.json).records[0]?.id).toBe(queryJob.json.id);
    // listed jobs: an upsert job names its external id field, an update job has none
    const { contentUrl: _url, ...upsertInfo } = real('bulk-ingest-created.json');
    const { externalIdFieldName: _ext, ...updateInfo } = upsertInfo;
    same((await call('GET', '/jobs/ingest')).json, {
      ...real('bulk-query-list.json'),
      records: [
        { ...upsertInfo, jobType: 'V2Ingest' },
        { ...updateInfo, jobType: 'V2Ingest' },
      ],
    });
    const first = await call('GET', `/jobs/query/${queryJob.json.id}/results?maxRecords=2`);
    expect(first.headers.get('sforce-numberofrecords')).toBe('2');
    const locator = first.headers.get('sforce-locator') ?? '';
    expect(locator).not.toBe('null');
    expect(first.text.split('\n')[0]).toBe('"Id","Name"');
    const second = await call(
      'GET',
      `/jobs/query/${queryJob.json.id}/results?maxRecords=2&locator=${locator}`,
    );
    expect(second.headers.get('sforce-locator')).toBe('null');
    expect(second.headers.get('sforce-numberofrecords')).toBe('1');
    const compound = await call('POST', '/jobs/query', {
      operation: 'query',
      query: 'SELECT Id, BillingAddress FROM Account',
    });
    expect(compound.status).toBe(400);
    expect(compound.json[0].message).toMatch(/compound data not supported/);
    const grouped = await call('POST', '/jobs/query', {
      operation: 'query',
      query: 'SELECT Name, COUNT(Id) FROM Account GROUP BY Name',
    });
    expect(grouped.status).toBe(400);
    const nested = await call('POST', '/jobs/query', {
      operation: 'query',
      query: 'SELECT Id, (SELECT Id FROM Contacts) FROM Account',
    });
    expect(nested.status).toBe(400);
  });

  it('lists API versions without a session, and the resources of a version with one', async () => {
    const { emulator, call } = setup();
    const versions = await emulator.fetch(new Request(`${ORIGIN}/services/data/`));
    expect(versions.status).toBe(200);
    const list = (await versions.json()) as { label: string; url: string; version: string }[];
    expect(list).toContainEqual({ label: "Winter '25", url: V, version: '62.0' });
    const resources = await call('GET', '');
    expect(resources.json).toMatchObject({ query: `${V}/query`, sobjects: `${V}/sobjects` });
  });

  it('token responses carry what Salesforce sends', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const emulator = createSalesforceEmulator({
      clients: [{ clientId: 'app', clientSecret: 'secret', refreshTokens: ['rt'] }],
      jwt: { clientId: 'app', publicKey, username: 'integration@example.org' },
    });
    const assertion = signJwt({
      payload: {
        iss: 'app',
        sub: 'integration@example.org',
        aud: 'https://login.salesforce.com',
        exp: Math.floor(Date.now() / 1000) + 120,
      },
      privateKey,
      algorithm: 'RS256',
    });
    const jwt = await emulator.fetch(
      new Request('https://login.salesforce.com/services/oauth2/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion,
        }).toString(),
      }),
    );
    expect(jwt.status).toBe(200);
    same(await jwt.json(), real('token-jwt.json'));
    const response = await emulator.fetch(
      new Request('https://login.salesforce.com/services/oauth2/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&client_id=app&client_secret=secret&refresh_token=rt',
      }),
    );
    same(await response.json(), real('token-refresh.json'), { missingOk: true });
    const refused = await emulator.fetch(
      new Request('https://login.salesforce.com/services/oauth2/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&client_id=app&refresh_token=stale',
      }),
    );
    expect(refused.status).toBe(400);
    same(await refused.json(), real('token-error.json'));
  });
});
