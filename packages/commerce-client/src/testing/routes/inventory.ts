import type { components } from '../../generated/schema.js';
import { MagentoFault, required } from '../fault.js';
import { type Route, route } from '../router.js';
import type { CommerceEmulatorState, EmulatorSourceItem } from '../state.js';
import { bodyField, intParam, search } from './common.js';

export function inventoryRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const sourceItems = (c: Parameters<Route['handler']>[0]): EmulatorSourceItem[] => {
    const list = bodyField<unknown>(c, 'sourceItems');
    if (!Array.isArray(list)) throw required('sourceItems');
    if (list.length === 0) throw new MagentoFault(400, 'Input data is empty');
    return list as EmulatorSourceItem[];
  };
  return [
    route('GET', '/V1/inventory/source-items', 'Magento_InventoryApi::source_item', (c) =>
      search(c, state.sourceItems.values(), maxPageSize),
    ),
    route(
      'POST',
      '/V1/inventory/source-items',
      'Magento_InventoryApi::source_item',
      (c) => {
        const items = sourceItems(c);
        // Validate all first: Magento saves the whole list or nothing.
        items.forEach((item, index) => {
          if (!item || typeof item !== 'object') throw required(`sourceItems[${index}]`);
          if (!item.sku)
            throw new MagentoFault(400, 'Validation Failed', undefined, {
              errors: [{ message: '"%field" can not be empty.', parameters: { field: 'sku' } }],
            });
          if (!item.source_code || !state.sources.has(item.source_code)) {
            throw new MagentoFault(400, 'Validation Failed', undefined, {
              errors: [
                {
                  message: 'Source with code "%1" does not exist.',
                  parameters: [String(item.source_code)],
                },
              ],
            });
          }
        });
        for (const item of items) state.saveSourceItem(item);
        return [];
      },
      'async.magento.inventoryapi.api.sourceitemssaveinterface.execute.post',
    ),
    route('POST', '/V1/inventory/source-items-delete', 'Magento_InventoryApi::source_item', (c) => {
      for (const item of sourceItems(c)) state.deleteSourceItem(item);
      return [];
    }),
    route(
      'GET',
      '/V1/inventory/get-product-salable-quantity/:sku/:stockId',
      'Magento_InventoryApi::stock',
      (c) => state.salableQuantity(c.params.sku as string, intParam(c, 'stockId')),
    ),
    route(
      'GET',
      '/V1/inventory/is-product-salable/:sku/:stockId',
      'Magento_InventoryApi::stock',
      (c) => {
        const stockId = intParam(c, 'stockId');
        if (!state.products.has(c.params.sku as string)) return false;
        return state.salableQuantity(c.params.sku as string, stockId) > 0;
      },
    ),
    route('GET', '/V1/inventory/are-products-salable', 'Magento_InventoryApi::stock', (c) => {
      const stockId = Number(c.query.get('stockId'));
      if (!Number.isInteger(stockId)) throw required('stockId');
      const skus = [...c.query.entries()]
        .filter(([k]) => k === 'skus' || k.startsWith('skus['))
        .map(([, v]) => v);
      return skus.map((sku) => ({
        sku,
        stock_id: stockId,
        salable: state.products.has(sku) && state.salableQuantity(sku, stockId) > 0,
      }));
    }),
    route('GET', '/V1/inventory/sources', 'Magento_InventoryApi::source', (c) =>
      search(c, state.sources.values(), maxPageSize, { criteriaOptional: true }),
    ),
    route('POST', '/V1/inventory/sources', 'Magento_InventoryApi::source', (c) => {
      const source = bodyField<components['schemas']['Source']>(c, 'source');
      if (!source || typeof source !== 'object') throw required('source');
      // InventoryApi's source validators: code, name, country and postcode, all reported at once.
      const empty = (['source_code', 'name', 'country_id', 'postcode'] as const).filter(
        (field) => typeof source[field] !== 'string' || String(source[field]).trim() === '',
      );
      const errors = empty.map((field) => ({
        message: '"%field" can not be empty.',
        parameters: { field },
      }));
      if (/\s/.test(String(source.source_code ?? ''))) {
        errors.push({
          message: '"%field" can not contain whitespaces.',
          parameters: { field: 'source_code' },
        });
      }
      if (errors.length > 0)
        throw new MagentoFault(400, 'Validation Failed', undefined, { errors });
      const code = String(source.source_code);
      state.sources.set(code, { enabled: true, ...state.sources.get(code), ...source });
      return [];
    }),
    route('GET', '/V1/inventory/sources/:sourceCode', 'Magento_InventoryApi::source', (c) => {
      const source = state.sources.get(c.params.sourceCode as string);
      if (!source)
        throw new MagentoFault(404, 'Source with code "%value" does not exist.', {
          value: c.params.sourceCode,
        });
      return source;
    }),
  ];
}
