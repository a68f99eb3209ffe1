// Negotiable quotes over HTTP, as Adobe's pages send them (admin token for every quote call):
// - https://developer.adobe.com/commerce/webapi/rest/b2b/negotiable-manage/ (request, submit, decline, comments)
// - https://developer.adobe.com/commerce/webapi/rest/b2b/negotiable-order-workflow/ (update, GET /V1/carts/{id})
// - states: https://developer.adobe.com/commerce/webapi/rest/b2b/negotiable-quote/
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEntity, schemas } from '../../src/index.js';
import { type B2BStore, type Fault, startB2BStore } from './setup.js';

type Cart = { id: number; extension_attributes?: { negotiable_quote?: Record<string, unknown> } };

describe('B2B negotiable quotes over HTTP, as Adobe documents them', () => {
  let store: B2BStore;
  let buyerToken: string;
  let buyerId: number;
  const quoteOf = async (id: number) =>
    (await store.call<Cart>('GET', `/V1/carts/${id}`, { token: store.admin })).body
      .extension_attributes?.negotiable_quote;
  /**
   * A buyer's cart with 10 of a $22 item. The first is made through the customer's own cart routes
   * (Adobe's prerequisite); `POST /V1/carts/mine` answers that open cart again, so the next ones
   * are placed in the emulator's state directly.
   */
  let carts = 0;
  const cartWithItems = async () => {
    if (carts++ > 0) {
      const id = store.emulator.state.nextId('quote');
      store.emulator.state.carts.set(String(id), {
        id,
        customerId: buyerId,
        items: [{ sku: '24-UG03', qty: 10, item_id: 1000 + id }],
      });
      return id;
    }
    const id = (await store.call<number>('POST', '/V1/carts/mine', { token: buyerToken })).body;
    await store.call('POST', '/V1/carts/mine/items', {
      token: buyerToken,
      body: { cartItem: { sku: '24-UG03', qty: 10, quote_id: String(id) } },
    });
    return id;
  };
  const request = (quoteId: number, quoteName = 'First quote') =>
    store.call('POST', '/V1/negotiableQuote/request', {
      token: store.admin,
      body: {
        quoteId,
        quoteName,
        comment: 'Requesting a 5% discount',
        files: [{ base64_encoded_data: 'VGhhbmsgeW91IGZvciByZWFkaW5nLg==', name: 'quote.txt' }],
      },
    });

  beforeAll(async () => {
    store = await startB2BStore();
    store.emulator.state.saveProduct({
      sku: '24-UG03',
      name: 'Strength Band Kit',
      price: 22,
      attribute_set_id: 4,
    });
    store.emulator.state.saveSourceItem({
      sku: '24-UG03',
      source_code: 'default',
      quantity: 1000,
      status: 1,
    });
    const admin = await store.customer('quote-admin@example.com', 'Quinn', 'Admin');
    const companyId = (await store.company('Quote Co', admin)).id;
    store.emulator.state.saveCustomer(
      {
        email: 'buyer@example.com',
        firstname: 'Bryce',
        lastname: 'Martin',
        extension_attributes: { company_attributes: { company_id: companyId } },
      },
      { password: 'Buyer-pass-1' },
    );
    buyerId = [...store.emulator.state.customers.values()].find(
      (c) => c.email === 'buyer@example.com',
    )!.id as number;
    buyerToken = (
      await store.call<string>('POST', '/V1/integration/customer/token', {
        body: { username: 'buyer@example.com', password: 'Buyer-pass-1' },
      })
    ).body;
  });
  afterAll(() => store.server.close());

  it('request answers true and the quote is created, with the buyer comment and attachment ("Request a negotiable quote")', async () => {
    const quoteId = await cartWithItems();
    expect(await request(quoteId)).toEqual({ status: 200, body: true });
    const quote = parseEntity(schemas.negotiableQuote, await quoteOf(quoteId), 'negotiable_quote');
    expect(quote).toMatchObject({
      quote_id: quoteId,
      status: 'created',
      quote_name: 'First quote',
      creator_type: 3,
      creator_id: buyerId,
      original_total_price: 220,
      negotiated_total_price: 220,
    });
    const comments = await store.call<unknown[]>('GET', `/V1/negotiableQuote/${quoteId}/comments`, {
      token: store.admin,
    });
    const [first] = comments.body.map((c) =>
      parseEntity(schemas.negotiableQuoteComment, c, 'comment'),
    );
    expect(first).toMatchObject({
      parent_id: quoteId,
      creator_type: 3,
      is_decline: 0,
      comment: 'Requesting a 5% discount',
    });
    expect(first?.attachments).toEqual([
      expect.objectContaining({ file_name: 'quote.txt', file_type: null }),
    ]);
    const twice = await request(quoteId);
    expect(twice.status).toBe(400);
  });

  it('the seller updates (processing_by_admin, answers []) and submits to the buyer (submitted_by_admin, answers true)', async () => {
    const quoteId = await cartWithItems();
    await request(quoteId, 'Discount request');
    const updated = await store.call('PUT', `/V1/negotiableQuote/${quoteId}`, {
      token: store.admin,
      body: {
        quote: {
          id: quoteId,
          extension_attributes: {
            negotiable_quote: { negotiated_price_type: 1, negotiated_price_value: 2.5 },
          },
        },
      },
    });
    expect(updated).toEqual({ status: 200, body: [] });
    expect(await quoteOf(quoteId)).toMatchObject({
      status: 'processing_by_admin',
      original_total_price: 220,
      negotiated_total_price: 214.5,
    });
    const submitted = await store.call('POST', '/V1/negotiableQuote/submitToCustomer', {
      token: store.admin,
      body: { quoteId, comment: 'We have applied a 2.5% discount to your order.' },
    });
    expect(submitted).toEqual({ status: 200, body: true });
    expect((await quoteOf(quoteId))?.status).toBe('submitted_by_admin');
    // Submitted quotes are with the buyer: the seller can neither decline nor submit again.
    const decline = await store.call<Fault>('POST', '/V1/negotiableQuote/decline', {
      token: store.admin,
      body: { quoteId, reason: 'late' },
    });
    expect(decline).toEqual({
      status: 400,
      body: {
        message: 'The quote %1 cannot be changed in the %2 state.',
        parameters: [quoteId, 'submitted_by_admin'],
      },
    });
    // Past its expiration date a submitted quote is expired.
    await store
      .call('PUT', `/V1/negotiableQuote/${quoteId}`, {
        token: store.admin,
        body: { quote: { extension_attributes: { negotiable_quote: {} } } },
      })
      .catch(() => undefined);
    store.emulator.state.b2b.negotiableQuotes.quotes.get(quoteId)!.expiration_period = '2000-01-01';
    expect((await quoteOf(quoteId))?.status).toBe('expired');
  });

  it('decline answers true, the quote is declined and its custom pricing removed ("Decline a quote")', async () => {
    const quoteId = await cartWithItems();
    await request(quoteId);
    await store.call('PUT', `/V1/negotiableQuote/${quoteId}`, {
      token: store.admin,
      body: {
        quote: {
          extension_attributes: {
            negotiable_quote: { negotiated_price_type: 3, negotiated_price_value: 150 },
          },
        },
      },
    });
    expect((await quoteOf(quoteId))?.negotiated_total_price).toBe(150);
    const declined = await store.call('POST', '/V1/negotiableQuote/decline', {
      token: store.admin,
      body: { quoteId, reason: 'Your order is too large. ' },
    });
    expect(declined).toEqual({ status: 200, body: true });
    expect(await quoteOf(quoteId)).toMatchObject({
      status: 'declined',
      negotiated_price_type: null,
      negotiated_total_price: 220,
    });
    const comments = await store.call<{ is_decline: number; comment: string }[]>(
      'GET',
      `/V1/negotiableQuote/${quoteId}/comments`,
      { token: store.admin },
    );
    expect(comments.body.at(-1)).toMatchObject({
      is_decline: 1,
      comment: 'Your order is too large. ',
    });
    const noReason = await store.call<Fault>('POST', '/V1/negotiableQuote/decline', {
      token: store.admin,
      body: { quoteId },
    });
    expect(noReason.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'reason' },
    });
  });

  it('draft answers the bare new quote id; a request without a name or for an unknown cart is refused; quotes are listed by /V1/carts/search', async () => {
    const draft = await store.call('POST', '/V1/negotiableQuote/draft', {
      token: store.admin,
      body: { customerId: buyerId },
    });
    expect(draft.status).toBe(200);
    expect(typeof draft.body).toBe('number');
    expect((await quoteOf(draft.body as number))?.status).toBe('draft_by_admin');
    const noName = await store.call<Fault>('POST', '/V1/negotiableQuote/request', {
      token: store.admin,
      body: { quoteId: 999 },
    });
    expect(noName.body).toEqual({
      message: '"%fieldName" is required. Enter and try again.',
      parameters: { fieldName: 'quoteName' },
    });
    const unknown = await store.call<Fault>('POST', '/V1/negotiableQuote/request', {
      token: store.admin,
      body: { quoteId: 999, quoteName: 'x' },
    });
    expect(unknown.status).toBe(404);
    const listed = await store.call<{ items: Cart[]; total_count: number }>(
      'GET',
      '/V1/carts/search?searchCriteria[currentPage]=1',
      { token: store.admin },
    );
    const statuses = listed.body.items
      .map((c) => c.extension_attributes?.negotiable_quote?.status)
      .filter(Boolean);
    expect(statuses).toEqual(
      expect.arrayContaining(['created', 'expired', 'declined', 'draft_by_admin']),
    );
  });
});
