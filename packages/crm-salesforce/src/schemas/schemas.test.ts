import { expect, describe as group, it } from 'vitest';
import { createSalesforceClient } from '../client.js';
import { query } from '../query.js';
import { createSalesforceEmulator } from '../testing/emulator.js';
import * as schemas from './index.js';

group('schemas', () => {
  it('validate Salesforce shapes and let custom fields pass through', () => {
    const acc = schemas.account.parse({
      attributes: { type: 'Account' },
      Id: '001',
      Name: 'Acme',
      Tier__c: 'Gold',
    });
    expect(acc.Tier__c).toBe('Gold');
    expect(schemas.contact.safeParse({ LastName: 3 }).success).toBe(false);
    expect(schemas.opportunity.parse({ Name: 'Deal', Amount: null, Custom__c: 1 })).toMatchObject({
      Custom__c: 1,
    });
    const page = schemas
      .queryResult(schemas.account)
      .parse({ totalSize: 1, done: true, records: [{ Name: 'x' }] });
    expect(page.records[0]?.Name).toBe('x');
    expect(
      schemas.upsertResult.parse({ id: '001', success: true, errors: [], created: true }).created,
    ).toBe(true);
    // API versions before 46.0 answer a created upsert without `created`
    expect(schemas.upsertResult.parse({ id: '001', success: true, errors: [] })).toEqual({
      id: '001',
      success: true,
      errors: [],
    });
    expect(
      schemas.upsertResult.safeParse({ id: '001', success: true, errors: [], created: 'yes' })
        .success,
    ).toBe(false);
    expect(
      schemas.collectionResult.parse({
        id: null,
        success: false,
        errors: [{ statusCode: 'X', message: 'm', fields: [] }],
      }).success,
    ).toBe(false);
    expect(
      schemas.errorBody.parse([{ message: 'bad', errorCode: 'MALFORMED_QUERY' }])[0]?.errorCode,
    ).toBe('MALFORMED_QUERY');
    expect(
      schemas.bulkJob.safeParse({
        id: '750',
        operation: 'insert',
        object: 'Account',
        state: 'Weird',
      }).success,
    ).toBe(false);
    expect(
      schemas.limits.parse({ DailyApiRequests: { Max: 10, Remaining: 5 } }).DailyApiRequests
        ?.Remaining,
    ).toBe(5);
    expect(schemas.updatedResult.safeParse({ ids: ['a'], latestDateCovered: 'x' }).success).toBe(
      true,
    );
    expect(
      schemas.deletedResult.safeParse({
        deletedRecords: [],
        earliestDateAvailable: 'a',
        latestDateCovered: 'b',
      }).success,
    ).toBe(true);
    expect(schemas.saveResult.safeParse({ id: '1', success: true }).success).toBe(false);
  });

  it('match what the emulator serves, and type query records (or name the bad field)', async () => {
    const emulator = createSalesforceEmulator({ accessTokens: ['t'] });
    const client = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://o.example.com' },
      fetch: emulator.fetch,
    });
    emulator.state.insert('Account', { Name: 'Acme', NumberOfEmployees: 5 });
    const { data } = await client.GET('/sobjects/{sobject}/describe', {
      params: { path: { sobject: 'Account' } },
    });
    expect(schemas.describe.parse(data).fields.some((f) => f.name === 'Name')).toBe(true);
    const { data: limits } = await client.GET('/limits');
    expect(schemas.limits.parse(limits).DailyApiRequests?.Max).toBe(100_000);
    for await (const account of query(client, 'SELECT Id, Name, NumberOfEmployees FROM Account', {
      schema: schemas.account,
    })) {
      expect(account.NumberOfEmployees).toBe(5);
    }
    const strict = schemas.account.extend({ NumberOfEmployees: schemas.account.shape.Name });
    const error = await query(client, 'SELECT Id, NumberOfEmployees FROM Account', {
      schema: strict,
    })
      .next()
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'RECORD_SHAPE', fields: ['NumberOfEmployees'], index: 0 });
  });
});
