import type { RunningServer } from '@plumbline/client-core/testing';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceClient, query, schemas, soql } from '../src/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../src/testing.js';

/**
 * Orders with their products, as sales sees a customer's order in Salesforce, over HTTP against
 * the emulator — through jsforce (a client we did not write) and our own typed query.
 *
 * - Order: AccountId required and only updated while Draft, EffectiveDate, Status, Pricebook2Id,
 *   OrderNumber (auto-number), TotalAmount:
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_order.htm
 * - OrderItem: OrderId, PricebookEntryId (required on create, not updatable), Product2Id,
 *   Quantity, UnitPrice, ListPrice (from the entry), TotalPrice:
 *   https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_orderitem.htm
 * - A product from another price book: "Order Products must have a Price Book Entry that belongs
 *   to the Price Book related to the parent Order.: Price Book Entry ID", as quoted in
 *   https://github.com/forcedotcom/b2b-commerce-on-lightning-quickstart/issues/13
 * - Relationship queries (dot notation up, subqueries down):
 *   https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm
 */

let emulator: SalesforceEmulator;
let server: RunningServer;
let conn: Connection;

beforeAll(async () => {
  emulator = createSalesforceEmulator({ accessTokens: ['orders-token'] });
  server = await emulator.listen();
  conn = new Connection({ instanceUrl: server.url, accessToken: 'orders-token', version: '62.0' });
});

afterAll(async () => {
  await server?.close();
});

/** Creates a record through jsforce and answers its id. */
async function create(object: string, fields: Record<string, unknown>): Promise<string> {
  const result = await conn.sobject(object).create(fields);
  if (!result.success || !result.id) throw new Error(`${object} was not created`);
  return result.id;
}

let seq = 0;
async function catalog() {
  const n = ++seq;
  const book = await create('Pricebook2', { Name: `Web prices ${n}`, IsActive: true });
  const other = await create('Pricebook2', { Name: `Trade prices ${n}` });
  const wrench = await create('Product2', { Name: 'Torque wrench', ProductCode: `TW-${n}` });
  const bits = await create('Product2', { Name: 'Bit set', ProductCode: `BS-${n}` });
  const entry = (pricebook: string, product: string, price: number) =>
    create('PricebookEntry', {
      Pricebook2Id: pricebook,
      Product2Id: product,
      UnitPrice: price,
      IsActive: true,
    });
  return {
    book,
    wrench,
    wrenchEntry: await entry(book, wrench, 45),
    bitsEntry: await entry(book, bits, 19.5),
    tradeEntry: await entry(other, wrench, 40),
  };
}

async function draftOrder(pricebook: string, name = 'Harbor Tools Ltd') {
  const account = await create('Account', { Name: name });
  const order = await create('Order', {
    AccountId: account,
    EffectiveDate: '2026-12-03',
    Status: 'Draft',
    Pricebook2Id: pricebook,
  });
  return { account, order };
}

/** The first error of a refused jsforce call. */
async function refusal(call: Promise<unknown>) {
  const error = (await call.then(
    () => expect.fail('the call was not refused'),
    (e: unknown) => e,
  )) as { errorCode?: string; message: string; data?: { fields?: string[] } };
  return { code: error.errorCode, message: error.message, fields: error.data?.fields };
}

describe('Order and OrderItem', () => {
  it('describes Order and OrderItem with their relationships, OrderItems under Order and Orders under Account', async () => {
    const order = await conn.sobject('Order').describe();
    const field = (name: string) => order.fields.find((f) => f.name === name);
    expect(field('AccountId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account',
      nillable: false,
    });
    expect(field('Status')).toMatchObject({
      type: 'picklist',
      restrictedPicklist: true,
      picklistValues: [
        expect.objectContaining({ value: 'Draft', defaultValue: true }),
        expect.objectContaining({ value: 'Activated' }),
      ],
    });
    expect(field('OrderNumber')).toMatchObject({
      autoNumber: true,
      createable: false,
      updateable: false,
    });
    expect(field('TotalAmount')).toMatchObject({
      type: 'currency',
      createable: false,
      updateable: false,
    });
    expect(order.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'OrderItem',
        field: 'OrderId',
        relationshipName: 'OrderItems',
      }),
    );
    const item = await conn.sobject('OrderItem').describe();
    expect(item.fields.find((f) => f.name === 'PricebookEntryId')).toMatchObject({
      referenceTo: ['PricebookEntry'],
      createable: true,
      updateable: false,
    });
    expect(item.fields.find((f) => f.name === 'TotalPrice')).toMatchObject({ createable: false });
    const account = await conn.sobject('Account').describe();
    expect(account.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'Order',
        field: 'AccountId',
        relationshipName: 'Orders',
      }),
    );
  });

  it('numbers orders, prices lines from the entry, rolls TotalAmount up, and answers relationship queries', async () => {
    const c = await catalog();
    const { account, order } = await draftOrder(c.book, 'Rollup Tools Ltd');
    const first = await conn.sobject('Order').retrieve(order);
    expect(first).toMatchObject({
      Status: 'Draft',
      TotalAmount: 0,
      OrderNumber: expect.stringMatching(/^\d{8}$/),
    });

    const line = await create('OrderItem', {
      OrderId: order,
      PricebookEntryId: c.wrenchEntry,
      Quantity: 2,
      UnitPrice: 42.5,
    });
    await create('OrderItem', {
      OrderId: order,
      PricebookEntryId: c.bitsEntry,
      Quantity: 3,
      UnitPrice: 19.5,
    });
    expect(await conn.sobject('OrderItem').retrieve(line)).toMatchObject({
      Product2Id: c.wrench,
      ListPrice: 45,
      TotalPrice: 85,
    });
    expect((await conn.sobject('Order').retrieve(order)).TotalAmount).toBe(143.5);
    await conn.sobject('OrderItem').update({ Id: line, Quantity: 1 });
    expect((await conn.sobject('Order').retrieve(order)).TotalAmount).toBe(101);

    const down = await conn.query<{
      Id: string;
      OrderNumber: string;
      OrderItems: { records: { Quantity: number }[] };
    }>(
      `SELECT Id, OrderNumber, (SELECT Quantity, TotalPrice FROM OrderItems ORDER BY Quantity) FROM Order WHERE AccountId = '${account}'`,
    );
    expect(down.records).toHaveLength(1);
    expect(down.records[0]?.OrderItems.records.map((r) => r.Quantity)).toEqual([1, 3]);
    const up = await conn.query<{
      Quantity: number;
      Order: { Account: { Name: string }; Status: string };
    }>(
      `SELECT Quantity, Order.Status, Order.Account.Name FROM OrderItem WHERE OrderId = '${order}' ORDER BY Quantity`,
    );
    expect(up.records.map((r) => [r.Quantity, r.Order.Status, r.Order.Account.Name])).toEqual([
      [1, 'Draft', 'Rollup Tools Ltd'],
      [3, 'Draft', 'Rollup Tools Ltd'],
    ]);
    const byAccount = await conn.query<{
      Name: string;
      Orders: { records: { TotalAmount: number }[] };
    }>(`SELECT Name, (SELECT TotalAmount FROM Orders) FROM Account WHERE Id = '${account}'`);
    expect(byAccount.records[0]?.Orders.records).toEqual([
      expect.objectContaining({ TotalAmount: 101 }),
    ]);
  });

  it('refuses a product from another price book, activation without products, and changes to an activated order', async () => {
    const c = await catalog();
    const { order } = await draftOrder(c.book);
    expect(
      await refusal(
        conn
          .sobject('OrderItem')
          .create({ OrderId: order, PricebookEntryId: c.tradeEntry, Quantity: 1, UnitPrice: 40 }),
      ),
    ).toMatchObject({
      code: 'FIELD_INTEGRITY_EXCEPTION',
      message: expect.stringContaining(
        'Price Book Entry that belongs to the Price Book related to the parent Order',
      ),
      fields: ['PricebookEntryId'],
    });
    expect(
      await refusal(conn.sobject('Order').update({ Id: order, Status: 'Activated' })),
    ).toMatchObject({
      code: 'FIELD_INTEGRITY_EXCEPTION',
      fields: ['Status'],
    });
    expect(
      await refusal(conn.sobject('Order').update({ Id: order, Status: 'Shipped' })),
    ).toMatchObject({
      code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
    });

    const line = await create('OrderItem', {
      OrderId: order,
      PricebookEntryId: c.wrenchEntry,
      Quantity: 1,
      UnitPrice: 45,
    });
    expect(await conn.sobject('Order').update({ Id: order, Status: 'Activated' })).toMatchObject({
      success: true,
    });
    expect((await conn.sobject('Order').retrieve(order)).ActivatedDate).toEqual(expect.any(String));

    const added = refusal(
      conn
        .sobject('OrderItem')
        .create({ OrderId: order, PricebookEntryId: c.bitsEntry, Quantity: 1, UnitPrice: 19.5 }),
    );
    expect(await added).toMatchObject({
      code: 'FIELD_INTEGRITY_EXCEPTION',
      message: expect.stringContaining('activated order'),
    });
    expect(
      await refusal(conn.sobject('OrderItem').update({ Id: line, Quantity: 5 })),
    ).toMatchObject({ code: 'FIELD_INTEGRITY_EXCEPTION' });
    expect(await refusal(conn.sobject('OrderItem').destroy(line))).toMatchObject({
      code: 'FIELD_INTEGRITY_EXCEPTION',
    });
    const elsewhere = await create('Account', { Name: 'Someone else' });
    expect(
      await refusal(conn.sobject('Order').update({ Id: order, AccountId: elsewhere })),
    ).toMatchObject({ fields: ['AccountId'] });
    expect(
      await refusal(conn.sobject('OrderItem').update({ Id: line, PricebookEntryId: c.bitsEntry })),
    ).toMatchObject({
      code: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });

    // Back to Draft, the order takes products again.
    await conn.sobject('Order').update({ Id: order, Status: 'Draft' });
    expect(
      await create('OrderItem', {
        OrderId: order,
        PricebookEntryId: c.bitsEntry,
        Quantity: 2,
        UnitPrice: 19.5,
      }),
    ).toMatch(/^802/);
    expect((await conn.sobject('Order').retrieve(order)).TotalAmount).toBe(84);
  });

  it('reads orders typed with schemas.order and schemas.orderItem through our own client', async () => {
    const c = await catalog();
    const { account, order } = await draftOrder(c.book, 'Typed Tools Ltd');
    await create('OrderItem', {
      OrderId: order,
      PricebookEntryId: c.wrenchEntry,
      Quantity: 4,
      UnitPrice: 45,
    });
    const client = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 'orders-token', instanceUrl: server.url },
      retry: false,
    });
    const schema = schemas.order.extend({
      Account: schemas.account.pick({ Name: true }),
      OrderItems: schemas.childRecords(schemas.orderItem),
    });
    const rows = [];
    for await (const row of query(
      client,
      soql`SELECT Id, OrderNumber, Status, TotalAmount, Account.Name, (SELECT Quantity, UnitPrice, TotalPrice FROM OrderItems) FROM Order WHERE AccountId = ${account}`,
      { schema },
    )) {
      rows.push(row);
    }
    expect(rows).toHaveLength(1);
    const [typed] = rows;
    const total: number | null | undefined = typed?.TotalAmount;
    expect([typed?.Status, total, typed?.Account.Name]).toEqual(['Draft', 180, 'Typed Tools Ltd']);
    expect(typed?.OrderItems?.records.map((r) => r.TotalPrice)).toEqual([180]);
    expect(schemas.order.safeParse({ TotalAmount: '180' }).success).toBe(false);
  });
});
