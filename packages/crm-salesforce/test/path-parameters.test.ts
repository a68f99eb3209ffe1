import { describe, expect, it } from 'vitest';
import {
  collections,
  createSalesforceClient,
  getUpdated,
  PathParameterError,
  queryAll,
  soql,
  upsert,
} from '../src/index.js';
import { createSalesforceEmulator } from '../src/testing.js';

function setup() {
  const emulator = createSalesforceEmulator({
    accessTokens: ['t'],
    objects: [
      {
        name: 'Customer__c',
        fields: [
          {
            name: 'Ext__c',
            type: 'string',
            length: 80,
            externalId: true,
            unique: true,
            nillable: true,
            createable: true,
            updateable: true,
          },
        ],
      },
    ],
  });
  const sent: string[] = [];
  const client = createSalesforceClient({
    auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
    fetch: async (request: Request) => {
      sent.push(`${request.method} ${new URL(request.url).pathname}`);
      return emulator.fetch(request);
    },
  });
  return { emulator, client, sent };
}

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PathParameterError);
  return error as PathParameterError;
};

describe('path parameters stay in their segment', () => {
  it('refuses ".", ".." and "" as an external id value, naming the parameter, and sends nothing', async () => {
    const { client, sent } = setup();
    for (const value of ['..', '.', '']) {
      const error = await refusal(upsert(client, 'Customer__c', 'Ext__c', value, { Name: 'x' }));
      expect(error.code).toBe('INVALID_PATH_PARAMETER');
      expect(error.parameter).toBe('externalIdValue');
      expect(error.message).toContain('externalIdValue');
      expect(error.message).toContain(JSON.stringify(value));
    }
    expect(sent).toEqual([]);
  });

  it('refuses dot segments and missing values in every typed call', async () => {
    const { client, sent } = setup();
    const id = await refusal(
      client.GET('/sobjects/{sobject}/{id}', {
        params: { path: { sobject: 'Account', id: '..' } },
      }),
    );
    expect(id.parameter).toBe('id');
    const sobject = await refusal(
      client.GET('/sobjects/{sobject}/describe', { params: { path: { sobject: '.' } } }),
    );
    expect(sobject.parameter).toBe('sobject');
    const missing = await refusal(
      client.GET('/sobjects/{sobject}/{id}', {
        params: { path: { sobject: 'Account' } as { sobject: string; id: string } },
      }),
    );
    expect(missing.parameter).toBe('id');
    expect(missing.message).toContain('missing');
    expect(sent).toEqual([]);
  });

  it('encodes hostile external id values into one segment and round-trips them exactly', async () => {
    const { emulator, client, sent } = setup();
    const hostile = [
      'a/b',
      '../Account',
      '%2e%2e',
      '.%2E',
      'x?y=1&z',
      'frag#ment',
      'sp ace',
      "quote' OR 'x",
      '...',
      'ünï/cødé',
    ];
    for (const value of hostile) {
      const created = await upsert(client, 'Customer__c', 'Ext__c', value, { Name: value });
      expect(created.created).toBe(true);
    }
    // every request went to /sobjects/Customer__c/Ext__c/<exactly one segment>
    for (const line of sent.filter((s) => s.startsWith('PATCH'))) {
      expect(line).toMatch(
        /^PATCH \/services\/data\/v62\.0\/sobjects\/Customer__c\/Ext__c\/[^/]+$/,
      );
    }
    const stored = emulator.state.records('Customer__c').map((r) => r.Ext__c);
    expect(stored.sort()).toEqual([...hostile].sort());
    const again = await upsert(client, 'Customer__c', 'Ext__c', '../Account', { Name: 'again' });
    expect(again.created).toBe(false);
    const rows = await queryAll<{ Name: string }>(
      client,
      soql`SELECT Name FROM Customer__c WHERE Ext__c = ${'../Account'}`,
    );
    expect(rows.map((r) => r.Name)).toEqual(['again']);
  });

  it('refuses a hostile sObject or field name before building a path', async () => {
    const { client, sent } = setup();
    await expect(
      collections(client, {
        operation: 'upsert',
        sobject: '..',
        externalIdField: 'Ext__c',
        records: [{ Name: 'x' }],
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_ERROR', option: 'sobject' });
    await expect(
      upsert(client, 'Customer__c', '../Ext__c', 'v', { Name: 'x' }),
    ).rejects.toMatchObject({ code: 'CONFIG_ERROR', option: 'externalIdField' });
    await expect(getUpdated(client, '..', { start: new Date() })).rejects.toMatchObject({
      code: 'CONFIG_ERROR',
    });
    expect(sent).toEqual([]);
  });
});
