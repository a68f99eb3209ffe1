import type { components } from '../../generated/schema.js';
import { MagentoFault, required } from '../fault.js';
import { type Route, type RouteContext, route } from '../router.js';
import type { CommerceEmulatorState, EmulatorStock } from '../state.js';
import { bodyField, intParam, search } from './common.js';

interface Link {
  source_code: string;
  stock_id: number;
  priority: number;
}

/** A stock as the API answers it (its links are a resource of their own). */
function stockView({
  source_codes: _codes,
  link_priorities: _priorities,
  ...stock
}: EmulatorStock) {
  return stock;
}

function linksOf(state: CommerceEmulatorState): Link[] {
  return [...state.stocks.values()].flatMap((stock) =>
    stock.source_codes.map((code, index) => ({
      stock_id: Number(stock.stock_id),
      source_code: code,
      priority: stock.link_priorities?.[code] ?? index + 1,
    })),
  );
}

function failed(errors: { message: string; parameters?: unknown }[]): MagentoFault {
  return new MagentoFault(400, 'Validation Failed', undefined, { errors } as never);
}

/** MSI stocks, their sales channels and their stock-source links. */
export function stockRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const acl = 'Magento_InventoryApi::stock';
  const linkList = (c: RouteContext): Link[] => {
    const links = bodyField<unknown>(c, 'links');
    if (!Array.isArray(links)) throw required('links');
    if (links.length === 0) throw new MagentoFault(400, 'Input data is empty');
    return links as Link[];
  };
  return [
    route('GET', '/V1/inventory/stocks', acl, (c) =>
      search(c, [...state.stocks.values()].map(stockView), maxPageSize, { criteriaOptional: true }),
    ),
    route('GET', '/V1/inventory/stocks/:stockId', acl, (c) =>
      stockView(state.stock(intParam(c, 'stockId'))),
    ),
    route('POST', '/V1/inventory/stocks', acl, (c) => {
      const stock = bodyField<components['schemas']['Stock']>(c, 'stock');
      if (!stock || typeof stock !== 'object') throw required('stock');
      if (typeof stock.name !== 'string' || stock.name.trim() === '') {
        throw failed([{ message: '"%field" can not be empty.', parameters: { field: 'name' } }]);
      }
      const id = Math.max(0, ...state.stocks.keys()) + 1;
      state.assignSalesChannels(id, stock.extension_attributes);
      state.stocks.set(id, { ...stock, stock_id: id, source_codes: [] });
      return id;
    }),
    route('GET', '/V1/inventory/stock-source-links', acl, (c) =>
      search(c, linksOf(state), maxPageSize),
    ),
    route('POST', '/V1/inventory/stock-source-links', acl, (c) => {
      const links = linkList(c);
      // Validate all first: Magento saves the whole list or nothing.
      const errors = links.flatMap((link) => [
        ...(state.stocks.has(Number(link?.stock_id))
          ? []
          : [
              {
                message: 'Stock with id "%value" does not exist.',
                parameters: { value: link?.stock_id },
              },
            ]),
        ...(state.sources.has(String(link?.source_code))
          ? []
          : [
              {
                message: 'Source with code "%1" does not exist.',
                parameters: [String(link?.source_code)],
              },
            ]),
      ]);
      if (errors.length > 0) throw failed(errors);
      for (const link of links)
        state.linkSource(Number(link.stock_id), link.source_code, Number(link.priority ?? 0));
      return [];
    }),
    route('POST', '/V1/inventory/stock-source-links-delete', acl, (c) => {
      for (const link of linkList(c))
        state.unlinkSource(Number(link.stock_id), String(link.source_code));
      return [];
    }),
    route(
      'GET',
      '/V1/inventory/get-sources-assigned-to-stock-ordered-by-priority/:stockId',
      acl,
      (c) =>
        state
          .stock(intParam(c, 'stockId'))
          .source_codes.map((code) => state.sources.get(code))
          .filter((source) => source !== undefined),
    ),
  ];
}
