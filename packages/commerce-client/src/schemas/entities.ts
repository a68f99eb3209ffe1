import { z } from 'zod';

// Loose objects: unknown fields (custom extension_attributes, new columns) pass through untouched.
const int = z.number().int();
const num = z.number();
const str = z.string();
const extensionAttributes = z.looseObject({});
const customAttribute = z.looseObject({ attribute_code: str, value: z.unknown() });

const parameters = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** Magento's error body. */
export const error = z.looseObject({
  message: str,
  parameters: parameters.optional(),
  errors: z.array(z.looseObject({ message: str, parameters: parameters.optional() })).optional(),
  code: int.optional(),
  trace: str.nullable().optional(),
});

export const searchCriteria = z.looseObject({
  filter_groups: z
    .array(
      z.looseObject({
        filters: z
          .array(z.looseObject({ field: str, value: str, condition_type: str.optional() }))
          .optional(),
      }),
    )
    .optional(),
  sort_orders: z.array(z.looseObject({ field: str, direction: str })).optional(),
  page_size: int.optional(),
  current_page: int.optional(),
});

/** `{items, search_criteria, total_count}` of any search endpoint. */
export function searchResult<T extends z.ZodType>(item: T) {
  return z.looseObject({
    items: z.array(item),
    search_criteria: searchCriteria,
    total_count: int.nonnegative(),
  });
}

export const customerAddress = z.looseObject({
  id: int.optional(),
  customer_id: int.optional(),
  region: z
    .looseObject({
      region_code: str.nullable().optional(),
      region: str.nullable().optional(),
      region_id: int.optional(),
    })
    .optional(),
  region_id: int.optional(),
  country_id: str.optional(),
  street: z.array(str).optional(),
  telephone: str.optional(),
  postcode: str.optional(),
  city: str.optional(),
  firstname: str.optional(),
  lastname: str.optional(),
  default_shipping: z.boolean().optional(),
  default_billing: z.boolean().optional(),
  custom_attributes: z.array(customAttribute).optional(),
  extension_attributes: extensionAttributes.optional(),
});

export const customer = z.looseObject({
  id: int.optional(),
  group_id: int.optional(),
  email: z.email(),
  firstname: str,
  lastname: str,
  created_at: str.optional(),
  updated_at: str.optional(),
  store_id: int.optional(),
  website_id: int.optional(),
  addresses: z.array(customerAddress).optional(),
  custom_attributes: z.array(customAttribute).optional(),
  extension_attributes: extensionAttributes.optional(),
});

export const product = z.looseObject({
  id: int.optional(),
  sku: str.min(1),
  name: str.optional(),
  attribute_set_id: int.optional(),
  price: num.optional(),
  status: int.optional(),
  visibility: int.optional(),
  type_id: str.optional(),
  created_at: str.optional(),
  updated_at: str.optional(),
  weight: num.optional(),
  extension_attributes: z
    .looseObject({
      website_ids: z.array(int).optional(),
      category_links: z
        .array(z.looseObject({ category_id: str, position: int.optional() }))
        .optional(),
      stock_item: z
        .looseObject({ qty: num.nullable().optional(), is_in_stock: z.boolean().optional() })
        .optional(),
      configurable_product_options: z
        .array(z.looseObject({ attribute_id: str.optional(), label: str.optional() }))
        .optional(),
      configurable_product_links: z.array(int).optional(),
    })
    .optional(),
  custom_attributes: z.array(customAttribute).optional(),
  tier_prices: z.array(z.looseObject({ customer_group_id: int, qty: num, value: num })).optional(),
});

export const sourceItem = z.looseObject({
  sku: str.min(1),
  source_code: str.min(1),
  quantity: num,
  status: z.union([z.literal(0), z.literal(1)]),
  extension_attributes: extensionAttributes.optional(),
});

export const orderItem = z.looseObject({
  item_id: int.optional(),
  order_id: int.optional(),
  sku: str,
  name: str.optional(),
  product_type: str.optional(),
  price: num.optional(),
  qty_ordered: num.optional(),
  qty_invoiced: num.optional(),
  qty_shipped: num.optional(),
  qty_refunded: num.optional(),
  qty_canceled: num.optional(),
  parent_item_id: int.optional(),
  extension_attributes: extensionAttributes.optional(),
});

export const orderAddress = z.looseObject({
  address_type: str,
  city: str,
  country_id: str,
  firstname: str,
  lastname: str,
  postcode: str,
  telephone: str,
  street: z.array(str).optional(),
});

export const order = z.looseObject({
  entity_id: int.optional(),
  increment_id: str.optional(),
  state: str.optional(),
  status: str.optional(),
  created_at: str.optional(),
  updated_at: str.optional(),
  customer_id: int.optional(),
  customer_email: str,
  base_grand_total: num,
  grand_total: num,
  subtotal: num.optional(),
  total_qty_ordered: num.optional(),
  items: z.array(orderItem),
  billing_address: orderAddress.optional(),
  payment: z.looseObject({ method: str }).optional(),
  status_histories: z.array(z.looseObject({ comment: str.nullable(), parent_id: int })).optional(),
  extension_attributes: extensionAttributes.optional(),
});

const documentItem = z.looseObject({
  entity_id: int.optional(),
  order_item_id: int,
  sku: str.optional(),
  qty: num,
});

export const invoice = z.looseObject({
  entity_id: int.optional(),
  increment_id: str.optional(),
  order_id: int,
  state: int.optional(),
  grand_total: num.optional(),
  total_qty: num,
  items: z.array(documentItem.extend({ sku: str })),
  extension_attributes: extensionAttributes.optional(),
});

export const creditMemo = z.looseObject({
  entity_id: int.optional(),
  increment_id: str.optional(),
  order_id: int,
  invoice_id: int.optional(),
  state: int.optional(),
  grand_total: num.optional(),
  items: z.array(documentItem),
  extension_attributes: extensionAttributes.optional(),
});

export const shipmentTrack = z.looseObject({
  entity_id: int.optional(),
  order_id: int,
  parent_id: int,
  track_number: str,
  title: str,
  carrier_code: str,
});

export const shipment = z.looseObject({
  entity_id: int.optional(),
  increment_id: str.optional(),
  order_id: int,
  total_qty: num.optional(),
  items: z.array(documentItem),
  tracks: z.array(shipmentTrack),
  comments: z.array(z.unknown()),
  extension_attributes: extensionAttributes.optional(),
});

const bulkSummary = {
  bulk_id: str,
  description: str,
  start_time: str,
  user_id: int.nullable(),
  user_type: int.nullable().optional(),
  operation_count: int.nonnegative(),
  extension_attributes: extensionAttributes.optional(),
};

/** Operation status: 1 complete, 2 retriably failed, 3 failed, 4 open, 5 rejected. */
const operationStatus = z.union([
  z.literal(1),
  z.literal(2),
  z.literal(3),
  z.literal(4),
  z.literal(5),
]);

export const bulkStatus = z.looseObject({
  ...bulkSummary,
  operations_list: z.array(
    z.looseObject({
      id: int,
      status: operationStatus,
      result_message: str.nullable(),
      error_code: int.nullable(),
    }),
  ),
});

export const bulkOperation = z.looseObject({
  id: int,
  bulk_uuid: str,
  topic_name: str,
  serialized_data: str,
  result_serialized_data: str.nullable(),
  status: operationStatus,
  result_message: str.nullable(),
  error_code: int.nullable(),
});

export const bulkDetailedStatus = z.looseObject({
  ...bulkSummary,
  operations_list: z.array(bulkOperation),
});

export const asyncResponse = z.looseObject({
  bulk_uuid: str.min(1),
  request_items: z.array(
    z.looseObject({
      id: int.nonnegative(),
      data_hash: str.nullable().optional(),
      status: z.enum(['accepted', 'rejected']),
      error_message: str.nullable().optional(),
    }),
  ),
  errors: z.boolean(),
});

export const customerGroup = z.looseObject({ id: int.optional(), code: str, tax_class_id: int });
export const category = z.looseObject({
  id: int.optional(),
  parent_id: int.optional(),
  name: str.optional(),
  is_active: z.boolean().optional(),
});
