import { z } from 'zod';
import { enumValue, recordBase, reference, sublist } from './common.js';

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
  balance: z.number().optional(),
});
export type Customer = z.infer<typeof customer>;

/** One line of an `item` sublist. */
export const itemLine = z.looseObject({
  line: z.number().optional(),
  item: reference.optional(),
  quantity: z.number().optional(),
  rate: z.number().optional(),
  amount: z.number().optional(),
  description: z.string().optional(),
  location: reference.optional(),
});
export type ItemLine = z.infer<typeof itemLine>;

const transaction = recordBase.extend({
  tranId: z.string().optional(),
  tranDate: z.string().optional(),
  entity: reference.optional(),
  subsidiary: reference.optional(),
  currency: reference.optional(),
  status: enumValue.optional(),
  memo: z.string().optional(),
  total: z.number().optional(),
  createdFrom: reference.optional(),
  item: sublist(itemLine).optional(),
});

export const salesOrder = transaction.extend({
  otherRefNum: z.string().optional(),
  shipDate: z.string().optional(),
  location: reference.optional(),
});
export type SalesOrder = z.infer<typeof salesOrder>;

export const itemFulfillment = transaction.extend({
  shipStatus: enumValue.optional(),
  item: sublist(itemLine.extend({ orderLine: z.number().optional() })).optional(),
});
export type ItemFulfillment = z.infer<typeof itemFulfillment>;

export const invoice = transaction.extend({
  dueDate: z.string().optional(),
  amountRemaining: z.number().optional(),
});
export type Invoice = z.infer<typeof invoice>;

export const inventoryItem = recordBase.extend({
  itemId: z.string().optional(),
  displayName: z.string().optional(),
  upcCode: z.string().optional(),
  basePrice: z.number().optional(),
  isInactive: z.boolean().optional(),
  quantityAvailable: z.number().optional(),
  quantityOnHand: z.number().optional(),
});
export type InventoryItem = z.infer<typeof inventoryItem>;
