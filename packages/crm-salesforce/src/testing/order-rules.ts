import type { RecordError, StoredRecord } from './store.js';

/*
 * The rules Salesforce applies to orders and their products, as the emulator keeps them.
 *
 * - Order (Object Reference, https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_order.htm):
 *   AccountId required and only updated while the order is Draft; EffectiveDate and Status
 *   required; Status Draft or Activated; OrderNumber an auto-number; TotalAmount the sum of the
 *   order products' TotalPrice.
 * - OrderItem (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_orderitem.htm):
 *   OrderId and PricebookEntryId required on create and not updated; ListPrice from the price book
 *   entry; TotalPrice = Quantity × UnitPrice; Product2Id the entry's product.
 * - The entry must be in the order's price book: Salesforce answers "Order Products must have a
 *   Price Book Entry that belongs to the Price Book related to the parent Order.: Price Book
 *   Entry ID" (quoted in https://github.com/forcedotcom/b2b-commerce-on-lightning-quickstart/issues/13).
 * - An activated order's products are not added, changed or deleted, and an order without
 *   products is not activated: rules practitioners describe (an activated order is locked,
 *   https://salesforcedictionary.com/how-to/order) that we did not find on a Salesforce page;
 *   the error texts for these two are the emulator's own.
 */

export interface OrderRuleContext {
  get(object: string, id: string): StoredRecord | undefined;
  all(object: string): StoredRecord[];
}

const ACTIVATED = 'Activated';
const STATUSES = ['Draft', ACTIVATED];

const integrity = (message: string, fields: string[]): RecordError => ({
  statusCode: 'FIELD_INTEGRITY_EXCEPTION',
  message,
  fields,
});

const itemsOf = (ctx: OrderRuleContext, orderId: unknown) =>
  ctx.all('OrderItem').filter((item) => item.OrderId === orderId);

function orderErrors(
  ctx: OrderRuleContext,
  values: Record<string, unknown>,
  before: StoredRecord | undefined,
): RecordError[] {
  const errors: RecordError[] = [];
  const status = values.Status;
  if (status !== undefined && status !== null && !STATUSES.includes(String(status))) {
    errors.push({
      statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: `Status: bad value for restricted picklist field: ${String(status)}`,
      fields: ['Status'],
    });
    return errors;
  }
  const wasActive = before?.Status === ACTIVATED;
  const next = status ?? before?.Status;
  if (next === ACTIVATED && !wasActive && itemsOf(ctx, before?.Id).length === 0) {
    errors.push(
      integrity(
        'You can’t activate this order because it has no order products. Add products, then activate it.',
        ['Status'],
      ),
    );
  }
  if (
    wasActive &&
    next === ACTIVATED &&
    values.AccountId !== undefined &&
    values.AccountId !== before?.AccountId
  ) {
    errors.push(
      integrity('AccountId can only be updated while the order is Draft.', ['AccountId']),
    );
  }
  return errors;
}

function itemErrors(
  ctx: OrderRuleContext,
  values: Record<string, unknown>,
  before: StoredRecord | undefined,
): RecordError[] {
  const order = ctx.get('Order', String(values.OrderId ?? before?.OrderId));
  if (!order) return [];
  if (order.Status === ACTIVATED) {
    return [
      integrity(
        'You can’t add, change or delete products on an activated order. Set the order back to Draft first.',
        ['OrderId'],
      ),
    ];
  }
  if (before) return [];
  const entry = ctx.get('PricebookEntry', String(values.PricebookEntryId));
  if (!entry) return [];
  if (order.Pricebook2Id !== entry.Pricebook2Id) {
    return [
      integrity(
        'Order Products must have a Price Book Entry that belongs to the Price Book related to the parent Order.: Price Book Entry ID',
        ['PricebookEntryId'],
      ),
    ];
  }
  if (values.Product2Id != null && values.Product2Id !== entry.Product2Id) {
    return [integrity('The product must be the price book entry’s product.', ['Product2Id'])];
  }
  return [];
}

/** What the order rules refuse about a create (`before` undefined) or update of `object`. */
export function orderRuleErrors(
  ctx: OrderRuleContext,
  object: string,
  values: Record<string, unknown>,
  before?: StoredRecord,
): RecordError[] {
  if (object === 'Order') return orderErrors(ctx, values, before);
  if (object === 'OrderItem') return itemErrors(ctx, values, before);
  return [];
}

/** What the rules refuse about deleting a record: an activated order's products. */
export function orderDeleteErrors(
  ctx: OrderRuleContext,
  object: string,
  record: StoredRecord,
): RecordError[] {
  return object === 'OrderItem' ? itemErrors(ctx, {}, record) : [];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The next auto-number: one more than the highest so far, 8 digits (`00000100` first). */
function nextOrderNumber(ctx: OrderRuleContext): string {
  let highest = 99;
  for (const order of ctx.all('Order')) highest = Math.max(highest, Number(order.OrderNumber) || 0);
  return String(highest + 1).padStart(8, '0');
}

/** Fields Salesforce derives on an order or order product as it is written. */
export function deriveOrderFields(
  ctx: OrderRuleContext,
  object: string,
  record: StoredRecord,
  stamp: string,
): void {
  if (object === 'OrderItem') {
    const entry = ctx.get('PricebookEntry', String(record.PricebookEntryId));
    if (entry) {
      record.Product2Id = entry.Product2Id ?? null;
      if (record.ListPrice === null || record.ListPrice === undefined)
        record.ListPrice = entry.UnitPrice ?? null;
    }
    record.TotalPrice = round2(Number(record.Quantity ?? 0) * Number(record.UnitPrice ?? 0));
  }
  if (object === 'Order') {
    if (record.OrderNumber === null || record.OrderNumber === undefined)
      record.OrderNumber = nextOrderNumber(ctx);
    record.TotalAmount = orderTotal(ctx, record.Id);
    if (
      record.Status === ACTIVATED &&
      (record.ActivatedDate === null || record.ActivatedDate === undefined)
    )
      record.ActivatedDate = stamp;
    if (record.Status !== ACTIVATED) record.ActivatedDate = null;
  }
}

/** The roll-up of an order's products' TotalPrice. */
export function orderTotal(ctx: OrderRuleContext, orderId: string): number {
  return round2(itemsOf(ctx, orderId).reduce((sum, item) => sum + Number(item.TotalPrice ?? 0), 0));
}
