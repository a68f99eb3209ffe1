// Real Adobe Commerce answer structures (our own fixtures, see fixtures/commerce-payloads.ts):
// the zod schemas accept them, the error parser fills their placeholders, runBulk reads real
// bulk bodies, and the emulator answers with the same shapes, status codes and headers.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createCommerceClient,
  formatMagentoMessage,
  parseEntity,
  parseMagentoError,
  readCommerceWebhook,
  readIoEvent,
  runBulk,
  schemas,
} from '../src/index.js';
import * as real from './fixtures/commerce-payloads.js';

/** As it comes off the wire: undefined keys are absent. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('zod schemas accept real Adobe Commerce payloads', () => {
  it('order with a configurable parent/child pair, payment, histories and shipping_assignments', () => {
    const parsed = parseEntity(schemas.order, wire(real.order), 'order');
    const [parent, child] = parsed.items;
    expect(child?.parent_item_id).toBe(parent?.item_id);
    expect(child?.parent_item?.product_type).toBe('configurable');
    expect(parsed.payment?.additional_information).toEqual(['Check / Money order']);
    expect(parsed.status_histories?.[1]?.comment).toBeNull();
    expect(parsed.status_histories?.[1]?.is_customer_notified).toBeNull();
    const assignment = parsed.extension_attributes?.shipping_assignments?.[0];
    expect(assignment?.shipping.method).toBe('flatrate_flatrate');
    expect(assignment?.shipping.address?.address_type).toBe('shipping');
    // Unknown fields pass through untouched.
    expect(parsed.extension_attributes?.converting_from_quote).toBe(true);
    expect((parsed as Record<string, unknown>).protect_code).toBe('3f1c2a');
    expect(
      (parent?.product_option?.extension_attributes as Record<string, unknown> | undefined)
        ?.configurable_item_options,
    ).toEqual([
      { option_id: '93', option_value: 58 },
      { option_id: '144', option_value: 168 },
    ]);
  });

  it('guest order: no customer_id, null telephone and postcode', () => {
    const body = wire(real.guestOrder);
    expect('customer_id' in body).toBe(false);
    const parsed = parseEntity(schemas.order, body, 'order');
    expect(parsed.billing_address?.telephone).toBeNull();
    expect(parsed.billing_address?.postcode).toBeNull();
    expect(parsed.customer_is_guest).toBe(1);
  });

  it('customer with string default address ids and a region-less address', () => {
    const parsed = parseEntity(schemas.customer, wire(real.customer), 'customer');
    expect(parsed.default_billing).toBe('7');
    expect(parsed.addresses?.[1]?.region?.region_id).toBe(0);
    expect(parsed.addresses?.[1]?.region?.region_code).toBeNull();
    expect(parsed.extension_attributes?.is_subscribed).toBe(false);
    // Addresses zod's strict email check would refuse, which Magento stores.
    for (const email of ['jürgen@müller.example', "o'brien+shop@example.co.uk", 'a@localhost']) {
      expect(schemas.customer.safeParse({ ...wire(real.customer), email }).success).toBe(true);
    }
  });

  it('configurable product with stock_item, options, links, media, tier prices and custom options', () => {
    const parsed = parseEntity(schemas.product, wire(real.product), 'product');
    const ext = parsed.extension_attributes;
    expect(ext?.category_links?.[0]?.category_id).toBe('15');
    expect(ext?.configurable_product_options?.[0]?.attribute_id).toBe('93');
    expect(ext?.configurable_product_options?.[0]?.values?.[1]?.value_index).toBe(59);
    expect(ext?.configurable_product_links).toEqual([401, 402, 403, 404]);
    expect(ext?.stock_item?.low_stock_date).toBeNull();
    expect(parsed.media_gallery_entries?.[0]?.label).toBeNull();
    expect(parsed.tier_prices?.[0]?.extension_attributes?.website_id).toBe(0);
    expect(
      parsed.custom_attributes?.find((a) => a.attribute_code === 'category_ids')?.value,
    ).toEqual(['15', '22']);
  });

  it('source items search, invoice, credit memo and shipment', () => {
    const items = parseEntity(
      schemas.searchResult(schemas.sourceItem),
      wire(real.sourceItems),
      'sourceItems',
    );
    expect(items.items.map((i) => i.quantity)).toEqual([100, 12.5]);
    expect(parseEntity(schemas.invoice, wire(real.invoice)).items[0]?.sku).toBe('TH-01-M-Red');
    expect(parseEntity(schemas.creditMemo, wire(real.creditMemo)).invoice_id).toBe(6);
    const shipment = parseEntity(schemas.shipment, wire(real.shipment));
    expect(shipment.tracks[0]?.weight).toBeNull();
    expect(shipment.tracks[0]?.description).toBeNull();
  });

  it('search results with filter_groups, sort_orders, page_size and current_page', () => {
    const page = parseEntity(schemas.searchResult(schemas.order), wire(real.orderSearch));
    expect(page.search_criteria.filter_groups?.[1]?.filters?.length).toBe(2);
    expect(page.search_criteria.sort_orders?.[0]).toEqual({
      field: 'created_at',
      direction: 'DESC',
    });
    expect(page.search_criteria.current_page).toBe(1);
    expect(page.total_count).toBe(1);
  });

  it('fields= projections parse with partial schemas', () => {
    // GET /V1/products?…&fields=items[sku,extension_attributes[stock_item[qty]]],total_count
    const projected = {
      items: [{ sku: 'TH-01', extension_attributes: { stock_item: { qty: 0 } } }],
      total_count: 1,
    };
    expect(schemas.searchResult(schemas.product).safeParse(projected).success).toBe(false);
    const page = parseEntity(schemas.searchResult(schemas.product.partial()).partial(), projected);
    expect(page.items?.[0]?.extension_attributes?.stock_item?.qty).toBe(0);
  });

  it('bulk status, detailed status (2.4 and 2.3 shapes) and async answers', () => {
    expect(parseEntity(schemas.bulkStatus, wire(real.bulkStatus)).operations_list).toHaveLength(3);
    const detailed = parseEntity(schemas.bulkDetailedStatus, wire(real.bulkDetailedStatus));
    expect(detailed.operations_list.map((o) => o.status)).toEqual([1, 3, 2]);
    const legacy = parseEntity(schemas.bulkDetailedStatus, wire(real.bulkDetailedStatusLegacy));
    expect(legacy.operations_list[0]?.bulk_uuid).toBeUndefined();
    const search = parseEntity(
      schemas.searchResult(schemas.bulkOperation),
      wire(real.bulkOperationSearch),
    );
    expect(search.items[0]?.extension_attributes?.start_time).toBe('2026-03-04 07:05:00');
    // The status endpoints' documented sample uses 0 placeholders: still well-formed.
    expect(
      schemas.bulkStatus.safeParse({
        ...wire(real.bulkStatus),
        operations_list: [{ id: 0, status: 0, result_message: 'string', error_code: 0 }],
      }).success,
    ).toBe(true);
    expect(parseEntity(schemas.asyncResponse, wire(real.asyncAccepted)).errors).toBe(false);
    const rejected = parseEntity(schemas.asyncResponse, wire(real.asyncPartlyRejected));
    expect(rejected.request_items[1]?.error_code).toBe(0);
  });

  it('error bodies and the I/O Events envelope', () => {
    for (const body of Object.values(real.errors)) {
      expect(schemas.error.safeParse(wire(body)).success).toBe(true);
    }
    const event = parseEntity(schemas.ioEvent, wire(real.ioEvent), 'event');
    expect(event.type).toBe('com.adobe.commerce.observer.sales_order_save_after');
    expect((event.data as { value: { entity_id: unknown } }).value.entity_id).toBe('12');
  });

  it('still rejects wrong types, naming the field', () => {
    const body = wire(real.order) as { items: { qty_ordered: unknown }[] };
    (body.items[1] as { qty_ordered: unknown }).qty_ordered = 'one';
    expect(() => parseEntity(schemas.order, body, 'order')).toThrow(/order\.items\.1\.qty_ordered/);
    const status = wire(real.bulkStatus) as { operations_list: { status: unknown }[] };
    (status.operations_list[0] as { status: unknown }).status = 'complete';
    expect(schemas.bulkStatus.safeParse(status).success).toBe(false);
  });
});

describe('error parser on real error bodies', () => {
  it('substitutes named, positional and errors[] placeholders', () => {
    expect(parseMagentoError(JSON.stringify(real.errors.noSuchCustomer)).vendorMessage).toBe(
      'No such entity with customerId = 999',
    );
    expect(parseMagentoError(JSON.stringify(real.errors.positional)).vendorMessage).toBe(
      'The "abc" value\'s type is invalid. The "int" type was expected. Verify and try again.',
    );
    expect(parseMagentoError(JSON.stringify(real.errors.unauthorized)).vendorMessage).toBe(
      "The consumer isn't authorized to access Magento_Sales::actions_view.",
    );
    const aggregate = parseMagentoError(JSON.stringify(real.errors.aggregate));
    expect(aggregate.details).toEqual([
      '"email" is required. Enter and try again.',
      'Invalid value of "7" provided for the website_id field.',
    ]);
    const traced = parseMagentoError(JSON.stringify(real.errors.withTrace));
    expect(traced.vendorMessage).toContain('Report ID: webapi-');
    expect(JSON.stringify(traced)).not.toContain('ErrorProcessor.php');
  });

  it('follows PHP strtr: longest placeholder first, no re-substitution, numeric object keys', () => {
    expect(formatMagentoMessage('%fieldName vs %field', { field: 'F', fieldName: 'N' })).toBe(
      'N vs F',
    );
    const ten = Array.from({ length: 10 }, (_, i) => `p${i + 1}`);
    expect(formatMagentoMessage('%10 and %1', ten)).toBe('p10 and p1');
    expect(formatMagentoMessage('%1 %2', ['%2', 'x'])).toBe('%2 x');
    expect(formatMagentoMessage('%1 then %2', { 0: 'a', 1: 'b' })).toBe('a then b');
    expect(formatMagentoMessage('Qty %1.', [null])).toBe('Qty .');
    expect(formatMagentoMessage('100% sure, %missing', { other: 1 })).toBe('100% sure, %missing');
    // The published schema's list-of-objects shape of `parameters`.
    expect(formatMagentoMessage('access %resources', [{ resources: 'Magento_Sales::sales' }])).toBe(
      'access Magento_Sales::sales',
    );
  });
});

describe('runBulk on real bulk bodies', () => {
  function store(detailed: unknown, accepted: unknown) {
    const calls: string[] = [];
    const fetch = async (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      calls.push(`${request.method} ${new URL(request.url).pathname}`);
      const body = request.method === 'GET' ? detailed : accepted;
      return new Response(JSON.stringify(body), {
        status: request.method === 'GET' ? 200 : 202,
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
    };
    const client = createCommerceClient({
      baseUrl: 'http://store.test',
      auth: { type: 'bearer', token: 't' },
      retry: false,
      fetch,
    });
    return { client, calls };
  }

  it('2.4: maps operations by request index, decodes results, marks retriable failures', async () => {
    const accepted = {
      ...real.asyncAccepted,
      request_items: [0, 1, 2].map((id) => ({ id, data_hash: null, status: 'accepted' })),
    };
    const { client } = store(real.bulkDetailedStatus, accepted);
    const out = await runBulk(client, {
      path: '/V1/products',
      items: [{ product: { sku: 'A-1' } }, { product: { sku: '' } }, { product: { sku: 'A-3' } }],
      minDelayMs: 1,
    });
    expect(out.results.map((r) => r.status)).toEqual(['complete', 'failed', 'failed']);
    expect(out.results[0]?.result).toEqual({ id: 501, sku: 'A-1', name: 'A one', price: 10 });
    expect(out.results[1]?.retriable).toBe(false);
    expect(out.results[2]?.retriable).toBe(true);
    expect(out.results[1]?.message).toContain('"sku" attribute value is empty');
  });

  it('2.3: global operation ids are paired with accepted items in order', async () => {
    const { client } = store(real.bulkDetailedStatusLegacy, {
      bulk_uuid: real.bulkDetailedStatusLegacy.bulk_id,
      request_items: [
        { id: 0, data_hash: null, status: 'accepted' },
        { id: 1, data_hash: null, status: 'accepted' },
      ],
      errors: false,
    });
    const out = await runBulk(client, {
      path: '/V1/customers',
      items: [{ customer: { email: 'a@example.com' } }, { customer: { email: 'dup@example.com' } }],
      minDelayMs: 1,
    });
    expect(out.results.map((r) => r.status)).toEqual(['complete', 'failed']);
    expect(out.results[0]?.result).toMatchObject({ id: 31 });
    expect(out.results[1]?.message).toContain('same email address');
  });

  it('an undocumented operation status ends the wait and counts as a failure', async () => {
    const detailed = {
      ...real.bulkDetailedStatus,
      operation_count: 1,
      operations_list: [
        { ...real.bulkDetailedStatus.operations_list[1], status: 6, result_message: null },
      ],
    };
    const { client } = store(detailed, {
      ...real.asyncAccepted,
      request_items: [{ id: 0, data_hash: null, status: 'accepted' }],
    });
    const out = await runBulk(client, { path: '/V1/products', items: [{}], minDelayMs: 1 });
    expect(out.results[0]).toMatchObject({ status: 'failed', retriable: false });
    expect(out.results[0]?.message).toContain('status 6');
  });

  it('a rejected request item keeps its error_message and is not waited for', async () => {
    const detailed = {
      ...real.bulkDetailedStatus,
      bulk_id: real.asyncPartlyRejected.bulk_uuid,
      operation_count: 1,
      operations_list: [real.bulkDetailedStatus.operations_list[0]],
    };
    const { client } = store(detailed, real.asyncPartlyRejected);
    const out = await runBulk(client, {
      path: '/V1/products',
      items: [{ product: { sku: 'A-1' } }, 'not a product'],
      minDelayMs: 1,
    });
    expect(out.results.map((r) => r.status)).toEqual(['complete', 'rejected']);
    expect(out.results[1]?.message).toContain('must be of type');
    expect(out.failed).toBe(1);
  });
});

describe('webhook and I/O Events deliveries shaped like real ones', () => {
  const keys = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });

  it('a signed Commerce webhook body is verified, parsed and validated; its numbers are strings', async () => {
    const { publicKey, privateKey } = keys();
    // Pretty-printed, as some proxies forward it: the signature covers these exact bytes.
    const raw = JSON.stringify(real.commerceWebhook, null, 2);
    const request = new Request('https://hooks.example.test/cart', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-adobe-commerce-webhook-signature': sign('sha256', Buffer.from(raw), privateKey).toString(
          'base64',
        ),
      },
      body: raw,
    });
    const payload = parseEntity(
      schemas.commerceWebhook,
      await readCommerceWebhook(request, { publicKey }),
      'webhook',
    );
    expect(payload.eventName).toBe('observer.checkout_cart_product_add_before');
    expect((payload.data as { product: { price: unknown } }).product.price).toBe('52.000000');
  });

  it('a signed CloudEvents delivery passes with either key and the right recipient', async () => {
    const one = keys();
    const two = keys();
    const raw = JSON.stringify(real.ioEvent);
    const request = () =>
      new Request('https://hooks.example.test/io', {
        method: 'POST',
        headers: {
          'content-type': 'application/cloudevents+json',
          'x-adobe-digital-signature-1': 'bm90IGEgc2lnbmF0dXJl',
          'x-adobe-digital-signature-2': sign('sha256', Buffer.from(raw), two.privateKey).toString(
            'base64',
          ),
          'x-adobe-public-key1-path': '/prod/keys/pub-key-one.pem',
          'x-adobe-public-key2-path': '/prod/keys/pub-key-two.pem',
        },
        body: raw,
      });
    const event = await readIoEvent(request(), {
      publicKeys: [one.publicKey, two.publicKey],
      clientId: 'plumbline-test-client',
    });
    expect(parseEntity(schemas.ioEvent, event, 'event').specversion).toBe('1.0');
    await expect(
      readIoEvent(request(), { publicKeys: [one.publicKey, two.publicKey], clientId: 'other' }),
    ).rejects.toMatchObject({ reason: 'wrong-recipient' });
  });
});
