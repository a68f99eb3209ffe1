import type { components } from '../../generated/schema.js';
import { MagentoFault, MESSAGES, notFoundEntity } from '../fault.js';
import { type Route, route } from '../router.js';
import type { CommerceEmulatorState, EmulatorProduct } from '../state.js';
import { bodyField, intParam, search } from './common.js';

type Schemas = components['schemas'];

function categoryTree(
  state: CommerceEmulatorState,
  id: number,
  depth: number | undefined,
  level = 0,
): Schemas['CategoryTree'] {
  const category = state.categories.get(id);
  if (!category) throw notFoundEntity('id', id);
  const children = [...state.categories.values()].filter((c) => c.parent_id === id);
  const productCount = [...state.products.values()].filter((p) =>
    (p.extension_attributes?.category_links ?? []).some((l) => Number(l.category_id) === id),
  ).length;
  return {
    id,
    parent_id: category.parent_id ?? 0,
    name: category.name ?? '',
    is_active: category.is_active ?? true,
    position: category.position ?? 0,
    level: category.level ?? 0,
    product_count: productCount,
    children_data:
      depth !== undefined && level >= depth
        ? []
        : children.map((c) => categoryTree(state, Number(c.id), depth, level + 1)),
  };
}

export function catalogRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const products = 'Magento_Catalog::products';
  const configurable = (sku: string): EmulatorProduct => {
    const product = state.getProduct(sku);
    if (product.type_id !== 'configurable') {
      throw new MagentoFault(400, 'The product "%1" is not a configurable product.', [sku]);
    }
    return product;
  };
  const links = (product: EmulatorProduct): number[] =>
    product.extension_attributes?.configurable_product_links ?? [];
  return [
    route('GET', '/V1/products', products, (c) => {
      const page = search(c, state.products.values(), maxPageSize);
      return { ...page, items: page.items.map((p) => state.productView(p)) };
    }),
    route(
      'POST',
      '/V1/products',
      products,
      (c) => state.productView(state.saveProduct(bodyField(c, 'product'))),
      'async.magento.catalog.api.productrepositoryinterface.save.post',
    ),
    route('GET', '/V1/products/:sku', products, (c) =>
      state.productView(state.getProduct(c.params.sku as string)),
    ),
    route(
      'PUT',
      '/V1/products/:sku',
      products,
      (c) => state.productView(state.saveProduct(bodyField(c, 'product'), c.params.sku)),
      'async.magento.catalog.api.productrepositoryinterface.save.put',
    ),
    route('DELETE', '/V1/products/:sku', products, (c) =>
      state.deleteProduct(c.params.sku as string),
    ),
    route('GET', '/V1/products/attribute-sets/sets/list', 'Magento_Catalog::sets', (c) =>
      search(c, state.attributeSets.values(), maxPageSize),
    ),
    route('GET', '/V1/configurable-products/:sku/children', products, (c) => {
      const parent = configurable(c.params.sku as string);
      const ids = new Set(links(parent));
      return [...state.products.values()]
        .filter((p) => ids.has(Number(p.id)))
        .map((p) => state.productView(p));
    }),
    route('POST', '/V1/configurable-products/:sku/child', products, (c) => {
      const parent = configurable(c.params.sku as string);
      const childSku = bodyField<string>(c, 'childSku');
      const child = state.getProduct(childSku);
      const current = links(parent);
      if (current.includes(Number(child.id))) {
        throw new MagentoFault(400, 'The product is already attached.');
      }
      parent.extension_attributes = {
        ...parent.extension_attributes,
        configurable_product_links: [...current, Number(child.id)],
      };
      return true;
    }),
    route('DELETE', '/V1/configurable-products/:sku/children/:childSku', products, (c) => {
      const parent = configurable(c.params.sku as string);
      const child = state.getProduct(c.params.childSku as string);
      const current = links(parent);
      if (!current.includes(Number(child.id))) {
        throw new MagentoFault(
          404,
          "The option that was requested doesn't exist. Verify the entity and try again.",
        );
      }
      parent.extension_attributes = {
        ...parent.extension_attributes,
        configurable_product_links: current.filter((id) => id !== Number(child.id)),
      };
      return true;
    }),
    route('GET', '/V1/configurable-products/:sku/options/all', products, (c) => {
      const parent = configurable(c.params.sku as string);
      return parent.extension_attributes?.configurable_product_options ?? [];
    }),
    route('POST', '/V1/configurable-products/:sku/options', products, (c) => {
      const parent = configurable(c.params.sku as string);
      const option = bodyField<Schemas['ConfigurableOption']>(c, 'option');
      if (!option?.attribute_id)
        throw new MagentoFault(400, 'Option attribute ID is not specified.');
      const existing = parent.extension_attributes?.configurable_product_options ?? [];
      if (existing.some((o) => o.attribute_id === option.attribute_id)) {
        throw new MagentoFault(400, 'Something went wrong while saving option.');
      }
      const saved = {
        ...option,
        id: state.nextId('configurable_option'),
        product_id: Number(parent.id),
      };
      parent.extension_attributes = {
        ...parent.extension_attributes,
        configurable_product_options: [...existing, saved],
      };
      return saved.id;
    }),
    route('GET', '/V1/categories', 'Magento_Catalog::categories', (c) => {
      const root = c.query.get('rootCategoryId');
      const depth = c.query.get('depth');
      return categoryTree(state, root ? Number(root) : 1, depth ? Number(depth) : undefined);
    }),
    route('POST', '/V1/categories', 'Magento_Catalog::categories', (c) => {
      const input = bodyField<Schemas['Category']>(c, 'category');
      if (!input?.name) throw new MagentoFault(400, MESSAGES.required, { fieldName: 'name' });
      const parentId = input.parent_id ?? 2;
      const parent = state.categories.get(parentId);
      if (!parent) throw notFoundEntity('id', parentId);
      const id = state.nextId('category');
      const stamp = state.timestamp();
      const saved: Schemas['Category'] = {
        is_active: true,
        include_in_menu: true,
        position: 1,
        ...input,
        id,
        parent_id: parentId,
        level: (parent.level ?? 0) + 1,
        path: `${parent.path}/${id}`,
        children: '',
        created_at: stamp,
        updated_at: stamp,
      };
      state.categories.set(id, saved);
      parent.children = [parent.children, String(id)].filter(Boolean).join(',');
      return saved;
    }),
    route('GET', '/V1/categories/list', 'Magento_Catalog::categories', (c) =>
      search(c, state.categories.values(), maxPageSize),
    ),
    route('GET', '/V1/categories/:categoryId', 'Magento_Catalog::categories', (c) => {
      const id = intParam(c, 'categoryId');
      const category = state.categories.get(id);
      if (!category) throw notFoundEntity('id', id);
      return category;
    }),
    route('DELETE', '/V1/categories/:categoryId', 'Magento_Catalog::categories', (c) => {
      const id = intParam(c, 'categoryId');
      if (!state.categories.has(id)) throw notFoundEntity('id', id);
      if (id <= 2) throw new MagentoFault(400, 'Cannot delete category with id %1', [id]);
      state.categories.delete(id);
      return true;
    }),
    ...priceRoutes(state),
  ];
}

function priceRoutes(state: CommerceEmulatorState): Route[] {
  const acl = 'Magento_Catalog::products';
  type PriceResult = Schemas['PriceUpdateResult'];
  const missing = (sku: string): PriceResult => ({
    message: "Requested product doesn't exist: %sku",
    parameters: [sku],
  });
  const skus = (c: Parameters<Route['handler']>[0]): string[] => {
    const list = bodyField<unknown>(c, 'skus');
    if (!Array.isArray(list)) throw new MagentoFault(400, MESSAGES.required, { fieldName: 'skus' });
    return list.map(String);
  };
  const prices = <T extends { sku: string }>(c: Parameters<Route['handler']>[0]): T[] => {
    const list = bodyField<unknown>(c, 'prices');
    if (!Array.isArray(list))
      throw new MagentoFault(400, MESSAGES.required, { fieldName: 'prices' });
    return list as T[];
  };
  return [
    route(
      'POST',
      '/V1/products/base-prices',
      acl,
      (c) => {
        const results: PriceResult[] = [];
        for (const price of prices<Schemas['BasePrice']>(c)) {
          const product = state.products.get(price.sku);
          if (!product) results.push(missing(price.sku));
          else if (typeof price.price !== 'number' || price.price < 0) {
            results.push({
              message: 'Invalid attribute %fieldName = %fieldValue.',
              parameters: ['price', String(price.price)],
            });
          } else {
            product.price = price.price;
            product.updated_at = state.timestamp();
          }
        }
        return results;
      },
      'async.magento.catalog.api.basepricestorageinterface.update.post',
    ),
    route('POST', '/V1/products/base-prices-information', acl, (c) =>
      skus(c).flatMap((sku) => {
        const product = state.products.get(sku);
        return product ? [{ sku, price: Number(product.price ?? 0), store_id: 0 }] : [];
      }),
    ),
    route('POST', '/V1/products/special-price', acl, (c) => {
      const results: PriceResult[] = [];
      for (const price of prices<Schemas['SpecialPrice']>(c)) {
        if (!state.products.has(price.sku)) results.push(missing(price.sku));
        else {
          const index = state.specialPrices.findIndex(
            (p) => p.sku === price.sku && p.store_id === price.store_id,
          );
          if (index >= 0) state.specialPrices.splice(index, 1);
          state.specialPrices.push(price);
        }
      }
      return results;
    }),
    route('POST', '/V1/products/special-price-information', acl, (c) => {
      const wanted = new Set(skus(c));
      return state.specialPrices.filter((p) => wanted.has(p.sku));
    }),
  ];
}
