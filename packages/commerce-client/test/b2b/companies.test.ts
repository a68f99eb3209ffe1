// Adobe Commerce B2B companies, company users, teams, the company hierarchy and company roles,
// sent over HTTP to the emulator as Adobe's pages send them (plain fetch, admin token):
// - companies: https://developer.adobe.com/commerce/webapi/rest/b2b/company-object/
// - company users: https://developer.adobe.com/commerce/webapi/rest/b2b/company-users/
// - teams and hierarchy: https://developer.adobe.com/commerce/webapi/rest/b2b/company-structures/
// - roles: https://developer.adobe.com/commerce/webapi/rest/b2b/roles/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEntity, schemas } from '../../src/index.js';
import { type B2BStore, type Fault, startB2BStore } from './setup.js';

type Node = {
  structure_id: number;
  entity_id: number;
  entity_type: string;
  structure_parent_id: number;
};
const q = (field: string, value: string | number, condition = 'eq') =>
  `searchCriteria[filter_groups][0][filters][0][field]=${field}&searchCriteria[filter_groups][0][filters][0][value]=${value}&searchCriteria[filter_groups][0][filters][0][condition_type]=${condition}`;

describe('B2B companies over HTTP, as Adobe documents them', () => {
  let store: B2BStore;
  let adminId: number;
  let companyId: number;

  beforeAll(async () => {
    store = await startB2BStore();
    adminId = await store.customer('tgarofalo@example.com', 'Taina', 'Garofalo');
  });
  afterAll(() => store.server.close());

  it('POST /V1/company/ creates the company of the page example and answers it (company-object)', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/b2b/company-object/ "Create a company"
    const created = await store.call<Record<string, unknown>>('POST', '/V1/company/', {
      token: store.admin,
      body: {
        company: {
          company_name: 'Test company',
          company_email: 'newemail@example.com',
          street: ['100 Big Tree Avenue'],
          city: 'San Francisco',
          country_id: 'US',
          region: 'CA',
          region_id: '12',
          postcode: '99999',
          telephone: '4155551212',
          super_user_id: adminId,
          customer_group_id: 1,
        },
      },
    });
    expect(created.status).toBe(200);
    const company = parseEntity(schemas.company, created.body, 'company');
    companyId = company.id as number;
    expect(company).toMatchObject({
      company_name: 'Test company',
      street: ['100 Big Tree Avenue'],
      customer_group_id: 1,
      super_user_id: adminId,
      reject_reason: null,
      rejected_at: null,
      extension_attributes: {
        quote_config: { company_id: String(companyId), is_quote_enabled: false },
      },
    });
    expect(typeof company.sales_representative_id).toBe('number');
    const read = await store.call('GET', `/V1/company/${companyId}`, { token: store.admin });
    expect(read.body).toEqual(created.body);
    // The company admin is now a company user of it.
    const admin = await store.call<Record<string, any>>('GET', `/V1/customers/${adminId}`, {
      token: store.admin,
    });
    expect(admin.body.extension_attributes.company_attributes).toMatchObject({
      customer_id: adminId,
      company_id: companyId,
      status: 1,
    });
  });

  it('refuses a company without a required field, and an admin that is no customer, as Magento errors', async () => {
    const noEmail = await store.call<Fault>('POST', '/V1/company/', {
      token: store.admin,
      body: {
        company: {
          company_name: 'X',
          street: ['1 A St'],
          city: 'B',
          country_id: 'US',
          postcode: '1',
          telephone: '1',
          customer_group_id: 1,
          super_user_id: adminId,
        },
      },
    });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'company_email' },
    });
    const stranger = await store.call<Fault>('POST', '/V1/company/', {
      token: store.admin,
      body: {
        company: {
          company_name: 'X',
          company_email: 'x@example.com',
          street: ['1 A St'],
          city: 'B',
          country_id: 'US',
          postcode: '1',
          telephone: '1',
          customer_group_id: 1,
          super_user_id: 999,
        },
      },
    });
    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual({
      message: 'No such entity with %fieldName = %fieldValue',
      parameters: { fieldName: 'customerId', fieldValue: 999 },
    });
  });

  it('GET /V1/company searches with searchCriteria, and requires it', async () => {
    // "Search for companies": region_id = 12
    const found = await store.call<{
      items: { id: number }[];
      total_count: number;
      search_criteria: unknown;
    }>('GET', `/V1/company?${q('region_id', 12)}`, { token: store.admin });
    expect(found.status).toBe(200);
    expect(found.body.items.map((c) => c.id)).toEqual([companyId]);
    expect(found.body.total_count).toBe(1);
    const none = await store.call<{ total_count: number }>(
      'GET',
      `/V1/company/?${q('region_id', 43)}`,
      {
        token: store.admin,
      },
    );
    expect(none.body.total_count).toBe(0);
    const bare = await store.call<Fault>('GET', '/V1/company/', { token: store.admin });
    expect(bare.status).toBe(400);
    expect(bare.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'searchCriteria' },
    });
  });

  it('a customer becomes a company user through extension_attributes.company_attributes (company-users)', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/b2b/company-users/ "Modify a company user"
    const id = await store.customer('mshaw@example.com', 'Melanie', 'Shaw');
    const saved = await store.call<Record<string, any>>('PUT', `/V1/customers/${id}`, {
      token: store.admin,
      body: {
        customer: {
          id,
          email: 'mshaw@example.com',
          firstname: 'Melanie',
          lastname: 'Shaw',
          website_id: 1,
          extension_attributes: {
            company_attributes: {
              company_id: companyId,
              status: 0,
              job_title: 'Sales Rep',
              telephone: '512-555-3322',
            },
          },
        },
      },
    });
    expect(saved.status).toBe(200);
    expect(
      parseEntity(schemas.companyUser, saved.body, 'customer').extension_attributes
        ?.company_attributes,
    ).toEqual({
      customer_id: id,
      company_id: companyId,
      status: 0,
      job_title: 'Sales Rep',
      telephone: '512-555-3322',
    });
    const membership = await store.call('GET', `/V1/customers/${id}/companies/${companyId}`, {
      token: store.admin,
    });
    expect(membership.body).toMatchObject({
      customer_id: id,
      company_id: companyId,
      job_title: 'Sales Rep',
    });
    const elsewhere = await store.call<Fault>('PUT', `/V1/customers/${id}`, {
      token: store.admin,
      body: {
        customer: {
          id,
          email: 'mshaw@example.com',
          firstname: 'Melanie',
          lastname: 'Shaw',
          extension_attributes: { company_attributes: { company_id: 777 } },
        },
      },
    });
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toEqual({
      message: 'No such entity with %fieldName = %fieldValue',
      parameters: { fieldName: 'id', fieldValue: 777 },
    });
  });

  it('teams and the hierarchy: create, get the tree, move a user under a team, refuse cycles (company-structures)', async () => {
    const { call, admin } = store;
    // "Create a team": void in the published schema, so the answer is [] (the page shows an id).
    for (const [name, description] of [
      ['East', 'New York office'],
      ['West', 'California office'],
    ]) {
      const made = await call('POST', `/V1/team/${companyId}`, {
        token: admin,
        body: { team: { name, description } },
      });
      expect(made.status).toBe(200);
      expect(made.body).toEqual([]);
    }
    // "Search for a team": team_id >= 0
    const teams = await call<{ items: { id: number; name: string; description: string }[] }>(
      'GET',
      `/V1/team?${q('team_id', 0, 'gteq')}`,
      { token: admin },
    );
    expect(teams.body.items.map((t) => t.name)).toEqual(['East', 'West']);
    const west = teams.body.items[1]!;
    expect(
      await call('PUT', `/V1/team/${west.id}`, {
        token: admin,
        body: { team: { id: west.id, name: 'Western Region' } },
      }),
    ).toEqual({ status: 200, body: true });
    expect((await call('GET', `/V1/team/${west.id}`, { token: admin })).body).toEqual({
      id: west.id,
      name: 'Western Region',
      description: 'California office',
    });

    const bryce = await store.customer('bmartin@example.com', 'Bryce', 'Martin');
    await call('PUT', `/V1/customers/${bryce}`, {
      token: admin,
      body: {
        customer: {
          id: bryce,
          email: 'bmartin@example.com',
          firstname: 'Bryce',
          lastname: 'Martin',
          extension_attributes: {
            company_attributes: { company_id: companyId, job_title: 'Buyer' },
          },
        },
      },
    });
    // "Return all information about the company hierarchy"
    const tree = await call<Node[]>('GET', `/V1/hierarchy/${companyId}`, { token: admin });
    expect(tree.status).toBe(200);
    for (const node of tree.body) parseEntity(schemas.hierarchyNode, node, 'node');
    const root = tree.body.find((n) => n.structure_parent_id === 0)!;
    expect(root).toMatchObject({ entity_type: 'customer', entity_id: adminId });
    const nodeOf = (nodes: Node[], type: string, id: number) =>
      nodes.find((n) => n.entity_type === type && n.entity_id === id)!;
    const westNode = nodeOf(tree.body, 'team', west.id);
    const bryceNode = nodeOf(tree.body, 'customer', bryce);
    expect(westNode.structure_parent_id).toBe(root.structure_id);
    expect(bryceNode.structure_parent_id).toBe(root.structure_id);

    // "Assign a new parent to teams and company users": the path id is the node's structure id.
    const moved = await call('PUT', `/V1/hierarchy/move/${bryceNode.structure_id}`, {
      token: admin,
      body: { newParentId: westNode.structure_id },
    });
    expect(moved).toEqual({ status: 200, body: [] });
    const after = await call<Node[]>('GET', `/V1/hierarchy/${companyId}`, { token: admin });
    expect(nodeOf(after.body, 'customer', bryce).structure_parent_id).toBe(westNode.structure_id);

    const cycle = await call<Fault>('PUT', `/V1/hierarchy/move/${westNode.structure_id}`, {
      token: admin,
      body: { newParentId: bryceNode.structure_id },
    });
    expect(cycle.status).toBe(400);
    expect(cycle.body.message).toBe('A node cannot be moved under itself or its own children.');
    const rootMove = await call<Fault>('PUT', `/V1/hierarchy/move/${root.structure_id}`, {
      token: admin,
      body: { newParentId: westNode.structure_id },
    });
    expect(rootMove.status).toBe(400);
    const noParent = await call<Fault>('PUT', `/V1/hierarchy/move/${bryceNode.structure_id}`, {
      token: admin,
      body: {},
    });
    expect(noParent.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'newParentId' },
    });

    // "You cannot delete a team if members are assigned to it."
    const busy = await call<Fault>('DELETE', `/V1/team/${west.id}`, { token: admin });
    expect(busy.status).toBe(400);
    await call('PUT', `/V1/hierarchy/move/${bryceNode.structure_id}`, {
      token: admin,
      body: { newParentId: root.structure_id },
    });
    expect(await call('DELETE', `/V1/team/${west.id}`, { token: admin })).toEqual({
      status: 200,
      body: [],
    });
    const gone = await call<Fault>('GET', `/V1/team/${west.id}`, { token: admin });
    expect(gone.status).toBe(404);
  });

  it('roles: create with permissions, list by company, assign to a user, refuse deleting a role in use (roles)', async () => {
    const { call, admin } = store;
    // "Create a role": Junior Buyer
    const created = await call<Record<string, any>>('POST', '/V1/company/role', {
      token: admin,
      body: {
        role: {
          role_name: 'Junior Buyer',
          permissions: [
            { resource_id: 'Magento_Company::index', permission: 'allow' },
            { resource_id: 'Magento_Sales::all', permission: 'allow' },
            { resource_id: 'Magento_Sales::place_order', permission: 'allow' },
            { resource_id: 'Magento_Sales::payment_account', permission: 'allow' },
            { resource_id: 'Magento_Sales::view_orders', permission: 'allow' },
            { resource_id: 'Magento_Sales::view_orders_sub', permission: 'deny' },
          ],
          company_id: companyId,
        },
      },
    });
    expect(created.status).toBe(200);
    const role = parseEntity(schemas.companyRole, created.body, 'role');
    expect(role).toMatchObject({ role_name: 'Junior Buyer', company_id: companyId });
    const allowed = role.permissions
      .filter((p) => p.permission === 'allow')
      .map((p) => p.resource_id);
    expect(allowed).toEqual([
      'Magento_Company::index',
      'Magento_Sales::all',
      'Magento_Sales::place_order',
      'Magento_Sales::payment_account',
      'Magento_Sales::view_orders',
    ]);
    // Every other resource comes back denied, each permission with its id and role_id.
    expect(
      role.permissions.find((p) => p.resource_id === 'Magento_NegotiableQuote::all'),
    ).toMatchObject({ permission: 'deny', role_id: role.id });
    expect(new Set(role.permissions.map((p) => p.id)).size).toBe(role.permissions.length);

    // "Search for a role": company_id = 2
    const listed = await call<{ items: { role_name: string }[]; total_count: number }>(
      'GET',
      `/V1/company/role?${q('company_id', companyId)}`,
      { token: admin },
    );
    expect(listed.body.items.map((r) => r.role_name)).toEqual(['Default User', 'Junior Buyer']);
    expect(listed.body.total_count).toBe(2);

    const twice = await call<Fault>('POST', '/V1/company/role/', {
      token: admin,
      body: {
        role: {
          role_name: 'Junior Buyer',
          company_id: companyId,
          permissions: [{ resource_id: 'Magento_Company::index', permission: 'allow' }],
        },
      },
    });
    expect(twice.status).toBe(400);
    expect(twice.body.message).toBe(
      'User role with this name already exists. Enter a different name to save this role.',
    );
    const unknown = await call<Fault>('POST', '/V1/company/role/', {
      token: admin,
      body: {
        role: {
          role_name: 'Odd',
          company_id: companyId,
          permissions: [
            { resource_id: 'Magento_Company::index', permission: 'allow' },
            { resource_id: 'Magento_Nothing::x', permission: 'allow' },
          ],
        },
      },
    });
    expect(unknown.body).toEqual({
      message: 'Invalid value of "%value" provided for the %fieldName field.',
      parameters: { value: 'Magento_Nothing::x', fieldName: 'resource_id' },
    });

    const buyer = await store.customer('jbuyer@example.com', 'June', 'Buyer');
    await call('PUT', `/V1/customers/${buyer}`, {
      token: admin,
      body: {
        customer: {
          id: buyer,
          email: 'jbuyer@example.com',
          firstname: 'June',
          lastname: 'Buyer',
          extension_attributes: { company_attributes: { company_id: companyId } },
        },
      },
    });
    expect(
      await call('PUT', '/V1/company/assignRoles', {
        token: admin,
        body: { userId: buyer, roles: [{ id: role.id }] },
      }),
    ).toEqual({ status: 200, body: true });
    const users = await call<{ id: number }[]>('GET', `/V1/company/role/${role.id}/users`, {
      token: admin,
    });
    expect(users.body.map((u) => u.id)).toEqual([buyer]);
    const inUse = await call<Fault>('DELETE', `/V1/company/role/${role.id}`, { token: admin });
    expect(inUse.status).toBe(400);
    const spare = await call<{ id: number }>('POST', '/V1/company/role/', {
      token: admin,
      body: {
        role: {
          role_name: 'Spare',
          company_id: companyId,
          permissions: [{ resource_id: 'Magento_Company::index', permission: 'allow' }],
        },
      },
    });
    expect(await call('DELETE', `/V1/company/role/${spare.body.id}`, { token: admin })).toEqual({
      status: 200,
      body: true,
    });
  });

  it('DELETE /V1/company/{id} answers true and detaches its users (company-object "Delete a company")', async () => {
    const owner = await store.customer('owner@example.com', 'Olga', 'Owner');
    const doomed = await store.company('Doomed Co', owner);
    expect(await store.call('DELETE', `/V1/company/${doomed.id}`, { token: store.admin })).toEqual({
      status: 200,
      body: true,
    });
    const after = await store.call<Record<string, any>>('GET', `/V1/customers/${owner}`, {
      token: store.admin,
    });
    expect(after.body.extension_attributes.company_attributes.company_id).toBe(0);
    expect(
      (await store.call('GET', `/V1/company/${doomed.id}`, { token: store.admin })).status,
    ).toBe(404);
  });
});
