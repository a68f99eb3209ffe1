// Walkthrough: Adobe's order-processing tutorial, replayed request by request with plain fetch over
// real HTTP (https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/). The store is
// configured as the tutorial's step 1 leaves it: bank transfer enabled, flat rate $5 per item and a
// table rate "Best Way" of $5 an order, no free-shipping cart rule.
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommerceEmulator, createCommerceEmulator } from '../../src/testing.js';
import { restCaller } from './rest-call.js';

const ADDRESS = {
  region: 'New York',
  region_id: 43,
  region_code: 'NY',
  country_id: 'US',
  street: ['123 Oak Ave'],
  postcode: '10577',
  city: 'Purchase',
  firstname: 'Jane',
  lastname: 'Doe',
  email: 'jdoe@example.com',
  telephone: '512-555-1111',
};

interface Totals {
  grand_total: number;
  subtotal: number;
  shipping_amount: number;
  items_qty: number;
  items: { item_id: number; qty: number; row_total: number; name: string }[];
  total_segments: { code: string; title: string; value: number }[];
}
interface PaymentDetails {
  payment_methods: { code: string; title: string }[];
  totals: Totals;
}
type Fault = { message: string; parameters?: unknown };

describe("walkthrough: Adobe's order-processing tutorial", () => {
  let emulator: CommerceEmulator;
  let server: RunningServer;
  let call: ReturnType<typeof restCaller>;
  let admin: string;
  let customer: string;

  beforeAll(async () => {
    emulator = createCommerceEmulator();
    server = await emulator.listen();
    call = restCaller(server.url);
    // Step 2. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-admin-token/
    admin = (
      await call<string>('POST', '/V1/integration/admin/token', {
        body: { username: 'admin', password: 'admin123' },
      })
    ).body;
    // Products with stock, sent as the product tutorials send them ("qty" as a string):
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/configurable-product/create-simple-products/
    for (const product of [
      {
        sku: 'WS12-M-Orange',
        name: 'Radiant Tee-M-Orange',
        price: 22,
        type_id: 'simple',
        qty: '100',
      },
      { sku: '24-MB01', name: 'Joust Duffle Bag', price: 34, type_id: 'simple', qty: '10' },
      {
        sku: '240-LV08',
        name: 'Advanced Pilates & Yoga (Strength)',
        price: 18,
        type_id: 'downloadable',
      },
    ]) {
      const { qty, ...fields } = product;
      const created = await call('POST', '/V1/products', {
        token: admin,
        body: {
          product: {
            ...fields,
            attribute_set_id: 4,
            status: 1,
            visibility: 4,
            ...(qty ? { extension_attributes: { stock_item: { qty, is_in_stock: true } } } : {}),
          },
        },
      });
      expect(created.status).toBe(200);
    }
    // Step 3. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-customer/
    const account = await call<{ id: number }>('POST', '/V1/customers', {
      token: admin,
      body: {
        customer: {
          email: 'jdoe@example.com',
          firstname: 'Jane',
          lastname: 'Doe',
          addresses: [
            {
              defaultShipping: true,
              defaultBilling: true,
              firstname: 'Jane',
              lastname: 'Doe',
              region: { regionCode: 'NY', region: 'New York', regionId: 43 },
              postcode: '10755',
              street: ['123 Oak Ave'],
              city: 'Purchase',
              telephone: '512-555-1111',
              countryId: 'US',
            },
          ],
        },
        password: 'Password1',
      },
    });
    expect(account.status).toBe(200);
    customer = (
      await call<string>('POST', '/V1/integration/customer/token', {
        body: { username: 'jdoe@example.com', password: 'Password1' },
      })
    ).body;
    expect(customer).toMatch(/^[a-z0-9]{32}$/);
  });
  afterAll(async () => {
    await server.close();
  });

  it('a logged-in customer: cart, items, estimate, shipping information, payment, invoice, shipment, credit memo', async () => {
    // Step 4. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-quote/
    const quote = await call<number>('POST', '/V1/carts/mine', { token: customer });
    expect(quote.status).toBe(200);
    expect(Number.isInteger(quote.body)).toBe(true);

    // Step 5. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-add-items/
    const lines: Record<string, number> = {};
    for (const [sku, qty] of [
      ['WS12-M-Orange', 1],
      ['24-MB01', 2],
      ['240-LV08', 1],
    ] as const) {
      const added = await call<Record<string, unknown>>('POST', '/V1/carts/mine/items', {
        token: customer,
        body: { cartItem: { sku, qty, quote_id: String(quote.body) } },
      });
      expect(added.status).toBe(200);
      expect(added.body).toMatchObject({ sku, qty, quote_id: String(quote.body) });
      lines[sku] = added.body.item_id as number;
    }
    expect(
      (
        await call('POST', '/V1/carts/mine/items', {
          token: customer,
          body: { cartItem: { sku: 'WS12-M-Orange', qty: 1000, quote_id: String(quote.body) } },
        })
      ).status,
    ).toBe(400);

    // Paying before the shipping information is set is refused, as Magento's
    // PaymentMethodManagement::set does for a cart with physical items.
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-order/
    const early = await call<Fault>('POST', '/V1/carts/mine/payment-information', {
      token: customer,
      body: { paymentMethod: { method: 'banktransfer' }, billing_address: ADDRESS },
    });
    expect(early.status).toBe(400);
    expect(early.body.message).toBe(
      'The shipping address is missing. Set the address and try again.',
    );

    // Step 6. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-prepare-checkout/
    const estimate = await call<Record<string, unknown>[]>(
      'POST',
      '/V1/carts/mine/estimate-shipping-methods',
      { token: customer, body: { address: { ...ADDRESS, customer_id: 1, same_as_billing: 1 } } },
    );
    expect(estimate.status).toBe(200);
    // Flat rate is $5 a shipped item (the downloadable item ships nothing): 3 items, $15.
    expect(estimate.body).toEqual([
      {
        carrier_code: 'flatrate',
        method_code: 'flatrate',
        carrier_title: 'Flat Rate',
        method_title: 'Fixed',
        amount: 15,
        base_amount: 15,
        available: true,
        error_message: '',
        price_excl_tax: 15,
        price_incl_tax: 15,
      },
      {
        carrier_code: 'tablerate',
        method_code: 'bestway',
        carrier_title: 'Best Way',
        method_title: 'Table Rate',
        amount: 5,
        base_amount: 5,
        available: true,
        error_message: '',
        price_excl_tax: 5,
        price_incl_tax: 5,
      },
    ]);
    const unknownCarrier = await call<Fault>('POST', '/V1/carts/mine/shipping-information', {
      token: customer,
      body: {
        addressInformation: {
          shipping_address: ADDRESS,
          billing_address: ADDRESS,
          shipping_carrier_code: 'ups',
          shipping_method_code: 'ground',
        },
      },
    });
    expect(unknownCarrier.status).toBe(404);
    expect(unknownCarrier.body).toEqual({
      message: 'Carrier with such method not found: %1, %2',
      parameters: ['ups', 'ground'],
    });
    const shipping = await call<PaymentDetails>('POST', '/V1/carts/mine/shipping-information', {
      token: customer,
      body: {
        addressInformation: {
          shipping_address: ADDRESS,
          billing_address: ADDRESS,
          shipping_carrier_code: 'tablerate',
          shipping_method_code: 'bestway',
        },
      },
    });
    expect(shipping.status).toBe(200);
    expect(shipping.body.payment_methods.map((m) => m.code).sort()).toEqual([
      'banktransfer',
      'cashondelivery',
      'checkmo',
      'purchaseorder',
    ]);
    // 22 + 2 × 34 + 18 = 108, shipping 5, grand total 113.
    expect(shipping.body.totals).toMatchObject({
      subtotal: 108,
      shipping_amount: 5,
      grand_total: 113,
      items_qty: 4,
      base_currency_code: 'USD',
      quote_currency_code: 'USD',
    });
    expect(shipping.body.totals.items.map((i) => [i.item_id, i.qty, i.row_total])).toEqual([
      [lines['WS12-M-Orange'], 1, 22],
      [lines['24-MB01'], 2, 68],
      [lines['240-LV08'], 1, 18],
    ]);
    expect(shipping.body.totals.total_segments.map((s) => [s.code, s.value])).toEqual([
      ['subtotal', 108],
      ['shipping', 5],
      ['tax', 0],
      ['grand_total', 113],
    ]);
    expect(shipping.body.totals.total_segments[1]?.title).toBe(
      'Shipping & Handling (Best Way - Table Rate)',
    );
    const totals = await call<Totals>('GET', '/V1/carts/mine/totals', { token: customer });
    expect(totals.body.grand_total).toBe(113);

    // Step 7. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-order/
    const notOffered = await call<Fault>('POST', '/V1/carts/mine/payment-information', {
      token: customer,
      body: { paymentMethod: { method: 'free' }, billing_address: ADDRESS },
    });
    expect(notOffered.status).toBe(400);
    expect(notOffered.body.message).toBe('The requested Payment Method is not available.');
    const placed = await call<number>('POST', '/V1/carts/mine/payment-information', {
      token: customer,
      body: { paymentMethod: { method: 'banktransfer' }, billing_address: ADDRESS },
    });
    expect(placed.status).toBe(200);
    const orderId = placed.body;
    expect(Number.isInteger(orderId)).toBe(true);
    const order = await call<Record<string, any>>('GET', `/V1/orders/${orderId}`, { token: admin });
    expect(order.body).toMatchObject({
      state: 'new',
      status: 'pending',
      customer_email: 'jdoe@example.com',
      customer_is_guest: 0,
      subtotal: 108,
      shipping_amount: 5,
      grand_total: 113,
      total_due: 113,
      total_qty_ordered: 4,
      shipping_description: 'Best Way - Table Rate',
      payment: { method: 'banktransfer' },
      billing_address: { city: 'Purchase', postcode: '10577', address_type: 'billing' },
    });
    const assignment = order.body.extension_attributes.shipping_assignments[0];
    expect(assignment.shipping.method).toBe('tablerate_bestway');
    expect(assignment.shipping.address).toMatchObject({
      city: 'Purchase',
      street: ['123 Oak Ave'],
    });
    // The order reserved stock: 10 bags, 2 ordered.
    expect(
      (await call('GET', '/V1/inventory/get-product-salable-quantity/24-MB01/1', { token: admin }))
        .body,
    ).toBe(8);
    // The cart is spent: the next POST /V1/carts/mine starts a new one.
    const next = await call<number>('POST', '/V1/carts/mine', { token: customer });
    expect(next.body).not.toBe(quote.body);

    // Step 8. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-invoice/
    const invoiceId = await call<number>('POST', `/V1/order/${orderId}/invoice`, {
      token: admin,
      body: { capture: true, notify: true },
    });
    expect(invoiceId.status).toBe(200);
    const invoice = await call<Record<string, any>>('GET', `/V1/invoices/${invoiceId.body}`, {
      token: admin,
    });
    expect(invoice.body).toMatchObject({
      order_id: orderId,
      grand_total: 113,
      subtotal: 108,
      state: 2,
    });
    const items = invoice.body.items as { sku: string; order_item_id: number }[];
    const orderItem = (sku: string) => items.find((i) => i.sku === sku)?.order_item_id;
    expect(
      (await call<Record<string, any>>('GET', `/V1/orders/${orderId}`, { token: admin })).body
        .state,
    ).toBe('processing');

    // Step 9. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-shipment/
    const shipment = await call<number>('POST', `/V1/order/${orderId}/ship`, {
      token: admin,
      body: {
        items: [
          { order_item_id: orderItem('WS12-M-Orange'), qty: 1 },
          { order_item_id: orderItem('24-MB01'), qty: 2 },
        ],
        notify: true,
        tracks: [
          { track_number: '1Y-9876543210', title: 'United Parcel Service', carrier_code: 'ups' },
        ],
      },
    });
    expect(shipment.status).toBe(200);
    // Every shippable item shipped and everything invoiced: Complete (the download ships nothing).
    const shipped = await call<Record<string, any>>('GET', `/V1/orders/${orderId}`, {
      token: admin,
    });
    expect(shipped.body).toMatchObject({ state: 'complete', status: 'complete' });

    // Step 10. https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-issue-refund/
    const memo = await call<number>('POST', `/V1/order/${orderId}/refund`, {
      token: admin,
      body: {
        items: [{ order_item_id: orderItem('WS12-M-Orange'), qty: 1 }],
        notify: true,
        arguments: {
          shipping_amount: 0,
          adjustment_positive: 0,
          adjustment_negative: 0,
          extension_attributes: { return_to_stock_items: [orderItem('WS12-M-Orange')] },
        },
      },
    });
    expect(memo.status).toBe(200);
    const creditMemo = await call<Record<string, any>>('GET', `/V1/creditmemo/${memo.body}`, {
      token: admin,
    });
    expect(creditMemo.body).toMatchObject({ order_id: orderId, grand_total: 22 });
    // Shipped (100 → 99), then returned to stock (back to 100).
    expect(
      (
        await call('GET', '/V1/inventory/get-product-salable-quantity/WS12-M-Orange/1', {
          token: admin,
        })
      ).body,
    ).toBe(100);
  });

  it('a guest: cart, items, no payment without shipping, estimate, shipping information, payment', async () => {
    // Step 4 (guest). https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-quote/
    const cart = await call<string>('POST', '/V1/guest-carts');
    expect(cart.status).toBe(200);
    expect(cart.body).toMatch(/^[a-z0-9]{32}$/);
    const id = cart.body;
    // Step 5 (guest). https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-add-items/
    const added = await call('POST', `/V1/guest-carts/${id}/items`, {
      body: { cartItem: { sku: '24-MB01', qty: 1, quote_id: id } },
    });
    expect(added.status).toBe(200);

    // A cart with physical items cannot be paid for or ordered before it has a shipping address.
    const early = await call<Fault>('POST', `/V1/guest-carts/${id}/payment-information`, {
      body: {
        email: 'guest@example.com',
        paymentMethod: { method: 'checkmo' },
        billingAddress: ADDRESS,
      },
    });
    expect(early.status).toBe(400);
    expect(early.body.message).toBe(
      'The shipping address is missing. Set the address and try again.',
    );
    const put = await call<Fault>('PUT', `/V1/guest-carts/${id}/order`, {
      body: { paymentMethod: { method: 'checkmo' } },
    });
    expect(put.status).toBe(400);
    expect(put.body.message).toBe('Please check the shipping address information. %1');
    expect(String((put.body.parameters as string[])[0])).toContain(
      '"firstname" is required. Enter and try again.',
    );
    expect(emulator.state.orders.size).toBe(1);

    // Step 6 (guest). https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-prepare-checkout/
    const estimate = await call<{ carrier_code: string; amount: number }[]>(
      'POST',
      `/V1/guest-carts/${id}/estimate-shipping-methods`,
      { body: { address: ADDRESS } },
    );
    expect(estimate.body.map((m) => [m.carrier_code, m.amount])).toEqual([
      ['flatrate', 5],
      ['tablerate', 5],
    ]);
    const noAddress = await call<Fault>('POST', `/V1/guest-carts/${id}/shipping-information`, {
      body: {
        addressInformation: { shipping_carrier_code: 'flatrate', shipping_method_code: 'flatrate' },
      },
    });
    expect(noAddress.status).toBe(400);
    expect(noAddress.body.message).toBe(
      'The shipping address is missing. Set the address and try again.',
    );
    const shipping = await call<PaymentDetails>(
      'POST',
      `/V1/guest-carts/${id}/shipping-information`,
      {
        body: {
          addressInformation: {
            shipping_address: ADDRESS,
            billing_address: ADDRESS,
            shipping_carrier_code: 'flatrate',
            shipping_method_code: 'flatrate',
          },
        },
      },
    );
    expect(shipping.status).toBe(200);
    expect(Object.keys(shipping.body).sort()).toEqual(['payment_methods', 'totals']);
    expect(shipping.body.totals).toMatchObject({
      subtotal: 34,
      shipping_amount: 5,
      grand_total: 39,
    });
    const methods = await call<{ code: string }[]>('GET', `/V1/guest-carts/${id}/payment-methods`);
    expect(methods.body).toEqual(shipping.body.payment_methods);
    // GET payment-information answers the same PaymentDetails (guest and customer schemas).
    const details = await call<PaymentDetails>('GET', `/V1/guest-carts/${id}/payment-information`);
    expect(details.body).toEqual(shipping.body);

    // Step 7 (guest). https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-order/
    const noEmail = await call<Fault>('POST', `/V1/guest-carts/${id}/payment-information`, {
      body: { paymentMethod: { method: 'checkmo' }, billingAddress: ADDRESS },
    });
    expect(noEmail.status).toBe(400);
    expect(noEmail.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'email' },
    });
    const placed = await call<number>('POST', `/V1/guest-carts/${id}/payment-information`, {
      body: {
        email: 'guest@example.com',
        paymentMethod: { method: 'checkmo' },
        billingAddress: ADDRESS,
      },
    });
    expect(placed.status).toBe(200);
    const order = await call<Record<string, any>>('GET', `/V1/orders/${placed.body}`, {
      token: admin,
    });
    expect(order.body).toMatchObject({
      customer_is_guest: 1,
      customer_email: 'guest@example.com',
      grand_total: 39,
      shipping_description: 'Flat Rate - Fixed',
      payment: { method: 'checkmo' },
    });
    // The cart is spent: another payment finds no active cart.
    const again = await call('POST', `/V1/guest-carts/${id}/payment-information`, {
      body: {
        email: 'guest@example.com',
        paymentMethod: { method: 'checkmo' },
        billingAddress: ADDRESS,
      },
    });
    expect(again.status).toBe(404);
  });

  it('a cart with only a downloadable item is paid for without shipping information', async () => {
    const id = (await call<string>('POST', '/V1/guest-carts')).body;
    await call('POST', `/V1/guest-carts/${id}/items`, {
      body: { cartItem: { sku: '240-LV08', qty: 1, quote_id: id } },
    });
    const estimate = await call('POST', `/V1/guest-carts/${id}/estimate-shipping-methods`, {
      body: { address: ADDRESS },
    });
    expect(estimate.body).toEqual([]);
    const placed = await call<number>('POST', `/V1/guest-carts/${id}/payment-information`, {
      body: {
        email: 'guest@example.com',
        paymentMethod: { method: 'checkmo' },
        billingAddress: ADDRESS,
      },
    });
    expect(placed.status).toBe(200);
    const order = await call<Record<string, any>>('GET', `/V1/orders/${placed.body}`, {
      token: admin,
    });
    expect(order.body).toMatchObject({ grand_total: 18, shipping_amount: 0 });
  });

  it("an admin sets the shipping information of a customer's cart by its id", async () => {
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-quote/ (an
    // admin acts on a cart by its quote id); the route is in Adobe's 2.4.9 admin schema.
    const quoteId = (await call<number>('POST', '/V1/carts/mine', { token: customer })).body;
    await call('POST', '/V1/carts/mine/items', {
      token: customer,
      body: { cartItem: { sku: 'WS12-M-Orange', qty: 2, quote_id: String(quoteId) } },
    });
    const body = {
      addressInformation: {
        shipping_address: ADDRESS,
        billing_address: ADDRESS,
        shipping_carrier_code: 'flatrate',
        shipping_method_code: 'flatrate',
      },
    };
    const anonymous = await call<Fault>('POST', `/V1/carts/${quoteId}/shipping-information`, {
      body,
    });
    expect(anonymous.status).toBe(401);
    const asCustomer = await call('POST', `/V1/carts/${quoteId}/shipping-information`, {
      token: customer,
      body,
    });
    expect(asCustomer.status).toBe(401);
    const missing = await call<Fault>('POST', '/V1/carts/99999/shipping-information', {
      token: admin,
      body,
    });
    expect(missing.status).toBe(404);
    const details = await call<PaymentDetails>(
      'POST',
      `/V1/carts/${quoteId}/shipping-information`,
      {
        token: admin,
        body,
      },
    );
    expect(details.status).toBe(200);
    expect(details.body.totals).toMatchObject({
      subtotal: 44,
      shipping_amount: 10,
      grand_total: 54,
    });
    expect(details.body.payment_methods.length).toBeGreaterThan(0);
    // The customer's own view of the cart shows what the admin set.
    const mine = await call<Totals>('GET', '/V1/carts/mine/totals', { token: customer });
    expect(mine.body.grand_total).toBe(54);
    const placed = await call<number>('POST', '/V1/carts/mine/payment-information', {
      token: customer,
      body: { paymentMethod: { method: 'checkmo' }, billing_address: ADDRESS },
    });
    expect(placed.status).toBe(200);
  });

  it('numbers sent as numeric strings are read as numbers in source items, carts, invoices, shipments and refunds', async () => {
    // Magento casts REST input to the declared types (float qty, int ids and statuses), so a
    // client that sends strings, as Adobe's own examples sometimes do, gets the same results.
    // https://developer.adobe.com/commerce/webapi/rest/inventory/manage-source-items/
    await call('POST', '/V1/products', {
      token: admin,
      body: { product: { sku: 'STR-01', name: 'String Bag', price: '10', type_id: 'simple' } },
    });
    const saved = await call('POST', '/V1/inventory/source-items', {
      token: admin,
      body: {
        sourceItems: [{ sku: 'STR-01', source_code: 'default', quantity: '5', status: '1' }],
      },
    });
    expect(saved.status).toBe(200);
    expect(
      (await call('GET', '/V1/inventory/get-product-salable-quantity/STR-01/1', { token: admin }))
        .body,
    ).toBe(5);
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-add-items/
    const id = (await call<string>('POST', '/V1/guest-carts')).body;
    const added = await call<{ qty: unknown }>('POST', `/V1/guest-carts/${id}/items`, {
      body: { cartItem: { sku: 'STR-01', qty: '2', quote_id: id } },
    });
    expect(added.body.qty).toBe(2);
    await call('POST', `/V1/guest-carts/${id}/shipping-information`, {
      body: {
        addressInformation: {
          shipping_address: ADDRESS,
          billing_address: ADDRESS,
          shipping_carrier_code: 'flatrate',
          shipping_method_code: 'flatrate',
        },
      },
    });
    const orderId = (
      await call<number>('POST', `/V1/guest-carts/${id}/payment-information`, {
        body: {
          email: 'guest@example.com',
          paymentMethod: { method: 'checkmo' },
          billingAddress: ADDRESS,
        },
      })
    ).body;
    const order = await call<{ items: { item_id: number }[] }>('GET', `/V1/orders/${orderId}`, {
      token: admin,
    });
    const itemId = String(order.body.items[0]?.item_id);
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-invoice/
    const invoiced = await call('POST', `/V1/order/${orderId}/invoice`, {
      token: admin,
      body: { capture: true, items: [{ order_item_id: itemId, qty: '2' }] },
    });
    expect(invoiced.status).toBe(200);
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-create-shipment/
    const shipped = await call('POST', `/V1/order/${orderId}/ship`, {
      token: admin,
      body: { items: [{ order_item_id: itemId, qty: '1' }] },
    });
    expect(shipped.status).toBe(200);
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-issue-refund/
    const refunded = await call<number>('POST', `/V1/order/${orderId}/refund`, {
      token: admin,
      body: {
        items: [{ order_item_id: itemId, qty: '1' }],
        arguments: { shipping_amount: '0', adjustment_positive: '0', adjustment_negative: '0' },
      },
    });
    expect(refunded.status).toBe(200);
    const after = await call<{ items: Record<string, unknown>[] }>('GET', `/V1/orders/${orderId}`, {
      token: admin,
    });
    expect(after.body.items[0]).toMatchObject({ qty_invoiced: 2, qty_shipped: 1, qty_refunded: 1 });
    const memo = await call<{ grand_total: unknown }>('GET', `/V1/creditmemo/${refunded.body}`, {
      token: admin,
    });
    expect(memo.body.grand_total).toBe(10);
    const bad = await call<{ parameters: unknown }>('POST', `/V1/order/${orderId}/ship`, {
      token: admin,
      body: { items: [{ order_item_id: itemId, qty: 'one' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.parameters).toEqual({ value: 'one', type: 'float' });
  });

  it('a configurable product is added with its options and ordered as a parent and a child line', async () => {
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/configurable-product/create-simple-products/
    for (const [sku, size] of [
      ['MH01-S', '168'],
      ['MH01-M', '169'],
    ] as const) {
      await call('POST', '/V1/products', {
        token: admin,
        body: {
          product: {
            sku,
            name: `Chaz Kangeroo Hoodie-${sku.slice(-1)}`,
            price: 52,
            type_id: 'simple',
            visibility: 1,
            custom_attributes: [{ attribute_code: 'size', value: size }],
            extension_attributes: { stock_item: { qty: '5', is_in_stock: true } },
          },
        },
      });
    }
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/configurable-product/create-configurable-product/
    await call('POST', '/V1/products', {
      token: admin,
      body: {
        product: { sku: 'MH01', name: 'Chaz Kangeroo Hoodie', price: 52, type_id: 'configurable' },
      },
    });
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/configurable-product/define-config-product-options/
    await call('POST', '/V1/configurable-products/MH01/options', {
      token: admin,
      body: {
        option: {
          attribute_id: '141',
          label: 'Size',
          position: 0,
          is_use_default: true,
          values: [{ value_index: 168 }, { value_index: 169 }],
        },
      },
    });
    for (const childSku of ['MH01-S', 'MH01-M']) {
      await call('POST', '/V1/configurable-products/MH01/child', {
        token: admin,
        body: { childSku },
      });
    }
    // https://developer.adobe.com/commerce/webapi/rest/tutorials/orders/order-add-items/
    const id = (await call<string>('POST', '/V1/guest-carts')).body;
    const bare = await call<Fault>('POST', `/V1/guest-carts/${id}/items`, {
      body: { cartItem: { sku: 'MH01', qty: 1, quote_id: id } },
    });
    expect(bare.status).toBe(400);
    expect(bare.body.message).toBe('You need to choose options for your item.');
    const chosen = [{ option_id: '141', option_value: 169 }];
    const added = await call<Record<string, unknown>>('POST', `/V1/guest-carts/${id}/items`, {
      body: {
        cartItem: {
          sku: 'MH01',
          qty: 1,
          quote_id: id,
          product_option: { extension_attributes: { configurable_item_options: chosen } },
        },
      },
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({
      sku: 'MH01-M',
      name: 'Chaz Kangeroo Hoodie',
      price: 52,
      product_type: 'configurable',
      product_option: { extension_attributes: { configurable_item_options: chosen } },
    });
    await call('POST', `/V1/guest-carts/${id}/shipping-information`, {
      body: {
        addressInformation: {
          shipping_address: ADDRESS,
          billing_address: ADDRESS,
          shipping_carrier_code: 'flatrate',
          shipping_method_code: 'flatrate',
        },
      },
    });
    const placed = await call<number>('POST', `/V1/guest-carts/${id}/payment-information`, {
      body: {
        email: 'guest@example.com',
        paymentMethod: { method: 'checkmo' },
        billingAddress: ADDRESS,
      },
    });
    expect(placed.status).toBe(200);
    const order = await call<{ items: Record<string, unknown>[]; grand_total: number }>(
      'GET',
      `/V1/orders/${placed.body}`,
      { token: admin },
    );
    expect(order.body.grand_total).toBe(57);
    expect(
      order.body.items.map((i) => [i.sku, i.product_type, i.parent_item_id === undefined]),
    ).toEqual([
      ['MH01-M', 'configurable', true],
      ['MH01-M', 'simple', false],
    ]);
    expect(
      (await call('GET', '/V1/inventory/get-product-salable-quantity/MH01-M/1', { token: admin }))
        .body,
    ).toBe(4);
  });
});
