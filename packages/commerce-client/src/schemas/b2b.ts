import { z } from 'zod';
import { customer } from './entities.js';

// Adobe Commerce B2B entities, as Magento casts them (published 2.4.9 admin schema). Loose
// objects: unknown fields pass through. A field is required here only when the published
// definition requires it (Magento may leave out an optional field whose value is null).
const int = z.number().int();
const num = z.number();
const str = z.string();
const extensionAttributes = z.looseObject({});

/** A company (`CompanyInterface`): status 0 pending approval, 1 approved, 2 rejected, 3 blocked. */
export const company = z.looseObject({
  id: int.optional(),
  status: int.optional(),
  company_name: str.optional(),
  legal_name: str.optional(),
  company_email: str.optional(),
  vat_tax_id: str.optional(),
  reseller_id: str.optional(),
  comment: str.optional(),
  street: z.array(str),
  city: str.optional(),
  country_id: str.optional(),
  region: str.optional(),
  region_id: str.optional(),
  postcode: str.optional(),
  telephone: str.optional(),
  customer_group_id: int,
  sales_representative_id: int,
  reject_reason: str.nullable(),
  rejected_at: str.nullable(),
  super_user_id: int,
  extension_attributes: z
    .looseObject({
      quote_config: z
        .looseObject({ company_id: str.optional(), is_quote_enabled: z.boolean() })
        .optional(),
    })
    .optional(),
});

/** A customer's company data: `extension_attributes.company_attributes` (company_id 0: none). */
export const companyAttributes = z.looseObject({
  customer_id: int.optional(),
  company_id: int.optional(),
  job_title: str.optional(),
  status: int.optional(),
  telephone: str.optional(),
  is_default: z.boolean().optional(),
});

/** A customer with its company data (a company user). */
export const companyUser = customer.extend({
  extension_attributes: z
    .looseObject({
      company_attributes: companyAttributes.optional(),
      is_subscribed: z.boolean().optional(),
    })
    .optional(),
});

export const team = z.looseObject({
  id: int.optional(),
  name: str.optional(),
  description: str.optional(),
  extension_attributes: extensionAttributes.optional(),
});

/** One node of `GET /V1/hierarchy/{id}`: a user or team and its parent node (0 for the root). */
export const hierarchyNode = z.looseObject({
  structure_id: int.optional(),
  entity_id: int.optional(),
  entity_type: z.enum(['customer', 'team']).optional(),
  structure_parent_id: int.optional(),
});

export const companyPermission = z.looseObject({
  id: int.optional(),
  role_id: int.optional(),
  resource_id: str,
  permission: z.enum(['allow', 'deny']),
});

export const companyRole = z.looseObject({
  id: int.optional(),
  role_name: str.optional(),
  permissions: z.array(companyPermission),
  company_id: int.optional(),
});

/** A shared catalog: type 0 custom, 1 public. */
export const sharedCatalog = z.looseObject({
  id: int.optional(),
  name: str,
  description: str,
  customer_group_id: int,
  type: int,
  created_at: str,
  created_by: int,
  store_id: int,
  tax_class_id: int,
});

/** A tier price of `/V1/products/tier-prices*` (`price_type` fixed or discount). */
export const tierPrice = z.looseObject({
  price: num,
  price_type: z.enum(['fixed', 'discount']),
  website_id: int,
  sku: str,
  customer_group: str,
  quantity: num,
});

/** A company's credit: `balance` is negative while the company owes money. */
export const creditLimit = z.looseObject({
  id: int.optional(),
  company_id: int.optional(),
  credit_limit: num.optional(),
  balance: num.optional(),
  currency_code: str.optional(),
  exceed_limit: z.boolean(),
  available_limit: num.optional(),
  credit_comment: str.optional(),
});

/** An item of `GET /V1/companyCredits/` (no `credit_comment`). */
export const companyCredit = creditLimit.omit({ credit_comment: true });

/** A credit history entry: `type` is the operation (1 allocated … 6 reverted). */
export const creditHistoryEntry = z.looseObject({
  id: int.optional(),
  company_credit_id: int.optional(),
  user_id: int.optional(),
  user_type: int.optional(),
  currency_credit: str.optional(),
  currency_operation: str.optional(),
  rate: num,
  rate_credit: num.optional(),
  amount: num,
  balance: num,
  credit_limit: num,
  available_limit: num.optional(),
  type: int.optional(),
  datetime: str.optional(),
  purchase_order: str.optional(),
  custom_reference_number: str.optional(),
  comment: str.optional(),
});

/** `extension_attributes.negotiable_quote` of a cart. */
export const negotiableQuote = z.looseObject({
  quote_id: int.nullable(),
  is_regular_quote: z.boolean().nullable(),
  status: str.nullable(),
  negotiated_price_type: int.nullable(),
  negotiated_price_value: num.nullable(),
  shipping_price: num.nullable(),
  quote_name: str.nullable(),
  expiration_period: str.nullable(),
  email_notification_status: int.nullable(),
  has_unconfirmed_changes: z.boolean().nullable(),
  is_shipping_tax_changed: z.boolean().nullable(),
  is_customer_price_changed: z.boolean().nullable(),
  notifications: int.nullable(),
  applied_rule_ids: str.nullable(),
  is_address_draft: z.boolean().nullable(),
  deleted_sku: str.nullable(),
  creator_id: int.nullable(),
  creator_type: int.nullable(),
  original_total_price: num.optional(),
  base_original_total_price: num.optional(),
  negotiated_total_price: num.optional(),
  base_negotiated_total_price: num.optional(),
});

export const negotiableQuoteComment = z.looseObject({
  entity_id: int,
  parent_id: int,
  creator_type: int,
  is_decline: int,
  is_draft: int,
  creator_id: int,
  comment: str,
  created_at: str,
  attachments: z.array(
    z.looseObject({
      attachment_id: int,
      comment_id: int,
      file_name: str,
      file_path: str,
      file_type: str.nullable(),
    }),
  ),
});
