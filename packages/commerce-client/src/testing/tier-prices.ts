import type { components } from '../generated/schema.js';
import type { CommerceEmulatorState } from './state.js';

type Schemas = components['schemas'];
export type TierPrice = Schemas['TierPrice'];
type PriceResult = Schemas['PriceUpdateResult'];

/**
 * Tier prices of `TierPriceStorageInterface`
 * (https://developer.adobe.com/commerce/webapi/rest/modules/catalog/catalog-pricing/): a price is
 * one row per SKU, website, customer group and quantity; POST adds or updates rows, PUT replaces a
 * SKU's rows, `-delete` removes the rows given. Rejected items come back as
 * `{message, parameters}` results; `[]` means every item was saved.
 */
export function sameTier(a: TierPrice, b: TierPrice): boolean {
  return (
    a.sku === b.sku &&
    Number(a.website_id) === Number(b.website_id) &&
    String(a.customer_group).toLowerCase() === String(b.customer_group).toLowerCase() &&
    Number(a.quantity) === Number(b.quantity)
  );
}

const invalid = (fieldName: string, value: unknown): PriceResult => ({
  message: 'Invalid attribute %fieldName = %fieldValue.',
  parameters: [fieldName, String(value)],
});

/** Why a tier price cannot be saved, or undefined when it can. */
export function tierPriceProblem(
  state: CommerceEmulatorState,
  price: TierPrice,
): PriceResult | undefined {
  if (!price || typeof price !== 'object') return invalid('prices', price);
  if (typeof price.sku !== 'string' || !state.products.has(price.sku)) {
    return { message: "Requested product doesn't exist: %sku", parameters: [String(price.sku)] };
  }
  if (typeof price.price !== 'number' || !(price.price >= 0)) return invalid('Price', price.price);
  if (price.price_type !== 'fixed' && price.price_type !== 'discount') {
    return invalid('Price Type', price.price_type);
  }
  if (price.price_type === 'discount' && price.price > 100) return invalid('Price', price.price);
  if (typeof price.quantity !== 'number' || !(price.quantity > 0)) {
    return invalid('Quantity', price.quantity);
  }
  if (!Number.isInteger(price.website_id)) return invalid('Website Id', price.website_id);
  const group = String(price.customer_group ?? '').toLowerCase();
  const known =
    group === 'all groups' ||
    [...state.customerGroups.values()].some((g) => g.code.toLowerCase() === group);
  if (!known) {
    return {
      message: 'No such entity with %fieldName = %fieldValue.',
      parameters: ['Customer Group', String(price.customer_group)],
    };
  }
  return undefined;
}

/** Saves the valid prices (a row with the same key is updated); answers the rejected ones. */
export function upsertTierPrices(state: CommerceEmulatorState, prices: TierPrice[]): PriceResult[] {
  const results: PriceResult[] = [];
  for (const price of prices) {
    const problem = tierPriceProblem(state, price);
    if (problem) {
      results.push(problem);
      continue;
    }
    const index = state.tierPrices.findIndex((p) => sameTier(p, price));
    const row = {
      price: price.price,
      price_type: price.price_type,
      website_id: price.website_id,
      sku: price.sku,
      customer_group: price.customer_group,
      quantity: price.quantity,
    };
    if (index >= 0) state.tierPrices.splice(index, 1, row);
    else state.tierPrices.push(row);
  }
  return results;
}

/** Removes the rows given (matched by SKU, website, group and quantity). */
export function deleteTierPrices(state: CommerceEmulatorState, prices: TierPrice[]): PriceResult[] {
  const results: PriceResult[] = [];
  for (const price of prices) {
    const problem = tierPriceProblem(state, price);
    if (problem) {
      results.push(problem);
      continue;
    }
    const index = state.tierPrices.findIndex((p) => sameTier(p, price));
    if (index >= 0) state.tierPrices.splice(index, 1);
  }
  return results;
}
