import type { components } from '../../generated/schema.js';
import { MagentoFault, MESSAGES, notFoundEntity, required } from '../fault.js';
import type { CommerceEmulatorState } from '../state.js';
import { type TierPrice, upsertTierPrices } from '../tier-prices.js';

type Schemas = components['schemas'];
export type EmulatorSharedCatalog = Schemas['SharedCatalog'] & Record<string, unknown>;

const PUBLIC = 1;
const CUSTOM = 0;

/**
 * Shared catalogs (https://developer.adobe.com/commerce/webapi/rest/b2b/shared-cat-manage/):
 * each has its own customer group; companies are assigned by moving them (and their users) into
 * that group; a public catalog (`Default (General)`, the General group) always exists.
 */
export class SharedCatalogStore {
  readonly catalogs = new Map<number, EmulatorSharedCatalog>();
  readonly products = new Map<number, string[]>();
  readonly categories = new Map<number, number[]>();
  readonly #state: CommerceEmulatorState;

  constructor(state: CommerceEmulatorState) {
    this.#state = state;
    this.catalogs.set(1, {
      id: 1,
      name: 'Default (General)',
      description: 'Default shared catalog',
      customer_group_id: 1,
      type: PUBLIC,
      created_at: state.timestamp(),
      created_by: 1,
      store_id: 0,
      tax_class_id: 3,
    });
  }

  get(id: number): EmulatorSharedCatalog {
    const catalog = this.catalogs.get(id);
    if (!catalog) throw notFoundEntity('id', id);
    return catalog;
  }

  publicCatalog(): EmulatorSharedCatalog {
    return [...this.catalogs.values()].find((c) => c.type === PUBLIC) as EmulatorSharedCatalog;
  }

  /** `POST /V1/sharedCatalog` and `PUT /V1/sharedCatalog/{id}`: answer the catalog id. */
  save(input: Partial<EmulatorSharedCatalog>, id?: number): number {
    if (!input || typeof input !== 'object') throw required('sharedCatalog');
    const existing = id === undefined ? undefined : this.get(id);
    const merged = { ...(existing ?? {}), ...input };
    if (typeof merged.name !== 'string' || merged.name.trim() === '') throw required('name');
    if (merged.type !== PUBLIC && merged.type !== CUSTOM) {
      throw new MagentoFault(400, 'Invalid value of "%value" provided for the %fieldName field.', {
        value: String(merged.type),
        fieldName: 'type',
      });
    }
    for (const field of ['store_id', 'tax_class_id'] as const)
      if (merged[field] === undefined || merged[field] === null) throw required(field);
    for (const other of this.catalogs.values())
      if (other.id !== existing?.id && other.name.toLowerCase() === merged.name.toLowerCase())
        throw new MagentoFault(400, 'A shared catalog with the name "%1" already exists.', [
          merged.name,
        ]);
    if (existing?.type === PUBLIC && merged.type === CUSTOM) {
      throw new MagentoFault(
        400,
        'You cannot convert the public shared catalog into a custom one.',
      );
    }
    const catalogId = existing?.id ?? Math.max(0, ...this.catalogs.keys()) + 1;
    const groupId =
      existing?.customer_group_id ?? this.#newGroup(merged.name, Number(merged.tax_class_id));
    if (existing && existing.type !== PUBLIC) this.#renameGroup(groupId, merged.name);
    if (merged.type === PUBLIC) for (const other of this.catalogs.values()) other.type = CUSTOM;
    this.catalogs.set(catalogId, {
      description: '',
      created_by: 1,
      ...merged,
      id: catalogId,
      customer_group_id: groupId,
      created_at: existing?.created_at ?? this.#state.timestamp(),
    } as EmulatorSharedCatalog);
    return catalogId;
  }

  #newGroup(code: string, taxClassId: number): number {
    const taken = [...this.#state.customerGroups.values()].some(
      (g) => g.code.toLowerCase() === code.toLowerCase(),
    );
    if (taken) throw new MagentoFault(400, 'Customer Group already exists.');
    const id = Math.max(...this.#state.customerGroups.keys()) + 1;
    this.#state.customerGroups.set(id, {
      id,
      code,
      tax_class_id: taxClassId,
      tax_class_name: 'Retail Customer',
    });
    return id;
  }

  #renameGroup(groupId: number, code: string): void {
    const group = this.#state.customerGroups.get(groupId);
    if (group) group.code = code;
  }

  /** Only a custom catalog can be deleted; its companies go back to the public one. */
  delete(id: number): true {
    const catalog = this.get(id);
    if (catalog.type === PUBLIC) {
      throw new MagentoFault(400, 'A public shared catalog cannot be deleted.');
    }
    for (const companyId of this.companyIds(id)) this.#moveCompany(companyId, this.publicCatalog());
    const group = this.#state.customerGroups.get(catalog.customer_group_id);
    this.#removeGroupPrices(group?.code);
    this.#state.customerGroups.delete(catalog.customer_group_id);
    this.catalogs.delete(id);
    this.products.delete(id);
    this.categories.delete(id);
    return true;
  }

  companyIds(id: number): number[] {
    const catalog = this.get(id);
    return [...this.#state.b2b.companies.companies.values()]
      .filter((c) => c.customer_group_id === catalog.customer_group_id)
      .map((c) => Number(c.id));
  }

  /** Assigning moves a company from whatever catalog it had. */
  assignCompanies(id: number, companies: { id?: unknown }[]): true {
    const catalog = this.get(id);
    const ids = this.#refs<{ id?: unknown }>(companies, 'companies').map((ref) => {
      const companyId = Number(ref.id);
      this.#state.b2b.companies.get(companyId);
      return companyId;
    });
    for (const companyId of ids) this.#moveCompany(companyId, catalog);
    return true;
  }

  /** Unassigned companies go back to the public catalog (which cannot be unassigned). */
  unassignCompanies(id: number, companies: { id?: unknown }[]): true {
    const catalog = this.get(id);
    const refs = this.#refs<{ id?: unknown }>(companies, 'companies');
    if (catalog.type === PUBLIC) {
      throw new MagentoFault(400, 'You cannot unassign a company from the public shared catalog.');
    }
    const assigned = new Set(this.companyIds(id));
    for (const ref of refs) {
      const companyId = Number(ref.id);
      this.#state.b2b.companies.get(companyId);
      if (assigned.has(companyId)) this.#moveCompany(companyId, this.publicCatalog());
    }
    return true;
  }

  #moveCompany(companyId: number, catalog: EmulatorSharedCatalog): void {
    this.#state.b2b.companies.setGroup(companyId, catalog.customer_group_id);
  }

  #refs<T>(list: unknown, field: string): T[] {
    if (!Array.isArray(list)) throw required(field);
    return list as T[];
  }

  assignProducts(id: number, products: { sku?: unknown }[]): true {
    this.get(id);
    const skus = this.#refs<{ sku?: unknown }>(products, 'products').map((p) => {
      if (typeof p?.sku !== 'string') throw required('sku');
      if (!this.#state.products.has(p.sku)) throw new MagentoFault(404, MESSAGES.productMissing);
      return p.sku;
    });
    this.products.set(id, [...new Set([...(this.products.get(id) ?? []), ...skus])]);
    return true;
  }

  unassignProducts(id: number, products: { sku?: unknown }[]): true {
    this.get(id);
    const gone = new Set(
      this.#refs<{ sku?: unknown }>(products, 'products').map((p) => String(p?.sku)),
    );
    this.products.set(
      id,
      (this.products.get(id) ?? []).filter((sku) => !gone.has(sku)),
    );
    return true;
  }

  assignCategories(id: number, categories: { id?: unknown }[]): true {
    this.get(id);
    const ids = this.#categoryIds(categories);
    this.categories.set(id, [...new Set([...(this.categories.get(id) ?? []), ...ids])]);
    return true;
  }

  /**
   * Unassigning a category also removes its products, except those that are in another category
   * still assigned to the catalog (Adobe: "removes the product from the unassigned category only").
   */
  unassignCategories(id: number, categories: { id?: unknown }[]): true {
    this.get(id);
    const gone = new Set(this.#categoryIds(categories));
    const kept = (this.categories.get(id) ?? []).filter((c) => !gone.has(c));
    this.categories.set(id, kept);
    const categoriesOf = (sku: string): number[] => {
      const links = (
        this.#state.products.get(sku)?.extension_attributes as Record<string, unknown> | undefined
      )?.category_links;
      return Array.isArray(links)
        ? links.map((l) => Number((l as { category_id?: unknown }).category_id))
        : [];
    };
    this.products.set(
      id,
      (this.products.get(id) ?? []).filter((sku) => {
        const own = categoriesOf(sku);
        return !own.some((c) => gone.has(c)) || own.some((c) => kept.includes(c));
      }),
    );
    return true;
  }

  #categoryIds(categories: unknown): number[] {
    return this.#refs<{ id?: unknown }>(categories, 'categories').map((ref) => {
      const categoryId = Number(ref?.id);
      if (!this.#state.categories.has(categoryId)) throw notFoundEntity('id', ref?.id);
      return categoryId;
    });
  }

  /** `assignTierPrices`: the prices, for this catalog's customer group. */
  assignTierPrices(id: number, prices: unknown): [] {
    const code = this.#groupCode(id);
    const list = this.#refs<TierPrice>(prices, 'prices').map((p) => ({
      ...p,
      customer_group: code,
    }));
    const rejected = upsertTierPrices(this.#state, list);
    if (rejected[0]) throw new MagentoFault(400, rejected[0].message, rejected[0].parameters);
    return [];
  }

  /** `resetTierPrices`: drops this catalog's tier prices of the SKUs. */
  resetTierPrices(id: number, skus: unknown): [] {
    const code = this.#groupCode(id);
    const wanted = new Set(this.#refs<unknown>(skus, 'skus').map(String));
    this.#removeGroupPrices(code, wanted);
    return [];
  }

  #groupCode(id: number): string {
    const catalog = this.get(id);
    const group = this.#state.customerGroups.get(catalog.customer_group_id);
    if (!group) throw notFoundEntity('customer_group_id', catalog.customer_group_id);
    return group.code;
  }

  #removeGroupPrices(code: string | undefined, skus?: Set<string>): void {
    if (code === undefined) return;
    for (let i = this.#state.tierPrices.length - 1; i >= 0; i--) {
      const p = this.#state.tierPrices[i] as TierPrice;
      if (
        p.customer_group.toLowerCase() === code.toLowerCase() &&
        (skus === undefined || skus.has(p.sku))
      )
        this.#state.tierPrices.splice(i, 1);
    }
  }
}
