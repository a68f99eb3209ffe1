import { MagentoFault, MESSAGES } from '../fault.js';
import { castFloat } from '../input-cast.js';
import { legacyStockItem, lowStockItems, updateLegacyStockItem } from '../legacy-stock.js';
import { type Route, type RouteContext, route } from '../router.js';
import type { CommerceEmulatorState } from '../state.js';
import { bodyField } from './common.js';

/** Required query parameters, refused the way Magento's ServiceInputProcessor does. */
function requiredQuery(context: RouteContext, names: string[]): void {
  const missing = names.filter((name) => (context.query.get(name) ?? '') === '');
  if (missing.length === 1) {
    throw new MagentoFault(400, MESSAGES.required, { fieldName: missing[0] });
  }
  if (missing.length > 1) {
    throw new MagentoFault(400, 'One or more input exceptions have occurred.', undefined, {
      errors: missing.map((fieldName) => ({
        message: MESSAGES.required,
        parameters: { fieldName },
      })),
    });
  }
}

/**
 * The legacy CatalogInventory routes (`StockRegistryInterface`), still served next to MSI and
 * kept in step with the default source.
 */
export function stockItemRoutes(state: CommerceEmulatorState): Route[] {
  const acl = 'Magento_CatalogInventory::cataloginventory';
  return [
    route('GET', '/V1/stockItems/lowStock', acl, (c) => {
      requiredQuery(c, ['scopeId', 'qty']);
      const page = Number(c.query.get('currentPage') ?? 1);
      const size = Number(c.query.get('pageSize') ?? 0);
      return lowStockItems(state, castFloat(c.query.get('qty')), page, size);
    }),
    route('GET', '/V1/stockItems/:productSku', acl, (c) => {
      const sku = c.params.productSku as string;
      const product = state.products.get(sku);
      if (!product) throw new MagentoFault(404, 'Product with SKU "%1" does not exist', [sku]);
      return legacyStockItem(state, product);
    }),
    // The item id in the path is not a parameter of updateStockItemBySku: the SKU decides.
    route('PUT', '/V1/products/:productSku/stockItems/:itemId', acl, (c) =>
      updateLegacyStockItem(state, c.params.productSku as string, bodyField(c, 'stockItem')),
    ),
  ];
}
