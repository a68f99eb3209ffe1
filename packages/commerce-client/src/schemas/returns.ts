import { z } from 'zod';

// Returns (RMA, Magento_Rma) and payment transactions, as Adobe's 2.4.9 admin schema declares
// them (rma-data-*-interface, sales-data-transaction-interface). Loose objects: unknown fields
// pass through.
const int = z.number().int();
const num = z.number();
const str = z.string();
const extensionAttributes = z.looseObject({});
const customAttribute = z.looseObject({ attribute_code: str, value: z.unknown() });

/** Return item statuses (`Magento\Rma\Model\Item\Attribute\Source\Status`). */
export const RMA_ITEM_STATUS = [
  'pending',
  'authorized',
  'denied',
  'received',
  'approved',
  'rejected',
] as const;

/** Return statuses (`Magento\Rma\Model\Rma\Source\Status`), derived from the items' statuses. */
export const RMA_STATUS = [
  'pending',
  'authorized',
  'partially_authorized',
  'received',
  'received_on_item',
  'approved_on_item',
  'rejected_on_item',
  'closed',
  'processed_closed',
] as const;

/** A return line. Quantities not reached yet are null (NULL columns). */
export const rmaItem = z.looseObject({
  entity_id: int.optional(),
  rma_entity_id: int.optional(),
  order_item_id: int,
  qty_requested: num,
  qty_authorized: num.nullable().optional(),
  qty_approved: num.nullable().optional(),
  qty_returned: num.nullable().optional(),
  reason: str.nullable().optional(),
  condition: str.nullable().optional(),
  resolution: str.nullable().optional(),
  status: str,
  extension_attributes: extensionAttributes.optional(),
});

export const rmaComment = z.looseObject({
  entity_id: int.optional(),
  rma_entity_id: int.optional(),
  comment: str,
  created_at: str.optional(),
  customer_notified: z.boolean().optional(),
  visible_on_front: z.boolean().optional(),
  status: str.nullable().optional(),
  admin: z.boolean().optional(),
  extension_attributes: extensionAttributes.optional(),
  custom_attributes: z.array(customAttribute).optional(),
});

export const rmaTrack = z.looseObject({
  entity_id: int.optional(),
  rma_entity_id: int.optional(),
  track_number: str,
  carrier_title: str.nullable().optional(),
  carrier_code: str,
  extension_attributes: extensionAttributes.optional(),
});

/** A return (RMA) as `GET /V1/returns/{id}` answers it. */
export const rma = z.looseObject({
  entity_id: int,
  increment_id: str.optional(),
  order_id: int,
  order_increment_id: str.optional(),
  store_id: int.optional(),
  // Required by the interface yet NULL for a guest's return or a store-entered one.
  customer_id: int.nullable().optional(),
  date_requested: str.optional(),
  customer_custom_email: str.nullable().optional(),
  status: str,
  items: z.array(rmaItem),
  comments: z.array(rmaComment).optional(),
  tracks: z.array(rmaTrack).optional(),
  extension_attributes: extensionAttributes.optional(),
  custom_attributes: z.array(customAttribute).optional(),
});

/** A return line attribute (`GET /V1/returnsAttributeMetadata`): reason, condition, resolution, … */
export const attributeMetadata = z.looseObject({
  attribute_code: str,
  frontend_input: str,
  frontend_label: str,
  store_label: str.optional(),
  required: z.boolean(),
  visible: z.boolean().optional(),
  system: z.boolean().optional(),
  user_defined: z.boolean().optional(),
  sort_order: int.optional(),
  backend_type: str.optional(),
  options: z.array(z.looseObject({ label: str, value: str.optional() })),
  validation_rules: z.array(z.looseObject({ name: str, value: str })).optional(),
});

/** A payment transaction with its child transactions (captures of an authorization, …). */
export const transaction = z.looseObject({
  transaction_id: int,
  parent_id: int.nullable().optional(),
  order_id: int,
  payment_id: int,
  txn_id: str,
  parent_txn_id: str.nullable().optional(),
  txn_type: str,
  is_closed: int,
  additional_information: z.array(str).nullable().optional(),
  created_at: str.optional(),
  get child_transactions() {
    return z.array(transaction).optional();
  },
  extension_attributes: extensionAttributes.optional(),
});

/**
 * The answer of `POST /V1/invoices/{id}/capture`: declared a string, and Magento's
 * `InvoiceService::setCapture` returns a bool cast to it (`"1"`); magento/magento2 #4385 reports
 * `true`. Both are accepted.
 */
export const captureResult = z.union([str, z.boolean()]);
