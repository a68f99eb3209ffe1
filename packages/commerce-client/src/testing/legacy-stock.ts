import type { components } from '../generated/schema.js';
import { MagentoFault } from './fault.js';
import { castFloatFields } from './input-cast.js';
import type { CommerceEmulatorState, EmulatorProduct } from './state.js';

export type LegacyStockItem = components['schemas']['StockItem'] & Record<string, unknown>;

/** The float fields of `CatalogInventory\Api\Data\StockItemInterface`. */
export const STOCK_ITEM_FLOATS = [
  'qty',
  'min_qty',
  'min_sale_qty',
  'max_sale_qty',
  'notify_stock_qty',
  'qty_increments',
] as const;

/** Magento's configuration defaults for a new stock item (Stores > Configuration > Inventory). */
const DEFAULTS = {
  is_qty_decimal: false,
  show_default_notification_message: false,
  use_config_min_qty: true,
  min_qty: 0,
  use_config_min_sale_qty: 1,
  min_sale_qty: 1,
  use_config_max_sale_qty: true,
  max_sale_qty: 10000,
  use_config_backorders: true,
  backorders: 0,
  use_config_notify_stock_qty: true,
  notify_stock_qty: 1,
  use_config_qty_increments: true,
  qty_increments: 0,
  use_config_enable_qty_inc: true,
  enable_qty_increments: false,
  use_config_manage_stock: true,
  manage_stock: true,
  low_stock_date: null,
  is_decimal_divided: false,
  stock_status_changed_auto: 0,
};

/**
 * The legacy stock item of a product. With MSI, Magento keeps `cataloginventory_stock_item` in
 * step with the default source (InventoryCatalog's legacy synchronisation), so qty and
 * is_in_stock come from the default source item; the other settings are the product's own.
 */
export function legacyStockItem(
  state: CommerceEmulatorState,
  product: EmulatorProduct,
): LegacyStockItem {
  const id = Number(product.id);
  const source = state.sourceItems.get(`${product.sku}\u0000default`);
  const configurable = product.type_id === 'configurable';
  const own = product.extension_attributes?.stock_item ?? {};
  return {
    item_id: id,
    product_id: id,
    stock_id: 1,
    ...DEFAULTS,
    ...own,
    // Deleting the default source item zeroes the legacy item (InventoryCatalog's plugins).
    qty: configurable ? 0 : Number(source?.quantity ?? 0),
    is_in_stock: configurable ? true : source ? Number(source.status) === 1 : false,
    low_stock_date: null,
  } as LegacyStockItem;
}

/**
 * `StockRegistry::updateStockItemBySku`: merges the given fields into the product's stock item,
 * runs Magento's stock check (a managed item at or below min_qty without backorders is out of
 * stock) and writes the default source item. Answers the item id.
 */
export function updateLegacyStockItem(
  state: CommerceEmulatorState,
  sku: string,
  input: Partial<LegacyStockItem>,
): number {
  const product = state.products.get(sku);
  if (!product) throw new MagentoFault(404, 'Product with SKU "%1" does not exist', [sku]);
  if (!input || typeof input !== 'object') {
    throw new MagentoFault(400, '"%fieldName" is required. Enter and try again.', {
      fieldName: 'stockItem',
    });
  }
  const {
    item_id: _itemId,
    product_id: _productId,
    ...changes
  } = castFloatFields({ ...input }, STOCK_ITEM_FLOATS);
  const current = legacyStockItem(state, product);
  const merged = { ...current, ...changes } as LegacyStockItem;
  const inStock = isInStockAfterCheck(merged);
  const { qty: _qty, is_in_stock: _inStock, ...settings } = changes;
  product.extension_attributes = {
    ...product.extension_attributes,
    stock_item: { ...product.extension_attributes?.stock_item, ...settings } as never,
  };
  if (product.type_id !== 'configurable') {
    state.saveSourceItem({
      sku,
      source_code: 'default',
      quantity: Number(merged.qty),
      status: inStock ? 1 : 0,
    });
  }
  return Number(current.item_id);
}

/** `StockStateProvider::verifyStock` applied on save, as `StockItemRepository::save` does. */
export function isInStockAfterCheck(item: Partial<LegacyStockItem>): boolean {
  const wanted = item.is_in_stock !== false;
  if (item.manage_stock === false) return wanted;
  const enough = Number(item.qty ?? 0) > Number(item.min_qty ?? 0) || Number(item.backorders) > 0;
  return wanted && enough;
}

/** `StockRegistry::getLowStockItems`: stock items with qty at or below `qty`, paged. */
export function lowStockItems(
  state: CommerceEmulatorState,
  qty: number,
  currentPage: number,
  pageSize: number,
): { items: LegacyStockItem[]; search_criteria: Record<string, unknown>; total_count: number } {
  const all = [...state.products.values()]
    .filter((p) => p.type_id !== 'configurable')
    .map((p) => legacyStockItem(state, p))
    .filter((item) => Number(item.qty) <= qty);
  const page = Math.max(1, currentPage);
  const items = pageSize > 0 ? all.slice((page - 1) * pageSize, page * pageSize) : all;
  return { items, search_criteria: {}, total_count: all.length };
}
