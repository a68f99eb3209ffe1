/**
 * Fidelity against real Salesforce wire shapes. The fixtures in fixtures/real/ are our own
 * values in the structures Salesforce publishes (REST API and Bulk API 2.0 guides, the
 * sObject Collections and Composite reference pages) and that public SDK tests mock
 * (simple-salesforce's Bulk 2.0 tests, jsforce). Each test checks one side: our schemas accept
 * them, our client reads them, and our emulator answers in the same structure.
 */
import { readFileSync } from 'node:fs';
import { HttpError, RateLimitError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import {
  bulkIngest,
  bulkQuery,
  type CollectionOutcome,
  childRecords,
  collections,
  createSalesforceClient,
  csvRecords,
  parseLimitInfo,
  query,
  queryAll,
  SalesforceApiError,
  schemas,
  UpsertMultipleMatchesError,
  upsert,
} from '../src/index.js';

const read = (name: string) =>
  readFileSync(new URL(`./fixtures/real/${name}`, import.meta.url), 'utf8');
const real = (name: string): any => JSON.parse(read(name));

const INSTANCE = 'https://acme.my.salesforce.com';
const V = '/services/data/v62.0';

type Route = [method: string, path: RegExp, answer: (request: Request) => Response];

/** A fetch that answers from fixtures and records what was asked. */
function fixtureFetch(routes: Route[]) {
  const seen: Request[] = [];
  const fetch = async (request: Request) => {
    seen.push(request);
    const url = new URL(request.url);
    for (const [method, path, answer] of routes)
      if (method === request.method && path.test(url.pathname + url.search)) return answer(request);
    return new Response(`no fixture for ${request.method} ${url.pathname}`, { status: 599 });
  };
  return { fetch, seen };
}

const jsonAnswer =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
    });

function fixtureClient(routes: Route[]) {
  const { fetch, seen } = fixtureFetch(routes);
  const client = createSalesforceClient({
    auth: { type: 'accessToken', accessToken: '00Dx!token', instanceUrl: INSTANCE },
    fetch,
    retry: false,
  });
  return { client, seen };
}

describe('schemas accept real Salesforce payloads', () => {
  it('query results: parent objects, null parents, child subqueries, aggregates, COUNT()', () => {
    const contact = schemas.contact.extend({
      Account: schemas.account.extend({ Owner: schemas.sobject.nullable() }).nullable(),
    });
    for (const page of ['query-page-1.json', 'query-page-2.json']) {
      const parsed = schemas.queryResult(contact).parse(real(page));
      expect(parsed.records.length).toBeGreaterThan(0);
    }
    const first = schemas.queryResult(contact).parse(real('query-page-1.json'));
    expect(first.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g\w{15}-2000$/);
    expect(first.records[1]?.Account).toBeNull();
    const withChildren = schemas
      .queryResult(schemas.account.extend({ Contacts: schemas.childRecords(schemas.contact) }))
      .parse(real('query-subquery.json'));
    expect(withChildren.records[0]?.Contacts?.records.map((c) => c.LastName)).toEqual([
      'Lindqvist',
      'Berg',
    ]);
    expect(withChildren.records[1]?.Contacts).toBeNull();
    const aggregate = schemas.queryResult(schemas.sobject).parse(real('query-aggregate.json'));
    expect(aggregate.records[0]).toMatchObject({ attributes: { type: 'AggregateResult' } });
    expect(schemas.queryResult(schemas.sobject).parse(real('query-count.json')).totalSize).toBe(17);
    // not just anything passes: a page without `done` is refused
    expect(
      schemas.queryResult(schemas.sobject).safeParse({ totalSize: 0, records: [] }).success,
    ).toBe(false);
  });

  it('save, upsert, collection and composite results', () => {
    expect(schemas.saveResult.parse(real('sobject-create.json')).success).toBe(true);
    expect(schemas.upsertResult.parse(real('upsert-created.json')).created).toBe(true);
    expect(schemas.upsertResult.parse(real('upsert-updated.json')).created).toBe(false);
    for (const name of ['collections-create.json', 'collections-all-or-none.json']) {
      const results = schemas.collectionResult.array().parse(real(name));
      const failed = results.filter((r) => !r.success);
      expect(failed.length).toBeGreaterThan(0);
      for (const r of failed) expect(r.errors[0]?.statusCode).toMatch(/^[A-Z_]+$/);
    }
    expect(
      schemas.collectionResult.array().parse(real('collections-upsert.json'))[1]?.created,
    ).toBe(true);
    const composite = schemas.compositeResponse.parse(real('composite.json'));
    expect(composite.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 200, 204, 400]);
    expect(composite.compositeResponse[0]?.httpHeaders.Location).toMatch(/\/sobjects\/Account\//);
    const halted = schemas.compositeResponse.parse(real('composite-halted.json'));
    expect(schemas.errorBody.parse(halted.compositeResponse[0]?.body)[0]?.errorCode).toBe(
      'PROCESSING_HALTED',
    );
  });

  it('error arrays, token answers, limits, updated/deleted, bulk job infos, describe', () => {
    for (const { body } of Object.values(real('errors.json')) as { body: unknown }[])
      expect(schemas.errorBody.parse(body)).toHaveLength(1);
    expect(schemas.tokenResponse.parse(real('token-jwt.json')).instance_url).toBe(INSTANCE);
    expect(schemas.tokenResponse.parse(real('token-refresh.json')).issued_at).toMatch(/^\d{13}$/);
    expect(schemas.oauthError.parse(real('token-error.json')).error).toBe('invalid_grant');
    const limits = schemas.limits.parse(real('limits.json'));
    expect(limits.DailyApiRequests?.Remaining).toBe(14987);
    expect(schemas.updatedResult.parse(real('updated.json')).ids).toHaveLength(2);
    expect(
      schemas.deletedResult.parse(real('deleted.json')).deletedRecords[0]?.deletedDate,
    ).toMatch(/\+0000$/);
    for (const name of [
      'bulk-ingest-created.json',
      'bulk-ingest-complete.json',
      'bulk-ingest-failed.json',
      'bulk-query-created.json',
      'bulk-query-complete.json',
    ])
      expect(schemas.bulkJob.parse(real(name)).id).toMatch(/^750/);
    expect(
      schemas.bulkJobList.parse({ done: true, records: [real('bulk-query-complete.json')] })
        .records,
    ).toHaveLength(1);
    const describe = schemas.describe.parse(real('describe-account.json'));
    expect(describe.fields.find((f) => f.name === 'Legacy_Id__c')).toMatchObject({
      externalId: true,
      unique: true,
    });
    // a child relationship without a name (no subquery can reach it) still parses
    expect(describe.childRelationships?.find((c) => c.relationshipName === null)).toMatchObject({
      childSObject: 'ContentDocumentLink',
      field: 'LinkedEntityId',
    });
  });
});

describe('the client reads real error arrays', () => {
  const cases = Object.entries(real('errors.json')) as [
    string,
    { status: number; body: { errorCode: string; message: string; fields?: string[] }[] },
  ][];
  it.each(cases)('%s', async (_name, { status, body }) => {
    const { client } = fixtureClient([['GET', /\/query\?/, jsonAnswer(body, status)]]);
    const error = await queryAll(client, 'SELECT Id FROM Account').catch((e: unknown) => e);
    const entry = body[0] as (typeof body)[number];
    if (entry.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).vendorCode).toBe('REQUEST_LIMIT_EXCEEDED');
      return;
    }
    expect(error).toBeInstanceOf(SalesforceApiError);
    const e = error as SalesforceApiError;
    expect(e.status).toBe(status);
    expect(e.errorCode).toBe(entry.errorCode);
    expect(e.fields).toEqual(entry.fields ?? []);
    expect(e.vendorMessage).toBe(entry.message);
    expect(e.errors).toEqual(body);
  });

  it("the token endpoint's invalid_grant, with no secret in the error", async () => {
    const { fetch } = fixtureFetch([
      ['POST', /\/services\/oauth2\/token$/, jsonAnswer(real('token-error.json'), 400)],
    ]);
    const client = createSalesforceClient({
      loginUrl: 'https://login.salesforce.com',
      auth: {
        type: 'refreshToken',
        clientId: 'app',
        clientSecret: 'client-secret-value',
        refreshToken: 'refresh-token-value',
      },
      fetch,
      retry: false,
    });
    const error = await client.instanceUrl().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).vendorCode).toBe('invalid_grant');
    const text = JSON.stringify(error) + String((error as Error).message);
    expect(text).not.toContain('client-secret-value');
    expect(text).not.toContain('refresh-token-value');
  });

  it.each([['token-jwt.json'], ['token-refresh.json']])(
    'calls the instance_url of a real token answer (%s) with its access_token',
    async (name) => {
      const token = real(name);
      const seen: Request[] = [];
      const client = createSalesforceClient({
        loginUrl: 'https://login.salesforce.com',
        auth: { type: 'clientCredentials', clientId: 'app', clientSecret: 'secret-value' },
        retry: false,
        fetch: async (request: Request) => {
          seen.push(request);
          if (new URL(request.url).pathname === '/services/oauth2/token')
            return jsonAnswer(token)();
          return jsonAnswer(real('query-count.json'))();
        },
      });
      const page = await client.GET('/query', {
        params: { query: { q: 'SELECT COUNT() FROM Account' } },
      });
      expect(page.data?.totalSize).toBe(17);
      expect(await client.instanceUrl()).toBe(INSTANCE);
      const call = seen.find((r) => r.url.includes('/query'));
      expect(new URL(call?.url ?? '').origin).toBe(INSTANCE);
      expect(call?.headers.get('authorization')).toBe(`Bearer ${token.access_token}`);
    },
  );

  it('reads upsert 201/200 bodies and the 300 list of matching record URLs', async () => {
    const location = `${V}/sobjects/Account/a01Ho00000Kk2LMIAZ`;
    const { client } = fixtureClient([
      [
        'PATCH',
        /Legacy_Id__c\/NEW$/,
        jsonAnswer(real('upsert-created.json'), 201, { Location: location }),
      ],
      ['PATCH', /Legacy_Id__c\/OLD$/, jsonAnswer(real('upsert-updated.json'), 200)],
      ['PATCH', /Legacy_Id__c\/TWICE$/, jsonAnswer(real('upsert-multiple.json'), 300)],
    ]);
    await expect(upsert(client, 'Account', 'Legacy_Id__c', 'NEW', { Name: 'a' })).resolves.toEqual({
      id: 'a01Ho00000Kk2LMIAZ',
      created: true,
    });
    await expect(upsert(client, 'Account', 'Legacy_Id__c', 'OLD', { Name: 'a' })).resolves.toEqual({
      id: 'a01Ho00000Kk2LMIAZ',
      created: false,
    });
    const multiple = await upsert(client, 'Account', 'Legacy_Id__c', 'TWICE', {}).catch(
      (e: unknown) => e,
    );
    expect(multiple).toBeInstanceOf(UpsertMultipleMatchesError);
    expect((multiple as UpsertMultipleMatchesError).matches).toEqual(real('upsert-multiple.json'));
  });

  it('maps collection results whose failures carry no id', async () => {
    const { client } = fixtureClient([
      ['POST', /\/composite\/sobjects$/, jsonAnswer(real('collections-create.json'))],
    ]);
    const outcomes: CollectionOutcome[] = await collections(client, {
      operation: 'create',
      sobject: 'Account',
      records: [{ Name: 'ok' }, { Name: '' }],
    });
    expect(outcomes[0]).toEqual({ index: 0, success: true, id: '001Ho00000Fz9ZWIAZ' });
    expect(outcomes[1]).toEqual({
      index: 1,
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
  });

  it('reads the api-usage and per-app usage of Sforce-Limit-Info', () => {
    const usage = parseLimitInfo('api-usage=25/5000; per-app-api-usage=17/250(appName=sample-app)');
    expect(usage).toMatchObject({ used: 25, max: 5000, remaining: 4975 });
    // the org-wide figure is read wherever it sits, never the per-app one
    expect(parseLimitInfo('per-app-api-usage=17/250(appName=a); api-usage=30/5000')).toMatchObject({
      used: 30,
      max: 5000,
    });
    expect(parseLimitInfo('per-app-api-usage=17/250(appName=a)')).toBeUndefined();
  });
});

describe('the query iterator on real pages', () => {
  it('follows nextRecordsUrl exactly as Salesforce writes it', async () => {
    const page1 = real('query-page-1.json');
    const { client, seen } = fixtureClient([
      ['GET', /^\/services\/data\/v62\.0\/query\?q=/, jsonAnswer(page1)],
      [
        'GET',
        /^\/services\/data\/v62\.0\/query\/01gHo00000AbCdEIAZ-2000$/,
        jsonAnswer(real('query-page-2.json')),
      ],
    ]);
    const records: Record<string, unknown>[] = [];
    for await (const r of query(client, 'SELECT Id, LastName, Account.Name FROM Contact'))
      records.push(r);
    expect(records.map((r) => r.LastName)).toEqual(['Lindqvist', 'Okafor', 'Ruiz']);
    expect(seen.map((r) => new URL(r.url).origin)).toEqual([INSTANCE, INSTANCE]);
    expect(new URL(seen[1]?.url ?? '').pathname).toBe(page1.nextRecordsUrl);
    expect(seen[1]?.headers.get('authorization')).toBe('Bearer 00Dx!token');
  });
});

describe('child subquery results', () => {
  it('childRecords follows a child batch left behind nextRecordsUrl, and yields nothing for null', async () => {
    const parent = real('query-subquery.json').records[0];
    const more = {
      totalSize: 3,
      done: true,
      records: [{ attributes: { type: 'Contact' }, Id: '003Ho00000Qx1AGIAZ', LastName: 'Quist' }],
    };
    const contacts = {
      ...parent.Contacts,
      totalSize: 3,
      done: false,
      nextRecordsUrl: '/services/data/v62.0/query/01gHo00000AbCdFIAZ-2',
    };
    const { client, seen } = fixtureClient([
      ['GET', /^\/services\/data\/v62\.0\/query\/01gHo00000AbCdFIAZ-2$/, jsonAnswer(more)],
    ]);
    const names: unknown[] = [];
    for await (const c of childRecords(client, contacts)) names.push(c.LastName);
    expect(names).toEqual(['Lindqvist', 'Berg', 'Quist']);
    expect(seen).toHaveLength(1);
    for await (const _ of childRecords(client, null)) throw new Error('null has no children');
    await expect(childRecords(client, { rows: [] } as never).next()).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
    });
  });
});

describe('bulk result CSVs as Salesforce writes them', () => {
  const stream = (bytes: Uint8Array, size: number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += size) controller.enqueue(bytes.slice(i, i + size));
        controller.close();
      },
    });
  const rows = async (text: string, options: { bom?: boolean; chunk?: number } = {}) => {
    const body = new TextEncoder().encode(text);
    const bytes = options.bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...body]) : body;
    const out: Record<string, string>[] = [];
    for await (const r of csvRecords(stream(bytes, options.chunk ?? bytes.length))) out.push(r);
    return out;
  };

  it('quoted fields, doubled quotes, embedded newlines, BOM, CRLF, chunk boundaries', async () => {
    const text = read('ingest-successful.csv');
    const expected = [
      {
        sf__Id: '003Ho00000Qx1AEIAZ',
        sf__Created: 'true',
        Legacy_Id__c: 'L-1',
        LastName: 'Åström',
        Description: 'Line one\nline two, with comma',
      },
      {
        sf__Id: '003Ho00000Qx1AFIAZ',
        sf__Created: 'false',
        Legacy_Id__c: 'L-2',
        LastName: 'O"Neil',
        Description: '',
      },
    ];
    expect(await rows(text)).toEqual(expected);
    expect(await rows(text, { bom: true })).toEqual(expected);
    expect(await rows(text, { bom: true, chunk: 3 })).toEqual(expected);
    expect(await rows(`\n${text}`)).toEqual(expected);
    // CRLF line endings (lineEnding CRLF); the line break inside the quoted field stays as sent
    const crlf = text.replace(/"\n/g, '"\r\n');
    const crlfRows = await rows(crlf, { chunk: 5 });
    expect(crlfRows.map((r) => r.sf__Id)).toEqual(expected.map((r) => r.sf__Id));
    expect(crlfRows[0]?.Description).toBe(expected[0]?.Description);
  });

  it('bulkIngest pairs real result files with the rows sent and reads sf__Error', async () => {
    const jobId = real('bulk-ingest-created.json').id as string;
    let uploaded = '';
    const csvAnswer = (name: string) => () =>
      new Response(read(name), { headers: { 'content-type': 'text/csv' } });
    const { client } = fixtureClient([
      ['POST', /\/jobs\/ingest$/, jsonAnswer(real('bulk-ingest-created.json'))],
      [
        'PUT',
        /\/batches$/,
        (request) => {
          void request.text().then((t) => {
            uploaded = t;
          });
          return new Response(null, { status: 201 });
        },
      ],
      [
        'PATCH',
        new RegExp(`/jobs/ingest/${jobId}$`),
        jsonAnswer({ ...real('bulk-ingest-created.json'), state: 'UploadComplete' }),
      ],
      ['GET', new RegExp(`/jobs/ingest/${jobId}$`), jsonAnswer(real('bulk-ingest-complete.json'))],
      ['GET', /\/successfulResults$/, csvAnswer('ingest-successful.csv')],
      ['GET', /\/failedResults$/, csvAnswer('ingest-failed.csv')],
      ['GET', /\/unprocessedrecords$/, csvAnswer('ingest-unprocessed.csv')],
    ]);
    const results = [];
    for await (const r of bulkIngest(client, {
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'Legacy_Id__c',
      records: [
        { Legacy_Id__c: 'L-1', LastName: 'Åström', Description: 'Line one\nline two, with comma' },
        { Legacy_Id__c: 'L-2', LastName: 'O"Neil', Description: '' },
        { Legacy_Id__c: 'L-3', LastName: '', Description: 'has "quotes"' },
        { Legacy_Id__c: 'L-4', LastName: 'Mbeki', Description: 'never ran' },
      ],
      poll: { initialDelayMs: 1 },
    }))
      results.push(r);
    expect(uploaded.split('\n')[0]).toBe('Legacy_Id__c,LastName,Description');
    expect(results.map((r) => [r.index, r.status, r.matchedBy])).toEqual([
      [0, 'success', 'content'],
      [1, 'success', 'content'],
      [2, 'failed', 'content'],
      [3, 'unprocessed', 'content'],
    ]);
    expect(results[0]).toMatchObject({ id: '003Ho00000Qx1AEIAZ', created: true });
    expect(results[1]).toMatchObject({ created: false });
    expect(results[2]).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --',
    });
    expect(results[2]?.id).toBeUndefined();
  });

  it('bulkQuery reads a results page with a BOM, Sforce-Locator null and empty fields as null', async () => {
    const jobId = real('bulk-query-created.json').id as string;
    const { client, seen } = fixtureClient([
      ['POST', /\/jobs\/query$/, jsonAnswer(real('bulk-query-created.json'))],
      ['GET', new RegExp(`/jobs/query/${jobId}$`), jsonAnswer(real('bulk-query-complete.json'))],
      [
        'GET',
        /\/results/,
        () =>
          new Response(`\uFEFF${read('bulk-query-results.csv')}`, {
            headers: {
              'content-type': 'text/csv',
              'Sforce-Locator': 'null',
              'Sforce-NumberOfRecords': '3',
            },
          }),
      ],
    ]);
    const rows = [];
    for await (const row of bulkQuery(client, 'SELECT Id, Name, Account.Name FROM Contact', {
      poll: { initialDelayMs: 1 },
    }))
      rows.push(row);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      Id: '003Ho00000Qx1AAIAZ',
      Name: 'Ana Lindqvist',
      'Account.Name': 'Harbor & Sons',
      AnnualRevenue: '1250000.5',
      IsDeleted: 'false',
    });
    expect(rows[1]?.['Account.Name']).toBeNull();
    expect(rows[2]).toMatchObject({ Name: 'Ruiz, M.', 'Account.Name': 'Quiet "Pines"' });
    expect(seen.filter((r) => r.url.includes('/results'))).toHaveLength(1);
  });
});
