import { MagentoFault, MESSAGES } from '../fault.js';
import { type Route, type RouteContext, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { deleteTierPrices, type TierPrice, upsertTierPrices } from '../tier-prices.js';
import { bodyField } from './common.js';

/**
 * Tier prices (https://developer.adobe.com/commerce/webapi/rest/modules/catalog/catalog-pricing/):
 * add or update, replace a SKU's rows, read, delete. Each answers the rejected items (`[]` when
 * every item was saved).
 */
export function tierPriceRoutes(state: CommerceEmulatorState): Route[] {
  const acl = 'Magento_Catalog::products';
  const list = <T>(c: RouteContext, field: string): T[] => {
    const value = bodyField<unknown>(c, field);
    if (!Array.isArray(value)) throw new MagentoFault(400, MESSAGES.required, { fieldName: field });
    return value as T[];
  };
  return [
    route('POST', '/V1/products/tier-prices', acl, (c) =>
      upsertTierPrices(state, list<TierPrice>(c, 'prices')),
    ),
    route('PUT', '/V1/products/tier-prices', acl, (c) => {
      const prices = list<TierPrice>(c, 'prices');
      const replaced = new Set(prices.map((p) => p?.sku));
      for (let i = state.tierPrices.length - 1; i >= 0; i--)
        if (replaced.has((state.tierPrices[i] as TierPrice).sku)) state.tierPrices.splice(i, 1);
      return upsertTierPrices(state, prices);
    }),
    route('POST', '/V1/products/tier-prices-information', acl, (c) => {
      const wanted = new Set(list<unknown>(c, 'skus').map(String));
      return state.tierPrices.filter((p) => wanted.has(p.sku));
    }),
    route('POST', '/V1/products/tier-prices-delete', acl, (c) =>
      deleteTierPrices(state, list<TierPrice>(c, 'prices')),
    ),
  ];
}
