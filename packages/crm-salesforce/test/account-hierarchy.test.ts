import type { RunningServer } from '@plumbline/client-core/testing';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceEmulator, type SalesforceEmulator } from '../src/testing.js';

/**
 * The account hierarchy as a client we did not write (jsforce) reads it over HTTP.
 * Account.ParentId ("ID of the parent object, if any"), relationship `Parent`, child relationship
 * `ChildAccounts`:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_account.htm
 * Child-to-parent with the dot operator in SELECT and WHERE, parent-to-child as a subquery:
 * https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_using.htm
 */

let emulator: SalesforceEmulator;
let server: RunningServer;
let conn: Connection;

beforeAll(async () => {
  emulator = createSalesforceEmulator({ accessTokens: ['hierarchy-token'] });
  server = await emulator.listen();
  conn = new Connection({
    instanceUrl: server.url,
    accessToken: 'hierarchy-token',
    version: '62.0',
  });
});

afterAll(async () => {
  await server?.close();
});

describe('Account hierarchy (ParentId)', () => {
  it('describes ParentId as a reference to Account named Parent, with ChildAccounts on the parent', async () => {
    const describe = await conn.sobject('Account').describe();
    expect(describe.fields.find((f) => f.name === 'ParentId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Parent',
      nillable: true,
      createable: true,
      updateable: true,
    });
    expect(describe.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'Account',
        field: 'ParentId',
        relationshipName: 'ChildAccounts',
      }),
    );
  });

  it('answers child-to-parent, two levels up, in WHERE, and parent-to-child subqueries', async () => {
    const group = await conn.sobject('Account').create({ Name: 'Hierarchy Group' });
    const region = await conn
      .sobject('Account')
      .create({ Name: 'Hierarchy EMEA', ParentId: group.id });
    const shop = await conn
      .sobject('Account')
      .create({ Name: 'Hierarchy Berlin', ParentId: region.id });
    if (!group.success || !region.success || !shop.success) throw new Error('create failed');

    const up = await conn.query<{
      Name: string;
      Parent: { Name: string; Parent: { Name: string } | null } | null;
    }>(`SELECT Name, Parent.Name, Parent.Parent.Name FROM Account WHERE Id = '${shop.id}'`);
    expect(up.records[0]).toMatchObject({
      Name: 'Hierarchy Berlin',
      Parent: { Name: 'Hierarchy EMEA', Parent: { Name: 'Hierarchy Group' } },
    });

    const under = await conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE Parent.Name = 'Hierarchy Group'",
    );
    expect(under.records.map((r) => r.Name)).toEqual(['Hierarchy EMEA']);

    const down = await conn.query<{
      Name: string;
      ChildAccounts: { records: Array<{ Name: string }> } | null;
    }>(`SELECT Name, (SELECT Name FROM ChildAccounts) FROM Account WHERE Id = '${group.id}'`);
    expect(down.records[0]?.ChildAccounts?.records.map((r) => r.Name)).toEqual(['Hierarchy EMEA']);

    // Moving a shop to another parent is an update of ParentId; clearing it makes a top account.
    await conn.sobject('Account').update({ Id: shop.id, ParentId: group.id });
    const moved = await conn.query<{ Name: string }>(
      `SELECT Name FROM Account WHERE ParentId = '${group.id}' ORDER BY Name`,
    );
    expect(moved.records.map((r) => r.Name)).toEqual(['Hierarchy Berlin', 'Hierarchy EMEA']);
    await conn.sobject('Account').update({ Id: shop.id, ParentId: null });
    const top = await conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE ParentId = null AND Name LIKE 'Hierarchy%' ORDER BY Name",
    );
    expect(top.records.map((r) => r.Name)).toEqual(['Hierarchy Berlin', 'Hierarchy Group']);
  });
});
