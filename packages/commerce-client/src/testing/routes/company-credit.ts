import type { BalanceChange } from '../b2b/credit.js';
import { type Route, type RouteContext, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { bodyParam, requiredBodyParam } from './body-params.js';
import { intParam, optionalBody, search } from './common.js';

/** Company credit (https://developer.adobe.com/commerce/webapi/rest/b2b/credit-manage/). */
export function companyCreditRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const store = state.b2b.credit;
  const acl = 'Magento_Company::credit';
  const change = (c: RouteContext): BalanceChange => ({
    value: bodyParam(c, 'value'),
    currency: bodyParam(c, 'currency'),
    operation_type: bodyParam(c, 'operationType'),
    comment: bodyParam(c, 'comment'),
    options: (optionalBody(c).options as Record<string, unknown> | undefined) ?? {},
  });
  return [
    route('GET', '/V1/companyCredits', acl, (c) => search(c, store.list(), maxPageSize)),
    route('GET', '/V1/companyCredits/history', acl, (c) =>
      search(c, store.history.values(), maxPageSize),
    ),
    route('PUT', '/V1/companyCredits/history/:historyId', acl, (c) =>
      store.updateHistory(
        intParam(c, 'historyId'),
        bodyParam(c, 'purchaseOrder'),
        bodyParam(c, 'comment'),
      ),
    ),
    route('GET', '/V1/companyCredits/company/:companyId', acl, (c) =>
      store.byCompany(intParam(c, 'companyId')),
    ),
    route('GET', '/V1/companyCredits/:creditId', acl, (c) => store.get(intParam(c, 'creditId'))),
    route('PUT', '/V1/companyCredits/:creditId', acl, (c) =>
      store.update(
        intParam(c, 'creditId'),
        requiredBodyParam(c, 'creditLimit') as Parameters<typeof store.update>[1],
      ),
    ),
    route('POST', '/V1/companyCredits/:creditId/increaseBalance', acl, (c) =>
      store.changeBalance(intParam(c, 'creditId'), 1, change(c)),
    ),
    route('POST', '/V1/companyCredits/:creditId/decreaseBalance', acl, (c) =>
      store.changeBalance(intParam(c, 'creditId'), -1, change(c)),
    ),
  ];
}
