import { formatMagentoMessage } from '../magento-message.js';
import { chosenChild } from './configurable-choice.js';
import { MagentoFault, required } from './fault.js';
import { castFloat } from './input-cast.js';
import {
  type CommerceEmulatorState,
  type EmulatorCart,
  type EmulatorCartLine,
  type EmulatorProduct,
  isVirtualType,
} from './state.js';

/**
 * The checkout of a cart (Magento's quote): lines, shipping rates, totals, shipping and payment
 * information and order placement, with the validation Magento's Checkout and Quote modules do.
 * The store is configured as step 1 of Adobe's order-processing tutorial leaves it
 * (https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-config-store/).
 */

export interface PaymentMethod {
  code: string;
  title: string;
}

/** Offline payment methods enabled in the tutorial's store. */
export const PAYMENT_METHODS: readonly PaymentMethod[] = [
  { code: 'checkmo', title: 'Check / Money order' },
  { code: 'banktransfer', title: 'Bank Transfer Payment' },
  { code: 'cashondelivery', title: 'Cash On Delivery' },
  { code: 'purchaseorder', title: 'Purchase Order' },
];

interface Carrier {
  carrier_code: string;
  method_code: string;
  carrier_title: string;
  method_title: string;
  /** The charge for a cart shipping `shippedQty` items. */
  amount: (shippedQty: number) => number;
}

/**
 * Flat rate is Magento's default ($5 a shipped item). Table rate depends on an imported table;
 * the emulator charges $5 an order, as the tutorial's store does.
 */
const CARRIERS: readonly Carrier[] = [
  {
    carrier_code: 'flatrate',
    method_code: 'flatrate',
    carrier_title: 'Flat Rate',
    method_title: 'Fixed',
    amount: (qty) => 5 * qty,
  },
  {
    carrier_code: 'tablerate',
    method_code: 'bestway',
    carrier_title: 'Best Way',
    method_title: 'Table Rate',
    amount: () => 5,
  },
];

type Address = Record<string, unknown>;

interface PricedLine {
  item_id: number;
  sku: string;
  qty: number;
  name: string;
  price: number;
  product_type: string;
  virtual: boolean;
}

function pricedLines(state: CommerceEmulatorState, cart: EmulatorCart): PricedLine[] {
  return cart.items.map((line) => {
    const product = state.getProduct(line.sku);
    // A configurable line is named and typed by its parent and priced by the chosen child.
    const parent = line.parentSku === undefined ? undefined : state.getProduct(line.parentSku);
    return {
      item_id: Number(line.item_id),
      sku: line.sku,
      qty: line.qty,
      name: String(parent?.name ?? product.name ?? line.sku),
      price: Number(product.price ?? parent?.price ?? 0),
      product_type: String(parent?.type_id ?? product.type_id ?? 'simple'),
      virtual: isVirtualType(product.type_id),
    };
  });
}

/** `Quote::isVirtual`: every item is virtual; an empty cart is not. */
export function isVirtualCart(state: CommerceEmulatorState, cart: EmulatorCart): boolean {
  const lines = pricedLines(state, cart);
  return lines.length > 0 && lines.every((l) => l.virtual);
}

function shippedQty(state: CommerceEmulatorState, cart: EmulatorCart): number {
  return pricedLines(state, cart)
    .filter((l) => !l.virtual)
    .reduce((sum, l) => sum + l.qty, 0);
}

/** `POST …/estimate-shipping-methods`: every carrier's rate; none for a virtual cart. */
export function estimateShipping(state: CommerceEmulatorState, cart: EmulatorCart) {
  if (cart.items.length === 0 || isVirtualCart(state, cart)) return [];
  const qty = shippedQty(state, cart);
  return CARRIERS.map((carrier) => {
    const amount = carrier.amount(qty);
    return {
      carrier_code: carrier.carrier_code,
      method_code: carrier.method_code,
      carrier_title: carrier.carrier_title,
      method_title: carrier.method_title,
      amount,
      base_amount: amount,
      available: true,
      error_message: '',
      price_excl_tax: amount,
      price_incl_tax: amount,
    };
  });
}

function chosenCarrier(cart: EmulatorCart): Carrier | undefined {
  const method = cart.shippingMethod;
  return CARRIERS.find(
    (c) => c.carrier_code === method?.carrier_code && c.method_code === method?.method_code,
  );
}

function shippingAmount(state: CommerceEmulatorState, cart: EmulatorCart): number {
  const carrier = chosenCarrier(cart);
  if (!carrier || isVirtualCart(state, cart)) return 0;
  return carrier.amount(shippedQty(state, cart));
}

/** `GET …/totals` (`TotalsInterface`): no tax or discount rules are emulated. */
export function cartTotals(state: CommerceEmulatorState, cart: EmulatorCart) {
  const lines = pricedLines(state, cart);
  const subtotal = lines.reduce((sum, l) => sum + l.price * l.qty, 0);
  const shipping = shippingAmount(state, cart);
  const grand = subtotal + shipping;
  const carrier = isVirtualCart(state, cart) ? undefined : chosenCarrier(cart);
  return {
    grand_total: grand,
    base_grand_total: grand,
    subtotal,
    base_subtotal: subtotal,
    discount_amount: 0,
    base_discount_amount: 0,
    subtotal_with_discount: subtotal,
    base_subtotal_with_discount: subtotal,
    shipping_amount: shipping,
    base_shipping_amount: shipping,
    shipping_discount_amount: 0,
    base_shipping_discount_amount: 0,
    tax_amount: 0,
    base_tax_amount: 0,
    weee_tax_applied_amount: null,
    shipping_tax_amount: 0,
    base_shipping_tax_amount: 0,
    subtotal_incl_tax: subtotal,
    shipping_incl_tax: shipping,
    base_shipping_incl_tax: shipping,
    base_currency_code: 'USD',
    quote_currency_code: 'USD',
    items_qty: lines.reduce((sum, l) => sum + l.qty, 0),
    items: lines.map((l) => {
      const row = l.price * l.qty;
      return {
        item_id: l.item_id,
        price: l.price,
        base_price: l.price,
        qty: l.qty,
        row_total: row,
        base_row_total: row,
        row_total_with_discount: 0,
        tax_amount: 0,
        base_tax_amount: 0,
        tax_percent: 0,
        discount_amount: 0,
        base_discount_amount: 0,
        discount_percent: 0,
        price_incl_tax: l.price,
        base_price_incl_tax: l.price,
        row_total_incl_tax: row,
        base_row_total_incl_tax: row,
        options: '[]',
        weee_tax_applied_amount: null,
        weee_tax_applied: null,
        name: l.name,
      };
    }),
    total_segments: [
      { code: 'subtotal', title: 'Subtotal', value: subtotal },
      ...(carrier
        ? [
            {
              code: 'shipping',
              title: `Shipping & Handling (${carrier.carrier_title} - ${carrier.method_title})`,
              value: shipping,
            },
          ]
        : []),
      { code: 'tax', title: 'Tax', value: 0, extension_attributes: { tax_grandtotal_details: [] } },
      { code: 'grand_total', title: 'Grand Total', value: grand, area: 'footer' },
    ],
  };
}

/** `POST …/items`: one line per SKU (a second add raises its qty), checked against salable qty. */
export function addCartItem(
  state: CommerceEmulatorState,
  cart: EmulatorCart,
  input:
    | {
        sku?: unknown;
        qty?: unknown;
        product_option?: { extension_attributes?: { configurable_item_options?: unknown } };
      }
    | undefined,
) {
  if (!input || typeof input !== 'object') throw required('cartItem');
  if (typeof input.sku !== 'string' || input.sku === '') throw required('sku');
  const requested: EmulatorProduct = state.getProduct(input.sku);
  const choice =
    requested.type_id === 'configurable'
      ? chosenChild(
          state,
          requested,
          input.product_option?.extension_attributes?.configurable_item_options,
        )
      : undefined;
  const parent = choice ? requested : undefined;
  const product = choice?.child ?? requested;
  const qty = castFloat(input.qty ?? 1);
  if (qty <= 0) {
    // Quote\Model\Quote\Item\CartItemPersister
    throw new MagentoFault(400, 'Invalid value of "%value" provided for the %fieldName field.', {
      fieldName: 'qty',
      value: qty,
    });
  }
  if (product.type_id === 'bundle') {
    throw new MagentoFault(400, 'You need to choose options for your item.');
  }
  const sku = String(product.sku);
  const existing = cart.items.find((l) => l.sku === sku && l.parentSku === parent?.sku);
  const wanted = qty + (existing?.qty ?? 0);
  if (product.type_id === 'simple' || product.type_id === 'virtual') {
    const salable = state.salableQuantity(sku, state.stockIdForWebsite());
    if (salable < wanted) throw new MagentoFault(400, 'The requested qty is not available');
  }
  const line: EmulatorCartLine = existing ?? {
    sku,
    qty: 0,
    item_id: state.nextId('quote_item'),
    ...(parent && choice ? { parentSku: String(parent.sku), options: choice.options } : {}),
  };
  line.qty = wanted;
  if (!existing) cart.items.push(line);
  return {
    item_id: line.item_id,
    sku: line.sku,
    qty: line.qty,
    name: parent?.name ?? product.name,
    price: product.price ?? parent?.price,
    product_type: parent?.type_id ?? product.type_id,
    quote_id: String(cart.id),
    ...(line.options
      ? { product_option: { extension_attributes: { configurable_item_options: line.options } } }
      : {}),
  };
}

/**
 * `ShippingInformationManagement::saveAddressInformation`: an empty cart or a missing address is
 * refused; a carrier/method that is not offered is a 404. Answers `PaymentDetails`.
 */
export function saveShippingInformation(
  state: CommerceEmulatorState,
  cart: EmulatorCart,
  info: Record<string, unknown> | undefined,
) {
  if (!info || typeof info !== 'object') throw required('addressInformation');
  if (cart.items.length === 0) {
    throw new MagentoFault(
      400,
      "The shipping method can't be set for an empty cart. Add an item to cart and try again.",
    );
  }
  const address = info.shipping_address as Address | undefined;
  if (!address || typeof address !== 'object' || !address.country_id) {
    throw new MagentoFault(400, 'The shipping address is missing. Set the address and try again.');
  }
  const carrierCode =
    typeof info.shipping_carrier_code === 'string' ? info.shipping_carrier_code : '';
  const methodCode = typeof info.shipping_method_code === 'string' ? info.shipping_method_code : '';
  const offered = estimateShipping(state, cart).some(
    (m) => m.carrier_code === carrierCode && m.method_code === methodCode,
  );
  if (!isVirtualCart(state, cart) && !offered) {
    if (methodCode === '') {
      throw new MagentoFault(
        404,
        'The shipping method is missing. Select the shipping method and try again.',
      );
    }
    throw new MagentoFault(404, 'Carrier with such method not found: %1, %2', [
      carrierCode,
      methodCode,
    ]);
  }
  cart.shippingAddress = { ...address };
  if (info.billing_address && typeof info.billing_address === 'object') {
    cart.billingAddress = { ...(info.billing_address as Address) };
  }
  cart.shippingMethod = { carrier_code: carrierCode, method_code: methodCode };
  return paymentDetails(state, cart);
}

/** `PaymentDetailsInterface`: the methods offered and the cart's totals. */
export function paymentDetails(state: CommerceEmulatorState, cart: EmulatorCart) {
  return { payment_methods: [...PAYMENT_METHODS], totals: cartTotals(state, cart) };
}

/**
 * `PaymentMethodManagement::set`, reached from payment-information: a cart with physical items
 * needs its shipping address first, and the method must be offered.
 */
export function setPaymentMethod(
  state: CommerceEmulatorState,
  cart: EmulatorCart,
  method: unknown,
  options: { importOnly?: boolean } = {},
): string {
  const code = (method as { method?: unknown } | undefined)?.method;
  // Placement with a payment method only imports it (`Payment::importData`): no address check.
  if (!options.importOnly && !isVirtualCart(state, cart) && !cart.shippingAddress?.country_id) {
    throw new MagentoFault(400, 'The shipping address is missing. Set the address and try again.');
  }
  if (typeof code !== 'string' || !PAYMENT_METHODS.some((m) => m.code === code)) {
    throw new MagentoFault(400, 'The requested Payment Method is not available.');
  }
  cart.paymentMethod = code;
  return code;
}

/** `Customer\Model\Address\Validator\General` and `…\Country`, in their order. */
function addressProblems(address: Address | undefined): string[] {
  const a = address ?? {};
  const blank = (v: unknown) =>
    v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  const street = Array.isArray(a.street) ? a.street[0] : a.street;
  const checks: [string, unknown][] = [
    ['firstname', a.firstname],
    ['lastname', a.lastname],
    ['street', street],
    ['city', a.city],
    ['telephone', a.telephone],
    ['postcode', a.postcode],
    ['countryId', a.country_id],
  ];
  return checks
    .filter(([, value]) => blank(value))
    .map(([field]) => `"${field}" is required. Enter and try again.`);
}

/**
 * `QuoteValidator::validateBeforeSubmit` then `QuoteManagement::submit`: the shipping address and
 * method (physical items only), the billing address and the payment method, in Magento's rule
 * order; then the order is placed in the website's stock.
 */
export function placeCartOrder(
  state: CommerceEmulatorState,
  cart: EmulatorCart,
  options: { email?: string } = {},
): number {
  const virtual = isVirtualCart(state, cart);
  if (!virtual) {
    const problems = addressProblems(cart.shippingAddress);
    if (problems.length > 0) {
      throw new MagentoFault(400, 'Please check the shipping address information. %1', [
        problems.join(' '),
      ]);
    }
    if (!chosenCarrier(cart)) {
      throw new MagentoFault(
        400,
        'The shipping method is missing. Select the shipping method and try again.',
      );
    }
  }
  const billingProblems = addressProblems(cart.billingAddress);
  if (billingProblems.length > 0) {
    throw new MagentoFault(400, 'Please check the billing address information. %1', [
      billingProblems.join(' '),
    ]);
  }
  const method = PAYMENT_METHODS.find((m) => m.code === cart.paymentMethod);
  if (!method) throw new MagentoFault(400, 'Enter a valid payment method and try again.');
  const carrier = virtual ? undefined : chosenCarrier(cart);
  const customer = cart.customerId === undefined ? undefined : state.getCustomer(cart.customerId);
  const billing = cart.billingAddress as Address;
  const email =
    customer?.email ?? options.email ?? (typeof billing.email === 'string' ? billing.email : '');
  const order = state.placeOrder({
    items: cart.items.map((l) => ({
      sku: l.sku,
      qty: l.qty,
      ...(l.parentSku === undefined ? {} : { parentSku: l.parentSku }),
    })),
    ...(email ? { customer_email: email } : {}),
    ...(customer?.id === undefined ? {} : { customer_id: customer.id }),
    customer_firstname: String(customer?.firstname ?? billing.firstname),
    customer_lastname: String(customer?.lastname ?? billing.lastname),
    shipping_amount: shippingAmount(state, cart),
    billing_address: billing,
    ...(cart.shippingAddress ? { shipping_address: cart.shippingAddress } : {}),
    ...(carrier
      ? {
          shipping_method: `${carrier.carrier_code}_${carrier.method_code}`,
          shipping_description: `${carrier.carrier_title} - ${carrier.method_title}`,
        }
      : {}),
    payment_method: method.code,
    payment_title: method.title,
    ...(cart.id === undefined ? {} : { quote_id: cart.id }),
    stockId: state.stockIdForWebsite(),
  });
  cart.orderId = Number(order.entity_id);
  return cart.orderId;
}

/**
 * `PaymentInformationManagement::savePaymentInformationAndPlaceOrder`: the billing address and
 * payment method are saved (unwrapped errors), then placement errors come back as their rendered
 * message without parameters (`CouldNotSaveException(__($e->getMessage()))`).
 */
export function payAndPlace(
  state: CommerceEmulatorState,
  cart: EmulatorCart,
  body: Record<string, unknown>,
  email?: string,
): number {
  const billing = body.billing_address ?? body.billingAddress;
  if (billing && typeof billing === 'object') cart.billingAddress = { ...(billing as Address) };
  setPaymentMethod(state, cart, body.payment_method ?? body.paymentMethod);
  try {
    return placeCartOrder(state, cart, email === undefined ? {} : { email });
  } catch (error) {
    if (!(error instanceof MagentoFault) || error.status !== 400) throw error;
    throw new MagentoFault(400, formatMagentoMessage(error.body.message, error.body.parameters));
  }
}
