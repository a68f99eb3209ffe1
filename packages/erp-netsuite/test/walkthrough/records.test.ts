import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idFromLocation, openPlainSession, type PlainSession } from './plain-http.js';

// Oracle's "Working with Records" examples (SuiteTalk REST Web Services API Guide), replayed in
// order over loopback HTTP with plain fetch. Each step names the page it follows. Bodies are
// Oracle's, field names included: the guide writes them in lower case (`entityid`,
// `companyname`), while NetSuite answers with the metadata's names (`entityId`, `companyName`).

describe("walkthrough: Oracle's record examples (create, get, update, external ids, upsert, delete)", () => {
  let ns: PlainSession;
  let id: string;
  beforeAll(async () => {
    ns = await openPlainSession();
  });
  afterAll(() => ns.close());

  it('creates a customer: 204, no body, the new record in Location', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141395.html (Creating a Record Instance)
    const created = await ns.send('POST', '/record/v1/customer', {
      body: { entityid: 'New Customer', companyname: 'My Company', subsidiary: { id: '1' } },
    });
    expect(created.status).toBe(204);
    expect(created.body).toBeUndefined();
    const location = created.headers.get('location');
    expect(location).toMatch(new RegExp(`^${ns.origin}/services/rest/record/v1/customer/\\d+$`));
    id = idFromLocation(location);
  });

  it('gets it back as a singular resource with its self link and the fields it was given', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141500.html (Getting a Record Instance)
    const got = await ns.send('GET', `/record/v1/customer/${id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe(
      'application/vnd.oracle.resource+json; type=singular',
    );
    expect(got.body.links).toEqual([
      { rel: 'self', href: `${ns.origin}/services/rest/record/v1/customer/${id}` },
    ]);
    expect(got.body).toMatchObject({
      id,
      entityId: 'New Customer',
      companyName: 'My Company',
      subsidiary: {
        links: [{ rel: 'self', href: `${ns.origin}/services/rest/record/v1/subsidiary/1` }],
        id: '1',
      },
    });
    // One field per name: the lower-case spelling was not kept beside the metadata's.
    expect(got.body).not.toHaveProperty('entityid');
    expect(got.body).not.toHaveProperty('companyname');
  });

  it('updates it with PATCH: 204, the record in Location, omitted fields unchanged', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545142173.html (Updating a Record Instance)
    const patched = await ns.send('PATCH', `/record/v1/customer/${id}`, {
      body: { entityid: 'Updated Customer' },
    });
    expect(patched.status).toBe(204);
    expect(patched.body).toBeUndefined();
    expect(patched.headers.get('location')).toBe(
      `${ns.origin}/services/rest/record/v1/customer/${id}`,
    );
    const got = await ns.send('GET', `/record/v1/customer/${id}`);
    expect(got.body).toMatchObject({ entityId: 'Updated Customer', companyName: 'My Company' });
  });

  it('deletes a body field that a PATCH sets to null', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545142173.html ("Deleting Body Fields from a Record")
    await ns.send('PATCH', `/record/v1/customer/${id}`, { body: { email: 'ar@my.example' } });
    expect((await ns.send('GET', `/record/v1/customer/${id}`)).body.email).toBe('ar@my.example');
    const patched = await ns.send('PATCH', `/record/v1/customer/${id}`, { body: { email: null } });
    expect(patched.status).toBe(204);
    const got = await ns.send('GET', `/record/v1/customer/${id}`);
    expect(got.body).not.toHaveProperty('email');
    expect(got.body.companyName).toBe('My Company');
  });

  it('with replaceSelectedFields=true a null deletes only the fields named in replace', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545142173.html
    // (PATCH …?replaceSelectedFields=true&replace=body1 with { "body1": null })
    await ns.send('PATCH', `/record/v1/customer/${id}`, {
      body: { email: 'ap@my.example', phone: '555-0100' },
    });
    const patched = await ns.send(
      'PATCH',
      `/record/v1/customer/${id}?replaceSelectedFields=true&replace=email`,
      { body: { email: null, phone: null } },
    );
    expect(patched.status).toBe(204);
    const got = await ns.send('GET', `/record/v1/customer/${id}`);
    expect(got.body).not.toHaveProperty('email');
    expect(got.body.phone).toBe('555-0100');
  });

  it('creates with an external id in the body and reads the record by eid: in the URL', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156334828635.html (Using External IDs)
    const created = await ns.send('POST', '/record/v1/customer', {
      body: {
        firstName: 'John',
        lastName: 'Smith',
        isPerson: true,
        externalId: 'CID001',
        subsidiary: { id: '1' },
      },
    });
    expect(created.status).toBe(204);
    const johnId = idFromLocation(created.headers.get('location'));
    const got = await ns.send('GET', '/record/v1/customer/eid:CID001');
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: johnId,
      externalId: 'CID001',
      firstName: 'John',
      lastName: 'Smith',
      isPerson: true,
    });
  });

  it('upserts by external id with PUT: the first call creates, the second updates the same record', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156335203191.html (Using the Upsert Operation): Oracle's body is just a
    // first and last name.
    const before = ns.emulator.state.count('customer');
    const first = await ns.send('PUT', '/record/v1/customer/eid:CID002', {
      body: { firstName: 'John', lastName: 'Smith' },
    });
    expect(first.status).toBe(204);
    const upsertedId = idFromLocation(first.headers.get('location'));
    expect(ns.emulator.state.count('customer')).toBe(before + 1);

    const second = await ns.send('PUT', '/record/v1/customer/eid:CID002', {
      body: { firstName: 'John', lastName: 'Smyth' },
    });
    expect(second.status).toBe(204);
    expect(idFromLocation(second.headers.get('location'))).toBe(upsertedId);
    expect(ns.emulator.state.count('customer')).toBe(before + 1);
    const got = await ns.send('GET', '/record/v1/customer/eid:CID002');
    expect(got.body).toMatchObject({ id: upsertedId, externalId: 'CID002', lastName: 'Smyth' });
  });

  it('deletes the record: 204 without a body, then a read answers 404 NONEXISTENT_ID', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545142287.html (Deleting a Record Instance)
    const deleted = await ns.send('DELETE', `/record/v1/customer/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html (Error Handling in REST Web Services): status, and
    // o:errorDetails entries with detail and o:errorCode.
    const gone = await ns.send('GET', `/record/v1/customer/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ status: 404, title: 'Not Found' });
    expect(gone.body['o:errorDetails']).toEqual([
      expect.objectContaining({
        detail: expect.stringContaining('does not exist'),
        'o:errorCode': 'NONEXISTENT_ID',
      }),
    ]);
  });

  it("refuses Oracle's sales order whose line names an item that does not exist, pointing at the line", async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html
    // ("Request with an Invalid Body"): ids sent as JSON numbers, item 9999 unknown → 400
    // INVALID_CONTENT with o:errorPath item.items[0].item. The customer and location exist here
    // as 107 and 1 do in Oracle's account.
    const customer = await ns.send('POST', '/record/v1/customer', {
      body: { companyName: 'Invalid Body Example' },
    });
    const location = await ns.send('POST', '/record/v1/location', { body: { name: 'Main' } });
    const entity = Number(idFromLocation(customer.headers.get('location')));
    const locationId = Number(idFromLocation(location.headers.get('location')));
    const before = ns.emulator.state.count('salesOrder');
    const refused = await ns.send('POST', '/record/v1/salesOrder', {
      body: {
        entity: { id: entity },
        location: { id: locationId },
        item: { items: [{ item: { id: 9999 }, amount: 1 }] },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ title: 'Bad Request', status: 400 });
    expect(refused.body['o:errorDetails']).toEqual([
      {
        detail:
          'Error while accessing resource: You have entered an Invalid Field Value 9999 for the following field: item',
        'o:errorCode': 'INVALID_CONTENT',
        'o:errorPath': 'item.items[0].item',
      },
    ]);
    expect(ns.emulator.state.count('salesOrder')).toBe(before);

    // The same order with an item that exists is created; numeric ids come back as strings.
    const item = await ns.send('POST', '/record/v1/inventoryItem', { body: { itemId: 'KIT-1' } });
    const itemId = Number(idFromLocation(item.headers.get('location')));
    const created = await ns.send('POST', '/record/v1/salesOrder', {
      body: {
        entity: { id: entity },
        location: { id: locationId },
        item: { items: [{ item: { id: itemId }, amount: 1 }] },
      },
    });
    expect(created.status).toBe(204);
    const orderId = idFromLocation(created.headers.get('location'));
    const got = await ns.send('GET', `/record/v1/salesOrder/${orderId}?expandSubResources=true`);
    expect(got.body.entity).toMatchObject({ id: String(entity), refName: 'Invalid Body Example' });
    expect(got.body.location).toMatchObject({ id: String(locationId), refName: 'Main' });
    expect(got.body.item.items[0].item).toMatchObject({ id: String(itemId), refName: 'KIT-1' });
  });

  it('a create missing a mandatory field is a 400 naming the field in o:errorPath', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141395.html: the body must hold "at least each mandatory field";
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html: o:errorPath points into the request body.
    const refused = await ns.send('POST', '/record/v1/salesOrder', {
      body: { memo: 'no customer' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body['o:errorDetails']).toEqual([
      expect.objectContaining({ 'o:errorCode': 'USER_ERROR', 'o:errorPath': 'entity' }),
    ]);
  });
});
