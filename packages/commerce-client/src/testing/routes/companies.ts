import { type Route, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { intBodyParam, requiredBodyParam } from './body-params.js';
import { bodyField, intParam, search } from './common.js';

/**
 * Companies (https://developer.adobe.com/commerce/webapi/rest/b2b/company-object/), teams and the
 * company hierarchy (…/b2b/company-structures/), company roles (…/b2b/roles/) and company users
 * (…/b2b/company-users/, through the customer routes).
 */
export function companyRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const store = state.b2b.companies;
  const acl = 'Magento_Company::manage';
  const roles = 'Magento_Company::roles_edit';
  return [
    route('GET', '/V1/company', acl, (c) => search(c, store.companies.values(), maxPageSize)),
    route('POST', '/V1/company', acl, (c) => store.save(bodyField(c, 'company'))),
    route('GET', '/V1/company/:companyId', acl, (c) => store.get(intParam(c, 'companyId'))),
    route('PUT', '/V1/company/:companyId', acl, (c) =>
      store.save(bodyField(c, 'company'), intParam(c, 'companyId')),
    ),
    route('DELETE', '/V1/company/:companyId', acl, (c) => store.delete(intParam(c, 'companyId'))),
    route('GET', '/V1/customers/:customerId/companies/:companyId', acl, (c) =>
      store.companyUser(intParam(c, 'customerId'), intParam(c, 'companyId')),
    ),
    route('GET', '/V1/team', acl, (c) =>
      // Adobe's page filters teams by `team_id`: a hidden alias of `id`.
      search(
        c,
        [...store.teams.values()].map((team) =>
          Object.defineProperty({ ...team }, 'team_id', { value: team.id, enumerable: false }),
        ),
        maxPageSize,
      ),
    ),
    route('POST', '/V1/team/:companyId', acl, (c) => {
      store.createTeam(intParam(c, 'companyId'), bodyField(c, 'team'));
      return []; // void in the published schema
    }),
    route('GET', '/V1/team/:teamId', acl, (c) => store.getTeam(intParam(c, 'teamId'))),
    route('PUT', '/V1/team/:teamId', acl, (c) =>
      store.updateTeam(intParam(c, 'teamId'), bodyField(c, 'team')),
    ),
    route('DELETE', '/V1/team/:teamId', acl, (c) => store.deleteTeam(intParam(c, 'teamId'))),
    route('GET', '/V1/hierarchy/:id', acl, (c) => store.hierarchy(intParam(c, 'id'))),
    route('PUT', '/V1/hierarchy/move/:id', acl, (c) =>
      store.move(intParam(c, 'id'), intBodyParam(c, 'newParentId')),
    ),
    route('GET', '/V1/company/role', roles, (c) =>
      search(c, store.roles.roles.values(), maxPageSize),
    ),
    route('POST', '/V1/company/role', roles, (c) => store.roles.save(bodyField(c, 'role'))),
    route('GET', '/V1/company/role/:roleId', roles, (c) => store.roles.get(intParam(c, 'roleId'))),
    route('PUT', '/V1/company/role/:roleId', roles, (c) =>
      store.roles.save(bodyField(c, 'role'), intParam(c, 'roleId')),
    ),
    route('DELETE', '/V1/company/role/:roleId', roles, (c) =>
      store.roles.delete(intParam(c, 'roleId')),
    ),
    route('GET', '/V1/company/role/:roleId/users', roles, (c) => {
      const roleId = intParam(c, 'roleId');
      store.roles.get(roleId);
      return store.roles.users(roleId).map((id) => state.getCustomer(id));
    }),
    route('PUT', '/V1/company/assignRoles', roles, (c) =>
      store.roles.assign(
        intBodyParam(c, 'userId'),
        requiredBodyParam(c, 'roles') as { id?: unknown }[],
        (id) => store.companyOf(id),
      ),
    ),
  ];
}
