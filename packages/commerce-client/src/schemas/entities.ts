import { z } from 'zod';

export {
  attributeMetadata,
  captureResult,
  rma,
  rmaComment,
  rmaItem,
  rmaTrack,
  transaction,
} from './returns.js';

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
  // Countries without regions answer {"region_code": null, "region": null, "region_id": 0}.
  region: z
    .looseObject({
      region_code: str.nullable().optional(),
      region: str.nullable().optional(),
      region_id: int.nullable().optional(),
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
  // Magento's validator accepts what zod's strict email check refuses (international domains,
  // quoted local parts): only require one @ between non-blank parts.
  email: str.regex(/^[^\s@]+@[^\s@]+$/, 'expected an email address'),
  firstname: str,
  lastname: str,
  // The ids of the default addresses are typed as strings in CustomerInterface ("1").
  default_billing: str.optional(),
  default_shipping: str.optional(),
  created_at: str.optional(),
  updated_at: str.optional(),
  created_in: str.optional(),
  dob: str.optional(),
  gender: int.optional(),
  store_id: int.optional(),
  website_id: int.optional(),
  disable_auto_group_change: int.optional(),
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
        .looseObject({
          item_id: int.optional(),
          product_id: int.optional(),
          stock_id: int.optional(),
          // null for configurable parents; the interface keeps it (required), so it is sent.
          qty: num.nullable().optional(),
          is_in_stock: z.boolean().optional(),
          low_stock_date: str.nullable().optional(),
        })
        .optional(),
      // attribute_id is a string ("93"), value_index an integer.
      configurable_product_options: z
        .array(
          z.looseObject({
            id: int.optional(),
            attribute_id: str.optional(),
            label: str.optional(),
            position: int.optional(),
            values: z.array(z.looseObject({ value_index: int })).optional(),
            product_id: int.optional(),
          }),
        )
        .optional(),
      configurable_product_links: z.array(int).optional(),
    })
    .optional(),
  product_links: z
    .array(z.looseObject({ sku: str, link_type: str, linked_product_sku: str }))
    .optional(),
  options: z
    .array(
      z.looseObject({
        product_sku: str,
        option_id: int.optional(),
        title: str,
        type: str,
        is_require: z.boolean(),
      }),
    )
    .optional(),
  media_gallery_entries: z
    .array(
      z.looseObject({
        id: int.optional(),
        media_type: str,
        label: str.nullable(),
        position: int,
        disabled: z.boolean(),
        types: z.array(str),
        file: str.optional(),
      }),
    )
    .optional(),
  custom_attributes: z.array(customAttribute).optional(),
  tier_prices: z
    .array(
      z.looseObject({
        customer_group_id: int,
        qty: num,
        value: num,
        extension_attributes: extensionAttributes.optional(),
      }),
    )
    .optional(),
});

export const sourceItem = z.looseObject({
  sku: str.min(1),
  source_code: str.min(1),
  quantity: num,
  status: z.union([z.literal(0), z.literal(1)]),
  extension_attributes: extensionAttributes.optional(),
});

const orderItemFields = {
  item_id: int.optional(),
  order_id: int.optional(),
  quote_item_id: int.optional(),
  product_id: int.optional(),
  sku: str,
  name: str.optional(),
  product_type: str.optional(),
  price: num.optional(),
  base_price: num.optional(),
  row_total: num.optional(),
  qty_ordered: num.optional(),
  qty_invoiced: num.optional(),
  qty_shipped: num.optional(),
  qty_refunded: num.optional(),
  qty_canceled: num.optional(),
  is_virtual: int.optional(),
  parent_item_id: int.optional(),
  // Configurable parents: {extension_attributes: {configurable_item_options: [{option_id: "93", option_value: 52}]}}.
  product_option: z
    .looseObject({ extension_attributes: extensionAttributes.optional() })
    .optional(),
  extension_attributes: extensionAttributes.optional(),
};

/**
 * An order item. The child of a configurable item carries `parent_item_id` and `parent_item`,
 * the whole parent item.
 */
export const orderItem = z.looseObject({
  ...orderItemFields,
  parent_item: z.looseObject(orderItemFields).optional(),
});

/**
 * An order address. `telephone` and `postcode` are required by the interface, so Magento sends
 * them as null when the store makes them optional or the country has no postcodes.
 */
export const orderAddress = z.looseObject({
  address_type: str,
  city: str,
  country_id: str,
  firstname: str,
  lastname: str,
  postcode: str.nullable(),
  telephone: str.nullable(),
  street: z.array(str).optional(),
  entity_id: int.optional(),
  parent_id: int.optional(),
  email: str.optional(),
  region: str.optional(),
  region_code: str.optional(),
  region_id: int.optional(),
  customer_address_id: int.optional(),
});

/** Payment: required interface fields without a value (`account_status`, `cc_last4`) arrive as null. */
export const orderPayment = z.looseObject({
  method: str,
  additional_information: z.array(str).optional(),
  account_status: str.nullable().optional(),
  cc_last4: str.nullable().optional(),
  amount_ordered: num.optional(),
  base_amount_ordered: num.optional(),
  entity_id: int.optional(),
  parent_id: int.optional(),
});

/** A status history entry: `comment` and `is_customer_notified` are often null. */
export const orderStatusHistory = z.looseObject({
  comment: str.nullable(),
  created_at: str.optional(),
  entity_id: int.optional(),
  entity_name: str.optional(),
  is_customer_notified: int.nullable(),
  is_visible_on_front: int,
  parent_id: int,
  status: str.nullable().optional(),
});

/** extension_attributes.shipping_assignments of an order. */
const shippingAssignment = z.looseObject({
  shipping: z.looseObject({
    address: orderAddress.optional(),
    method: str.nullable().optional(),
    total: extensionAttributes.optional(),
  }),
  items: z.array(orderItem).optional(),
});

export const order = z.looseObject({
  entity_id: int.optional(),
  increment_id: str.optional(),
  state: str.optional(),
  status: str.optional(),
  created_at: str.optional(),
  updated_at: str.optional(),
  customer_id: int.optional(),
  customer_is_guest: int.optional(),
  customer_group_id: int.optional(),
  customer_email: str,
  base_grand_total: num,
  grand_total: num,
  subtotal: num.optional(),
  total_qty_ordered: num.optional(),
  items: z.array(orderItem),
  billing_address: orderAddress.optional(),
  payment: orderPayment.optional(),
  status_histories: z.array(orderStatusHistory).optional(),
  extension_attributes: z
    .looseObject({
      shipping_assignments: z.array(shippingAssignment).optional(),
      payment_additional_info: z.array(z.looseObject({ key: str, value: str })).optional(),
    })
    .optional(),
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
  comments: z.array(z.unknown()).optional(),
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
  comments: z.array(z.unknown()).optional(),
  extension_attributes: extensionAttributes.optional(),
});

/** A shipment track: `weight`, `qty` and `description` are required by the interface and usually null. */
export const shipmentTrack = z.looseObject({
  entity_id: int.optional(),
  order_id: int,
  parent_id: int,
  created_at: str.optional(),
  weight: num.nullable().optional(),
  qty: num.nullable().optional(),
  description: str.nullable().optional(),
  track_number: str,
  title: str.nullable(),
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
  packages: z.array(z.unknown()).optional(),
  extension_attributes: extensionAttributes.optional(),
});

const bulkSummary = {
  bulk_id: str,
  description: str.nullable(),
  start_time: str,
  user_id: int.nullable(),
  user_type: int.nullable().optional(),
  operation_count: int.nonnegative(),
  extension_attributes: extensionAttributes.optional(),
};

/**
 * Operation status: 1 complete, 2 retriably failed, 3 failed, 4 open, 5 rejected. Any other
 * integer (an extension's own status, the 0 of Adobe's documented samples) is accepted as
 * well-formed; `runBulk` treats it as a failure.
 */
const operationStatus = int.nonnegative();

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

/**
 * One operation of a detailed status. Older stores (2.3) leave out `bulk_uuid` and
 * `serialized_data` and number `id` globally; 2.4 numbers it by request item (0, 1, …).
 */
export const bulkOperation = z.looseObject({
  // Operation search results add the bulk's start_time here.
  extension_attributes: z.looseObject({ start_time: str.optional() }).optional(),
  id: int,
  bulk_uuid: str.optional(),
  topic_name: str,
  serialized_data: str.nullable().optional(),
  result_serialized_data: str.nullable().optional(),
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
      error_code: int.nullable().optional(),
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

/**
 * An Adobe I/O Events delivery of a Commerce event (CloudEvents 1.0). `data.value` holds the
 * entity as Commerce's model data, where numbers usually arrive as strings ("entity_id": "7").
 */
export const ioEvent = z.looseObject({
  specversion: str,
  id: str,
  type: str,
  source: str,
  time: str.optional(),
  datacontenttype: str.optional(),
  data: z.unknown(),
  event_id: str.optional(),
  recipient_client_id: str.optional(),
});

/**
 * The body Adobe Commerce posts to a webhook endpoint: `eventName` (`observer.*` or `plugin.*`)
 * and `data`, the event's objects as model data (numbers often as strings). A hook configured
 * with its own `fields` sends only those, so both are optional.
 */
export const commerceWebhook = z.looseObject({
  eventName: str.optional(),
  data: z.looseObject({}).optional(),
});
