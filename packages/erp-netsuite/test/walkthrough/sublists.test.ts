import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idFromLocation, openPlainSession, type PlainSession } from './plain-http.js';

// Oracle's sublist examples ("Working with Sublists", "Accessing Subresources", "Format of
// Sublists and Subrecords"), replayed on a sales order's `item` sublist over loopback HTTP.

describe("walkthrough: Oracle's sublist examples on a sales order's item sublist", () => {
  let ns: PlainSession;
  let orderId: string;
  let orderUrl: string;
  const items: string[] = [];

  beforeAll(async () => {
    ns = await openPlainSession();
    const customer = await ns.send('POST', '/record/v1/customer', {
      body: { companyname: 'Sublist Walkthrough Ltd', subsidiary: { id: '1' } },
    });
    for (const itemId of ['WIDGET-1', 'WIDGET-2', 'WIDGET-3']) {
      const item = await ns.send('POST', '/record/v1/inventoryItem', { body: { itemId } });
      items.push(idFromLocation(item.headers.get('location')));
    }
    const order = await ns.send('POST', '/record/v1/salesOrder', {
      body: {
        entity: { id: idFromLocation(customer.headers.get('location')) },
        item: {
          items: [
            { item: { id: items[0] }, quantity: 2, rate: 10 },
            { item: { id: items[1] }, quantity: 1, rate: 25 },
          ],
        },
      },
    });
    expect(order.status).toBe(204);
    orderId = idFromLocation(order.headers.get('location'));
    orderUrl = `${ns.origin}/services/rest/record/v1/salesorder/${orderId}`;
  });
  afterAll(() => ns.close());

  it('without expandSubResources the record shows the sublist as a link only', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141947.html: "the sublists and subrecords are represented by links"
    const got = await ns.send('GET', `/record/v1/salesOrder/${orderId}`);
    expect(got.status).toBe(200);
    expect(got.body.item).toEqual({ links: [{ rel: 'self', href: `${orderUrl}/item` }] });
  });

  it('with expandSubResources=true the sublist comes inline, each line with its own self link', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141947.html (Format of Sublists and Subrecords)
    const got = await ns.send('GET', `/record/v1/salesOrder/${orderId}?expandSubResources=true`);
    expect(got.status).toBe(200);
    expect(got.body.item.links).toEqual([{ rel: 'self', href: `${orderUrl}/item` }]);
    expect(got.body.item.totalResults).toBe(2);
    expect(got.body.item.items).toEqual([
      expect.objectContaining({
        links: [{ rel: 'self', href: `${orderUrl}/item/1` }],
        line: 1,
        quantity: 2,
        item: expect.objectContaining({ id: items[0], refName: 'WIDGET-1' }),
      }),
      expect.objectContaining({
        links: [{ rel: 'self', href: `${orderUrl}/item/2` }],
        line: 2,
        quantity: 1,
      }),
    ]);
  });

  it('reads the sublist and one of its lines as subresources of the order', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159894563219.html: GET …/salesOrder/1/item and …/salesOrder/1/item/1
    const sublist = await ns.send('GET', `/record/v1/salesOrder/${orderId}/item`);
    expect(sublist.status).toBe(200);
    expect(sublist.body.items.map((l: { line: number }) => l.line)).toEqual([1, 2]);

    const line = await ns.send('GET', `/record/v1/salesOrder/${orderId}/item/2`);
    expect(line.status).toBe(200);
    expect(line.body).toMatchObject({
      links: [{ rel: 'self', href: `${orderUrl}/item/2` }],
      line: 2,
      quantity: 1,
      rate: 25,
      item: { id: items[1], refName: 'WIDGET-2' },
    });

    const missing = await ns.send('GET', `/record/v1/salesOrder/${orderId}/item/9`);
    expect(missing.status).toBe(404);
    expect(missing.body['o:errorDetails'][0]['o:errorCode']).toBe('NONEXISTENT_ID');
  });

  it('reads the record a reference field names through the parent record', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159894563219.html
    // ("Get a referenced record that is represented by a select field through the parent
    // record", GET …/employee/107/subsidiary); here the order's customer, …/salesOrder/<id>/entity.
    const order = await ns.send('GET', `/record/v1/salesOrder/${orderId}`);
    const customerId = order.body.entity.id;
    const entity = await ns.send('GET', `/record/v1/salesOrder/${orderId}/entity`);
    expect(entity.status).toBe(200);
    expect(entity.body).toMatchObject({
      links: [{ rel: 'self', href: `${ns.origin}/services/rest/record/v1/customer/${customerId}` }],
      id: customerId,
      companyName: 'Sublist Walkthrough Ltd',
    });
    // A body field that is not a reference is no subresource.
    const memo = await ns.send('GET', `/record/v1/salesOrder/${orderId}/memo`);
    expect(memo.status).toBe(404);
    expect(memo.body['o:errorDetails'][0]['o:errorCode']).toBe('NONEXISTENT_ID');
  });

  it('shows subrecords as links unless expanded, expanded with their own self links, and reads them as subresources', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545141947.html
    // (Format of Sublists and Subrecords): customer/107?expandSubResources=true expands the
    // address book line's addressbookaddress subrecord, with its own self link.
    const created = await ns.send('POST', '/record/v1/customer', {
      body: {
        companyname: 'Subrecord Example',
        addressbook: {
          items: [
            {
              label: 'Main',
              defaultbilling: true,
              addressbookaddress: { addr1: '1 Dock Road', city: 'Portsmouth', zip: 'PO1 1AA' },
            },
          ],
        },
      },
    });
    const customerId = idFromLocation(created.headers.get('location'));
    const customerUrl = `${ns.origin}/services/rest/record/v1/customer/${customerId}`;
    const expanded = await ns.send(
      'GET',
      `/record/v1/customer/${customerId}?expandSubResources=true`,
    );
    expect(expanded.body.addressBook.items[0]).toEqual({
      links: [{ rel: 'self', href: `${customerUrl}/addressBook/1` }],
      label: 'Main',
      defaultbilling: true,
      line: 1,
      addressbookaddress: {
        links: [{ rel: 'self', href: `${customerUrl}/addressBook/1/addressbookaddress` }],
        addr1: '1 Dock Road',
        city: 'Portsmouth',
        zip: 'PO1 1AA',
      },
    });

    // A body-level subrecord, a sales order's billingAddress: links only unless expanded.
    await ns.send('PATCH', `/record/v1/salesOrder/${orderId}`, {
      body: { billingaddress: { addr1: '2 Quay Street', city: 'Southampton' } },
    });
    const collapsed = await ns.send('GET', `/record/v1/salesOrder/${orderId}`);
    expect(collapsed.body.billingAddress).toEqual({
      links: [{ rel: 'self', href: `${orderUrl}/billingAddress` }],
    });
    const inline = await ns.send('GET', `/record/v1/salesOrder/${orderId}?expandSubResources=true`);
    expect(inline.body.billingAddress).toEqual({
      links: [{ rel: 'self', href: `${orderUrl}/billingAddress` }],
      addr1: '2 Quay Street',
      city: 'Southampton',
    });
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_159894563219.html:
    // GET …/salesOrder/1/billingaddress reads the subrecord.
    const subrecord = await ns.send('GET', `/record/v1/salesOrder/${orderId}/billingaddress`);
    expect(subrecord.status).toBe(200);
    expect(subrecord.body).toEqual(inline.body.billingAddress);
  });

  it('PATCH updates the line whose key matches and adds the others', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545295601.html (Updating a Sublist): keyed lines with matching keys are
    // updated, the remaining lines of the request are added; nothing is removed.
    const patched = await ns.send('PATCH', `/record/v1/salesOrder/${orderId}`, {
      body: {
        item: {
          items: [
            { line: 1, quantity: 5 },
            { item: { id: items[2] }, quantity: 3, rate: 7 },
          ],
        },
      },
    });
    expect(patched.status).toBe(204);
    const got = await ns.send('GET', `/record/v1/salesOrder/${orderId}/item`);
    expect(
      got.body.items.map((l: { line: number; quantity: number; item: { id: string } }) => [
        l.line,
        l.item.id,
        l.quantity,
      ]),
    ).toEqual([
      [1, items[0], 5],
      [2, items[1], 1],
      [3, items[2], 3],
    ]);
  });

  it('PATCH with replace=item keeps only the lines sent: how a single line is removed', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/chapter_1545142407.html (Working with Sublists: "Remove existing — Single line",
    // PATCH …?replace=item with every line except the one to delete) and
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545297048.html (Replacing a Sublist).
    const patched = await ns.send('PATCH', `/record/v1/salesOrder/${orderId}?replace=item`, {
      body: { item: { items: [{ line: 1 }, { line: 3 }] } },
    });
    expect(patched.status).toBe(204);
    const got = await ns.send('GET', `/record/v1/salesOrder/${orderId}?expandSubResources=true`);
    expect(got.body.item.totalResults).toBe(2);
    expect(
      got.body.item.items.map((l: { line: number; quantity: number; item: { id: string } }) => [
        l.line,
        l.item.id,
        l.quantity,
      ]),
    ).toEqual([
      [1, items[0], 5],
      [3, items[2], 3],
    ]);
  });
});
