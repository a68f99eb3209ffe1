import { describe, expect, it } from 'vitest';
import { createSalesforceEmulator } from '../testing.js';

/**
 * sObject Collections retrieve, both forms:
 * GET  https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_retrieve.htm
 * POST https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-retrieve-post.html
 */

function setUp() {
  const emulator = createSalesforceEmulator({ accessTokens: ['t'] });
  const call = (method: string, path: string, body?: unknown, version = '62.0') =>
    emulator.fetch(
      new Request(`https://org.example.com/services/data/v${version}/${path}`, {
        method,
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
  const acme = emulator.state.insert('Account', { Name: 'Acme', Phone: '555' });
  const media = emulator.state.insert('Account', { Name: 'Global Media' });
  return { emulator, call, acme, media };
}

const account = (id: string, fields: Record<string, unknown>) => ({
  attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` },
  ...fields,
});

describe('sObject Collections retrieve', () => {
  it('GET answers one entry per id in the order asked, null where an id names no record', async () => {
    const { emulator, call, acme, media } = setUp();
    const contact = emulator.state.insert('Contact', { LastName: 'Other object' });
    const deleted = emulator.state.insert('Account', { Name: 'Deleted' });
    emulator.state.store.delete('Account', deleted);
    const ids = [media, 'not-an-id', acme.slice(0, 15), contact, deleted, acme];
    const response = await call(
      'GET',
      `composite/sobjects/Account?ids=${ids.join(',')}&fields=id,NAME,phone`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      account(media, { Id: media, Name: 'Global Media', Phone: null }),
      null,
      account(acme, { Id: acme, Name: 'Acme', Phone: '555' }), // a 15-character id finds it too
      null, // another object's record
      null, // deleted
      account(acme, { Id: acme, Name: 'Acme', Phone: '555' }),
    ]);
  });

  it('POST with {ids, fields} answers the same as GET', async () => {
    const { call, acme, media } = setUp();
    const response = await call('POST', 'composite/sobjects/Account', {
      ids: [acme, '001000000000000AAA', media],
      fields: ['Name'],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([
      account(acme, { Name: 'Acme' }),
      null,
      account(media, { Name: 'Global Media' }),
    ]);
  });

  it('refuses a field the object lacks, missing ids or fields, and wrong types, naming them', async () => {
    const { call, acme } = setUp();
    const refusal = async (response: Response): Promise<[number, any]> => [
      response.status,
      await response.json(),
    ];
    expect(
      await refusal(
        await call('GET', `composite/sobjects/Account?ids=${acme}&fields=Name,Nope__c`),
      ),
    ).toEqual([
      400,
      [
        {
          errorCode: 'INVALID_FIELD',
          message: "No such column 'Nope__c' on sobject of type Account",
        },
      ],
    ]);
    const [status, body] = await refusal(
      await call('GET', 'composite/sobjects/Account?ids&fields'),
    );
    expect(status).toBe(400);
    expect(body[0]).toMatchObject({
      errorCode: 'MISSING_ARGUMENT',
      message: expect.stringMatching(/^ids: /),
    });
    const noFields = await refusal(
      await call('POST', 'composite/sobjects/Account', { ids: [acme] }),
    );
    expect(noFields[1][0].message).toMatch(/^fields: /);
    const wrongType = await refusal(
      await call('POST', 'composite/sobjects/Account', { ids: acme, fields: ['Name'] }),
    );
    expect(wrongType).toEqual([
      400,
      [{ errorCode: 'JSON_PARSER_ERROR', message: 'ids: must be an array of strings' }],
    ]);
    const tooMany = await refusal(
      await call('POST', 'composite/sobjects/Account', {
        ids: Array.from({ length: 2001 }, () => acme),
        fields: ['Name'],
      }),
    );
    expect(tooMany[0]).toBe(400);
    expect(tooMany[1][0]).toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
  });

  it('is not there before API 42.0, and an unknown object is not found', async () => {
    const { call, acme } = setUp();
    expect(
      (await call('GET', `composite/sobjects/Account?ids=${acme}&fields=Name`, undefined, '41.0'))
        .status,
    ).toBe(404);
    expect((await call('GET', `composite/sobjects/Nope__c?ids=${acme}&fields=Name`)).status).toBe(
      404,
    );
  });

  it('leaves creating records (POST without an object) as it was', async () => {
    const { emulator, call } = setUp();
    const response = await call('POST', 'composite/sobjects', {
      records: [{ attributes: { type: 'Account' }, Name: 'Created' }],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ id: expect.any(String), success: true, errors: [] }]);
    expect(emulator.state.records('Account').map((r) => r.Name)).toContain('Created');
  });
});
