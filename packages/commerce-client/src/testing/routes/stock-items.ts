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
  const productOf = (sku: string) => {
    const product = state.products.get(sku);
    if (!product) throw new MagentoFault(404, 'Product with SKU "%1" does not exist', [sku]);
    return product;
  };
  return [
    route('GET', '/V1/stockItems/lowStock', acl, (c) => {
      requiredQuery(c, ['scopeId', 'qty']);
      const page = Number(c.query.get('currentPage') ?? 1);
      const size = Number(c.query.get('pageSize') ?? 0);
      return lowStockItems(state, castFloat(c.query.get('qty')), page, size);
    }),
    route('GET', '/V1/stockItems/:productSku', acl, (c) =>
      legacyStockItem(state, productOf(c.params.productSku as string)),
    ),
    // StockStatusInterface declares qty an integer: the float is cast down.
    route('GET', '/V1/stockStatuses/:productSku', acl, (c) => {
      const item = legacyStockItem(state, productOf(c.params.productSku as string));
      return {
        product_id: item.product_id,
        stock_id: item.stock_id,
        qty: Math.trunc(Number(item.qty)),
        stock_status: item.is_in_stock ? 1 : 0,
        stock_item: item,
      };
    }),
    // The item id in the path is not a parameter of updateStockItemBySku: the SKU decides.
    route('PUT', '/V1/products/:productSku/stockItems/:itemId', acl, (c) =>
      updateLegacyStockItem(state, c.params.productSku as string, bodyField(c, 'stockItem')),
    ),
  ];
}
