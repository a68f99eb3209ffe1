import { randomUUID } from 'node:crypto';
import type { components } from '../generated/schema.js';
import { formatMagentoMessage } from '../magento-message.js';
import { type B2BSnapshot, B2BState } from './b2b/state.js';
import { MagentoFault, MESSAGES, notFoundEntity, required } from './fault.js';
import { castFloat, castFloatFields, castInt } from './input-cast.js';
import { isInStockAfterCheck, legacyStockItem, STOCK_ITEM_FLOATS } from './legacy-stock.js';
import {
  authorizePayment,
  captureAgainstAuthorization,
  openAuthorization,
  voidAuthorization,
} from './payment-transactions.js';
import {
  COMMERCE_SNAPSHOT_VERSION,
  checkSnapshot,
  EmulatorSnapshotError,
  secretDigest,
} from './snapshot.js';

type Schemas = components['schemas'];
export type EmulatorProduct = Schemas['Product'] & Record<string, unknown>;
export type EmulatorCustomer = Schemas['Customer'] & Record<string, unknown>;
export type EmulatorOrder = Schemas['Order'] & Record<string, unknown>;
export type EmulatorOrderItem = Schemas['OrderItem'] & Record<string, unknown>;
export type EmulatorInvoice = Schemas['Invoice'] & Record<string, unknown>;
export type EmulatorShipment = Schemas['Shipment'] & Record<string, unknown>;
export type EmulatorCreditMemo = Schemas['CreditMemo'] & Record<string, unknown>;
export type EmulatorSourceItem = Schemas['SourceItem'] & Record<string, unknown>;
export type EmulatorTrack = Schemas['ShipmentTrack'] & Record<string, unknown>;
/** A return item as stored: every item has its id, requested quantity and status. */
export type EmulatorRmaItem = Schemas['RmaItem'] & {
  entity_id: number;
  qty_requested: number;
  status: string;
};
/** A return (RMA) as stored and answered. */
export type EmulatorRma = Omit<Schemas['Rma'], 'items' | 'comments' | 'tracks'> & {
  entity_id: number;
  status: string;
  items: EmulatorRmaItem[];
  comments: Schemas['RmaComment'][];
  tracks: Schemas['RmaTrack'][];
} & Record<string, unknown>;
/** A payment transaction as stored (its `child_transactions` are filled in when answered). */
export type EmulatorTransaction = Omit<Schemas['Transaction'], 'child_transactions'> &
  Record<string, unknown>;
/** An MSI stock with its linked sources, ordered by link priority. */
export type EmulatorStock = Schemas['Stock'] & {
  source_codes: string[];
  link_priorities?: Record<string, number>;
};

/** Fixtures to seed an emulator with. */
export interface CommerceSeed {
  products?: Partial<EmulatorProduct>[];
  customers?: (Partial<EmulatorCustomer> & { password?: string })[];
  sourceItems?: EmulatorSourceItem[];
  sources?: Schemas['Source'][];
  /** Orders to place at start (they reserve salable quantity like real ones). */
  orders?: PlaceOrderInput[];
  customerGroups?: Schemas['CustomerGroup'][];
  categories?: Schemas['Category'][];
}

export interface PlaceOrderInput {
  /**
   * Order lines. For a configurable product give the chosen child's `sku` and the configurable's
   * `parentSku`: like Magento, the order gets a parent item (product_type `configurable`, the
   * child's sku, the price) and a child item with `parent_item_id` and `parent_item`.
   */
  items: { sku: string; qty: number; price?: number; parentSku?: string }[];
  customer_email?: string;
  customer_id?: number;
  customer_firstname?: string;
  customer_lastname?: string;
  store_id?: number;
  shipping_amount?: number;
  increment_id?: string;
  /** Stock the reservation is made in; default 1. */
  stockId?: number;
  /**
   * `authorize`: pay with an online method in Magento's "Authorize" payment action, so the order
   * gets an `authorization` transaction and invoices capture against it. Default: offline
   * (Check / Money order), which records no transactions.
   */
  payment_action?: 'authorize';
  /** Set by checkout: the quote's addresses, shipping method and payment. */
  shipping_address?: Record<string, unknown>;
  billing_address?: Record<string, unknown>;
  /** `carrier_method`, e.g. `tablerate_bestway`; default `flatrate_flatrate`. */
  shipping_method?: string;
  shipping_description?: string;
  payment_method?: string;
  payment_title?: string;
  quote_id?: number;
}

/** A cart line (quote item). */
export interface EmulatorCartLine {
  sku: string;
  qty: number;
  item_id?: number;
  /** A configurable line: `sku` is the chosen child, `parentSku` the configurable product. */
  parentSku?: string;
  options?: { option_id: string; option_value: number }[];
}

/** A cart (quote): guest carts are keyed by their masked id, the others by their quote id. */
export interface EmulatorCart {
  items: EmulatorCartLine[];
  orderId?: number;
  /** The quote id (guest carts also have one, which admin routes use). */
  id?: number;
  customerId?: number;
  shippingAddress?: Record<string, unknown>;
  billingAddress?: Record<string, unknown>;
  shippingMethod?: { carrier_code: string; method_code: string };
  paymentMethod?: string;
}

export interface BulkOperationRecord {
  id: number;
  bulk_uuid: string;
  topic_name: string;
  serialized_data: string;
  result_serialized_data: string | null;
  status: number;
  result_message: string | null;
  error_code: number | null;
  run: () => unknown;
}

/** How a queued operation is run again after a restore: the route it was sent to. */
export interface BulkResume {
  method: string;
  segments: string[];
  bulk: boolean;
  store: string;
  query: string;
}

export interface BulkRecord {
  bulk_id: string;
  description: string;
  start_time: string;
  user_id: number;
  user_type: number;
  operations: BulkOperationRecord[];
  /** Set for bulks sent through the REST API, so open operations survive a snapshot. */
  resume?: BulkResume;
}

type Entries<K, V> = [K, V][];

/** The emulator's data as plain JSON (see `CommerceEmulator.snapshot()`). */
export interface CommerceEmulatorSnapshot {
  version: 1;
  emulator: 'adobe-commerce';
  clockOffsetMs: number;
  ids: Entries<string, number>;
  products: Entries<string, EmulatorProduct>;
  customers: Entries<number, EmulatorCustomer>;
  /** SHA-256 digests (salted with the customer id), never the passwords. */
  customerPasswordDigests: Entries<number, string>;
  orders: Entries<number, EmulatorOrder>;
  orderStocks: Entries<number, number>;
  invoices: Entries<number, EmulatorInvoice>;
  shipments: Entries<number, EmulatorShipment>;
  creditMemos: Entries<number, EmulatorCreditMemo>;
  tracks: Entries<number, EmulatorTrack>;
  sourceItems: Entries<string, EmulatorSourceItem>;
  sources: Entries<string, Schemas['Source']>;
  stocks: Entries<number, EmulatorStock>;
  reservations: Reservation[];
  customerGroups: Entries<number, Schemas['CustomerGroup']>;
  categories: Entries<number, Schemas['Category']>;
  attributeSets: Entries<number, Schemas['AttributeSet']>;
  specialPrices: Schemas['SpecialPrice'][];
  tierPrices: Schemas['TierPrice'][];
  bulks: (Omit<BulkRecord, 'operations'> & { operations: Omit<BulkOperationRecord, 'run'>[] })[];
  carts: Entries<string, EmulatorCart>;
  /** Returns (RMA); absent in snapshots written before returns were emulated. */
  returns?: Entries<number, EmulatorRma>;
  /** Payment transactions; absent in snapshots written before transactions were emulated. */
  transactions?: Entries<number, EmulatorTransaction>;
  /** Issued admin and customer tokens by SHA-256 digest, with their expiry. */
  tokens: Entries<string, { kind: 'admin' | 'customer'; subject: string; expiresAt: number }>;
  /** Companies, shared catalogs, credit and negotiable quotes (optional in older snapshots). */
  b2b?: B2BSnapshot;
}

const MAP_FIELDS = [
  'ids',
  'products',
  'customers',
  'customerPasswordDigests',
  'orders',
  'orderStocks',
  'invoices',
  'shipments',
  'creditMemos',
  'tracks',
  'sourceItems',
  'sources',
  'stocks',
  'customerGroups',
  'categories',
  'attributeSets',
  'carts',
  'tokens',
] as const;
const LIST_FIELDS = ['reservations', 'specialPrices', 'tierPrices', 'bulks'] as const;
/** Maps added after version 1 was fixed: older snapshots leave them out. */
const OPTIONAL_MAP_FIELDS = ['returns', 'transactions'] as const;

export interface Reservation {
  sku: string;
  stock_id: number;
  quantity: number;
  metadata: string;
}

/** 1 complete, 2 retriably failed, 3 failed, 4 open, 5 rejected. */
export const BULK_STATUS = {
  complete: 1,
  retriablyFailed: 2,
  failed: 3,
  open: 4,
  rejected: 5,
} as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** `Order\Item::getQtyToInvoice`: ordered, less invoiced and canceled. */
function qtyToInvoice(item: EmulatorOrderItem): number {
  return Math.max(
    0,
    Number(item.qty_ordered) - Number(item.qty_invoiced ?? 0) - Number(item.qty_canceled ?? 0),
  );
}

/** `Order\Item::getSimpleQtyToShip`: ordered, less shipped, refunded and canceled. */
function qtyToShip(item: EmulatorOrderItem): number {
  return Math.max(
    0,
    Number(item.qty_ordered) -
      Number(item.qty_shipped ?? 0) -
      Number(item.qty_refunded ?? 0) -
      Number(item.qty_canceled ?? 0),
  );
}

/** Product types whose items ship nothing (Magento's `is_virtual`). */
export function isVirtualType(typeId: unknown): boolean {
  return typeId === 'virtual' || typeId === 'downloadable';
}

const ORDER_ADDRESS_FIELDS = [
  'city',
  'company',
  'country_id',
  'email',
  'firstname',
  'lastname',
  'postcode',
  'region',
  'region_code',
  'region_id',
  'street',
  'telephone',
] as const;

/** The fields of a quote address an order address keeps. */
function orderAddressFields(address: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    ORDER_ADDRESS_FIELDS.filter((f) => address[f] !== undefined).map((f) => [f, address[f]]),
  );
}

/**
 * The emulator's data and its domain rules (order states, MSI salable quantity, bulk
 * operations). Exposed as `emulator.state` so tests can seed, inspect and change data.
 */
export class CommerceEmulatorState {
  readonly products = new Map<string, EmulatorProduct>();
  readonly customers = new Map<number, EmulatorCustomer>();
  readonly customerPasswords = new Map<number, string>();
  readonly orders = new Map<number, EmulatorOrder>();
  /** The stock each order reserved in (Magento keeps it out of the order answer). */
  readonly #orderStocks = new Map<number, number>();
  readonly invoices = new Map<number, EmulatorInvoice>();
  readonly shipments = new Map<number, EmulatorShipment>();
  readonly creditMemos = new Map<number, EmulatorCreditMemo>();
  readonly tracks = new Map<number, EmulatorTrack>();
  readonly sourceItems = new Map<string, EmulatorSourceItem>();
  readonly sources = new Map<string, Schemas['Source']>();
  readonly stocks = new Map<number, EmulatorStock>();
  readonly reservations: Reservation[] = [];
  readonly customerGroups = new Map<number, Schemas['CustomerGroup']>();
  readonly categories = new Map<number, Schemas['Category']>();
  readonly attributeSets = new Map<number, Schemas['AttributeSet']>();
  readonly specialPrices: Schemas['SpecialPrice'][] = [];
  readonly tierPrices: Schemas['TierPrice'][] = [];
  readonly bulks = new Map<string, BulkRecord>();
  readonly carts = new Map<string, EmulatorCart>();
  readonly returns = new Map<number, EmulatorRma>();
  readonly transactions = new Map<number, EmulatorTransaction>();
  /** Password digests of customers restored from a snapshot (salted with the id). */
  readonly customerPasswordDigests = new Map<number, string>();
  readonly #ids = new Map<string, number>();
  #clockOffsetMs = 0;
  readonly #now: () => number;
  /** Adobe Commerce B2B: companies, teams, roles, shared catalogs, credit, negotiable quotes. */
  readonly b2b: B2BState;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.sources.set('default', {
      source_code: 'default',
      name: 'Default Source',
      enabled: true,
      country_id: 'US',
    });
    this.stocks.set(1, { stock_id: 1, name: 'Default Stock', source_codes: ['default'] });
    for (const [id, code] of [
      [0, 'NOT LOGGED IN'],
      [1, 'General'],
      [2, 'Wholesale'],
      [3, 'Retailer'],
    ] as const) {
      this.customerGroups.set(id, { id, code, tax_class_id: 3, tax_class_name: 'Retail Customer' });
    }
    this.attributeSets.set(4, {
      attribute_set_id: 4,
      attribute_set_name: 'Default',
      sort_order: 1,
      entity_type_id: 4,
    });
    this.attributeSets.set(9, {
      attribute_set_id: 9,
      attribute_set_name: 'Top',
      sort_order: 0,
      entity_type_id: 4,
    });
    this.categories.set(1, {
      id: 1,
      parent_id: 0,
      name: 'Root Catalog',
      is_active: true,
      position: 0,
      level: 0,
      path: '1',
      children: '2',
    });
    this.categories.set(2, {
      id: 2,
      parent_id: 1,
      name: 'Default Category',
      is_active: true,
      position: 1,
      level: 1,
      path: '1/2',
      children: '',
    });
    this.#ids.set('category', 2);
    this.b2b = new B2BState(this);
  }

  /** Milliseconds on the emulator clock (the real clock plus `advanceTime`). */
  now(): number {
    return this.#now() + this.#clockOffsetMs;
  }

  /** Move the emulator clock forward, e.g. past the 4-hour admin token lifetime. */
  advanceTime(ms: number): void {
    this.#clockOffsetMs += ms;
  }

  /** Magento's `YYYY-MM-DD HH:MM:SS` (UTC) of the emulator clock. */
  timestamp(): string {
    const d = new Date(this.now());
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
      d.getUTCMinutes(),
    )}:${pad(d.getUTCSeconds())}`;
  }

  nextId(entity: string): number {
    const id = (this.#ids.get(entity) ?? 0) + 1;
    this.#ids.set(entity, id);
    return id;
  }

  /** Whether `password` is the customer's (a seeded one, or one restored from a snapshot). */
  checkCustomerPassword(id: number, password: string): boolean {
    const plain = this.customerPasswords.get(id);
    if (plain !== undefined) return plain === password;
    const digest = this.customerPasswordDigests.get(id);
    return digest !== undefined && digest === secretDigest(password, String(id));
  }

  /** The data as plain JSON (tokens are added by the emulator). */
  snapshot(): Omit<CommerceEmulatorSnapshot, 'tokens'> {
    const digests = new Map(this.customerPasswordDigests);
    for (const [id, password] of this.customerPasswords) {
      digests.set(id, secretDigest(password, String(id)));
    }
    const copy = <T>(value: T): T => structuredClone(value);
    return {
      version: COMMERCE_SNAPSHOT_VERSION,
      emulator: 'adobe-commerce',
      clockOffsetMs: this.#clockOffsetMs,
      ids: [...this.#ids],
      products: copy([...this.products]),
      customers: copy([...this.customers]),
      customerPasswordDigests: [...digests],
      orders: copy([...this.orders]),
      orderStocks: [...this.#orderStocks],
      invoices: copy([...this.invoices]),
      shipments: copy([...this.shipments]),
      creditMemos: copy([...this.creditMemos]),
      tracks: copy([...this.tracks]),
      sourceItems: copy([...this.sourceItems]),
      sources: copy([...this.sources]),
      stocks: copy([...this.stocks]),
      reservations: copy(this.reservations),
      customerGroups: copy([...this.customerGroups]),
      categories: copy([...this.categories]),
      attributeSets: copy([...this.attributeSets]),
      specialPrices: copy(this.specialPrices),
      tierPrices: copy(this.tierPrices),
      bulks: [...this.bulks.values()].map(({ operations, ...bulk }) => ({
        ...copy(bulk),
        operations: operations.map(({ run: _run, ...op }) => ({ ...op })),
      })),
      carts: copy([...this.carts]),
      returns: copy([...this.returns]),
      transactions: copy([...this.transactions]),
      b2b: this.b2b.snapshot(),
    };
  }

  /**
   * Replaces all data with a snapshot's. `resume` rebuilds the runner of a queued bulk operation
   * from its route (operations whose route is unknown fail when the consumer reaches them).
   */
  restore(
    input: unknown,
    resume: (bulk: BulkRecord, payload: unknown) => () => unknown,
  ): CommerceEmulatorSnapshot {
    const snap = checkSnapshot(input, 'adobe-commerce', [
      ...MAP_FIELDS,
      ...LIST_FIELDS,
    ]) as unknown as CommerceEmulatorSnapshot;
    if (typeof snap.clockOffsetMs !== 'number' || !Number.isFinite(snap.clockOffsetMs)) {
      throw new EmulatorSnapshotError('clockOffsetMs', 'must be a finite number');
    }
    for (const name of [...MAP_FIELDS, ...OPTIONAL_MAP_FIELDS]) {
      const entries = snap[name] ?? [];
      if (!Array.isArray(entries)) throw new EmulatorSnapshotError(name, 'must be an array');
      const bad = (entries as unknown[]).findIndex((e) => !Array.isArray(e) || e.length !== 2);
      if (bad >= 0)
        throw new EmulatorSnapshotError(`${name}[${bad}]`, 'must be a [key, value] pair');
    }
    const data = structuredClone(snap);
    const fill = <K, V>(map: Map<K, V>, entries: [K, V][]) => {
      map.clear();
      for (const [key, value] of entries) map.set(key, value);
    };
    this.#clockOffsetMs = data.clockOffsetMs;
    fill(this.#ids, data.ids);
    fill(this.products, data.products);
    fill(this.customers, data.customers);
    this.customerPasswords.clear();
    fill(this.customerPasswordDigests, data.customerPasswordDigests);
    fill(this.orders, data.orders);
    fill(this.#orderStocks, data.orderStocks);
    fill(this.invoices, data.invoices);
    fill(this.shipments, data.shipments);
    fill(this.creditMemos, data.creditMemos);
    fill(this.tracks, data.tracks);
    fill(this.sourceItems, data.sourceItems);
    fill(this.sources, data.sources);
    fill(this.stocks, data.stocks);
    this.reservations.splice(0, this.reservations.length, ...data.reservations);
    fill(this.customerGroups, data.customerGroups);
    fill(this.categories, data.categories);
    fill(this.attributeSets, data.attributeSets);
    this.specialPrices.splice(0, this.specialPrices.length, ...data.specialPrices);
    this.tierPrices.splice(0, this.tierPrices.length, ...data.tierPrices);
    fill(this.carts, data.carts);
    fill(this.returns, data.returns ?? []);
    fill(this.transactions, data.transactions ?? []);
    this.b2b.restore(data.b2b);
    this.bulks.clear();
    data.bulks.forEach((stored, index) => {
      if (!stored || typeof stored.bulk_id !== 'string' || !Array.isArray(stored.operations)) {
        throw new EmulatorSnapshotError(`bulks[${index}]`, 'must have a bulk_id and operations');
      }
      const bulk: BulkRecord = { ...stored, operations: [] };
      bulk.operations = stored.operations.map((op) => {
        let payload: unknown;
        try {
          const data = JSON.parse(op.serialized_data) as { meta_information?: string };
          payload = JSON.parse(data.meta_information ?? 'null');
        } catch {
          throw new EmulatorSnapshotError(
            `bulks[${index}].operations[${op.id}].serialized_data`,
            'is not the JSON an operation carries',
          );
        }
        return { ...op, run: resume(bulk, payload) };
      });
      this.bulks.set(bulk.bulk_id, bulk);
    });
    return snap;
  }

  // ---- catalog ----

  getProduct(sku: string): EmulatorProduct {
    const product = this.products.get(sku);
    if (!product) throw new MagentoFault(404, MESSAGES.productMissing);
    return product;
  }

  /**
   * A product as the REST API answers it: Magento leaves out empty custom_attributes, always
   * sends the product_links, options, media_gallery_entries and tier_prices lists, and fills
   * extension_attributes.stock_item from the default source (single-source mode).
   */
  productView(product: EmulatorProduct): EmulatorProduct {
    const { custom_attributes: custom, ...rest } = product;
    const view: EmulatorProduct = {
      product_links: [],
      options: [],
      media_gallery_entries: [],
      tier_prices: [],
      ...rest,
      ...(custom && custom.length > 0 ? { custom_attributes: custom } : {}),
    } as EmulatorProduct;
    view.extension_attributes = {
      ...product.extension_attributes,
      stock_item: legacyStockItem(this, product),
    };
    return view;
  }

  saveProduct(raw: Partial<EmulatorProduct>, skuFromPath?: string): EmulatorProduct {
    if (!raw || typeof raw !== 'object') throw required('product');
    // Float fields accept numeric strings, as Magento's input casting does ("weight": "0.5").
    const input = castFloatFields({ ...raw }, ['price', 'weight']);
    const sku = skuFromPath ?? input.sku;
    if (typeof sku !== 'string' || sku.trim() === '') throw required('sku');
    const existing = this.products.get(sku);
    const stamp = this.timestamp();
    if (!existing && (input.name === undefined || input.name === '')) throw required('name');
    if (input.price !== undefined && (typeof input.price !== 'number' || input.price < 0)) {
      throw new MagentoFault(
        400,
        'The "%1" attribute value is invalid. Enter a valid value and try again.',
        ['price'],
      );
    }
    const product: EmulatorProduct = {
      ...(existing ?? {
        id: this.nextId('product'),
        attribute_set_id: 4,
        status: 1,
        visibility: 4,
        type_id: 'simple',
        price: 0,
        created_at: stamp,
        extension_attributes: { website_ids: [1] },
        custom_attributes: [],
      }),
      ...input,
      sku,
      updated_at: stamp,
    } as EmulatorProduct;
    if (existing?.id !== undefined) product.id = existing.id;
    if (existing?.custom_attributes && input.custom_attributes) {
      // Magento merges custom attributes by code on save.
      const merged = new Map(existing.custom_attributes.map((a) => [a.attribute_code, a]));
      for (const attribute of input.custom_attributes)
        merged.set(attribute.attribute_code, attribute);
      product.custom_attributes = [...merged.values()];
    }
    if (existing?.created_at !== undefined) product.created_at = existing.created_at;
    if (input.extension_attributes || existing?.extension_attributes) {
      product.extension_attributes = {
        ...(existing?.extension_attributes ?? {}),
        ...(input.extension_attributes ?? {}),
      };
    }
    // "qty": "10" (Adobe's tutorials send a string) is cast before anything is stored.
    const given = product.extension_attributes?.stock_item;
    const stockItem = given ? castFloatFields({ ...given }, STOCK_ITEM_FLOATS) : undefined;
    if (stockItem && product.extension_attributes)
      product.extension_attributes.stock_item = stockItem;
    if (stockItem && typeof stockItem.qty === 'number' && product.type_id !== 'configurable') {
      // Saving a product with stock_item writes the default source (single-source mode), after
      // Magento's stock check (at or below min_qty without backorders is out of stock).
      this.saveSourceItem({
        sku,
        source_code: 'default',
        quantity: stockItem.qty,
        status: isInStockAfterCheck(stockItem) ? 1 : 0,
      });
    }
    this.products.set(sku, product);
    return product;
  }

  deleteProduct(sku: string): true {
    this.getProduct(sku);
    this.products.delete(sku);
    for (const key of [...this.sourceItems.keys()])
      if (key.startsWith(`${sku}\u0000`)) this.sourceItems.delete(key);
    return true;
  }

  // ---- customers ----

  getCustomer(id: number): EmulatorCustomer {
    const customer = this.customers.get(id);
    if (!customer) throw notFoundEntity('customerId', id);
    return customer;
  }

  saveCustomer(
    input: Partial<EmulatorCustomer>,
    options: { id?: number; password?: string } = {},
  ): EmulatorCustomer {
    if (!input || typeof input !== 'object') throw required('customer');
    const existing = options.id !== undefined ? this.getCustomer(options.id) : undefined;
    for (const field of ['email', 'firstname', 'lastname'] as const) {
      const value = input[field] ?? existing?.[field];
      if (typeof value !== 'string' || value.trim() === '') throw required(field);
    }
    const email = String(input.email ?? existing?.email);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      throw new MagentoFault(400, '"%1" is not a valid email address.', [email]);
    }
    const websiteId = input.website_id ?? existing?.website_id ?? 1;
    for (const other of this.customers.values()) {
      if (
        other.id !== existing?.id &&
        other.email.toLowerCase() === email.toLowerCase() &&
        other.website_id === websiteId
      ) {
        throw new MagentoFault(
          400,
          'A customer with the same email address already exists in an associated website.',
        );
      }
    }
    const stamp = this.timestamp();
    const id = existing?.id ?? this.nextId('customer');
    const addresses = (input.addresses ?? existing?.addresses ?? []).map((address) => ({
      ...address,
      id: address.id ?? this.nextId('customer_address'),
      customer_id: id,
    }));
    const customer: EmulatorCustomer = {
      group_id: 1,
      store_id: 1,
      website_id: websiteId,
      created_in: 'Default Store View',
      disable_auto_group_change: 0,
      ...(existing ?? {}),
      ...input,
      id,
      email,
      addresses,
      created_at: existing?.created_at ?? stamp,
      updated_at: stamp,
    } as EmulatorCustomer;
    const defaultBilling = addresses.find((a) => a.default_billing);
    const defaultShipping = addresses.find((a) => a.default_shipping);
    if (defaultBilling) customer.default_billing = String(defaultBilling.id);
    if (defaultShipping) customer.default_shipping = String(defaultShipping.id);
    this.b2b.companies.customerSaving(customer, existing);
    this.customers.set(id, customer);
    if (options.password !== undefined) this.customerPasswords.set(id, options.password);
    return customer;
  }

  deleteCustomer(id: number): true {
    this.getCustomer(id);
    this.b2b.companies.customerDeleted(id);
    this.b2b.negotiableQuotes.customerDeleted(id);
    this.customers.delete(id);
    return true;
  }

  // ---- inventory (MSI) ----

  saveSourceItem(item: EmulatorSourceItem): EmulatorSourceItem {
    if (!item.sku) throw required('sku');
    if (!item.source_code) throw required('source_code');
    if (!this.sources.has(item.source_code)) {
      throw new MagentoFault(400, 'Validation Failed', undefined, {
        errors: [
          { message: 'Source with code "%1" does not exist.', parameters: [item.source_code] },
        ],
      });
    }
    const saved: EmulatorSourceItem = {
      sku: item.sku,
      source_code: item.source_code,
      quantity: castFloat(item.quantity ?? 0),
      status: castInt(item.status ?? 1),
      ...(item.extension_attributes ? { extension_attributes: item.extension_attributes } : {}),
    };
    this.sourceItems.set(`${item.sku}\u0000${item.source_code}`, saved);
    return saved;
  }

  deleteSourceItem(item: { sku?: string; source_code?: string }): void {
    this.sourceItems.delete(`${item.sku}\u0000${item.source_code}`);
  }

  stock(stockId: number): EmulatorStock {
    const stock = this.stocks.get(stockId);
    if (!stock)
      throw new MagentoFault(404, 'Stock with id "%value" does not exist.', { value: stockId });
    return stock;
  }

  /** Link a source to a stock (`stock-source-links`); sources stay ordered by priority. */
  linkSource(stockId: number, sourceCode: string, priority: number): void {
    const stock = this.stock(stockId);
    const priorities = { ...stock.link_priorities, [sourceCode]: priority };
    const codes = [...new Set([...stock.source_codes, sourceCode])];
    const rank = (code: string) => priorities[code] ?? codes.indexOf(code) + 1;
    stock.source_codes = codes.sort((a, b) => rank(a) - rank(b));
    stock.link_priorities = priorities;
  }

  unlinkSource(stockId: number, sourceCode: string): void {
    const stock = this.stock(stockId);
    stock.source_codes = stock.source_codes.filter((code) => code !== sourceCode);
    if (stock.link_priorities) delete stock.link_priorities[sourceCode];
  }

  /** A sales channel belongs to one stock: giving it to `stockId` takes it from the others. */
  assignSalesChannels(stockId: number, extension: unknown): void {
    const channels = (extension as { sales_channels?: { type?: string; code?: string }[] })
      ?.sales_channels;
    if (!Array.isArray(channels)) return;
    for (const other of this.stocks.values()) {
      if (Number(other.stock_id) === stockId) continue;
      const ext = other.extension_attributes as
        | { sales_channels?: { type?: string; code?: string }[] }
        | undefined;
      if (!ext?.sales_channels) continue;
      ext.sales_channels = ext.sales_channels.filter(
        (c) => !channels.some((n) => n.type === c.type && n.code === c.code),
      );
    }
  }

  /**
   * The stock a website sells from: the stock whose `sales_channels` name the website, else the
   * default stock 1 (MSI's StockResolver).
   */
  stockIdForWebsite(code = 'base'): number {
    for (const stock of this.stocks.values()) {
      const channels = (stock.extension_attributes as { sales_channels?: unknown } | undefined)
        ?.sales_channels;
      if (
        Array.isArray(channels) &&
        channels.some((c) => c?.type === 'website' && c?.code === code)
      ) {
        return Number(stock.stock_id);
      }
    }
    return 1;
  }

  /** Quantity on the stock's enabled, in-stock sources plus reservations (which are negative for orders). */
  salableQuantity(sku: string, stockId: number): number {
    const stock = this.stock(stockId);
    const product = this.products.get(sku);
    if (product && product.type_id !== 'simple' && product.type_id !== 'virtual') {
      throw new MagentoFault(
        400,
        "Can't check requested quantity for products without Source Items support.",
      );
    }
    let qty = 0;
    for (const code of stock.source_codes) {
      const item = this.sourceItems.get(`${sku}\u0000${code}`);
      const source = this.sources.get(code);
      if (item && item.status === 1 && source?.enabled !== false) qty += Number(item.quantity ?? 0);
    }
    for (const r of this.reservations)
      if (r.sku === sku && r.stock_id === stockId) qty += r.quantity;
    return qty;
  }

  #reserve(sku: string, stockId: number, quantity: number, event: string, orderId: number): void {
    if (quantity === 0) return;
    this.reservations.push({
      sku,
      stock_id: stockId,
      quantity,
      metadata: JSON.stringify({
        event_type: event,
        object_type: 'order',
        object_id: String(orderId),
      }),
    });
  }

  // ---- sales ----

  getOrder(id: number): EmulatorOrder {
    const order = this.orders.get(id);
    if (!order) throw new MagentoFault(404, MESSAGES.entityMissing);
    return order;
  }

  /** Place an order: like checkout, it reserves salable quantity in the stock. */
  placeOrder(input: PlaceOrderInput): EmulatorOrder {
    if (!input.items || input.items.length === 0) {
      throw new MagentoFault(400, 'The order has no items.');
    }
    const stockId = input.stockId ?? 1;
    for (const line of input.items) {
      const product = this.getProduct(line.sku);
      if (product.type_id === 'simple' || product.type_id === 'virtual') {
        const salable = this.salableQuantity(line.sku, stockId);
        if (salable < line.qty) {
          throw new MagentoFault(400, 'The requested qty is not available');
        }
      }
    }
    const id = this.nextId('order');
    const stamp = this.timestamp();
    const items: EmulatorOrderItem[] = input.items.flatMap((line) => {
      const product = this.getProduct(line.sku);
      const parent = line.parentSku === undefined ? undefined : this.getProduct(line.parentSku);
      const price = line.price ?? product.price ?? parent?.price ?? 0;
      const base = {
        order_id: id,
        qty_ordered: line.qty,
        qty_invoiced: 0,
        qty_shipped: 0,
        qty_refunded: 0,
        qty_canceled: 0,
        created_at: stamp,
        updated_at: stamp,
      };
      if (!parent) {
        return [
          {
            ...base,
            item_id: this.nextId('order_item'),
            product_id: product.id,
            product_type: product.type_id ?? 'simple',
            sku: line.sku,
            name: product.name ?? line.sku,
            price,
            base_price: price,
            row_total: price * line.qty,
            // Virtual and downloadable items ship nothing.
            is_virtual: isVirtualType(product.type_id) ? 1 : 0,
          },
        ];
      }
      const links = parent.extension_attributes?.configurable_product_links ?? [];
      if (parent.type_id !== 'configurable' || !links.includes(Number(product.id))) {
        throw new MagentoFault(400, 'You need to choose options for your item.');
      }
      const parentItem: EmulatorOrderItem = {
        ...base,
        item_id: this.nextId('order_item'),
        product_id: parent.id,
        product_type: 'configurable',
        sku: line.sku,
        name: parent.name ?? line.parentSku,
        price,
        base_price: price,
        row_total: price * line.qty,
        product_option: {
          extension_attributes: { configurable_item_options: this.#chosenOptions(parent, product) },
        },
      };
      const childItem: EmulatorOrderItem = {
        ...base,
        item_id: this.nextId('order_item'),
        product_id: product.id,
        product_type: product.type_id ?? 'simple',
        sku: line.sku,
        name: product.name ?? line.sku,
        price: 0,
        base_price: 0,
        row_total: 0,
        parent_item_id: parentItem.item_id,
      };
      return [parentItem, childItem];
    });
    // The child's parent_item is the whole parent item, as Magento nests it.
    for (const item of items) {
      if (item.parent_item_id === undefined) continue;
      const parentItem = items.find((i) => i.item_id === item.parent_item_id);
      if (parentItem) item.parent_item = { ...parentItem };
    }
    const subtotal = items.reduce((sum, item) => sum + Number(item.row_total), 0);
    const shipping = input.shipping_amount ?? 0;
    const customer =
      input.customer_id !== undefined ? this.customers.get(input.customer_id) : undefined;
    const billingId = this.nextId('order_address');
    this.nextId('order_address'); // the shipping address
    const address = {
      parent_id: id,
      city: 'Austin',
      country_id: 'US',
      email: input.customer_email ?? customer?.email ?? 'guest@example.com',
      firstname: input.customer_firstname ?? customer?.firstname ?? 'Guest',
      lastname: input.customer_lastname ?? customer?.lastname ?? 'Shopper',
      postcode: '78701',
      region: 'Texas',
      region_code: 'TX',
      region_id: 57,
      street: ['1 Main St'],
      telephone: '5125550100',
    };
    const addressOf = (given: Record<string, unknown> | undefined) =>
      given ? { ...address, ...orderAddressFields(given), parent_id: id } : address;
    const shippingMethod = input.shipping_method ?? 'flatrate_flatrate';
    const paymentTitle = input.payment_title ?? 'Check / Money order';
    const order: EmulatorOrder = {
      entity_id: id,
      increment_id: input.increment_id ?? String(1000000000 + id),
      state: 'new',
      status: 'pending',
      created_at: stamp,
      updated_at: stamp,
      store_id: input.store_id ?? 1,
      customer_email: input.customer_email ?? customer?.email ?? 'guest@example.com',
      customer_firstname: input.customer_firstname ?? customer?.firstname ?? 'Guest',
      customer_lastname: input.customer_lastname ?? customer?.lastname ?? 'Shopper',
      customer_is_guest: customer ? 0 : 1,
      customer_group_id: customer?.group_id ?? 0,
      base_currency_code: 'USD',
      order_currency_code: 'USD',
      subtotal,
      base_subtotal: subtotal,
      shipping_amount: shipping,
      tax_amount: 0,
      discount_amount: 0,
      grand_total: subtotal + shipping,
      base_grand_total: subtotal + shipping,
      total_qty_ordered: items
        .filter((item) => item.parent_item_id === undefined)
        .reduce((sum, item) => sum + Number(item.qty_ordered), 0),
      total_invoiced: 0,
      total_paid: 0,
      total_refunded: 0,
      total_due: subtotal + shipping,
      items,
      payment: {
        entity_id: id,
        parent_id: id,
        method: input.payment_method ?? 'checkmo',
        account_status: null,
        // Magento keeps the method title here.
        additional_information: [paymentTitle],
        cc_last4: null,
        amount_ordered: subtotal + shipping,
        base_amount_ordered: subtotal + shipping,
      },
      billing_address: {
        ...addressOf(input.billing_address),
        address_type: 'billing',
        entity_id: billingId,
      },
      status_histories: [],
      extension_attributes: {
        // Like Magento: the shipping address, method and totals, and the items to ship.
        shipping_assignments: [
          {
            shipping: {
              address: {
                ...addressOf(input.shipping_address),
                address_type: 'shipping',
                entity_id: billingId + 1,
              },
              method: shippingMethod,
              total: {
                base_shipping_amount: shipping,
                shipping_amount: shipping,
                base_shipping_incl_tax: shipping,
                shipping_incl_tax: shipping,
                base_shipping_tax_amount: 0,
                shipping_tax_amount: 0,
              },
            },
            items: items.filter((item) => item.parent_item_id === undefined),
          },
        ],
        payment_additional_info: [{ key: 'method_title', value: paymentTitle }],
      },
    };
    if (customer?.id !== undefined) order.customer_id = customer.id;
    if (input.shipping_description !== undefined) {
      order.shipping_description = input.shipping_description;
    }
    if (input.quote_id !== undefined) order.quote_id = input.quote_id;
    this.orders.set(id, order);
    this.#orderStocks.set(id, stockId);
    if (input.payment_action === 'authorize') {
      // An authorized online payment moves the order to processing (Magento's Payment::place).
      authorizePayment(this, order);
      order.state = 'processing';
      order.status = 'processing';
    }
    // One reservation per line: a configurable's child item shares its parent's sku.
    for (const item of items.filter((i) => i.parent_item_id === undefined))
      this.#reserve(item.sku, stockId, -Number(item.qty_ordered), 'order_placed', id);
    return order;
  }

  #touch(order: EmulatorOrder): void {
    this.#syncChildren(order);
    order.updated_at = this.timestamp();
  }

  #stockOf(order: EmulatorOrder): number {
    return this.#orderStocks.get(Number(order.entity_id)) ?? 1;
  }

  /** `configurable_item_options` of a chosen child: the parent's option attributes, valued from the child. */
  #chosenOptions(parent: EmulatorProduct, child: EmulatorProduct) {
    const options = parent.extension_attributes?.configurable_product_options ?? [];
    return options.flatMap((option) => {
      const code = String(option.label ?? '').toLowerCase();
      const value = (child.custom_attributes ?? []).find((a) => a.attribute_code === code)?.value;
      const index = Number(value);
      return option.attribute_id !== undefined && Number.isInteger(index)
        ? [{ option_id: String(option.attribute_id), option_value: index }]
        : [];
    });
  }

  /** Child items of configurable lines follow their parent's quantities. */
  #syncChildren(order: EmulatorOrder): void {
    for (const item of order.items) {
      if (item.parent_item_id === undefined) continue;
      const parent = order.items.find((i) => i.item_id === item.parent_item_id);
      if (!parent) continue;
      item.qty_invoiced = parent.qty_invoiced;
      item.qty_shipped = parent.qty_shipped;
      item.qty_refunded = parent.qty_refunded;
      item.qty_canceled = parent.qty_canceled;
      item.parent_item = { ...parent };
    }
  }

  #settleState(order: EmulatorOrder): void {
    this.#syncChildren(order);
    const items = order.items;
    const open = (i: EmulatorOrderItem) =>
      Number(i.qty_ordered) - Number(i.qty_canceled ?? 0) - Number(i.qty_refunded ?? 0);
    const allRefunded = items.every(
      (i) => Number(i.qty_refunded ?? 0) >= Number(i.qty_ordered) - Number(i.qty_canceled ?? 0),
    );
    const allInvoiced = items.every(
      (i) => Number(i.qty_invoiced ?? 0) + Number(i.qty_canceled ?? 0) >= Number(i.qty_ordered),
    );
    const allShipped = items.every(
      (i) => i.is_virtual === 1 || Number(i.qty_shipped ?? 0) >= open(i) || open(i) <= 0,
    );
    if (items.some((i) => Number(i.qty_refunded ?? 0) > 0) && allRefunded) {
      order.state = 'closed';
      order.status = 'closed';
    } else if (allInvoiced && allShipped) {
      order.state = 'complete';
      order.status = 'complete';
    } else if (
      items.some((i) => Number(i.qty_invoiced ?? 0) > 0 || Number(i.qty_shipped ?? 0) > 0)
    ) {
      order.state = 'processing';
      order.status = 'processing';
    }
  }

  #lines(
    order: EmulatorOrder,
    requested: { order_item_id: number; qty: number }[] | undefined,
    remaining: (item: EmulatorOrderItem) => number,
  ): { item: EmulatorOrderItem; qty: number }[] {
    // Configurable lines are processed through their parent item; the child follows it.
    const lineItems = order.items.filter((i) => i.parent_item_id === undefined);
    if (!requested || requested.length === 0) {
      return lineItems.map((item) => ({ item, qty: remaining(item) })).filter((l) => l.qty > 0);
    }
    return requested.map((given) => {
      // Magento casts the item id to int and the quantity to float.
      const line = { order_item_id: castInt(given?.order_item_id), qty: castFloat(given?.qty) };
      const item = lineItems.find((i) => i.item_id === line.order_item_id);
      if (!item) throw notFoundEntity('order_item_id', line.order_item_id);
      const left = remaining(item);
      if (line.qty > left) {
        throw new MagentoFault(
          400,
          'The quantity to %1 must not be greater than the unprocessed quantity %2 of item %3.',
          ['process', left, item.sku],
        );
      }
      return { item, qty: line.qty };
    });
  }

  /**
   * Invoice an order. With `capture: true` on an order with an open authorization the invoice is
   * captured online (a `capture` transaction); otherwise it is paid offline, as Magento's
   * `Invoice\PayOperation` does for REST. `captureCase: 'not_capture'` (the Admin's "Not
   * Capture", not reachable over REST) leaves the invoice open (state 1) for
   * `POST /V1/invoices/{id}/capture`.
   */
  invoice(
    orderId: number,
    body: { items?: { order_item_id: number; qty: number }[]; capture?: boolean } = {},
    options: { captureCase?: 'not_capture' } = {},
  ): number {
    const order = this.getOrder(orderId);
    if (order.state === 'holded' || order.state === 'canceled' || order.state === 'closed') {
      throw new MagentoFault(400, 'The order does not allow an invoice to be created.');
    }
    const lines = this.#lines(
      order,
      body.items,
      (i) => Number(i.qty_ordered) - Number(i.qty_invoiced ?? 0) - Number(i.qty_canceled ?? 0),
    );
    if (lines.length === 0 || lines.every((l) => l.qty === 0)) {
      throw new MagentoFault(
        400,
        "The invoice can't be created without products. Add products and try again.",
      );
    }
    const id = this.nextId('invoice');
    const stamp = this.timestamp();
    let subtotal = 0;
    const items = lines.map(({ item, qty }) => {
      item.qty_invoiced = Number(item.qty_invoiced ?? 0) + qty;
      const rowTotal = Number(item.price ?? 0) * qty;
      subtotal += rowTotal;
      return {
        entity_id: this.nextId('invoice_item'),
        parent_id: id,
        order_item_id: Number(item.item_id),
        product_id: item.product_id,
        sku: item.sku,
        name: item.name,
        price: item.price,
        row_total: rowTotal,
        qty,
      };
    });
    const first = [...this.invoices.values()].every((inv) => inv.order_id !== orderId);
    const grandTotal = subtotal + (first ? Number(order.shipping_amount ?? 0) : 0);
    const open = options.captureCase === 'not_capture';
    const invoice: EmulatorInvoice = {
      entity_id: id,
      increment_id: String(1000000000 + id),
      order_id: orderId,
      state: open ? 1 : 2,
      created_at: stamp,
      updated_at: stamp,
      subtotal,
      grand_total: grandTotal,
      base_grand_total: grandTotal,
      total_qty: lines.reduce((s, l) => s + l.qty, 0),
      items,
      comments: [],
    };
    this.invoices.set(id, invoice);
    order.total_invoiced = Number(order.total_invoiced ?? 0) + grandTotal;
    if (!open) {
      this.#markPaid(order, invoice);
      if (body.capture === true) captureAgainstAuthorization(this, order, invoice);
    }
    this.#settleState(order);
    this.#touch(order);
    return id;
  }

  ship(
    orderId: number,
    body: {
      items?: { order_item_id: number; qty: number }[];
      tracks?: { track_number: string; title: string; carrier_code: string }[];
      /** MSI: `arguments.extension_attributes.source_code` names the source shipped from. */
      arguments?: { extension_attributes?: { source_code?: string } };
    } = {},
  ): number {
    const order = this.getOrder(orderId);
    if (order.state === 'holded' || order.state === 'canceled' || order.state === 'closed') {
      throw new MagentoFault(400, 'The order does not allow a shipment to be created.');
    }
    const lines = this.#lines(order, body.items, (i) =>
      i.is_virtual === 1
        ? 0
        : Number(i.qty_ordered) -
          Number(i.qty_shipped ?? 0) -
          Number(i.qty_canceled ?? 0) -
          Number(i.qty_refunded ?? 0),
    );
    if (lines.length === 0) {
      throw new MagentoFault(
        400,
        "Shipment Document Validation Error(s):\nYou can't create a shipment without products.",
      );
    }
    const id = this.nextId('shipment');
    const stamp = this.timestamp();
    const stockId = this.#stockOf(order);
    const sourceCode =
      body.arguments?.extension_attributes?.source_code ??
      this.stock(stockId).source_codes[0] ??
      'default';
    if (!this.sources.has(sourceCode)) {
      throw new MagentoFault(400, 'Source with code "%1" does not exist.', [sourceCode]);
    }
    const items = lines.map(({ item, qty }) => {
      item.qty_shipped = Number(item.qty_shipped ?? 0) + qty;
      // Shipping deducts the source and compensates the order's reservation.
      const key = `${item.sku}\u0000${sourceCode}`;
      const sourceItem = this.sourceItems.get(key);
      if (sourceItem) sourceItem.quantity = Number(sourceItem.quantity ?? 0) - qty;
      this.#reserve(item.sku, stockId, qty, 'shipment_created', orderId);
      return {
        entity_id: this.nextId('shipment_item'),
        parent_id: id,
        order_item_id: Number(item.item_id),
        product_id: item.product_id,
        sku: item.sku,
        name: item.name,
        price: item.price,
        qty,
      };
    });
    const tracks = (body.tracks ?? []).map((track) => {
      const saved: EmulatorTrack = {
        entity_id: this.nextId('track'),
        order_id: orderId,
        parent_id: id,
        created_at: stamp,
        updated_at: stamp,
        weight: null,
        qty: null,
        description: null,
        track_number: track.track_number,
        title: track.title,
        carrier_code: track.carrier_code,
      };
      this.tracks.set(Number(saved.entity_id), saved);
      return saved;
    });
    const shipment: EmulatorShipment = {
      entity_id: id,
      increment_id: String(1000000000 + id),
      order_id: orderId,
      created_at: stamp,
      updated_at: stamp,
      total_qty: lines.reduce((s, l) => s + l.qty, 0),
      items,
      tracks,
      comments: [],
      packages: [],
    };
    this.shipments.set(id, shipment);
    this.#settleState(order);
    this.#touch(order);
    return id;
  }

  refund(
    orderId: number,
    body: {
      items?: { order_item_id: number; qty: number }[];
      arguments?: {
        shipping_amount?: number;
        adjustment_positive?: number;
        adjustment_negative?: number;
        extension_attributes?: { return_to_stock_items?: number[] };
      };
    } = {},
  ): number {
    const order = this.getOrder(orderId);
    if (order.state === 'holded' || order.state === 'canceled' || order.state === 'closed') {
      throw new MagentoFault(400, 'The order does not allow a creditmemo to be created.');
    }
    const lines = this.#lines(
      order,
      body.items,
      (i) => Number(i.qty_invoiced ?? 0) - Number(i.qty_refunded ?? 0),
    );
    if (lines.length === 0) {
      throw new MagentoFault(400, 'The most money available to refund is %1.', ['0.00']);
    }
    const id = this.nextId('creditmemo');
    const stamp = this.timestamp();
    const back = new Set(
      (body.arguments?.extension_attributes?.return_to_stock_items ?? []).map(castInt),
    );
    const stockId = this.#stockOf(order);
    const sourceCode = this.stock(stockId).source_codes[0] ?? 'default';
    let subtotal = 0;
    const items = lines.map(({ item, qty }) => {
      item.qty_refunded = Number(item.qty_refunded ?? 0) + qty;
      const row = Number(item.price ?? 0) * qty;
      subtotal += row;
      if (back.has(Number(item.item_id))) {
        const sourceItem = this.sourceItems.get(`${item.sku}\u0000${sourceCode}`);
        if (sourceItem) sourceItem.quantity = Number(sourceItem.quantity ?? 0) + qty;
      }
      return {
        entity_id: this.nextId('creditmemo_item'),
        parent_id: id,
        order_item_id: Number(item.item_id),
        product_id: item.product_id,
        sku: item.sku,
        name: item.name,
        base_cost: 0,
        base_price: Number(item.base_price ?? item.price ?? 0),
        price: item.price,
        row_total: row,
        qty,
      };
    });
    const shipping = castFloat(body.arguments?.shipping_amount ?? 0);
    const plus = castFloat(body.arguments?.adjustment_positive ?? 0);
    const minus = castFloat(body.arguments?.adjustment_negative ?? 0);
    const grandTotal = subtotal + shipping + plus - minus;
    const memo: EmulatorCreditMemo = {
      entity_id: id,
      increment_id: String(1000000000 + id),
      order_id: orderId,
      state: 2,
      created_at: stamp,
      updated_at: stamp,
      subtotal,
      shipping_amount: shipping,
      adjustment_positive: plus,
      adjustment_negative: minus,
      grand_total: grandTotal,
      base_grand_total: grandTotal,
      items,
      comments: [],
    };
    const invoice = [...this.invoices.values()].find((inv) => inv.order_id === orderId);
    if (invoice?.entity_id !== undefined) memo.invoice_id = invoice.entity_id;
    this.creditMemos.set(id, memo);
    order.total_refunded = Number(order.total_refunded ?? 0) + grandTotal;
    this.#settleState(order);
    this.#touch(order);
    return id;
  }

  #markPaid(order: EmulatorOrder, invoice: EmulatorInvoice): void {
    order.total_paid = Number(order.total_paid ?? 0) + Number(invoice.grand_total ?? 0);
    order.total_due = Math.max(0, Number(order.grand_total) - Number(order.total_paid));
  }

  /**
   * `POST /V1/invoices/{id}/capture`: capture an open invoice (online against the order's
   * authorization when there is one) and mark it paid. Magento's `InvoiceService::setCapture`
   * returns a bool cast to the declared string, so the answer is `"1"`.
   */
  captureInvoice(invoiceId: number): string {
    const invoice = this.invoices.get(invoiceId);
    if (!invoice) throw new MagentoFault(404, MESSAGES.entityMissing);
    if (invoice.state !== 1) {
      throw new MagentoFault(400, 'The invoice #%1 is not open, so it cannot be captured.', [
        String(invoice.increment_id),
      ]);
    }
    const order = this.getOrder(Number(invoice.order_id));
    invoice.state = 2;
    invoice.updated_at = this.timestamp();
    this.#markPaid(order, invoice);
    if (openAuthorization(this, order)) captureAgainstAuthorization(this, order, invoice);
    this.#touch(order);
    return '1';
  }

  hold(orderId: number): true {
    const order = this.getOrder(orderId);
    if (order.state !== 'new' && order.state !== 'processing') {
      throw new MagentoFault(400, "A hold action can't be set for this order.");
    }
    order.hold_before_state = order.state;
    order.hold_before_status = order.status;
    order.state = 'holded';
    order.status = 'holded';
    this.#touch(order);
    return true;
  }

  unhold(orderId: number): true {
    const order = this.getOrder(orderId);
    if (order.state !== 'holded') throw new MagentoFault(400, "You can't remove the hold.");
    order.state = order.hold_before_state ?? 'new';
    order.status = order.hold_before_status ?? 'pending';
    delete order.hold_before_state;
    delete order.hold_before_status;
    this.#touch(order);
    return true;
  }

  /**
   * Magento answers `false` (not an error) when the order cannot be canceled: on hold, canceled,
   * complete, closed, or with everything invoiced (`Order::canCancel`). Each line cancels what is
   * neither invoiced nor shipped (`Order\Item::getQtyToCancel`); the order ends canceled, or
   * processing / complete when invoiced goods remain (`Order::registerCancellation`), and an open
   * authorization is voided.
   */
  cancel(orderId: number): boolean {
    const order = this.getOrder(orderId);
    if (!this.#canCancel(order)) return false;
    const stockId = this.#stockOf(order);
    let next = 'canceled';
    for (const item of order.items.filter((i) => i.parent_item_id === undefined)) {
      const toShip = qtyToShip(item);
      const toCancel = Math.max(0, Math.min(qtyToInvoice(item), toShip));
      const toRefund = Number(item.qty_invoiced ?? 0) - Number(item.qty_refunded ?? 0);
      if (next !== 'processing' && toRefund > 0) {
        next = toShip > toCancel ? 'processing' : 'complete';
      }
      item.qty_canceled = Number(item.qty_canceled ?? 0) + toCancel;
      if (toCancel > 0) this.#reserve(item.sku, stockId, toCancel, 'order_canceled', orderId);
    }
    order.state = next;
    order.status = next;
    voidAuthorization(this, order);
    this.#touch(order);
    return true;
  }

  #canCancel(order: EmulatorOrder): boolean {
    if (!['new', 'processing', 'pending_payment'].includes(String(order.state))) return false;
    return order.items.some((i) => qtyToInvoice(i) > 0);
  }

  addOrderComment(orderId: number, comment: Partial<Schemas['OrderComment']>): true {
    const order = this.getOrder(orderId);
    if (!comment || typeof comment.comment !== 'string') throw required('comment');
    order.status_histories = [
      {
        entity_id: this.nextId('order_comment'),
        parent_id: orderId,
        comment: comment.comment,
        created_at: this.timestamp(),
        entity_name: 'order',
        is_customer_notified: comment.is_customer_notified ?? 0,
        is_visible_on_front: comment.is_visible_on_front ?? 0,
        status: comment.status ?? String(order.status),
      },
      ...(order.status_histories ?? []),
    ];
    this.#touch(order);
    return true;
  }

  // ---- async bulk ----

  createBulk(
    description: string,
    topic: string,
    payloads: unknown[],
    run: (payload: unknown) => unknown,
    resume?: BulkResume,
  ): BulkRecord {
    const uuid = randomUUID();
    const bulk: BulkRecord = {
      bulk_id: uuid,
      description,
      start_time: this.timestamp(),
      user_id: 1,
      user_type: 2,
      operations: payloads.map((payload, index) => ({
        id: index,
        bulk_uuid: uuid,
        topic_name: topic,
        serialized_data: JSON.stringify({
          entity_id: null,
          entity_link: '',
          meta_information: JSON.stringify(payload),
        }),
        result_serialized_data: null,
        status: BULK_STATUS.open,
        result_message: null,
        error_code: null,
        run: () => run(payload),
      })),
      ...(resume ? { resume } : {}),
    };
    this.bulks.set(uuid, bulk);
    return bulk;
  }

  /** Run one open operation (the consumer's job). Returns false when none is left. */
  processNextOperation(): boolean {
    for (const bulk of this.bulks.values()) {
      const op = bulk.operations.find((o) => o.status === BULK_STATUS.open);
      if (!op) continue;
      try {
        const result = op.run();
        op.status = BULK_STATUS.complete;
        op.result_message = 'Service execution success ';
        op.result_serialized_data = JSON.stringify(result ?? null);
      } catch (error) {
        op.status = BULK_STATUS.failed;
        if (error instanceof MagentoFault) {
          op.result_message = formatMagentoMessage(error.body.message, error.body.parameters);
          op.error_code = error.status === 404 ? 404 : 0;
        } else {
          op.result_message = error instanceof Error ? error.message : String(error);
          op.error_code = 0;
        }
      }
      return true;
    }
    return false;
  }

  /** Process every open bulk operation now. */
  drainBulkOperations(): number {
    let count = 0;
    while (this.processNextOperation()) count++;
    return count;
  }

  getBulk(uuid: string): BulkRecord {
    const bulk = this.bulks.get(uuid);
    if (!bulk) {
      // BulkStatus throws NoSuchEntityException: 404.
      throw new MagentoFault(404, 'Bulk uuid %bulkUuid not exist', { bulkUuid: uuid });
    }
    return bulk;
  }
}
