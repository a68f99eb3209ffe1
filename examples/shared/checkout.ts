/**
 * The storefront side of checkout: Adobe Commerce's guest-cart REST endpoints (create a cart, add
 * items, set the shipping address and method, place the order), as Adobe's order-processing
 * tutorial walks them (https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/). The client package's spec does not describe these endpoints, so this
 * module types them itself and plugs them into the same client through its `Paths` parameter.
 */
import { markIdempotent } from '@plumbline/client-core';
import { type CommerceClient, createCommerceClient } from '@plumbline/commerce-client';
import { retryTransient } from './transient.js';

interface JsonOperation<Body, Result, Path = undefined> {
  parameters: Path extends undefined
    ? { query?: never; header?: never; path?: never; cookie?: never }
    : { query?: never; header?: never; path: Path; cookie?: never };
  requestBody: { content: { 'application/json': Body } };
  responses: { 200: { headers: Record<string, unknown>; content: { 'application/json': Result } } };
}

export interface CheckoutPaths {
  '/V1/guest-carts': { post: JsonOperation<Record<string, never>, string> };
  '/V1/guest-carts/{cartId}/items': {
    post: JsonOperation<
      { cartItem: { sku: string; qty: number; quote_id: string } },
      { item_id: number; sku: string; qty: number },
      { cartId: string }
    >;
  };
  '/V1/guest-carts/{cartId}/shipping-information': {
    post: JsonOperation<
      {
        addressInformation: {
          shipping_address: CheckoutAddress;
          billing_address: CheckoutAddress;
          shipping_carrier_code: string;
          shipping_method_code: string;
        };
      },
      { payment_methods: { code: string; title: string }[]; totals: { grand_total: number } },
      { cartId: string }
    >;
  };
  '/V1/guest-carts/{cartId}/payment-information': {
    post: JsonOperation<
      { email: string; paymentMethod: { method: string } },
      number,
      { cartId: string }
    >;
  };
}

export type CheckoutClient = CommerceClient<CheckoutPaths>;

/** A quote address: Magento needs these fields before an order with physical items is placed. */
export interface CheckoutAddress {
  firstname: string;
  lastname: string;
  street: string[];
  city: string;
  postcode: string;
  country_id: string;
  telephone: string;
  email: string;
  region_code?: string;
}

/** The address the examples ship to when the caller gives none. */
function sampleAddress(email: string): CheckoutAddress {
  return {
    firstname: 'Jane',
    lastname: 'Doe',
    street: ['123 Oak Ave'],
    city: 'Purchase',
    postcode: '10577',
    country_id: 'US',
    region_code: 'NY',
    telephone: '512-555-1111',
    email,
  };
}

/** A guest-cart client on the same store as `commerce` (the endpoints are anonymous). */
export function createCheckoutClient(commerce: CommerceClient): CheckoutClient {
  const root = commerce.restUrl.replace(/\/rest\/[^/]+$/, '');
  return createCommerceClient<CheckoutPaths>({
    baseUrl: root,
    storeCode: commerce.storeCode,
    retry: { retries: 8, minDelayMs: 5, maxDelayMs: 250 },
  });
}

export class CheckoutError extends Error {
  readonly code = 'CHECKOUT_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckoutError';
  }
}

/**
 * Creates a cart, adds the lines and places the order; returns the new order's entity id.
 * Adding items and placing the order are not safe to repeat on the same cart, so a transient
 * failure starts over with a fresh cart (the old one is simply abandoned), as a shopper clicking
 * again would. Against a real store, a failure *after* the order was placed (a reset on the
 * answer) can then place a second order: a production storefront confirms with its own order
 * lookup before retrying.
 */
export async function placeGuestOrder(
  checkout: CheckoutClient,
  order: { email: string; lines: { sku: string; qty: number }[]; address?: CheckoutAddress },
  attempts = 5,
): Promise<number> {
  return retryTransient(() => placeOnce(checkout, order), { attempts });
}

async function placeOnce(
  checkout: CheckoutClient,
  order: { email: string; lines: { sku: string; qty: number }[]; address?: CheckoutAddress },
): Promise<number> {
  // A repeated cart creation at worst leaves an empty cart behind, so it may be retried.
  const cart = await checkout.POST('/V1/guest-carts', { body: {}, headers: markIdempotent() });
  const cartId = cart.data;
  if (typeof cartId !== 'string') throw new CheckoutError('Commerce returned no cart id');
  for (const line of order.lines) {
    await checkout.POST('/V1/guest-carts/{cartId}/items', {
      params: { path: { cartId } },
      body: { cartItem: { sku: line.sku, qty: line.qty, quote_id: cartId } },
    });
  }
  // Physical items cannot be paid for before the cart has a shipping address and method.
  const address = order.address ?? sampleAddress(order.email);
  await checkout.POST('/V1/guest-carts/{cartId}/shipping-information', {
    params: { path: { cartId } },
    body: {
      addressInformation: {
        shipping_address: address,
        billing_address: address,
        shipping_carrier_code: 'flatrate',
        shipping_method_code: 'flatrate',
      },
    },
  });
  const placed = await checkout.POST('/V1/guest-carts/{cartId}/payment-information', {
    params: { path: { cartId } },
    body: { email: order.email, paymentMethod: { method: 'checkmo' } },
  });
  if (typeof placed.data !== 'number') throw new CheckoutError('Commerce returned no order id');
  return placed.data;
}
