import { randomBytes } from 'node:crypto';
import {
  addCartItem,
  cartTotals,
  estimateShipping,
  isVirtualCart,
  PAYMENT_METHODS,
  payAndPlace,
  paymentDetails,
  placeCartOrder,
  saveShippingInformation,
  setPaymentMethod,
} from '../checkout.js';
import { MagentoFault, MESSAGES, required } from '../fault.js';
import { type Route, type RouteContext, route } from '../router.js';
import type { CommerceEmulatorState, EmulatorCart } from '../state.js';
import { intParam, optionalBody } from './common.js';

/** A guest cart's masked id: 32 lowercase alphanumerics, like Magento's. */
function maskedId(): string {
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').toLowerCase().slice(0, 32);
}

/** A body parameter Magento takes in camelCase or snake_case (`cartItem` / `cart_item`). */
function param(context: RouteContext, camel: string): unknown {
  const body = optionalBody(context);
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return body[camel] ?? body[snake];
}

function requiredParam<T>(context: RouteContext, camel: string): T {
  const value = param(context, camel);
  if (value === undefined || value === null) throw required(camel);
  return value as T;
}

/** A cart as `GET /V1/carts/{cartId}` answers it; a negotiable quote carries its negotiable state. */
export function cartView(state: CommerceEmulatorState, cart: EmulatorCart) {
  const totals = cartTotals(state, cart);
  const negotiable = state.b2b.negotiableQuotes.view(cart);
  const customer = cart.customerId === undefined ? undefined : state.customers.get(cart.customerId);
  return {
    id: cart.id,
    is_active: cart.orderId === undefined,
    is_virtual: isVirtualCart(state, cart),
    items: totals.items.map((item) => {
      const line = cart.items.find((l) => l.item_id === item.item_id);
      const product = line ? state.products.get(line.sku) : undefined;
      return {
        item_id: item.item_id,
        sku: line?.sku,
        qty: item.qty,
        name: item.name,
        price: item.price,
        product_type: product?.type_id,
        quote_id: String(cart.id),
      };
    }),
    items_count: cart.items.length,
    items_qty: totals.items_qty,
    customer: customer
      ? {
          id: customer.id,
          email: customer.email,
          firstname: customer.firstname,
          lastname: customer.lastname,
        }
      : { email: null, firstname: null, lastname: null },
    customer_is_guest: cart.customerId === undefined,
    currency: { base_currency_code: 'USD', quote_currency_code: 'USD' },
    ...(negotiable ? { extension_attributes: { negotiable_quote: negotiable } } : {}),
  };
}

/**
 * Checkout routes for the three kinds of cart Adobe's order-processing tutorial names: guest carts
 * by masked id (anonymous), the customer's own cart (`mine`, a customer token) and any cart by its
 * quote id (an admin token). `limit` is the checkout rate limiter of payment and placement.
 */
export function cartRoutes(
  state: CommerceEmulatorState,
  limit: (request: Request) => void,
): Route[] {
  const noCart = (fieldName: string, fieldValue: unknown) =>
    new MagentoFault(404, MESSAGES.noSuchEntity, { fieldName, fieldValue });
  const active = (cart: EmulatorCart | undefined, field: string, value: unknown) => {
    if (!cart || cart.orderId !== undefined) throw noCart(field, value);
    return cart;
  };
  const guest = (c: RouteContext) =>
    active(state.carts.get(c.params.cartId as string), 'cartId', c.params.cartId);
  const mine = (c: RouteContext) =>
    active(
      [...state.carts.values()].find(
        (cart) => cart.customerId === c.customerId && cart.orderId === undefined,
      ),
      'customerId',
      c.customerId,
    );
  const byId = (c: RouteContext) => {
    const id = intParam(c, 'cartId');
    return active(
      [...state.carts.values()].find((cart) => cart.id === id),
      'cartId',
      id,
    );
  };
  const place = (c: RouteContext, cart: EmulatorCart) => {
    limit(c.request);
    const payment = param(c, 'paymentMethod');
    if (payment !== undefined) setPaymentMethod(state, cart, payment, { importOnly: true });
    return placeCartOrder(state, cart);
  };
  /** The routes every kind of cart has, under `prefix` with `resolve` finding the cart. */
  const common = (prefix: string, acl: string, resolve: (c: RouteContext) => EmulatorCart) => [
    route('GET', prefix, acl, (c) => cartView(state, resolve(c))),
    route('GET', `${prefix}/items`, acl, (c) => cartView(state, resolve(c)).items),
    route('GET', `${prefix}/totals`, acl, (c) => cartTotals(state, resolve(c))),
    route('GET', `${prefix}/payment-methods`, acl, (c) => {
      resolve(c);
      return [...PAYMENT_METHODS];
    }),
    route('POST', `${prefix}/estimate-shipping-methods`, acl, (c) => {
      const cart = resolve(c);
      requiredParam(c, 'address');
      return estimateShipping(state, cart);
    }),
    route('POST', `${prefix}/shipping-information`, acl, (c) =>
      saveShippingInformation(state, resolve(c), requiredParam(c, 'addressInformation')),
    ),
    route('PUT', `${prefix}/order`, acl, (c) => place(c, resolve(c))),
  ];
  const self = 'self';
  const admin = 'Magento_Cart::manage';
  return [
    route('POST', '/V1/guest-carts', 'anonymous', () => {
      const id = maskedId();
      state.carts.set(id, { id: state.nextId('quote'), items: [] });
      return id;
    }),
    ...common('/V1/guest-carts/:cartId', 'anonymous', guest),
    route('POST', '/V1/guest-carts/:cartId/items', 'anonymous', (c) =>
      addCartItem(state, guest(c), requiredParam(c, 'cartItem')),
    ),
    route('GET', '/V1/guest-carts/:cartId/payment-information', 'anonymous', (c) =>
      paymentDetails(state, guest(c)),
    ),
    route('POST', '/V1/guest-carts/:cartId/payment-information', 'anonymous', (c) => {
      const email = requiredParam<string>(c, 'email');
      requiredParam(c, 'paymentMethod');
      const cart = guest(c);
      limit(c.request);
      return payAndPlace(state, cart, optionalBody(c), email);
    }),
    // The customer's own cart: POST answers the active cart's id, or opens one.
    route('POST', '/V1/carts/mine', self, (c) => {
      const open = [...state.carts.values()].find(
        (cart) => cart.customerId === c.customerId && cart.orderId === undefined,
      );
      if (open?.id !== undefined) return open.id;
      const id = state.nextId('quote');
      state.carts.set(String(id), { id, customerId: Number(c.customerId), items: [] });
      return id;
    }),
    ...common('/V1/carts/mine', self, mine),
    route('POST', '/V1/carts/mine/items', self, (c) =>
      addCartItem(state, mine(c), requiredParam(c, 'cartItem')),
    ),
    route('GET', '/V1/carts/mine/payment-information', self, (c) => paymentDetails(state, mine(c))),
    route('POST', '/V1/carts/mine/payment-information', self, (c) => {
      requiredParam(c, 'paymentMethod');
      const cart = mine(c);
      limit(c.request);
      return payAndPlace(state, cart, optionalBody(c));
    }),
    // Any cart by its quote id, for an admin (or integration) token.
    ...common('/V1/carts/:cartId', admin, byId),
  ];
}
