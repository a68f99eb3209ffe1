import { z } from 'zod';
import { enumValue, links, recordBase, reference, sublist } from './common.js';

/*
 * NetSuite's record JSON (GET /record/v1/<type>/<id>): ids and external ids are strings, amounts and
 * quantities are JSON numbers, checkboxes are booleans, dates are `YYYY-MM-DD` strings and
 * date-times ISO strings (`2024-03-05T14:12:00Z`); references are `{ links, id, refName }` and
 * select fields `{ id, refName }`. Sublists are `{ links }` unless expanded
 * (`expandSubResources=true`), then `{ links, items, totalResults, ... }`. Fields without a value
 * are left out; the metadata catalog marks most fields nullable, so scalars accept `null` too.
 * Every schema passes unknown fields (custom fields included) through.
 */

/**
 * One line of a customer's `itemPricing` sublist (customer-itemPricingElement): the item, and
 * either a price level or a unit price for this customer.
 */
export const customerItemPrice = z.looseObject({
  links: links.optional(),
  line: z.number().nullish(),
  item: reference.optional(),
  level: reference.optional(),
  price: z.number().nullish(),
  currency: reference.optional(),
});
export type CustomerItemPrice = z.infer<typeof customerItemPrice>;

export const customer = recordBase.extend({
  entityId: z.string().nullish(),
  companyName: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  isPerson: z.boolean().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  isInactive: z.boolean().nullish(),
  subsidiary: reference.optional(),
  currency: reference.optional(),
  terms: reference.optional(),
  entityStatus: reference.optional(),
  // B2B: the hierarchy, credit and pricing fields of the REST customer record (REST API Browser,
  // customer; https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/article_161581923822.html).
  /** The parent customer: a subcustomer's "Parent Company" (section_N1085616). */
  parent: reference.optional(),
  /** The top of the customer's hierarchy (read-only). */
  topLevelParent: reference.optional(),
  /** Accounts receivable owed by the customer (read-only). */
  balance: z.number().nullish(),
  /** Orders entered but not yet billed (read-only). */
  unbilledOrders: z.number().nullish(),
  /** The part of the balance past its due date (read-only). */
  overdueBalance: z.number().nullish(),
  /** Days the oldest overdue invoice is past its due date (read-only). */
  daysOverdue: z.number().nullish(),
  creditLimit: z.number().nullish(),
  /** The credit hold setting: `AUTO` (by the limit), `ON` (held), `OFF` (never held). */
  creditHoldOverride: enumValue.optional(),
  /** The customer's default price level. */
  priceLevel: reference.optional(),
  /** Customer-specific item prices: one line per item, a price level or a unit price. */
  itemPricing: sublist(customerItemPrice).optional(),
  addressBook: sublist(z.looseObject({})).optional(),
  contactRoles: sublist(z.looseObject({})).optional(),
});
export type Customer = z.infer<typeof customer>;

export const contact = recordBase.extend({
  entityId: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  title: z.string().nullish(),
  isInactive: z.boolean().nullish(),
  company: reference.optional(),
  subsidiary: reference.optional(),
  addressBook: sublist(z.looseObject({})).optional(),
});
export type Contact = z.infer<typeof contact>;

/** One line of an `item` sublist. */
export const itemLine = z.looseObject({
  links: links.optional(),
  line: z.number().nullish(),
  item: reference.optional(),
  itemType: enumValue.optional(),
  quantity: z.number().nullish(),
  rate: z.number().nullish(),
  amount: z.number().nullish(),
  description: z.string().nullish(),
  location: reference.optional(),
  isClosed: z.boolean().nullish(),
  /** Sales order lines: how much was fulfilled; return authorization lines: how much came back. */
  quantityFulfilled: z.number().nullish(),
  quantityReceived: z.number().nullish(),
  /** How much of the line was billed (sales order) or credited and refunded (return authorization). */
  quantityBilled: z.number().nullish(),
  /** On a transformed record: the line of the source transaction this line comes from. */
  orderLine: z.number().nullish(),
  // `price` (price level) and `units` vary by account features: they pass through unchecked.
});
export type ItemLine = z.infer<typeof itemLine>;

const transaction = recordBase.extend({
  tranId: z.string().nullish(),
  tranDate: z.string().nullish(),
  entity: reference.optional(),
  subsidiary: reference.optional(),
  currency: reference.optional(),
  location: reference.optional(),
  status: enumValue.optional(),
  memo: z.string().nullish(),
  otherRefNum: z.string().nullish(),
  subtotal: z.number().nullish(),
  total: z.number().nullish(),
  exchangeRate: z.number().nullish(),
  createdFrom: reference.optional(),
  item: sublist(itemLine).optional(),
  // Address subrecords: `{ links }` unless expanded, then their fields too.
  billingAddress: z.looseObject({}).optional(),
  shippingAddress: z.looseObject({}).optional(),
});

export const salesOrder = transaction.extend({
  orderStatus: enumValue.optional(),
  shipDate: z.string().nullish(),
});
export type SalesOrder = z.infer<typeof salesOrder>;

export const itemFulfillment = transaction.extend({
  shipStatus: enumValue.optional(),
  item: sublist(
    itemLine.extend({
      orderLine: z.number().nullish(),
      itemReceive: z.boolean().nullish(),
    }),
  ).optional(),
});
export type ItemFulfillment = z.infer<typeof itemFulfillment>;

export const invoice = transaction.extend({
  dueDate: z.string().nullish(),
  amountRemaining: z.number().nullish(),
  amountPaid: z.number().nullish(),
});
export type Invoice = z.infer<typeof invoice>;

export const creditMemo = transaction.extend({
  amountRemaining: z.number().nullish(),
  applied: z.number().nullish(),
  unapplied: z.number().nullish(),
  apply: sublist(z.looseObject({})).optional(),
});
export type CreditMemo = z.infer<typeof creditMemo>;

export const returnAuthorization = transaction.extend({
  orderStatus: enumValue.optional(),
});
export type ReturnAuthorization = z.infer<typeof returnAuthorization>;

/** One line of an item's `price` sublist (inventoryItem-priceElement). */
export const itemPrice = z.looseObject({
  links: links.optional(),
  line: z.number().nullish(),
  priceLevel: reference.optional(),
  priceLevelName: z.string().nullish(),
  price: z.number().nullish(),
  currencyPage: reference.optional(),
  // Quantity breaks: `{ value }` as Oracle's example sends it.
  quantity: z.looseObject({ value: z.number().nullish() }).optional(),
  discountDisplay: z.number().nullish(),
  isInactive: z.boolean().nullish(),
});
export type ItemPrice = z.infer<typeof itemPrice>;

/** An item receipt: the goods of a return authorization (or purchase order) coming in. */
export const itemReceipt = transaction.extend({
  item: sublist(
    itemLine.extend({
      itemReceive: z.boolean().nullish(),
    }),
  ).optional(),
});
export type ItemReceipt = z.infer<typeof itemReceipt>;

/** A cash refund: money paid back, e.g. for a return authorization. */
export const cashRefund = transaction.extend({
  paymentMethod: reference.optional(),
});
export type CashRefund = z.infer<typeof cashRefund>;

export const inventoryItem = recordBase.extend({
  itemId: z.string().nullish(),
  displayName: z.string().nullish(),
  upcCode: z.string().nullish(),
  itemType: enumValue.optional(),
  basePrice: z.number().nullish(),
  cost: z.number().nullish(),
  averageCost: z.number().nullish(),
  isInactive: z.boolean().nullish(),
  quantityAvailable: z.number().nullish(),
  quantityOnHand: z.number().nullish(),
  locations: sublist(z.looseObject({})).optional(),
  /**
   * The pricing sublist (pricing matrix): one line per price level (and currency and quantity
   * break), as Oracle's "Working with the Pricing Sublist on Item Records" writes it.
   */
  price: sublist(itemPrice).optional(),
});
export type InventoryItem = z.infer<typeof inventoryItem>;

export const location = recordBase.extend({
  name: z.string().nullish(),
  fullName: z.string().nullish(),
  isInactive: z.boolean().nullish(),
  subsidiary: reference.optional(),
  parent: reference.optional(),
  locationType: enumValue.optional(),
  mainAddress: z.looseObject({}).optional(),
});
/** A location record (named so it does not shadow the DOM `Location` type). */
export type LocationRecord = z.infer<typeof location>;

/**
 * A price level (REST record `priceLevel`): Base Price is id 1 in every account; other levels
 * mark up or discount the base price by `discountPct` (negative for a discount).
 */
export const priceLevel = recordBase.extend({
  name: z.string().nullish(),
  discountPct: z.number().nullish(),
  isInactive: z.boolean().nullish(),
  isOnline: z.boolean().nullish(),
  updateExistingPrices: z.boolean().nullish(),
});
export type PriceLevel = z.infer<typeof priceLevel>;
