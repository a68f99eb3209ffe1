import { PlumblineError } from '@plumbline/client-core';
import type { NetSuiteClient } from '../client.js';
import { NetSuiteArgumentError } from '../errors.js';
import type { Customer, CustomerItemPrice, InventoryItem, ItemPrice } from '../schemas/index.js';
import { customer as customerSchema, inventoryItem, priceLevel } from '../schemas/records.js';
import { getRecord } from './record.js';

/** The internal id of the Base Price level, which every account has. */
export const BASE_PRICE_LEVEL_ID = '1';

/** Where a resolved price came from, most specific first. */
export type CustomerPriceSource =
  /** A unit price on the customer's `itemPricing` line for the item. */
  | 'customerItemPrice'
  /** The price level on the customer's `itemPricing` line for the item. */
  | 'customerItemLevel'
  /** The customer's default `priceLevel`. */
  | 'customerPriceLevel'
  /** The item's Base Price. */
  | 'basePrice';

export interface CustomerPrice {
  customerId: string;
  itemId: string;
  /** The unit price. */
  price: number;
  source: CustomerPriceSource;
  /** The price level the price was read at (absent for a customer's own unit price). */
  priceLevelId?: string;
  /** True when the item has no price at that level and it was computed from the Base Price and the level's `discountPct`. */
  fromDiscount?: boolean;
}

export interface ResolveCustomerPriceOptions {
  /** Only prices in this currency (internal id); lines without a currency match any. */
  currencyId?: string;
  signal?: AbortSignal;
}

/** No price could be resolved for the customer and item (the item has no Base Price). */
export class CustomerPriceError extends PlumblineError {
  readonly customerId: string;
  readonly itemId: string;
  constructor(customerId: string, itemId: string, why: string) {
    super(
      'CUSTOMER_PRICE_UNRESOLVED',
      `No price for item ${itemId} and customer ${customerId}: ${why}. Give the item a Base Price (price level 1) or the customer an item price.`,
    );
    this.customerId = customerId;
    this.itemId = itemId;
  }
}

function internalId(value: unknown, name: string): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^[1-9]\d*$/.test(text)) {
    throw new NetSuiteArgumentError(
      name,
      `${JSON.stringify(value) ?? String(value)} is not an internal id (a whole number such as "42")`,
    );
  }
  return text;
}

const inCurrency = (currency: { id?: string } | undefined, wanted: string | undefined) =>
  wanted === undefined || currency?.id === undefined || currency.id === wanted;

/** Rounds to cents, as NetSuite shows computed prices. */
const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * The price a customer pays for an item, resolved as NetSuite defaults it on a sales order
 * (Oracle, "Setting Up Price Levels for Customers": "Item price levels take precedence over the
 * selection in the Price Level field on the customer record",
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N2182485.html):
 *
 * 1. the customer's `itemPricing` line for the item: its unit `price`, else its price `level`;
 * 2. the customer's default `priceLevel`;
 * 3. the item's Base Price (price level 1).
 *
 * A level's price is the item's `price` sublist line for that level (quantity break 0); when the
 * item has none, the level's `discountPct` applied to the Base Price. Pricing groups and quantity
 * breaks above 0 are not resolved. Reads the customer and the item with `expandSubResources`, and
 * a price level only when a price must be computed from its discount.
 */
export async function resolveCustomerPrice(
  client: NetSuiteClient,
  customerId: string,
  itemId: string,
  options: ResolveCustomerPriceOptions = {},
): Promise<CustomerPrice> {
  const cid = internalId(customerId, 'customerId');
  const iid = internalId(itemId, 'itemId');
  const { currencyId, signal } = options;
  const read = { expandSubResources: true, ...(signal ? { signal } : {}) };
  // Only the fields the resolution reads: less to transfer, and a customer whose other fields
  // do not fit the schema (a custom form, a legacy value) still resolves.
  const [customer, item] = await Promise.all([
    getRecord<Customer>(client, 'customer', cid, {
      ...read,
      fields: ['priceLevel', 'itemPricing'],
      schema: customerSchema,
    }),
    getRecord<InventoryItem>(client, 'inventoryItem', iid, {
      ...read,
      fields: ['basePrice', 'price'],
      schema: inventoryItem,
    }),
  ]);
  const lines: ItemPrice[] = (item.price?.items ?? []).filter(
    (l) =>
      !l.isInactive && (l.quantity?.value ?? 0) === 0 && inCurrency(l.currencyPage, currencyId),
  );
  const listed = (level: string) =>
    lines.find((l) => l.priceLevel?.id === level)?.price ?? undefined;
  const base = listed(BASE_PRICE_LEVEL_ID) ?? item.basePrice ?? undefined;

  const atLevel = async (
    level: string,
  ): Promise<Pick<CustomerPrice, 'price' | 'fromDiscount'> | undefined> => {
    const price = listed(level);
    if (typeof price === 'number') return { price };
    if (base === undefined || level === BASE_PRICE_LEVEL_ID) return undefined;
    const pl = await getRecord(client, 'priceLevel', level, {
      schema: priceLevel,
      ...(signal ? { signal } : {}),
    });
    if (typeof pl.discountPct !== 'number') return undefined;
    return { price: cents(base * (1 + pl.discountPct / 100)), fromDiscount: true };
  };
  const result = (
    source: CustomerPriceSource,
    found: Pick<CustomerPrice, 'price' | 'fromDiscount'>,
    level?: string,
  ): CustomerPrice => ({
    customerId: cid,
    itemId: iid,
    ...found,
    source,
    ...(level === undefined ? {} : { priceLevelId: level }),
  });

  const own: CustomerItemPrice | undefined = (customer.itemPricing?.items ?? []).find(
    (l) => l.item?.id === iid && inCurrency(l.currency, currencyId),
  );
  if (typeof own?.price === 'number') return result('customerItemPrice', { price: own.price });
  if (own?.level?.id) {
    const found = await atLevel(own.level.id);
    if (found) return result('customerItemLevel', found, own.level.id);
  }
  if (customer.priceLevel?.id) {
    const found = await atLevel(customer.priceLevel.id);
    if (found) return result('customerPriceLevel', found, customer.priceLevel.id);
  }
  if (base === undefined) throw new CustomerPriceError(cid, iid, 'the item has no Base Price');
  return result('basePrice', { price: base }, BASE_PRICE_LEVEL_ID);
}
