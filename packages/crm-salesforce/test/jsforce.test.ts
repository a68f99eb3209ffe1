import type { RunningServer } from '@plumbline/client-core/testing';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceEmulator, type SalesforceEmulator } from '../src/testing.js';

/**
 * jsforce, a client we did not write, against the emulator over HTTP. Its multi-id retrieve
 * POSTs {ids, fields} to sObject Collections (fields from its describe) and expects one entry per
 * id, null where an id names no record:
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-retrieve-post.html
 * Its describeGlobal reads Describe Global's entries:
 * https://developer.salesforce.com/docs/atlas.en-us.194.0.api_rest.meta/api_rest/dome_describeGlobal.htm
 */

let emulator: SalesforceEmulator;
let server: RunningServer;
let conn: Connection;

beforeAll(async () => {
  emulator = createSalesforceEmulator({ accessTokens: ['jsforce-token'] });
  server = await emulator.listen();
  conn = new Connection({ instanceUrl: server.url, accessToken: 'jsforce-token', version: '62.0' });
});

afterAll(async () => {
  await server?.close();
});

describe('jsforce against the emulator', () => {
  it("sobject('Account').retrieve([id1, id2]) returns both records in order, null for a missing id", async () => {
    const id1 = emulator.state.insert('Account', { Name: 'Acme', Website: 'acme.example' });
    const id2 = emulator.state.insert('Account', { Name: 'Global Media' });
    const gone = emulator.state.insert('Account', { Name: 'Gone' });
    expect(await conn.sobject('Account').destroy(gone)).toMatchObject({ success: true });

    const records = await conn.sobject('Account').retrieve([id1, id2]);
    expect(records.map((r) => [r?.Id, r?.Name])).toEqual([
      [id1, 'Acme'],
      [id2, 'Global Media'],
    ]);
    // no fields given: jsforce asks for every field of the describe, and each one comes back
    expect(records[0]).toMatchObject({ Website: 'acme.example', BillingAddress: null });
    expect(records[0]?.attributes).toEqual({
      type: 'Account',
      url: `/services/data/v62.0/sobjects/Account/${id1}`,
    });

    const withGone = await conn.sobject('Account').retrieve([id2, gone, id1], { fields: ['Name'] });
    expect(withGone).toEqual([
      { attributes: expect.any(Object), Name: 'Global Media' },
      null,
      { attributes: expect.any(Object), Name: 'Acme' },
    ]);
    // one collections call each, not one GET per id
    const posts = emulator.state.requests.filter(
      (r) => r.method === 'POST' && r.path === '/services/data/v62.0/composite/sobjects/Account',
    );
    expect(posts).toHaveLength(2);
  });

  it('describeGlobal() lists every object with its documented properties', async () => {
    const global = await conn.describeGlobal();
    expect([global.encoding, global.maxBatchSize]).toEqual(['UTF-8', 200]);
    const account = global.sobjects.find((s) => s.name === 'Account');
    expect(account).toMatchObject({
      label: 'Account',
      labelPlural: 'Accounts',
      keyPrefix: '001',
      custom: false,
      queryable: true,
      createable: true,
      updateable: true,
      deletable: true,
      searchable: true,
      retrieveable: true,
      triggerable: true,
      urls: {
        sobject: '/services/data/v62.0/sobjects/Account',
        describe: '/services/data/v62.0/sobjects/Account/describe',
        rowTemplate: '/services/data/v62.0/sobjects/Account/{ID}',
      },
    });
    expect(global.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Account', 'Contact', 'Opportunity', 'User']),
    );
  });
});
