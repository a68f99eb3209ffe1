import { describe, expect, it } from 'vitest';
import { createSalesforceEmulator } from '../testing.js';

/**
 * sObject Relationships, GET of a child-to-parent relationship:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_relationships_get.htm
 * The related record comes back as sObject Rows would answer it (all fields, or `fields`); no
 * related record is 404, a field the related object lacks is 400.
 */

function setUp() {
  const emulator = createSalesforceEmulator({
    accessTokens: ['t'],
    objects: [
      {
        name: 'Invoice__c',
        fields: [
          {
            name: 'Account__c',
            type: 'reference',
            referenceTo: ['Account'],
            relationshipName: 'Account__r',
          },
        ],
      },
    ],
  });
  const get = async (path: string, version = '62.0') => {
    const response = await emulator.fetch(
      new Request(`https://org.example.com/services/data/v${version}/${path}`, {
        headers: { authorization: 'Bearer t' },
      }),
    );
    return { status: response.status, body: (await response.json()) as any };
  };
  const account = emulator.state.insert('Account', { Name: 'Acme', Phone: '555' });
  const contact = emulator.state.insert('Contact', { LastName: 'Lee', AccountId: account });
  const orphan = emulator.state.insert('Contact', { LastName: 'Alone' });
  const invoice = emulator.state.insert('Invoice__c', { Name: 'INV-1', Account__c: account });
  return { emulator, get, account, contact, orphan, invoice };
}

describe('sObject Relationships', () => {
  it('answers the parent record of a lookup, all its fields or the ones asked for', async () => {
    const { get, account, contact, invoice } = setUp();
    const all = await get(`sobjects/Contact/${contact}/Account`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${account}` },
      Id: account,
      Name: 'Acme',
      Phone: '555',
    });
    const some = await get(`sobjects/Invoice__c/${invoice}/account__r?fields=Name,phone`);
    expect(some).toEqual({
      status: 200,
      body: {
        attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${account}` },
        Name: 'Acme',
        Phone: '555',
      },
    });
  });

  it("follows Owner to the record's owning user", async () => {
    const { emulator, get, account } = setUp();
    const owner = await get(`sobjects/Account/${account}/Owner?fields=Id`);
    expect(owner.body).toEqual({
      attributes: {
        type: 'User',
        url: `/services/data/v62.0/sobjects/User/${emulator.state.store.defaultUserId}`,
      },
      Id: emulator.state.store.defaultUserId,
    });
  });

  it('is 404 without a related record or record, 400 for a field the parent lacks', async () => {
    const { get, contact, orphan } = setUp();
    expect(await get(`sobjects/Contact/${orphan}/Account`)).toEqual({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
    });
    expect((await get('sobjects/Contact/003000000000000AAA/Account')).status).toBe(404);
    expect(await get(`sobjects/Contact/${contact}/Account?fields=Name,Nope__c`)).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'INVALID_FIELD',
          message: "No such column 'Nope__c' on sobject of type Account",
        },
      ],
    });
  });

  it('is not there before API 36.0; an external id lookup on the same path shape still works', async () => {
    const { get, contact } = setUp();
    expect((await get(`sobjects/Contact/${contact}/Account`, '35.0')).status).toBe(404);
    const byId = await get(`sobjects/Contact/Id/${contact}?fields=LastName`);
    expect(byId.body).toMatchObject({ LastName: 'Lee' });
  });
});
