import { type Route, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { requiredBodyParam } from './body-params.js';
import { bodyField, intParam, search } from './common.js';

/**
 * Shared catalogs (https://developer.adobe.com/commerce/webapi/rest/b2b/shared-cat-manage/), their
 * companies (…/shared-cat-company/), products and categories (…/shared-cat-product-assign/) and
 * tier prices.
 */
export function sharedCatalogRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const store = state.b2b.sharedCatalogs;
  const acl = 'Magento_SharedCatalog::manage';
  const list = <T>(c: Parameters<Route['handler']>[0], field: string) =>
    requiredBodyParam(c, field) as T[];
  return [
    route('POST', '/V1/sharedCatalog', acl, (c) => store.save(bodyField(c, 'sharedCatalog'))),
    route('GET', '/V1/sharedCatalog', acl, (c) => search(c, store.catalogs.values(), maxPageSize)),
    route('PUT', '/V1/sharedCatalog/:id', acl, (c) =>
      store.save(bodyField(c, 'sharedCatalog'), intParam(c, 'id')),
    ),
    route('GET', '/V1/sharedCatalog/:id', acl, (c) => store.get(intParam(c, 'id'))),
    route('DELETE', '/V1/sharedCatalog/:id', acl, (c) => store.delete(intParam(c, 'id'))),
    route('POST', '/V1/sharedCatalog/:id/assignCompanies', acl, (c) =>
      store.assignCompanies(intParam(c, 'id'), list(c, 'companies')),
    ),
    route('POST', '/V1/sharedCatalog/:id/unassignCompanies', acl, (c) =>
      store.unassignCompanies(intParam(c, 'id'), list(c, 'companies')),
    ),
    // A JSON string holding the ids as strings: "[\"1\",\"2\"]" (published as type string).
    route('GET', '/V1/sharedCatalog/:id/companies', acl, (c) =>
      JSON.stringify(store.companyIds(intParam(c, 'id')).map(String)),
    ),
    route('POST', '/V1/sharedCatalog/:id/assignProducts', acl, (c) =>
      store.assignProducts(intParam(c, 'id'), list(c, 'products')),
    ),
    route('POST', '/V1/sharedCatalog/:id/unassignProducts', acl, (c) =>
      store.unassignProducts(intParam(c, 'id'), list(c, 'products')),
    ),
    route('GET', '/V1/sharedCatalog/:id/products', acl, (c) => {
      const id = intParam(c, 'id');
      store.get(id);
      return store.products.get(id) ?? [];
    }),
    route('POST', '/V1/sharedCatalog/:id/assignCategories', acl, (c) =>
      store.assignCategories(intParam(c, 'id'), list(c, 'categories')),
    ),
    route('POST', '/V1/sharedCatalog/:id/unassignCategories', acl, (c) =>
      store.unassignCategories(intParam(c, 'id'), list(c, 'categories')),
    ),
    route('GET', '/V1/sharedCatalog/:id/categories', acl, (c) => {
      const id = intParam(c, 'id');
      store.get(id);
      return store.categories.get(id) ?? [];
    }),
    route('POST', '/V1/sharedCatalog/:id/assignTierPrices', acl, (c) =>
      store.assignTierPrices(intParam(c, 'id'), requiredBodyParam(c, 'prices')),
    ),
    route('POST', '/V1/sharedCatalog/:id/resetTierPrices', acl, (c) =>
      store.resetTierPrices(intParam(c, 'id'), requiredBodyParam(c, 'skus')),
    ),
  ];
}
