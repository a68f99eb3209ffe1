import { z } from 'zod';
import { enumValue, links, recordBase, reference, sublist } from './common.js';

/*
 * NetSuite's record JSON (GET /record/v1/<type>/<id>): ids and external ids are strings, amounts and
 * quantities are JSON numbers, checkboxes are booleans, dates are `YYYY-MM-DD` strings and
 * date-times ISO strings (`2024-03-05T14:12:00Z`); references are `{ links, id, refName }` and
 * select fields `{ id, refName }`. Sublists are `{ links }` unless expanded
 * (`expandSubResources=true`), then `{ links, items, totalResults, ... }`. Fields without a value
 * are left out. Every schema passes unknown fields (custom fields included) through.
 */

export const customer = recordBase.extend({
  entityId: z.string().optional(),
  companyName: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  isPerson: z.boolean().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  isInactive: z.boolean().optional(),
  subsidiary: reference.optional(),
  currency: reference.optional(),
  terms: reference.optional(),
  entityStatus: reference.optional(),
  balance: z.number().optional(),
  creditLimit: z.number().optional(),
  addressBook: sublist(z.looseObject({})).optional(),
  contactRoles: sublist(z.looseObject({})).optional(),
});
export type Customer = z.infer<typeof customer>;

export const contact = recordBase.extend({
  entityId: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  title: z.string().optional(),
  isInactive: z.boolean().optional(),
  company: reference.optional(),
  subsidiary: reference.optional(),
  addressBook: sublist(z.looseObject({})).optional(),
});
export type Contact = z.infer<typeof contact>;

/** One line of an `item` sublist. */
export const itemLine = z.looseObject({
  links: links.optional(),
  line: z.number().optional(),
  item: reference.optional(),
  itemType: enumValue.optional(),
  quantity: z.number().optional(),
  rate: z.number().optional(),
  amount: z.number().optional(),
  description: z.string().optional(),
  location: reference.optional(),
  isClosed: z.boolean().optional(),
  // `price` (price level) and `units` vary by account features: they pass through unchecked.
});
export type ItemLine = z.infer<typeof itemLine>;

const transaction = recordBase.extend({
  tranId: z.string().optional(),
  tranDate: z.string().optional(),
  entity: reference.optional(),
  subsidiary: reference.optional(),
  currency: reference.optional(),
  location: reference.optional(),
  status: enumValue.optional(),
  memo: z.string().optional(),
  otherRefNum: z.string().optional(),
  subtotal: z.number().optional(),
  total: z.number().optional(),
  exchangeRate: z.number().optional(),
  createdFrom: reference.optional(),
  item: sublist(itemLine).optional(),
});

export const salesOrder = transaction.extend({
  orderStatus: enumValue.optional(),
  shipDate: z.string().optional(),
});
export type SalesOrder = z.infer<typeof salesOrder>;

export const itemFulfillment = transaction.extend({
  shipStatus: enumValue.optional(),
  item: sublist(
    itemLine.extend({
      orderLine: z.number().optional(),
      itemReceive: z.boolean().optional(),
    }),
  ).optional(),
});
export type ItemFulfillment = z.infer<typeof itemFulfillment>;

export const invoice = transaction.extend({
  dueDate: z.string().optional(),
  amountRemaining: z.number().optional(),
  amountPaid: z.number().optional(),
});
export type Invoice = z.infer<typeof invoice>;

export const creditMemo = transaction.extend({
  amountRemaining: z.number().optional(),
  applied: z.number().optional(),
  unapplied: z.number().optional(),
  apply: sublist(z.looseObject({})).optional(),
});
export type CreditMemo = z.infer<typeof creditMemo>;

export const returnAuthorization = transaction.extend({
  orderStatus: enumValue.optional(),
});
export type ReturnAuthorization = z.infer<typeof returnAuthorization>;

export const inventoryItem = recordBase.extend({
  itemId: z.string().optional(),
  displayName: z.string().optional(),
  upcCode: z.string().optional(),
  itemType: enumValue.optional(),
  basePrice: z.number().optional(),
  cost: z.number().optional(),
  averageCost: z.number().optional(),
  isInactive: z.boolean().optional(),
  quantityAvailable: z.number().optional(),
  quantityOnHand: z.number().optional(),
  locations: sublist(z.looseObject({})).optional(),
});
export type InventoryItem = z.infer<typeof inventoryItem>;

export const location = recordBase.extend({
  name: z.string().optional(),
  fullName: z.string().optional(),
  isInactive: z.boolean().optional(),
  subsidiary: reference.optional(),
  parent: reference.optional(),
  locationType: enumValue.optional(),
  mainAddress: z.looseObject({}).optional(),
});
/** A location record (named so it does not shadow the DOM `Location` type). */
export type LocationRecord = z.infer<typeof location>;
