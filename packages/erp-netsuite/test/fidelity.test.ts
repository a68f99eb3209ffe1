import { describe, expect, it } from 'vitest';
import {
  type components,
  createNetSuiteClient,
  createRecord,
  createRecordAsync,
  getRecord,
  HttpError,
  listRecords,
  netSuiteErrorDetails,
  parseNetSuiteError,
  recordIds,
  schemas,
  submitAsync,
  transformRecord,
} from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';
import {
  asyncFlow,
  contactRecord,
  creditMemoRecord,
  customerRecord,
  errors,
  inventoryItemRecord,
  invoiceRecord,
  itemFulfillmentRecord,
  locationRecord,
  metadataCatalogListing,
  recordListPage,
  returnAuthorizationRecord,
  salesOrderRecord,
  shortRecordList,
  suiteqlResponsePage,
} from './fixtures/netsuite-payloads.js';

// ---------------------------------------------------------------------------------------------
// Structure comparison: the JSON kind of every key both sides have, recursively (arrays by their
// first element), so the emulator's answers can be held against NetSuite's payloads.

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function shapeMismatches(actual: unknown, expected: unknown, path = '$'): string[] {
  const a = kind(actual);
  const e = kind(expected);
  if (a !== e) return [`${path}: ${a} where NetSuite has ${e}`];
  if (a === 'array') {
    const [first] = actual as unknown[];
    const [model] = expected as unknown[];
    return first === undefined || model === undefined
      ? []
      : shapeMismatches(first, model, `${path}[0]`);
  }
  if (a !== 'object') return [];
  const out: string[] = [];
  const act = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected as Record<string, unknown>)) {
    if (key in act) out.push(...shapeMismatches(act[key], value, `${path}.${key}`));
  }
  return out;
}

const LINK = { rel: expect.any(String), href: expect.stringMatching(/^https?:\/\//) };
const REFERENCE = {
  links: [LINK],
  id: expect.stringMatching(/^\d+$/),
  refName: expect.any(String),
};

/** A response body as the untyped JSON the tests pick apart. */
async function read(response: Response | Promise<Response>): Promise<any> {
  return (await response).json();
}

let accounts = 0;
function emulated() {
  const accountId = `7700${++accounts}`;
  const emulator = createNetSuiteEmulator({ accountId, asyncPollsToComplete: 1 });
  const client = createNetSuiteClient({
    accountId,
    auth: { authorize: async (r) => r, secrets: () => [] },
    baseUrl: 'https://emulator.test',
    retry: false,
    fetch: (input: string | URL | Request, init?: RequestInit) =>
      emulator.fetch(input instanceof Request ? input : new Request(input, init)),
  });
  const raw = (path: string, init?: RequestInit) =>
    emulator.fetch(new Request(`https://emulator.test/services/rest${path}`, init));
  return { emulator, client, raw };
}

// ---------------------------------------------------------------------------------------------

describe('zod schemas accept NetSuite record JSON', () => {
  const cases = [
    ['customer', schemas.customer, customerRecord],
    ['contact', schemas.contact, contactRecord],
    ['salesOrder', schemas.salesOrder, salesOrderRecord],
    ['inventoryItem', schemas.inventoryItem, inventoryItemRecord],
    ['itemFulfillment', schemas.itemFulfillment, itemFulfillmentRecord],
    ['invoice', schemas.invoice, invoiceRecord],
    ['creditMemo', schemas.creditMemo, creditMemoRecord],
    ['returnAuthorization', schemas.returnAuthorization, returnAuthorizationRecord],
    ['location', schemas.location, locationRecord],
  ] as const;

  it.each(cases)(
    '%s: parses and keeps every field, custom fields included',
    (_, schema, record) => {
      const parsed = schema.parse(record);
      expect(parsed).toEqual(record);
    },
  );

  it('types references, select values, numbers, booleans and dates as NetSuite sends them', () => {
    const order = schemas.salesOrder.parse(salesOrderRecord);
    expect(order.entity).toEqual({
      links: [{ rel: 'self', href: expect.stringContaining('/customer/107') }],
      id: '107',
      refName: 'CUST-107 Harbor Tools Ltd',
    });
    expect(order.status).toEqual({ id: 'Pending Fulfillment', refName: 'Pending Fulfillment' });
    expect(order.tranDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(order.lastModifiedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(order.item?.totalResults).toBe(2);
    const [line] = order.item?.items ?? [];
    expect(line).toMatchObject({ line: 1, quantity: 2, rate: 45, amount: 90, units: '1' });
    expect(line?.item?.refName).toBe('ITEM-42');
    // units as an object (some accounts) passes as well as the id string.
    const objectUnits = structuredClone(salesOrderRecord) as {
      item: { items: Record<string, unknown>[] };
    };
    objectUnits.item.items[0]!.units = { id: '1', refName: 'Each' };
    expect(schemas.salesOrder.safeParse(objectUnits).success).toBe(true);
    // Fields the catalog marks nullable may come as null.
    const nulls = { ...customerRecord, email: null, phone: null, balance: null, isPerson: null };
    expect(schemas.customer.parse(nulls)).toEqual(nulls);
    expect(order.custbody_magento_order_id).toBe('000001234');
    const customer = schemas.customer.parse(customerRecord);
    expect(customer.custentity_loyalty_tier).toMatchObject({ id: '2', refName: 'Gold' });
    expect(customer.addressBook).toEqual({ links: [LINK] });
  });

  it('refuses a line quantity sent as a string, naming the path', () => {
    const bad = structuredClone(salesOrderRecord) as { item: { items: Record<string, unknown>[] } };
    bad.item.items[1]!.quantity = '1';
    const result = schemas.salesOrder.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['item.items.1.quantity']);
  });

  it('collections: record lists, SuiteQL pages, async jobs, tasks and the catalog listing', () => {
    expect(schemas.recordList.parse(recordListPage)).toEqual(recordListPage);
    expect(schemas.suiteqlPage.parse(suiteqlResponsePage)).toEqual(suiteqlResponsePage);
    expect(schemas.asyncJob.parse(asyncFlow.jobPending)).toEqual(asyncFlow.jobPending);
    expect(schemas.asyncJob.parse(asyncFlow.jobDone).progress).toBe('succeeded');
    expect(schemas.asyncTaskList.parse(asyncFlow.taskList)).toEqual(asyncFlow.taskList);
    expect(schemas.asyncTask.parse(asyncFlow.task)).toEqual(asyncFlow.task);
    expect(schemas.metadataCatalogList.parse(metadataCatalogListing)).toEqual(
      metadataCatalogListing,
    );
    for (const e of Object.values(errors)) {
      if ('body' in e) expect(schemas.error.parse(e.body)).toEqual(e.body);
    }
  });
});

describe('spec/openapi.yaml describes the same payloads', () => {
  it('its generated types accept them (checked by tsc, values checked here)', () => {
    type S = components['schemas'];
    const job: S['AsyncJob'] = asyncFlow.jobPending;
    const tasks: S['AsyncTaskList'] = asyncFlow.taskList;
    const task: S['AsyncTask'] = asyncFlow.task;
    const error: S['Error'] = errors.invalidId.body;
    const listing: S['MetadataCatalogList'] = metadataCatalogListing;
    const order: S['SalesOrder'] = salesOrderRecord;
    const list: S['RecordList'] = recordListPage;
    const page: S['SuiteqlPage'] = suiteqlResponsePage;
    expect(job.task?.links?.[0]?.href).toMatch(/\/task$/);
    expect(tasks.items[0]?.id).toBeUndefined();
    expect([task.startTime, task.endTime]).toEqual([expect.any(String), expect.any(String)]);
    expect(error['o:errorDetails'][0]?.['o:errorUrl']).toMatch(/^\/services\/rest\//);
    expect(listing.items[0]?.links).toHaveLength(4);
    expect(order.item?.items?.[0]?.itemType?.id).toBe('InvtPart');
    expect([list.totalResults, page.totalResults]).toEqual([5, 3]);
  });
});

describe('the error parser reads NetSuite error bodies', () => {
  it('takes the code and detail of the first entry, for every documented body', () => {
    expect(parseNetSuiteError(JSON.stringify(errors.invalidLogin.body))).toMatchObject({
      vendorCode: 'INVALID_LOGIN',
      vendorMessage: expect.stringMatching(/^Invalid login attempt\./),
    });
    expect(parseNetSuiteError(JSON.stringify(errors.requiredFields.body))).toMatchObject({
      vendorCode: 'USER_ERROR',
      vendorMessage: 'Error while accessing a resource. Please enter value(s) for: Customer.',
    });
    expect(parseNetSuiteError(JSON.stringify(errors.idempotency.body)).vendorCode).toBe(
      'IDEMPOTENCY_ERROR',
    );
    // A lone error object without o:errorDetails still gives its code and detail.
    expect(
      parseNetSuiteError(JSON.stringify({ 'o:errorCode': 'SSS_X', detail: 'Went wrong.' })),
    ).toEqual({ vendorCode: 'SSS_X', vendorMessage: 'Went wrong.' });
  });

  it('netSuiteErrorDetails names the body path, URL path, query parameter and header', () => {
    expect(netSuiteErrorDetails(JSON.stringify(errors.requiredFields.body))).toEqual([
      {
        code: 'USER_ERROR',
        detail: 'Error while accessing a resource. Please enter value(s) for: Customer.',
        path: 'entity',
      },
    ]);
    expect(netSuiteErrorDetails(errors.invalidId.body)).toEqual([
      expect.objectContaining({ code: 'INVALID_ID', url: '/services/rest/record/v1/customer/abc' }),
    ]);
    expect(netSuiteErrorDetails(errors.badSuiteql.body)[0]).toMatchObject({
      code: 'INVALID_PARAMETER',
      queryParam: 'q',
    });
    // Oracle's help spells the URL member o:urlPath.
    expect(
      netSuiteErrorDetails({ 'o:errorDetails': [{ detail: 'x', 'o:urlPath': 'customer/1' }] }),
    ).toEqual([{ detail: 'x', url: 'customer/1' }]);
    expect(netSuiteErrorDetails('<html>gateway</html>')).toEqual([]);
    // Malformed entries are skipped; the first well-formed one speaks for the error.
    const mixed = { 'o:errorDetails': ['oops', { detail: 'Real.', 'o:errorCode': 'USER_ERROR' }] };
    expect(netSuiteErrorDetails(mixed)).toEqual([{ code: 'USER_ERROR', detail: 'Real.' }]);
    expect(parseNetSuiteError(JSON.stringify(mixed))).toMatchObject({
      vendorCode: 'USER_ERROR',
      vendorMessage: 'Real.',
    });
  });

  it('a thrown HttpError carries the code, detail and path of a NetSuite answer', async () => {
    const client = createNetSuiteClient({
      accountId: '1234567',
      auth: { authorize: async (r) => r, secrets: () => [] },
      retry: false,
      fetch: async () =>
        new Response(JSON.stringify(errors.requiredFields.body), {
          status: 400,
          headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error' },
        }),
    });
    const error = await createRecord(client, 'salesOrder', { memo: 'x' }).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 400, vendorCode: 'USER_ERROR' });
    expect(netSuiteErrorDetails(error)).toEqual([expect.objectContaining({ path: 'entity' })]);
  });
});

describe('the emulator answers in NetSuite shapes', () => {
  async function seed(client: ReturnType<typeof emulated>['client']) {
    const customer = await createRecord(client, 'customer', {
      companyName: 'Harbor Tools Ltd',
      subsidiary: { id: '1' },
      currency: { id: '1', refName: 'USA' },
      externalId: 'magento-customer-1042',
      isPerson: false,
      balance: 1250.5,
      custentity_magento_id: 1042,
    });
    const location = await createRecord(client, 'location', { name: 'Warehouse East' });
    const item = await createRecord(client, 'inventoryItem', { itemId: 'TW-12', cost: 20 });
    const order = await createRecord(client, 'salesOrder', {
      entity: { id: customer.id },
      location: { id: location.id },
      tranDate: '2024-03-05',
      status: { id: 'Pending Fulfillment', refName: 'Pending Fulfillment' },
      item: {
        items: [
          { item: { id: item.id }, quantity: 2, rate: 45, amount: 90 },
          { item: { id: item.id }, quantity: 1, rate: 40, amount: 40 },
        ],
      },
    });
    return { customer, location, item, order };
  }

  it('records, expanded sublists and references match the real payloads', async () => {
    const { client, raw } = emulated();
    const { customer, order } = await seed(client);
    expect(customer.location).toMatch(/\/services\/rest\/record\/v1\/customer\/\d+$/);

    const cust = await read(raw(`/record/v1/customer/${customer.id}`));
    expect(shapeMismatches(cust, customerRecord)).toEqual([]);
    expect(cust.links).toEqual([LINK]);
    // References to types the emulator does not keep still carry their self link.
    expect(cust.subsidiary).toEqual({
      links: [{ rel: 'self', href: expect.stringMatching(/\/record\/v1\/subsidiary\/1$/) }],
      id: '1',
    });
    expect(cust.currency).toMatchObject({ links: [LINK], id: '1', refName: 'USA' });

    const res = await raw(`/record/v1/salesOrder/${order.id}?expandSubResources=true`);
    expect(res.headers.get('content-type')).toMatch(/json/);
    const so = await read(res);
    expect(shapeMismatches(so, salesOrderRecord)).toEqual([]);
    expect(so.entity).toEqual(REFERENCE);
    expect(so.location).toEqual(REFERENCE);
    expect(so.links[0].href).toMatch(new RegExp(`/record/v1/salesorder/${order.id}$`));
    expect(so.item).toMatchObject({ links: [LINK], totalResults: 2 });
    expect(so.item.items[0]).toMatchObject({
      links: [{ rel: 'self', href: expect.stringMatching(/\/salesorder\/\d+\/item\/1$/) }],
      line: 1,
      item: REFERENCE,
      quantity: 2,
    });

    // Not expanded: the sublist is its link only, as NetSuite answers.
    const collapsed = await read(raw(`/record/v1/salesorder/${order.id}`));
    expect(collapsed.item).toEqual({ links: [LINK] });
    // Record type names are matched without regard to case; the self link is followed as is.
    const again = await read(raw(new URL(so.links[0].href).pathname.slice(14)));
    expect(again.id).toBe(order.id);
    expect(schemas.salesOrder.parse(so).item?.items).toHaveLength(2);

    const fulfillment = await transformRecord(client, 'salesOrder', order.id, 'itemFulfillment');
    const ifr = await getRecord(client, 'itemFulfillment', fulfillment.id, {
      expandSubResources: true,
      schema: schemas.itemFulfillment,
    });
    expect(shapeMismatches(ifr, itemFulfillmentRecord)).toEqual([]);
    expect(ifr.createdFrom).toEqual(REFERENCE);
    expect(ifr.item?.items?.[0]).toMatchObject({ orderLine: 1, item: REFERENCE });
  });

  it('returns and credits: salesOrder → returnAuthorization → creditMemo, invoice → creditMemo', async () => {
    const { client, raw } = emulated();
    const { order } = await seed(client);
    const rma = await transformRecord(client, 'salesOrder', order.id, 'returnAuthorization', {
      orderStatus: 'B',
    });
    const rmaRecord = await getRecord(client, 'returnAuthorization', rma.id, {
      expandSubResources: true,
      schema: schemas.returnAuthorization,
    });
    expect(shapeMismatches(rmaRecord, returnAuthorizationRecord)).toEqual([]);
    expect(rmaRecord.createdFrom).toEqual(REFERENCE);
    expect(rmaRecord.item?.items?.[0]).toMatchObject({ item: REFERENCE, quantity: 2, rate: 45 });

    const credit = await transformRecord(client, 'returnAuthorization', rma.id, 'creditMemo');
    const memo = await getRecord(client, 'creditMemo', credit.id, { schema: schemas.creditMemo });
    expect(shapeMismatches(memo, creditMemoRecord)).toEqual([]);
    expect(memo.createdFrom).toMatchObject({
      id: rma.id,
      refName: expect.stringMatching(/^Return Authorization #/),
    });

    const invoice = await transformRecord(client, 'salesOrder', order.id, 'invoice');
    const fromInvoice = await transformRecord(client, 'invoice', invoice.id, 'creditMemo');
    expect(Number(fromInvoice.id)).toBeGreaterThan(Number(invoice.id));

    const refused = await raw(`/record/v1/creditmemo/${credit.id}/!transform/invoice`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(400);
    expect(netSuiteErrorDetails(await read(refused))[0]?.code).toBe('INVALID_TRANSFORM');
  });

  it('contact, location, inventory item and invoice records match the real payloads', async () => {
    const { client, raw } = emulated();
    const { customer, order } = await seed(client);
    const contact = await createRecord(client, 'contact', {
      firstName: 'Jane',
      lastName: 'Doe',
      company: { id: customer.id },
      subsidiary: { id: '1' },
      isInactive: false,
    });
    const location = await createRecord(client, 'location', {
      name: 'Warehouse West',
      parent: { id: '1' },
      subsidiary: { id: '1' },
    });
    const invoice = await transformRecord(client, 'salesOrder', order.id, 'invoice');
    const cases = [
      [`/record/v1/contact/${contact.id}`, contactRecord],
      [`/record/v1/location/${location.id}`, locationRecord],
      ['/record/v1/inventoryItem/1', inventoryItemRecord],
      [`/record/v1/invoice/${invoice.id}`, invoiceRecord],
    ] as const;
    for (const [path, fixture] of cases) {
      const record = await read(raw(path));
      expect(shapeMismatches(record, fixture), path).toEqual([]);
      expect(record.links, path).toEqual([LINK]);
    }
    const person = await read(raw(`/record/v1/contact/${contact.id}`));
    expect(person.company).toEqual(REFERENCE);
    expect(person.subsidiary).toMatchObject({ links: [LINK], id: '1' });
    expect(schemas.contact.parse(person).company?.refName).toBe('Harbor Tools Ltd');
    const invoiceRecordRead = await read(raw(`/record/v1/invoice/${invoice.id}`));
    expect(invoiceRecordRead.item).toEqual({ links: [LINK] });
    expect(invoiceRecordRead.createdFrom).toEqual(REFERENCE);
  });

  it('list pages and SuiteQL pages match the real collections', async () => {
    const { client, raw } = emulated();
    for (let i = 0; i < 5; i++) await createRecord(client, 'customer', { companyName: `C${i}` });
    const list = await read(raw('/record/v1/customer?limit=2&offset=2'));
    expect(shapeMismatches(list, recordListPage)).toEqual([]);
    expect(list).toMatchObject({ count: 2, hasMore: true, offset: 2, totalResults: 5 });
    expect(list.links.map((l: { rel: string }) => l.rel)).toEqual(
      expect.arrayContaining(['next', 'self']),
    );

    const page = await read(
      raw('/query/v1/suiteql?limit=2&offset=0', {
        method: 'POST',
        headers: { prefer: 'transient', 'content-type': 'application/json' },
        body: JSON.stringify({ q: 'SELECT id, companyname FROM customer' }),
      }),
    );
    expect(page).toMatchObject({ count: 2, hasMore: true, offset: 0, totalResults: 5 });
    expect(shapeMismatches(page, suiteqlResponsePage)).toEqual([]);
    expect(page.items[0]).toEqual({ links: [], id: '1', companyname: 'C0' });
    expect(schemas.suiteqlPage.parse(page).hasMore).toBe(true);
  });

  it("SuiteQL shows dates in the account's format when asked to, as NetSuite does", async () => {
    const emulator = createNetSuiteEmulator({
      accountId: '7796',
      suiteqlDates: 'account',
      now: () => Date.UTC(2024, 1, 11, 16, 40),
    });
    emulator.state.insert('customer', [{ companyName: 'Dated', startDate: '2024-03-05' }]);
    const page = await read(
      emulator.fetch(
        new Request('https://e.test/services/rest/query/v1/suiteql', {
          method: 'POST',
          headers: { prefer: 'transient', 'content-type': 'application/json' },
          body: JSON.stringify({
            q: "SELECT id, startdate, datecreated FROM customer WHERE datecreated >= TO_DATE('2024-02-01', 'YYYY-MM-DD')",
          }),
        }),
      ),
    );
    expect(page.items).toEqual([
      { links: [], id: '1', startdate: '3/5/2024', datecreated: '2/11/2024' },
    ]);
  });

  it('error answers have NetSuite status codes, bodies and headers', async () => {
    const tba = { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 't', tokenSecret: 'ts' };
    const guarded = createNetSuiteEmulator({ accountId: '1234567_SB1', tba });
    const denied = await guarded.fetch(
      new Request('https://x.test/services/rest/record/v1/customer/1', {
        headers: { authorization: 'OAuth realm="1234567_SB1", oauth_signature="nope"' },
      }),
    );
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe(
      errors.invalidLogin.headers['www-authenticate'],
    );
    const deniedBody = await read(denied);
    expect(shapeMismatches(deniedBody, errors.invalidLogin.body)).toEqual([]);
    expect(deniedBody['o:errorDetails']).toEqual(errors.invalidLogin.body['o:errorDetails']);

    const { raw } = emulated();
    const missing = await raw('/record/v1/salesOrder', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ memo: 'no customer' }),
    });
    expect(missing.status).toBe(400);
    const missingBody = await read(missing);
    expect(Object.keys(missingBody)).toEqual(Object.keys(errors.requiredFields.body));
    expect(netSuiteErrorDetails(missingBody)).toEqual(
      netSuiteErrorDetails(errors.requiredFields.body),
    );

    const create = (body: unknown) =>
      raw('/record/v1/customer', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await create({ companyName: 'A', externalId: 'X-1' })).status).toBe(204);
    const duplicate = await create({ companyName: 'B', externalId: 'X-1' });
    expect(duplicate.status).toBe(errors.duplicateExternalId.status);
    expect(netSuiteErrorDetails(await read(duplicate))).toEqual(
      netSuiteErrorDetails(errors.duplicateExternalId.body),
    );

    const invalid = await raw('/record/v1/customer/abc');
    expect(invalid.status).toBe(400);
    expect(netSuiteErrorDetails(await read(invalid))).toEqual(
      netSuiteErrorDetails(errors.invalidId.body),
    );

    const absent = await raw('/record/v1/customer/999');
    expect(absent.status).toBe(404);
    expect(netSuiteErrorDetails(await read(absent))).toEqual([
      {
        ...netSuiteErrorDetails(errors.notFound.body)[0],
        url: '/services/rest/record/v1/customer/999',
      },
    ]);

    const badQuery = await raw('/query/v1/suiteql', {
      method: 'POST',
      headers: { prefer: 'transient', 'content-type': 'application/json' },
      body: JSON.stringify({ q: 'SELECT nosuchcolumn FROM customer' }),
    });
    expect(badQuery.status).toBe(400);
    const [badEntry] = netSuiteErrorDetails(await read(badQuery));
    expect(badEntry).toMatchObject({ code: 'INVALID_PARAMETER', queryParam: 'q' });
    expect(badEntry?.detail).toMatch(
      /^Invalid search query\. Detailed unprocessed description follows\. /,
    );
  });

  it('asynchronous requests: 202, relative Location, job, tasks, result and repeated keys', async () => {
    const { raw } = emulated();
    const key = '7b0f3a52-3c1e-4b7a-9a55-0c7f1d2e3a4b';
    const submit = () =>
      raw('/record/v1/customer', {
        method: 'POST',
        headers: {
          prefer: 'respond-async',
          'x-netsuite-idempotency-key': key,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ companyName: 'Async Ltd' }),
      });
    const accepted = await submit();
    expect(accepted.status).toBe(asyncFlow.accepted.status);
    const location = accepted.headers.get('location') ?? '';
    expect(location).toMatch(/^\/services\/rest\/async\/v1\/job\/\d+$/);
    expect(accepted.headers.get('preference-applied')).toBe('respond-async');

    // The emulator reports a job pending on its first read (asyncPollsToComplete: 1), then done.
    expect((await read(raw(location.slice(14)))).progress).toBe('pending');
    const job = await read(raw(location.slice(14)));
    expect(Object.keys(job).sort()).toEqual(Object.keys(asyncFlow.jobDone).sort());
    expect(shapeMismatches(job, asyncFlow.jobDone)).toEqual([]);
    expect(job.progress).toBe('succeeded');

    const tasks = await read(raw(`${location.slice(14)}/task`));
    expect(shapeMismatches(tasks, asyncFlow.taskList)).toEqual([]);
    const taskPath = new URL(tasks.items[0].links[0].href).pathname.slice(14);
    const task = await read(raw(taskPath));
    expect(Object.keys(task).sort()).toEqual(Object.keys(asyncFlow.task).sort());
    expect(task.links.map((l: { rel: string }) => l.rel)).toEqual(['related', 'self']);
    const result = await raw(`${taskPath}/result`);
    expect(result.status).toBe(204);
    expect(result.headers.get('location')).toMatch(/\/record\/v1\/customer\/\d+$/);

    const repeated = await submit();
    expect(repeated.status).toBe(errors.idempotency.status);
    expect(repeated.headers.get('location')).toBe(location);
    expect(repeated.headers.get('preference-applied')).toBe('respond-async');
    const repeatedBody = await read(repeated);
    expect(repeatedBody).toMatchObject({ title: 'Conflict', status: 400 });
    expect(netSuiteErrorDetails(repeatedBody)[0]?.code).toBe('IDEMPOTENCY_ERROR');
  });

  it('a job that has not run yet reports progress pending', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '7799', asyncPollsToComplete: 3 });
    const accepted = await emulator.fetch(
      new Request('https://e.test/services/rest/record/v1/customer', {
        method: 'POST',
        headers: { prefer: 'respond-async', 'content-type': 'application/json' },
        body: JSON.stringify({ companyName: 'Later Ltd' }),
      }),
    );
    const job = await read(
      emulator.fetch(new Request(`https://e.test${accepted.headers.get('location')}`)),
    );
    expect(job).toEqual({
      links: [{ rel: 'self', href: expect.stringMatching(/\/async\/v1\/job\/\d+$/) }],
      completed: false,
      id: expect.any(String),
      progress: asyncFlow.jobPending.progress,
      task: { links: [{ rel: 'self', href: expect.stringMatching(/\/task$/) }] },
    });
  });

  it('governance limits parse with the schema the client relies on', async () => {
    const emulator = createNetSuiteEmulator({
      accountId: '7797',
      concurrencyLimit: 15,
      integrationConcurrencyLimit: 4,
    });
    const limits = await read(
      emulator.fetch(new Request('https://e.test/services/rest/system/v1/governanceLimits')),
    );
    expect(schemas.governanceLimits.parse(limits)).toEqual({
      accountConcurrencyLimit: 15,
      accountUnallocatedConcurrencyLimit: 11,
      integrationConcurrencyLimit: 4,
      integrationLimitType: 'integrationSpecific',
    });
  });

  it('the metadata catalog lists record types without the swagger Accept header', async () => {
    const emulator = createNetSuiteEmulator({
      accountId: '7798',
      metadataCatalog: {
        openapi: '3.0.1',
        components: { schemas: { nsLink: {}, customer: {}, 'customer-addressBookCollection': {} } },
      },
    });
    const listing = await read(
      emulator.fetch(new Request('https://e.test/services/rest/record/v1/metadata-catalog')),
    );
    expect(shapeMismatches(listing, metadataCatalogListing)).toEqual([]);
    expect(listing.items.map((i: { name: string }) => i.name)).toEqual(['customer']);
    expect(listing.items[0].links.map((l: { rel: string }) => l.rel)).toEqual(
      metadataCatalogListing.items[0]!.links.map((l) => l.rel),
    );
    // Each listed link answers: the record's JSON Schema, or OpenAPI with the swagger type.
    const href = listing.items[0].links[2].href as string;
    const jsonSchema = await read(emulator.fetch(new Request(href)));
    expect(jsonSchema.$schema).toMatch(/json-schema\.org/);
    const openapi = await read(
      emulator.fetch(new Request(href, { headers: { accept: 'application/swagger+json' } })),
    );
    expect(Object.keys(openapi.components.schemas).sort()).toEqual(
      ['customer', 'customer-addressBookCollection', 'nsLink'].sort(),
    );
    const unknown = await emulator.fetch(new Request(href.replace('customer', 'nosuch')));
    expect(unknown.status).toBe(404);
  });
});

describe('NetSuite 401 answers', () => {
  it('a TBA client gets a typed 401 INVALID_LOGIN with no secret in it', async () => {
    const tba = {
      consumerKey: 'ck-secret-1',
      consumerSecret: 'cs-secret-2',
      tokenId: 'tid-secret-3',
      tokenSecret: 'ts-secret-4',
    };
    const client = createNetSuiteClient({
      accountId: '1234567_SB1',
      auth: { type: 'tba', ...tba },
      retry: false,
      fetch: async () =>
        new Response(JSON.stringify(errors.invalidLogin.body), {
          status: 401,
          headers: {
            ...errors.invalidLogin.headers,
            'content-type': 'application/vnd.oracle.resource+json; type=error',
          },
        }),
    });
    const error = await getRecord(client, 'customer', '107').catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 401, vendorCode: 'INVALID_LOGIN' });
    expect(error.response.headers.get('www-authenticate')).toContain('error="token_rejected"');
    const text = `${error.message} ${JSON.stringify(error)}`;
    for (const secret of Object.values(tba)) expect(text).not.toContain(secret);
  });

  it('the emulator challenges a bad bearer token as NetSuite does', async () => {
    const { publicKey } = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    );
    const emulator = createNetSuiteEmulator({
      accountId: '1234567',
      m2m: { clientId: 'c', certificateId: 'k', publicKey },
    });
    const denied = await emulator.fetch(
      new Request('https://e.test/services/rest/record/v1/customer/1', {
        headers: { authorization: 'Bearer not-a-token' },
      }),
    );
    expect(denied.status).toBe(errors.bearerRejected.status);
    expect(denied.headers.get('www-authenticate')).toBe(
      errors.bearerRejected.headers['www-authenticate'],
    );
    expect(netSuiteErrorDetails(await read(denied))[0]?.code).toBe('INVALID_LOGIN');
  });
});

describe('the client follows NetSuite async wire details', () => {
  /** Replays Oracle's documented answers in order, recording what the client asked. */
  function scripted(answers: ((request: Request) => Response)[]) {
    const seen: string[] = [];
    const client = createNetSuiteClient({
      accountId: '1234567',
      auth: { authorize: async (r) => r, secrets: () => [] },
      retry: false,
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const request = input instanceof Request ? input : new Request(input, init);
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        const next = answers.shift();
        if (!next) throw new Error(`unexpected request ${request.url}`);
        return next(request);
      },
    });
    return { client, seen };
  }
  const json = (body: unknown) => () =>
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

  it('creates through a relative job Location, a pending poll and a task listed by link only', async () => {
    const { client, seen } = scripted([
      () => new Response(null, asyncFlow.accepted),
      json(asyncFlow.jobPending),
      json(asyncFlow.jobDone),
      json(asyncFlow.taskList),
      () => new Response(null, { status: 204, headers: { location: asyncFlow.resultLocation } }),
    ]);
    const result = await createRecordAsync(
      client,
      'customer',
      { companyName: 'Async Ltd' },
      { pollIntervalMs: 1 },
    );
    expect(result).toMatchObject({ id: '647', jobId: '123456', repeated: false });
    expect(seen).toEqual([
      'POST /services/rest/record/v1/customer',
      'GET /services/rest/async/v1/job/123456',
      'GET /services/rest/async/v1/job/123456',
      'GET /services/rest/async/v1/job/123456/task',
      'GET /services/rest/async/v1/job/123456/task/1/result',
    ]);
  });

  it('pages on by hasMore, a next link or totalResults, whichever the answer carries', async () => {
    const page = (body: object) => json(body);
    const { client, seen } = scripted([
      // A first page without hasMore but with a next link, then Oracle's shortened answer.
      page({
        links: [
          { rel: 'next', href: 'https://x.test/services/rest/record/v1/customer?limit=2&offset=2' },
        ],
        items: [{ id: '1' }, { id: '2' }],
        totalResults: 4,
      }),
      page({ ...shortRecordList, offset: 2, totalResults: 4 }),
    ]);
    const ids: string[] = [];
    for await (const id of recordIds(client, 'customer', { pageSize: 2 })) ids.push(id);
    expect(ids).toEqual(['1', '2', '107', '41']);
    expect(seen).toHaveLength(2);
    expect(schemas.recordList.parse(shortRecordList)).toEqual(shortRecordList);
    const { client: one } = scripted([page(shortRecordList)]);
    expect((await listRecords(one, 'customer')).hasMore).toBe(false);
  });

  it('follows the earlier job named by a repeated key', async () => {
    const { client } = scripted([
      () =>
        new Response(JSON.stringify(errors.idempotency.body), {
          status: errors.idempotency.status,
          headers: errors.idempotency.headers,
        }),
    ]);
    const submission = await submitAsync(client, { method: 'POST', path: '/record/v1/customer' });
    expect(submission).toMatchObject({
      jobId: '123456',
      location: '/services/rest/async/v1/job/123456',
      repeated: true,
    });
  });

  it('takes the record from a task result that answers with the record body', async () => {
    const { client } = scripted([
      () => new Response(null, asyncFlow.accepted),
      json(asyncFlow.jobDone),
      json(asyncFlow.taskList),
      json({
        ...customerRecord,
        id: '647',
        links: [{ rel: 'self', href: asyncFlow.resultLocation }],
      }),
    ]);
    const result = await createRecordAsync(client, 'customer', { companyName: 'A' });
    expect(result).toMatchObject({ id: '647', location: asyncFlow.resultLocation });
  });
});
