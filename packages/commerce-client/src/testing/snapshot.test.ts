import { describe, expect, it } from 'vitest';
import { createCommerceClient } from '../client.js';
import { type CommerceEmulatorOptions, createCommerceEmulator } from './emulator.js';
import { EmulatorSnapshotError } from './snapshot.js';

function clientFor(emulator: ReturnType<typeof createCommerceEmulator>, token: string) {
  return createCommerceClient({
    baseUrl: 'http://store.test',
    auth: { type: 'bearer', token },
    retry: false,
    fetch: (input: Request | string | URL, init?: RequestInit) =>
      emulator.fetch(new Request(input, init)),
  });
}

const options: CommerceEmulatorOptions = {
  integrationTokens: ['t'],
  bulkDelayMs: 60_000,
  seed: {
    products: [
      { sku: 'TEE', name: 'Tee', price: 20 },
      { sku: 'MUG', name: 'Mug', price: 8 },
    ],
    customers: [
      { email: 'ada@example.com', firstname: 'Ada', lastname: 'L', password: 'Secret-pass-1' },
    ],
    sourceItems: [
      { sku: 'TEE', source_code: 'default', quantity: 10, status: 1 },
      { sku: 'MUG', source_code: 'default', quantity: 3, status: 1 },
    ],
    orders: [{ items: [{ sku: 'TEE', qty: 2 }], customer_email: 'ada@example.com' }],
  },
};

/** What a client sees: products, orders, salable quantities, bulk status. */
async function observe(client: ReturnType<typeof clientFor>, bulkUuid: string) {
  const product = (sku: string) =>
    client.GET('/V1/products/{sku}', { params: { path: { sku } } }).then((r) => r.data);
  const salable = (sku: string) =>
    client
      .GET('/V1/inventory/get-product-salable-quantity/{sku}/{stockId}', {
        params: { path: { sku, stockId: 1 } },
      })
      .then((r) => r.data);
  return {
    products: [await product('TEE'), await product('MUG'), await product('NEW')],
    orders: (
      await client.GET('/V1/orders', {
        params: { query: { 'searchCriteria[pageSize]': 10 } as never },
      })
    ).data,
    invoices: (
      await client.GET('/V1/invoices', {
        params: { query: { 'searchCriteria[pageSize]': 10 } as never },
      })
    ).data,
    salable: [await salable('TEE'), await salable('MUG')],
    bulk: (await client.GET('/V1/bulk/{bulkUuid}/status', { params: { path: { bulkUuid } } })).data,
  };
}

describe('commerce emulator snapshot', () => {
  it('restores exactly what the API answered, tokens, id counters and queued bulk operations', async () => {
    const first = createCommerceEmulator(options);
    const admin = createCommerceClient({
      baseUrl: 'http://store.test',
      auth: { type: 'admin', username: 'admin', password: 'admin123' },
      retry: false,
      fetch: (input: Request | string | URL, init?: RequestInit) =>
        first.fetch(new Request(input, init)),
    });
    const issued = first.issueAdminToken();
    const client = clientFor(first, 't');
    // Mutate through the real client: a new product, an invoice, a queued bulk.
    await admin.POST('/V1/products', { body: { product: { sku: 'NEW', name: 'New', price: 5 } } });
    await client.POST('/V1/order/{orderId}/invoice', {
      params: { path: { orderId: 1 } },
      body: {},
    });
    const queued = await client.POST('/async/bulk/V1/products', {
      body: [{ product: { sku: 'BULK-1', name: 'Bulk 1', price: 3 } }],
    });
    const uuid = queued.data?.bulk_uuid as string;
    const before = await observe(client, uuid);
    expect(before.bulk?.operations_list.map((o) => o.status)).toEqual([4]);
    // How to re-run the operation is the emulator's business, not part of Magento's answer.
    expect(Object.keys(before.bulk ?? {})).not.toContain('resume');
    expect(before.products.map((p) => p?.sku)).toEqual(['TEE', 'MUG', 'NEW']);
    expect(before.orders?.total_count).toBe(1);
    expect(before.invoices?.total_count).toBe(1);
    expect(before.salable).toEqual([8, 3]);

    const text = JSON.stringify(first.snapshot());
    // No secret reaches the snapshot: issued tokens and passwords appear only as digests.
    expect(text).not.toContain(issued);
    expect(text).not.toContain('Secret-pass-1');
    const second = createCommerceEmulator({ ...options, snapshot: JSON.parse(text) });
    const after = await observe(clientFor(second, 't'), uuid);
    expect(after).toEqual(before);

    // The token issued before still works; the customer still logs in with the password.
    const byToken = await clientFor(second, issued).GET('/V1/products/{sku}', {
      params: { path: { sku: 'NEW' } },
    });
    expect(byToken.response.status).toBe(200);
    const login = await second.fetch(
      new Request('http://store.test/rest/V1/integration/customer/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ada@example.com', password: 'Secret-pass-1' }),
      }),
    );
    expect(login.status).toBe(200);

    // Id counters continue: both emulators give the next product the same id.
    const next = async (e: ReturnType<typeof createCommerceEmulator>) =>
      (
        await clientFor(e, 't').POST('/V1/products', {
          body: { product: { sku: 'NEXT', name: 'Next', price: 1 } },
        })
      ).data?.id;
    expect(await next(second)).toBe(await next(first));

    // The queued operation runs in the restored emulator.
    await second.drainBulk();
    const done = await clientFor(second, 't').GET('/V1/bulk/{bulkUuid}/status', {
      params: { path: { bulkUuid: uuid } },
    });
    expect(done.data?.operations_list.map((o) => o.status)).toEqual([1]);
    expect(second.state.products.get('BULK-1')?.price).toBe(3);
  });

  it('refuses a snapshot of another version, or a malformed one, naming the field', () => {
    const good = JSON.parse(JSON.stringify(createCommerceEmulator(options).snapshot()));
    const attempt = (snapshot: unknown) => () =>
      createCommerceEmulator({ snapshot: snapshot as never });
    expect(attempt({ ...good, version: 2 })).toThrow(EmulatorSnapshotError);
    expect(attempt({ ...good, version: 2 })).toThrow(/version is 2/);
    expect(attempt({ ...good, emulator: 'netsuite' })).toThrow(/emulator is "netsuite"/);
    expect(attempt({ ...good, orders: 'x' })).toThrow(/orders must be an array/);
    expect(attempt({ ...good, products: [['A']] })).toThrow(/products\[0\] must be a \[key/);
    expect(attempt('nope')).toThrow(/snapshot must be an object/);
    try {
      attempt({ ...good, version: 0 })();
    } catch (error) {
      expect((error as EmulatorSnapshotError).code).toBe('EMULATOR_SNAPSHOT_INVALID');
    }
  });
});

describe('snapshot of a checkout in progress', () => {
  it('keeps a customer cart with its shipping information, so it can be paid for after the restore', async () => {
    const before = createCommerceEmulator(options);
    const send = async (
      emulator: ReturnType<typeof createCommerceEmulator>,
      method: string,
      path: string,
      body?: unknown,
      token?: string,
    ) => {
      const response = await emulator.fetch(
        new Request(`http://store.test/rest/default${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }),
      );
      return { status: response.status, body: await response.json() };
    };
    const login = { username: 'ada@example.com', password: 'Secret-pass-1' };
    const token = (await send(before, 'POST', '/V1/integration/customer/token', login))
      .body as string;
    const quoteId = (await send(before, 'POST', '/V1/carts/mine', undefined, token)).body as number;
    await send(before, 'POST', '/V1/carts/mine/items', { cartItem: { sku: 'MUG', qty: 2 } }, token);
    const address = {
      firstname: 'Ada',
      lastname: 'L',
      street: ['1 Analytical Row'],
      city: 'London',
      postcode: 'N1 1AA',
      country_id: 'GB',
      telephone: '020 7946 0000',
    };
    const info = {
      addressInformation: {
        shipping_address: address,
        billing_address: address,
        shipping_carrier_code: 'flatrate',
        shipping_method_code: 'flatrate',
      },
    };
    expect(
      (await send(before, 'POST', '/V1/carts/mine/shipping-information', info, token)).status,
    ).toBe(200);

    const after = createCommerceEmulator({
      integrationTokens: ['t'],
      snapshot: JSON.parse(JSON.stringify(before.snapshot())),
    });
    const totals = await send(after, 'GET', '/V1/carts/mine/totals', undefined, token);
    expect(totals.body).toMatchObject({ subtotal: 16, shipping_amount: 10, grand_total: 26 });
    const paid = await send(
      after,
      'POST',
      '/V1/carts/mine/payment-information',
      { paymentMethod: { method: 'checkmo' } },
      token,
    );
    expect(paid.status).toBe(200);
    const order = await send(after, 'GET', `/V1/orders/${paid.body}`, undefined, 't');
    expect(order.body).toMatchObject({
      quote_id: quoteId,
      grand_total: 26,
      customer_email: 'ada@example.com',
    });
    // The quote id counter came back too: the next cart gets a new id.
    const next = (await send(after, 'POST', '/V1/carts/mine', undefined, token)).body as number;
    expect(next).toBeGreaterThan(quoteId);
  });
});

describe('snapshot of returns and payment transactions', () => {
  const lifecycle: CommerceEmulatorOptions = {
    integrationTokens: ['t'],
    seed: {
      products: [{ sku: 'TEE', name: 'Tee', price: 20 }],
      sourceItems: [{ sku: 'TEE', source_code: 'default', quantity: 10, status: 1 }],
    },
  };

  it('keeps returns with their items, comments and tracks, and transactions, and goes on from them', async () => {
    const before = createCommerceEmulator(lifecycle);
    const order = before.state.placeOrder({
      items: [{ sku: 'TEE', qty: 2 }],
      payment_action: 'authorize',
    });
    const orderId = Number(order.entity_id);
    const itemId = Number(order.items[0]?.item_id);
    const client = clientFor(before, 't');
    await client.POST('/V1/order/{orderId}/invoice', {
      params: { path: { orderId } },
      body: { capture: true },
    });
    await client.POST('/V1/order/{orderId}/ship', { params: { path: { orderId } } });
    const created = await client.POST('/V1/returns', {
      body: {
        rmaDataObject: {
          order_id: orderId,
          items: [
            {
              order_item_id: itemId,
              qty_requested: 1,
              reason: 'Wrong Size',
              condition: 'Opened',
              resolution: 'Refund',
            },
          ],
        },
      },
    });
    const rmaId = Number(created.data?.entity_id);
    await client.POST('/V1/returns/{id}/tracking-numbers', {
      params: { path: { id: rmaId } },
      body: { track: { track_number: 'T1', carrier_code: 'ups', carrier_title: 'UPS' } },
    });
    await client.POST('/V1/returns/{id}/comments', {
      params: { path: { id: rmaId } },
      body: { data: { comment: 'On its way' } },
    });
    const seen = async (emulator: ReturnType<typeof createCommerceEmulator>) => {
      const c = clientFor(emulator, 't');
      return {
        rma: (await c.GET('/V1/returns/{id}', { params: { path: { id: rmaId } } })).data,
        transactions: (
          await c.GET('/V1/transactions', {
            params: { query: { 'searchCriteria[pageSize]': 10 } as never },
          })
        ).data,
      };
    };
    const expected = await seen(before);
    expect(expected.rma?.tracks).toHaveLength(1);
    expect(expected.transactions?.total_count).toBe(2);

    const after = createCommerceEmulator({
      integrationTokens: ['t'],
      snapshot: JSON.parse(JSON.stringify(before.snapshot())),
    });
    expect(await seen(after)).toEqual(expected);
    // The restored return goes on through its states.
    const rmaItem = expected.rma?.items[0];
    const put = await clientFor(after, 't').PUT('/V1/returns/{id}', {
      params: { path: { id: rmaId } },
      body: {
        rmaDataObject: {
          order_id: orderId,
          items: [
            {
              entity_id: rmaItem?.entity_id,
              order_item_id: itemId,
              status: 'authorized',
              qty_authorized: 1,
            },
          ],
        },
      },
    });
    expect(put.data?.status).toBe('authorized');
  });

  it('restores a snapshot written before returns and transactions were emulated', () => {
    const snapshot = JSON.parse(JSON.stringify(createCommerceEmulator(lifecycle).snapshot()));
    delete snapshot.returns;
    delete snapshot.transactions;
    const restored = createCommerceEmulator({ snapshot });
    expect(restored.state.returns.size).toBe(0);
    expect(restored.state.transactions.size).toBe(0);
    expect(() =>
      createCommerceEmulator({ snapshot: { ...snapshot, returns: 'x' } as never }),
    ).toThrow(/returns must be an array/);
  });
});
