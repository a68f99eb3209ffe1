/**
 * How the seed's business records look in each vendor's API. One place, so the emulator seed, the
 * programs and the tests agree on field names.
 *
 * NetSuite: items are `inventoryItem` records (externalId = SKU), customers are `customer`
 * records (externalId = CUST-…), contract prices are a custom record
 * `customrecord_plumbline_price`. Salesforce: customers are Contacts with the external id field
 * `Plumbline_Customer_Id__c`. Adobe Commerce: customers carry the external id in the custom
 * attribute `plumbline_external_id`.
 */
import type { SeedCustomer, SeedProduct } from './seed.js';

export const CONTRACT_PRICE_RECORD = 'customrecord_plumbline_price';
export const SF_EXTERNAL_ID = 'Plumbline_Customer_Id__c';
export const COMMERCE_EXTERNAL_ID = 'plumbline_external_id';

/**
 * A NetSuite inventory item. `quantityAvailable` is what can still be promised; `quantityOnHand`
 * adds what open (unshipped) orders have committed: it is the physical count Commerce's MSI source
 * items hold, Commerce itself subtracting its open orders to get the salable quantity.
 */
export function netsuiteItem(product: SeedProduct, committed = 0): Record<string, unknown> {
  return {
    externalId: product.sku,
    itemId: product.sku,
    displayName: product.name,
    salesDescription: product.description,
    basePrice: product.price,
    weight: product.weightKg,
    custitem_category: product.category,
    quantityAvailable: product.quantity,
    quantityOnHand: product.quantity + committed,
  };
}

export function netsuiteCustomer(customer: SeedCustomer): Record<string, unknown> {
  return {
    externalId: customer.externalId,
    companyName: customer.company,
    firstName: customer.firstname,
    lastName: customer.lastname,
    email: customer.email,
    phone: customer.phone,
    terms: customer.creditTerms,
    creditLimit: customer.creditLimit,
    defaultAddress: formatAddress(customer.address),
    custentity_street: customer.address.street,
    custentity_city: customer.address.city,
    custentity_region: customer.address.region,
    custentity_postcode: customer.address.postcode,
    custentity_sales_rep: customer.salesRep,
    custentity_discount: customer.contractDiscount,
  };
}

export function salesforceContact(customer: SeedCustomer): Record<string, unknown> {
  return {
    [SF_EXTERNAL_ID]: customer.externalId,
    FirstName: customer.firstname,
    LastName: customer.lastname,
    Email: customer.email,
    Phone: customer.phone,
    Sales_Rep__c: customer.salesRep,
    Credit_Terms__c: customer.creditTerms,
    MailingStreet: customer.address.street,
    MailingCity: customer.address.city,
    MailingState: customer.address.region,
    MailingPostalCode: customer.address.postcode,
  };
}

export function commerceCustomer(customer: SeedCustomer): Record<string, unknown> {
  return {
    email: customer.email,
    firstname: customer.firstname,
    lastname: customer.lastname,
    group_id: 2,
    website_id: 1,
    custom_attributes: [
      { attribute_code: COMMERCE_EXTERNAL_ID, value: customer.externalId },
      { attribute_code: 'company', value: customer.company },
      { attribute_code: 'telephone', value: customer.phone },
      { attribute_code: 'sales_rep', value: customer.salesRep },
      { attribute_code: 'credit_terms', value: customer.creditTerms },
    ],
    addresses: [
      {
        firstname: customer.firstname,
        lastname: customer.lastname,
        company: customer.company,
        street: [customer.address.street],
        city: customer.address.city,
        region: { region_code: customer.address.region },
        postcode: customer.address.postcode,
        country_id: customer.address.countryId,
        telephone: customer.phone,
        default_billing: true,
        default_shipping: true,
      },
    ],
  };
}

/** A NetSuite item row (SuiteQL columns are lower case) as the Commerce product the ERP dictates. */
export interface ItemRow {
  itemid: string;
  displayname?: string | null;
  salesdescription?: string | null;
  baseprice?: string | number | null;
  weight?: string | number | null;
  custitem_category?: string | null;
}

export function commerceProductFromItem(row: ItemRow): CommerceProductFields {
  return {
    sku: row.itemid,
    name: row.displayname ?? row.itemid,
    price: Number(row.baseprice ?? 0),
    weight: Number(row.weight ?? 0),
    description: row.salesdescription ?? '',
    category: row.custitem_category ?? '',
  };
}

/** The product fields the catalog sync owns (what is hashed and compared). */
export interface CommerceProductFields {
  sku: string;
  name: string;
  price: number;
  weight: number;
  description: string;
  category: string;
}

/** The Commerce REST body of a product. */
export function commerceProductBody(fields: CommerceProductFields): Record<string, unknown> {
  return {
    sku: fields.sku,
    name: fields.name,
    price: fields.price,
    weight: fields.weight,
    type_id: 'simple',
    attribute_set_id: 4,
    status: 1,
    visibility: 4,
    custom_attributes: [
      { attribute_code: 'description', value: fields.description },
      { attribute_code: 'category_name', value: fields.category },
      { attribute_code: 'plumbline_source', value: 'netsuite' },
    ],
  };
}

/** Reads the catalog-owned fields back from a Commerce product. */
export function productFieldsFromCommerce(product: Record<string, unknown>): CommerceProductFields {
  const attrs = (product.custom_attributes ?? []) as { attribute_code: string; value: unknown }[];
  const attr = (code: string) => String(attrs.find((a) => a.attribute_code === code)?.value ?? '');
  return {
    sku: String(product.sku),
    name: String(product.name ?? ''),
    price: Number(product.price ?? 0),
    weight: Number(product.weight ?? 0),
    description: attr('description'),
    category: attr('category_name'),
  };
}

export function seedProductFields(product: SeedProduct): CommerceProductFields {
  return {
    sku: product.sku,
    name: product.name,
    price: product.price,
    weight: product.weightKg,
    description: product.description,
    category: product.category,
  };
}

function formatAddress(address: SeedCustomer['address']): string {
  return `${address.street}\n${address.city} ${address.region} ${address.postcode}\n${address.countryId}`;
}
