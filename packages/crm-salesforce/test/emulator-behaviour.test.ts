import { describe, expect, it } from 'vitest';
import {
  bulkQuery,
  collections,
  createSalesforceClient,
  query,
  queryAll,
  schemas,
  upsert,
} from '../src/index.js';
import { createSalesforceEmulator, type SalesforceEmulatorOptions } from '../src/testing.js';

const MEMBER = {
  name: 'Member__c',
  fields: [
    {
      name: 'Code__c',
      type: 'string',
      externalId: true,
      unique: true,
      nillable: true,
      createable: true,
      updateable: true,
    },
    { name: 'Level__c', type: 'int', nillable: true, createable: true, updateable: true },
  ],
};

function setup(
  options: SalesforceEmulatorOptions = {},
  clientOptions: Record<string, unknown> = {},
) {
  const emulator = createSalesforceEmulator({ accessTokens: ['t'], objects: [MEMBER], ...options });
  const client = createSalesforceClient({
    auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
    fetch: emulator.fetch,
    ...clientOptions,
  });
  return { emulator, client };
}

describe('collections', () => {
  it('creates, updates and deletes with one outcome per input, including partial failures', async () => {
    const { emulator, client } = setup();
    const created = await collections(client, {
      operation: 'create',
      sobject: 'Member__c',
      records: [
        { Code__c: 'A', Name: 'a' },
        { Code__c: 'A', Name: 'dup' },
        { Code__c: 'B', Level__c: 'high' },
        { Code__c: 'C' },
      ],
    });
    expect(created.map((r) => r.success)).toEqual([true, false, false, true]);
    expect(created[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'DUPLICATE_VALUE' }],
    });
    expect(created[2]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', fields: ['Level__c'] }],
    });
    const ids = created.flatMap((r) => (r.success ? [r.id] : []));
    const updated = await collections(client, {
      operation: 'update',
      sobject: 'Member__c',
      records: [
        { Id: ids[0], Level__c: 3 },
        { Id: '001Dn000000zzzzIAA', Level__c: 1 },
      ],
    });
    expect(updated.map((r) => r.success)).toEqual([true, false]);
    expect(emulator.state.store.get('Member__c', ids[0]!)?.Level__c).toBe(3);
    const deleted = await collections(client, {
      operation: 'delete',
      records: [ids[1]!, { Id: ids[0] }],
    });
    expect(deleted.map((r) => r.success)).toEqual([true, true]);
    expect(emulator.state.records('Member__c')).toHaveLength(0);
    const rows = await queryAll(client, 'SELECT Id FROM Member__c', { all: true });
    expect(rows).toHaveLength(2); // queryAll sees deleted rows
  });

  it('rolls a request back with allOrNone and does not send later requests after a failure', async () => {
    const { emulator, client } = setup();
    const records = Array.from({ length: 5 }, (_, i) => ({
      Code__c: `R${i}`,
      Level__c: i === 1 ? 'bad' : i,
    }));
    const results = await collections(client, {
      operation: 'upsert',
      sobject: 'Member__c',
      externalIdField: 'Code__c',
      records,
      allOrNone: true,
      chunkSize: 2,
      concurrency: 1,
    });
    expect(results[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' }],
    });
    expect(results[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD' }],
    });
    expect(results.slice(2).map((r) => !r.success && r.errors[0]?.statusCode)).toEqual([
      'PROCESSING_HALTED',
      'PROCESSING_HALTED',
      'PROCESSING_HALTED',
    ]);
    expect(emulator.state.records('Member__c')).toHaveLength(0);
  });

  it('refuses bad options with a ConfigError naming the option', async () => {
    const { client } = setup();
    await expect(
      collections(client, { operation: 'upsert', sobject: 'Member__c', records: [] }),
    ).rejects.toMatchObject({ code: 'CONFIG_ERROR', option: 'externalIdField' });
    await expect(collections(client, { operation: 'create', records: [{}] })).rejects.toMatchObject(
      { option: 'sobject' },
    );
    await expect(
      collections(client, {
        operation: 'create',
        sobject: 'Member__c',
        records: [{}],
        chunkSize: 201,
      }),
    ).rejects.toMatchObject({ option: 'chunkSize' });
  });
});

describe('streaming', () => {
  it('fetches query batches and bulk result pages only as the caller consumes them', async () => {
    const { emulator, client } = setup();
    for (let i = 0; i < 1000; i++)
      emulator.state.insert('Member__c', { Code__c: `S${i}`, Level__c: i });
    const pagesSoFar = (suffix: string) =>
      emulator.state.requests.filter((r) => r.path.includes(suffix)).length;

    const records = query(client, 'SELECT Code__c FROM Member__c ORDER BY Level__c', {
      batchSize: 200,
    });
    await records.next();
    expect(pagesSoFar('/query')).toBe(1);
    let n = 1;
    for await (const _ of records) n++;
    expect(n).toBe(1000);
    expect(pagesSoFar('/query')).toBe(5);

    const rows = bulkQuery(client, 'SELECT Code__c FROM Member__c', {
      maxRecords: 100,
      poll: { initialDelayMs: 1, maxDelayMs: 2 },
    });
    await rows.next();
    expect(pagesSoFar('/results')).toBe(1);
    let m = 1;
    for await (const _ of rows) m++;
    expect(m).toBe(1000);
    expect(pagesSoFar('/results')).toBe(10);
  });
});

describe('emulator', () => {
  it('runs composite subrequests with references to earlier results', async () => {
    const { client } = setup();
    const { data } = await client.POST('/composite', {
      body: {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Account',
            referenceId: 'acc',
            body: { Name: 'Parent' },
          },
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Contact',
            referenceId: 'con',
            body: { LastName: 'Kid', AccountId: '@{acc.id}' },
          },
          {
            method: 'GET',
            url: '/services/data/v62.0/sobjects/Contact/@{con.id}?fields=AccountId',
            referenceId: 'read',
          },
        ],
      },
    });
    const [acc, con, read] = data?.compositeResponse ?? [];
    expect(acc?.httpStatusCode).toBe(201);
    expect(con?.httpStatusCode).toBe(201);
    expect((read!.body as { AccountId: string }).AccountId).toBe((acc!.body as { id: string }).id);
  });

  it('rolls back a composite request with allOrNone when a subrequest fails', async () => {
    const { emulator, client } = setup();
    const { data } = await client.POST('/composite', {
      body: {
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Account',
            referenceId: 'ok',
            body: { Name: 'Kept?' },
          },
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Contact',
            referenceId: 'bad',
            body: { FirstName: 'No last name' },
          },
          { method: 'GET', url: '/services/data/v62.0/limits', referenceId: 'after' },
        ],
      },
    });
    const codes = data?.compositeResponse.map((r) => [
      r.referenceId,
      r.httpStatusCode,
      (r.body as [{ errorCode: string }])[0]?.errorCode,
    ]);
    expect(codes).toEqual([
      ['ok', 400, 'PROCESSING_HALTED'],
      ['bad', 400, 'REQUIRED_FIELD_MISSING'],
      ['after', 400, 'PROCESSING_HALTED'],
    ]);
    expect(emulator.state.records('Account')).toHaveLength(0);
  });

  it('keeps secrets out of token errors', async () => {
    const emulator = createSalesforceEmulator({
      clients: [{ clientId: 'c', clientSecret: 's3cret-value', refreshTokens: ['good-refresh'] }],
    });
    const client = createSalesforceClient({
      loginUrl: 'https://login.example.com',
      auth: {
        type: 'refreshToken',
        clientId: 'c',
        clientSecret: 's3cret-value',
        refreshToken: 'stolen-refresh-token',
      },
      fetch: emulator.fetch,
    });
    const error = await queryAll(client, 'SELECT Id FROM Account').catch((e) => e);
    const text = `${error.message} ${JSON.stringify(error.toJSON?.() ?? {})} ${error.stack}`;
    expect(text).toMatch(/invalid_grant|expired/);
    expect(text).not.toContain('stolen-refresh-token');
    expect(text).not.toContain('s3cret-value');
  });

  it('expires sessions after sessionTtlMs and the client logs in again', async () => {
    let now = 1_700_000_000_000;
    const emulator = createSalesforceEmulator({
      clients: [{ clientId: 'c', clientSecret: 's' }],
      sessionTtlMs: 60_000,
      now: () => now,
    });
    const client = createSalesforceClient({
      loginUrl: 'https://login.example.com',
      auth: { type: 'clientCredentials', clientId: 'c', clientSecret: 's' },
      fetch: emulator.fetch,
    });
    await queryAll(client, 'SELECT Id FROM Account');
    now += 61_000;
    await queryAll(client, 'SELECT Id FROM Account');
    expect(emulator.state.tokenRequests.client_credentials).toBe(2);
  });

  it('answers 204 to an updating upsert before API 46.0', async () => {
    const { client } = setup({}, { apiVersion: '45.0' });
    const raw = await client.PATCH('/sobjects/{sobject}/{externalIdField}/{externalIdValue}', {
      params: { path: { sobject: 'Member__c', externalIdField: 'Code__c', externalIdValue: 'Y' } },
      body: { Level__c: 1 },
    });
    // the created answer of these versions has no `created`; the schema takes it
    expect(raw.response.status).toBe(201);
    expect(Object.keys(raw.data ?? {}).sort()).toEqual(['errors', 'id', 'success']);
    expect(schemas.upsertResult.parse(raw.data).id).toMatch(/^\w{18}$/);
    expect((await upsert(client, 'Member__c', 'Code__c', 'Z', { Level__c: 1 })).created).toBe(true);
    expect(await upsert(client, 'Member__c', 'Code__c', 'Z', { Level__c: 2 })).toEqual({
      created: false,
    });
  });

  it('injects seeded faults that the client retries through', async () => {
    const { emulator, client } = setup(
      { faults: { seed: 7, rate5xx: 0.3, match: (r) => r.url.includes('/query') } },
      { retry: { minDelayMs: 1, maxDelayMs: 5, retries: 8 } },
    );
    for (let i = 0; i < 30; i++) emulator.state.insert('Member__c', { Code__c: `F${i}` });
    for (let i = 0; i < 10; i++)
      expect(await queryAll(client, 'SELECT Id FROM Member__c')).toHaveLength(30);
    expect(
      (emulator.fetch as unknown as { stats: { injected5xx: number } }).stats.injected5xx,
    ).toBeGreaterThan(0);
  });
});
