import { AbortedError, HttpError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import {
  AsyncJobError,
  createNetSuiteClient,
  createRecord,
  createRecordAsync,
  deleteRecord,
  getRecord,
  getRecordByExternalId,
  listRecords,
  NetSuiteArgumentError,
  type NetSuiteClient,
  recordIds,
  schemas,
  transformRecord,
  transformRecordAsync,
  updateRecord,
  upsertByExternalId,
} from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

let accounts = 0;

/** A client on an in-process emulator (no auth configured: these tests are about records). */
function setup(
  wrap?: (handler: (r: Request) => Promise<Response>) => (r: Request) => Promise<Response>,
  asyncPollsToComplete = 2,
) {
  const accountId = `8000${++accounts}`;
  const emulator = createNetSuiteEmulator({ accountId, asyncPollsToComplete });
  const handler = wrap ? wrap(emulator.fetch) : emulator.fetch;
  const client = createNetSuiteClient({
    accountId,
    auth: { authorize: async (r) => r, secrets: () => [] },
    baseUrl: 'https://emulator.test',
    retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5 },
    fetch: (input: string | URL | Request, init?: RequestInit) =>
      handler(input instanceof Request ? input : new Request(input, init)),
  });
  return { emulator, client };
}

async function seedOrder(client: NetSuiteClient) {
  const customer = await createRecord(client, 'customer', {
    companyName: 'Acme',
    externalId: 'C-1',
  });
  const item = await createRecord(client, 'inventoryItem', { itemId: 'WIDGET', basePrice: 5 });
  const order = await createRecord(client, 'salesOrder', {
    entity: { id: customer.id },
    item: {
      items: [
        { item: { id: item.id }, quantity: 2, rate: 5, amount: 10 },
        { item: { id: item.id }, quantity: 1, rate: 5, amount: 5 },
      ],
    },
  });
  return { customer, item, order };
}

describe('records', () => {
  it('creates (id from Location), reads with fields and expanded sublists, updates and deletes', async () => {
    const { client } = setup();
    const { customer, order } = await seedOrder(client);
    expect(customer.id).toBe('1');
    expect(customer.location).toBe('https://emulator.test/services/rest/record/v1/customer/1');

    const read = await getRecord(client, 'customer', customer.id, { schema: schemas.customer });
    expect(read).toMatchObject({ id: '1', companyName: 'Acme', externalId: 'C-1' });
    const onlyName = await getRecord(client, 'customer', customer.id, { fields: ['companyName'] });
    expect(Object.keys(onlyName).sort()).toEqual(['companyName', 'id', 'links']);

    const collapsed = await getRecord(client, 'salesOrder', order.id, {
      schema: schemas.salesOrder,
    });
    expect(collapsed.item?.items).toBeUndefined();
    const expanded = await getRecord(client, 'salesOrder', order.id, {
      expandSubResources: true,
      schema: schemas.salesOrder,
    });
    expect(expanded.item?.items?.map((l) => l.quantity)).toEqual([2, 1]);
    expect(expanded.entity).toEqual({
      id: '1',
      refName: 'Acme',
      links: [{ rel: 'self', href: 'https://emulator.test/services/rest/record/v1/customer/1' }],
    });
    // The sublist's own link answers with its lines, as NetSuite's sub-resource does.
    const itemLink = (collapsed.item?.links?.[0]?.href ?? '').replace(
      'https://emulator.test/services/rest',
      '',
    );
    expect(itemLink).toBe(`/record/v1/salesorder/${order.id}/item`);
    const sublist = await (client as any).request('get', itemLink, {});
    expect((sublist.data as { items: unknown[] }).items).toHaveLength(2);

    // PATCH merges lines by `line`; with replace=item the sublist is replaced.
    await updateRecord(client, 'salesOrder', order.id, {
      memo: 'rush',
      item: { items: [{ line: 1, quantity: 3 }] },
    });
    let lines = (await getRecord(client, 'salesOrder', order.id, { expandSubResources: true }))
      .item as { items: { quantity: number }[] };
    expect(lines.items.map((l) => l.quantity)).toEqual([3, 1]);
    await updateRecord(
      client,
      'salesOrder',
      order.id,
      { item: { items: [{ item: { id: '1' }, quantity: 7 }] } },
      { replace: ['item'] },
    );
    lines = (await getRecord(client, 'salesOrder', order.id, { expandSubResources: true }))
      .item as { items: { quantity: number }[] };
    expect(lines.items.map((l) => l.quantity)).toEqual([7]);

    await deleteRecord(client, 'customer', customer.id);
    const gone = await getRecord(client, 'customer', customer.id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(HttpError);
    expect((gone as HttpError).status).toBe(404);
    expect((gone as HttpError).vendorCode).toBe('NONEXISTENT_ID');
    expect((gone as HttpError).message).toContain('The record instance does not exist');
  });

  it('upserts by external id: creates once, then updates the same record', async () => {
    const { client, emulator } = setup();
    const first = await upsertByExternalId(client, 'customer', 'SHOP 42/á', {
      companyName: 'First Name',
    });
    const second = await upsertByExternalId(client, 'customer', 'SHOP 42/á', {
      companyName: 'Renamed',
    });
    expect(second.id).toBe(first.id);
    expect(emulator.state.count('customer')).toBe(1);
    const byEid = await getRecordByExternalId(client, 'customer', 'SHOP 42/á');
    expect(byEid).toMatchObject({ id: first.id, companyName: 'Renamed', externalId: 'SHOP 42/á' });
  });

  it('transforms a sales order into an item fulfillment and an invoice', async () => {
    const { client } = setup();
    const { order } = await seedOrder(client);
    const fulfillment = await transformRecord(client, 'salesOrder', order.id, 'itemFulfillment');
    const invoice = await transformRecord(client, 'salesOrder', order.id, 'invoice', {
      memo: 'net 30',
    });
    const f = await getRecord(client, 'itemFulfillment', fulfillment.id, {
      expandSubResources: true,
      schema: schemas.itemFulfillment,
    });
    expect(f.createdFrom?.id).toBe(order.id);
    expect(f.item?.items?.map((l) => [l.orderLine, l.quantity])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    const i = await getRecord(client, 'invoice', invoice.id, { schema: schemas.invoice });
    expect(i).toMatchObject({ memo: 'net 30', entity: { id: '1' } });
  });

  it('lists ids with q, limit and offset, and iterates every id', async () => {
    const { client, emulator } = setup();
    emulator.state.insert(
      'customer',
      Array.from({ length: 25 }, (_, i) => ({ companyName: i % 2 ? `Odd ${i}` : `Even ${i}` })),
    );
    const page = await listRecords(client, 'customer', {
      q: 'companyName START_WITH "Odd"',
      limit: 5,
    });
    expect(schemas.recordList.parse(page).items).toHaveLength(5);
    expect(page.totalResults).toBe(12);
    expect(page.hasMore).toBe(true);
    const ids: string[] = [];
    for await (const id of recordIds(client, 'customer', { pageSize: 10 })) ids.push(id);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1)));
    const bad = await listRecords(client, 'customer', { limit: 10, offset: 5 }).catch((e) => e);
    expect(bad).toMatchObject({ status: 400, vendorCode: 'INVALID_PARAMETER' });
  });

  it('turns a required-field error into a typed error with every o:errorDetails entry', async () => {
    const { client } = setup();
    const error = await createRecord(client, 'salesOrder', { memo: 'no customer' }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.vendorCode).toBe('USER_ERROR');
    expect(error.details).toEqual([
      expect.objectContaining({ 'o:errorPath': 'entity', 'o:errorCode': 'USER_ERROR' }),
    ]);
    expect(error.message).toContain('Please enter value(s) for: Customer');
  });

  it('rejects bad arguments with a typed error naming the argument', async () => {
    const { client } = setup();
    await expect(getRecord(client, 'customer', '')).rejects.toThrow(NetSuiteArgumentError);
    await expect(getRecord(client, '../etc' as never, '1')).rejects.toThrow(/`type`/);
    await expect(createRecord(client, 'customer', [] as never)).rejects.toThrow(/`body`/);
  });
});

describe('asynchronous requests', () => {
  it('creates through a job (202 + Location), polls it and reads the result', async () => {
    const { client, emulator } = setup();
    const created = await createRecordAsync(
      client,
      'customer',
      { companyName: 'Async Co' },
      { pollIntervalMs: 1 },
    );
    expect(created.repeated).toBe(false);
    expect(emulator.state.get('customer', created.id)?.companyName).toBe('Async Co');
    expect(emulator.state.jobs.get(created.jobId)?.status).toBe(204);
  });

  it('keeps one idempotency key across a lost response and follows the earlier job: one record', async () => {
    let dropped = 0;
    const { client, emulator } = setup((handler) => async (request) => {
      const response = await handler(request);
      // The first asynchronous create is processed but its answer is lost on the way back.
      if (request.headers.has('x-netsuite-idempotency-key') && dropped === 0) {
        dropped++;
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      }
      return response;
    });
    const key = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
    const created = await createRecordAsync(
      client,
      'customer',
      { companyName: 'Exactly Once' },
      { idempotencyKey: key, pollIntervalMs: 1 },
    );
    expect(dropped).toBe(1);
    expect(created.repeated).toBe(true);
    expect(created.idempotencyKey).toBe(key);
    expect(emulator.state.count('customer')).toBe(1);
    expect(emulator.state.get('customer', created.id)?.companyName).toBe('Exactly Once');

    // A second run of the same logical write (e.g. after a crash) also finds the first job.
    const again = await createRecordAsync(
      client,
      'customer',
      { companyName: 'Exactly Once' },
      { idempotencyKey: key, pollIntervalMs: 1 },
    );
    expect(again).toMatchObject({ id: created.id, repeated: true });
    expect(emulator.state.count('customer')).toBe(1);
  });

  it('reports a failed job as AsyncJobError with NetSuite details', async () => {
    const { client } = setup();
    const error = await createRecordAsync(client, 'salesOrder', {}, { pollIntervalMs: 1 }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 'ASYNC_JOB_FAILED' });
    expect(error.message).toContain('Please enter value(s) for: Customer');
    expect(error.details[0]['o:errorCode']).toBe('USER_ERROR');
  });

  it('transforms asynchronously', async () => {
    const { client } = setup();
    const { order } = await seedOrder(client);
    const invoice = await transformRecordAsync(
      client,
      'salesOrder',
      order.id,
      'invoice',
      {},
      {
        pollIntervalMs: 1,
      },
    );
    const read = await getRecord(client, 'invoice', invoice.id);
    expect(read).toMatchObject({ createdFrom: { id: order.id } });
  });

  it('gives up on a job that is still running after timeoutMs: ASYNC_JOB_TIMEOUT with its last progress', async () => {
    const { client } = setup(undefined, 1_000_000);
    const error = await createRecordAsync(
      client,
      'customer',
      { companyName: 'Slow' },
      { pollIntervalMs: 2, timeoutMs: 40 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AsyncJobError);
    expect(error).toMatchObject({ code: 'ASYNC_JOB_TIMEOUT', progress: 'pending' });
    expect((error as AsyncJobError).message).toContain('did not complete within 40 ms');
  });

  it("stops polling when the caller's signal aborts, with AbortedError", async () => {
    const controller = new AbortController();
    let jobReads = 0;
    const { client } = setup(
      (handler) => async (request) => {
        if (/\/async\/v1\/job\/[^/]+$/.test(new URL(request.url).pathname)) {
          jobReads++;
          if (jobReads === 2) controller.abort(new Error('shutting down'));
        }
        return handler(request);
      },
      1_000_000,
    );
    const error = await createRecordAsync(
      client,
      'customer',
      { companyName: 'Aborted' },
      { pollIntervalMs: 1, signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect(jobReads).toBe(2);
  });
});
