// Company credit over HTTP, as Adobe's page sends it
// (https://developer.adobe.com/commerce/webapi/rest/b2b/credit-manage/): the credit a new company
// gets, a new limit, balance decreases and increases, and the history entry of each operation.
// `balance` is what the company owes as a negative number; available = limit + balance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEntity, schemas } from '../../src/index.js';
import { type B2BStore, type Fault, startB2BStore } from './setup.js';

type Credit = {
  id: number;
  company_id: number;
  credit_limit: number;
  balance: number;
  available_limit: number;
};
type History = { items: Record<string, unknown>[]; total_count: number };

describe('B2B company credit over HTTP, as Adobe documents it', () => {
  let store: B2BStore;
  let companyId: number;
  let creditId: number;
  const credit = async () =>
    (await store.call<Credit>('GET', `/V1/companyCredits/${creditId}`, { token: store.admin }))
      .body;
  const history = async () =>
    (
      await store.call<History>(
        'GET',
        `/V1/companyCredits/history?searchCriteria[filter_groups][0][filters][0][field]=company_credit_id&searchCriteria[filter_groups][0][filters][0][value]=${creditId}`,
        { token: store.admin },
      )
    ).body;

  beforeAll(async () => {
    store = await startB2BStore();
    const admin = await store.customer('credit-admin@example.com', 'Cora', 'Credit');
    companyId = (await store.company('Credit Co', admin)).id;
  });
  afterAll(() => store.server.close());

  it('a new company has a credit of 0, read by company id and by credit id ("When you create a company, the credit limit is set to 0")', async () => {
    const byCompany = await store.call<Credit>('GET', `/V1/companyCredits/company/${companyId}`, {
      token: store.admin,
    });
    expect(byCompany.status).toBe(200);
    expect(parseEntity(schemas.creditLimit, byCompany.body, 'credit')).toMatchObject({
      company_id: companyId,
      credit_limit: 0,
      balance: 0,
      currency_code: 'USD',
      exceed_limit: false,
      available_limit: 0,
    });
    creditId = byCompany.body.id;
    expect(await credit()).toEqual(byCompany.body);
  });

  it('PUT /V1/companyCredits/{id} sets the limit ("Update a company credit limit") and records an Allocated entry', async () => {
    const updated = await store.call<Credit>('PUT', `/V1/companyCredits/${creditId}`, {
      token: store.admin,
      body: {
        creditLimit: {
          id: creditId,
          company_id: companyId,
          credit_limit: 1000,
          currency_code: 'USD',
        },
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      credit_limit: 1000,
      balance: 0,
      available_limit: 1000,
      exceed_limit: false,
    });
    const entries = (await history()).items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      type: 1,
      amount: 0,
      credit_limit: 1000,
      balance: 0,
      available_limit: 1000,
    });
  });

  it('decreaseBalance and increaseBalance answer true, move the balance and each leaves a history entry ("Balance operations")', async () => {
    // "Decrease the balance": the page's example (a Reimbursed operation).
    const decreased = await store.call('POST', `/V1/companyCredits/${creditId}/decreaseBalance`, {
      token: store.admin,
      body: { value: 250, currency: 'USD', operationType: 4, comment: 'issue refund' },
    });
    expect(decreased).toEqual({ status: 200, body: true });
    expect(await credit()).toMatchObject({ balance: -250, available_limit: 750 });
    // A purchase on credit (Purchased, 3).
    await store.call('POST', `/V1/companyCredits/${creditId}/decreaseBalance`, {
      token: store.admin,
      body: {
        value: 100,
        currency: 'USD',
        operationType: 3,
        options: {
          purchase_order: 'PO-7',
          order_increment: '000000007',
          currency_display: 'USD',
          currency_base: 'USD',
        },
      },
    });
    // "Increase the company credit balance": the page's example (an Updated operation).
    const increased = await store.call('POST', `/V1/companyCredits/${creditId}/increaseBalance`, {
      token: store.admin,
      body: { value: 250, currency: 'USD', operationType: 2, comment: 'update limit' },
    });
    expect(increased).toEqual({ status: 200, body: true });
    expect(await credit()).toMatchObject({
      credit_limit: 1000,
      balance: -100,
      available_limit: 900,
    });

    const entries = (await history()).items.map((e) =>
      parseEntity(schemas.creditHistoryEntry, e, 'entry'),
    );
    expect(entries.map((e) => [e.type, e.amount, e.balance, e.available_limit])).toEqual([
      [1, 0, 0, 1000],
      [4, -250, -250, 750],
      [3, -100, -350, 650],
      [2, 250, -100, 900],
    ]);
    // Magento keeps the comment as JSON (the page's history example: {"custom":"Adding PO info"}).
    expect(entries[1]).toMatchObject({
      comment: '{"custom":"issue refund"}',
      currency_operation: 'USD',
      rate: 1,
      user_type: 2,
    });
    expect(entries[2]).toMatchObject({ purchase_order: 'PO-7', comment: '' });
    expect(entries[3]?.datetime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('refuses a bad operation with a Magento error naming the field, and changes nothing', async () => {
    const before = await credit();
    const cases: [string, Record<string, unknown>, number, unknown][] = [
      [
        'increaseBalance',
        { value: 10, currency: 'USD', operationType: 3 },
        400,
        {
          message: 'Invalid value of "%value" provided for the %fieldName field.',
          parameters: { value: '3', fieldName: 'operationType' },
        },
      ],
      [
        'decreaseBalance',
        { value: 10, currency: 'USD', operationType: 1 },
        400,
        {
          message: 'Invalid value of "%value" provided for the %fieldName field.',
          parameters: { value: '1', fieldName: 'operationType' },
        },
      ],
      [
        'increaseBalance',
        { value: -5, currency: 'USD', operationType: 2 },
        400,
        {
          message: 'Invalid value of "%value" provided for the %fieldName field.',
          parameters: { value: '-5', fieldName: 'value' },
        },
      ],
      [
        'increaseBalance',
        { value: 5, currency: 'EUR', operationType: 2 },
        400,
        {
          message: 'Invalid value of "%value" provided for the %fieldName field.',
          parameters: { value: 'EUR', fieldName: 'currency' },
        },
      ],
      [
        'increaseBalance',
        { currency: 'USD', operationType: 2 },
        400,
        {
          message: '"%fieldName" is required. Enter and try again.',
          parameters: { fieldName: 'value' },
        },
      ],
    ];
    for (const [operation, body, status, answer] of cases) {
      const refused = await store.call<Fault>(
        'POST',
        `/V1/companyCredits/${creditId}/${operation}`,
        { token: store.admin, body },
      );
      expect([refused.status, refused.body], JSON.stringify(body)).toEqual([status, answer]);
    }
    const unknown = await store.call<Fault>('POST', '/V1/companyCredits/999/increaseBalance', {
      token: store.admin,
      body: { value: 5, currency: 'USD', operationType: 2 },
    });
    expect(unknown.status).toBe(404);
    expect(await credit()).toEqual(before);
  });

  it('PUT /V1/companyCredits/history/{id} adds a PO to a Reimburse entry only ("Save the credit history")', async () => {
    const entries = (await history()).items as { id: number; type: number }[];
    const reimbursed = entries.find((e) => e.type === 4)!;
    const saved = await store.call('PUT', `/V1/companyCredits/history/${reimbursed.id}`, {
      token: store.admin,
      body: { purchaseOrder: 'A12345', comment: 'Adding PO info' },
    });
    expect(saved).toEqual({ status: 200, body: true });
    const again = (await history()).items.find((e) => e.id === reimbursed.id);
    expect(again).toMatchObject({
      purchase_order: 'A12345',
      comment: '{"custom":"Adding PO info"}',
    });
    const allocated = entries.find((e) => e.type === 1)!;
    const refused = await store.call<Fault>('PUT', `/V1/companyCredits/history/${allocated.id}`, {
      token: store.admin,
      body: { purchaseOrder: 'B1' },
    });
    expect(refused.status).toBe(400);
  });

  it('GET /V1/companyCredits/ and /history search with searchCriteria ("Search credit IDs")', async () => {
    const owing = await store.call<{ items: Credit[]; total_count: number }>(
      'GET',
      '/V1/companyCredits?searchCriteria[filter_groups][0][filters][0][field]=balance&searchCriteria[filter_groups][0][filters][0][value]=0&searchCriteria[filter_groups][0][filters][0][condition_type]=lt',
      { token: store.admin },
    );
    expect(owing.body.items.map((c) => c.id)).toEqual([creditId]);
    expect(owing.body.items[0]).not.toHaveProperty('credit_comment');
    const bigLimits = await store.call<History>(
      'GET',
      '/V1/companyCredits/history?searchCriteria[filter_groups][0][filters][0][field]=credit_limit&searchCriteria[filter_groups][0][filters][0][value]=500&searchCriteria[filter_groups][0][filters][0][condition_type]=gt&searchCriteria[pageSize]=2',
      { token: store.admin },
    );
    expect(bigLimits.body.total_count).toBe(4);
    expect(bigLimits.body.items).toHaveLength(2);
  });
});
