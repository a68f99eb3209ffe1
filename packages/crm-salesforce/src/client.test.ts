import { describe, expect, expectTypeOf, it } from 'vitest';
import { createSalesforceClient, type SalesforceClient } from './client.js';
import { query } from './query.js';
import * as schemas from './schemas/index.js';
import { createSalesforceEmulator } from './testing/emulator.js';

describe('the typed client surface', () => {
  it('types paths, params and bodies from the spec', async () => {
    const emulator = createSalesforceEmulator({ accessTokens: ['t'] });
    const client: SalesforceClient = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://o.example.com' },
      fetch: emulator.fetch,
    });
    const created = await client.POST('/sobjects/{sobject}', {
      params: { path: { sobject: 'Account' } },
      body: { Name: 'Typed' },
    });
    expectTypeOf(created.data).toEqualTypeOf<
      | {
          id: string;
          success: boolean;
          errors: { statusCode: string; message: string; fields?: string[] }[];
        }
      | undefined
    >();
    expect(created.data?.success).toBe(true);
    const page = await client.GET('/query', { params: { query: { q: 'SELECT Id FROM Account' } } });
    expectTypeOf(page.data?.totalSize).toEqualTypeOf<number | undefined>();
    expect(page.data?.totalSize).toBe(1);
    const describeCall = (path: { other?: string }) =>
      // @ts-expect-error the sobject path parameter is required
      client.GET('/sobjects/{sobject}/describe', { params: { path } });
    expect(typeof describeCall).toBe('function');
    for await (const account of query(client, 'SELECT Id, Name FROM Account', {
      schema: schemas.account,
    })) {
      expectTypeOf(account.Name).toEqualTypeOf<string | undefined>();
      expect(account.Name).toBe('Typed');
    }
    for await (const row of query<{ Id: string }>(client, 'SELECT Id FROM Account')) {
      expectTypeOf(row.Id).toBeString();
    }
  });
});
