import { HttpError, PartitionReadError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import {
  createNetSuiteClient,
  deleteRecord,
  SuiteqlScanError,
  suiteql,
  suiteqlRows,
  suiteqlRowsPartitioned,
} from '../src/index.js';
import { createNetSuiteEmulator, type NetSuiteEmulatorOptions } from '../src/testing.js';

// NetSuite pages a SuiteQL result with limit/offset up to 100,000 rows, 1,000 a page:
// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html
// The account's concurrency limit (5 by default) refuses a 6th concurrent request with 429:
// https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156269474658.html
// The emulator's suiteqlRowCap lowers the 100,000 so these tests cross it with a few thousand rows.

const noAuth = { authorize: async (r: Request) => r, secrets: () => [] };
const toRequest = (input: string | URL | Request, init?: RequestInit) =>
  input instanceof Request ? input : new Request(input, init);
let nextAccount = 9_100_000;

function setup(
  rows: number,
  emulatorOptions: Partial<NetSuiteEmulatorOptions> = {},
  concurrency = 5,
) {
  const accountId = String(nextAccount++);
  const emulator = createNetSuiteEmulator({ accountId, suiteqlRowCap: 2000, ...emulatorOptions });
  const ids = emulator.state.insert(
    'customer',
    (function* () {
      for (let i = 0; i < rows; i++) yield { companyName: `C${i}` };
    })(),
  );
  let fail: ((q: string) => boolean) | undefined;
  const client = createNetSuiteClient({
    accountId,
    auth: noAuth,
    concurrency,
    baseUrl: 'https://emulator.test',
    retry: false,
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      const request = toRequest(input, init);
      if (fail && request.method === 'POST') {
        const { q } = (await request.clone().json()) as { q: string };
        if (fail(q)) {
          return Response.json(
            {
              type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1',
              title: 'Bad Request',
              status: 400,
              'o:errorDetails': [
                { detail: 'Invalid search query.', 'o:errorCode': 'INVALID_PARAMETER' },
              ],
            },
            { status: 400 },
          );
        }
      }
      return emulator.fetch(request);
    },
  });
  return { emulator, client, ids, failWhen: (f: (q: string) => boolean) => (fail = f) };
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

const customers = suiteql`SELECT id, companyname FROM customer`;

describe('suiteqlRowsPartitioned', () => {
  it('returns every row exactly once past the (lowered) paging cap', async () => {
    const { emulator, client, ids } = setup(7_000);
    const rows = await collect(suiteqlRowsPartitioned(client, customers));
    const seen = rows.map((r) => String(r.id));
    expect(seen).toHaveLength(7_000);
    expect(new Set(seen).size).toBe(7_000);
    expect([...seen].sort()).toEqual([...ids].sort());
    // Every range is read with a keyset continuation at offset 0: none meets the cap.
    expect(emulator.state.suiteqlPages.every((p) => p.offset === 0)).toBe(true);
    expect(emulator.state.concurrencyRejections).toBe(0);
  });

  it('keeps rows in id order when ordered', async () => {
    const { client, ids } = setup(5_500);
    const rows = await collect(
      suiteqlRowsPartitioned(client, customers, { ordered: true, pageSize: 500 }),
    );
    expect(rows.map((r) => String(r.id))).toEqual(ids);
  });

  it('never has more requests in flight at the account than the client limiter allows', async () => {
    const { emulator, client } = setup(6_000, { latencyMs: 5, concurrencyLimit: 3 }, 3);
    const rows = await collect(suiteqlRowsPartitioned(client, customers, { pageSize: 250 }));
    expect(rows).toHaveLength(6_000);
    expect(emulator.state.maxInFlight).toBeLessThanOrEqual(3);
    expect(emulator.state.maxInFlight).toBeGreaterThan(1);
    expect(emulator.state.concurrencyRejections).toBe(0);
    // Asking for more than the account's cap is refused: the extra requests would only queue.
    await expect(
      collect(suiteqlRowsPartitioned(client, customers, { concurrency: 4 })),
    ).rejects.toThrow(SuiteqlScanError);
  });

  it('reads a one-page result with one request, as suiteqlRows does', async () => {
    const { emulator, client } = setup(40);
    const rows = await collect(suiteqlRowsPartitioned(client, customers));
    expect(rows).toHaveLength(40);
    expect(emulator.state.suiteqlRequests).toBe(1);
  });

  it('stops every range and rejects with PartitionReadError when one range fails', async () => {
    const { emulator, client, failWhen } = setup(7_000, { latencyMs: 2 }, 3);
    // First page 250 rows, then 12 ranges over ids 251..7000: range 2 starts after id 1375.
    failWhen((q) => q.includes('WHERE id > 1375 AND'));
    const error = await collect(suiteqlRowsPartitioned(client, customers, { pageSize: 250 })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(PartitionReadError);
    expect(error).toMatchObject({ code: 'PARTITION_FAILED', partition: 2 });
    expect(error.range).toBe('id > 1375 AND id <= 1937');
    expect(error.cause).toBeInstanceOf(HttpError);
    expect(error.cause.status).toBe(400);
    await new Promise((r) => setTimeout(r, 30));
    // A full scan takes 2 + 28 requests; the ranges after the failure never started.
    expect(emulator.state.suiteqlRequests).toBeLessThan(20);
    expect(emulator.state.inFlight).toBe(0);
  });

  it('returns rows present for the whole scan once while rows are inserted and deleted', async () => {
    const { emulator, client, ids } = setup(6_000, { latencyMs: 1 }, 2);
    const removed = ids[ids.length - 2]!;
    let added: string | undefined;
    const seen: string[] = [];
    for await (const row of suiteqlRowsPartitioned(client, customers, { pageSize: 250 })) {
      seen.push(String(row.id));
      if (seen.length === 300) {
        // The last ranges have not started: the delete and the insert land before they are read.
        await deleteRecord(client, 'customer', removed);
        added = emulator.state.insert('customer', [{ companyName: 'late' }])[0];
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    const got = new Set(seen);
    expect(ids.filter((id) => id !== removed && !got.has(id))).toEqual([]);
    expect(got.has(removed)).toBe(false);
    // Inserted above the highest id at the start: the open-ended last range reads it.
    expect(got.has(added!)).toBe(true);
  });

  it('sends a query without an id column once, and NetSuite refuses it (400 naming id)', async () => {
    const { emulator, client } = setup(1_200);
    const error = await collect(
      suiteqlRowsPartitioned(client, suiteql`SELECT companyname FROM customer`),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(400);
    expect(error.message).toContain("'id'");
    expect(emulator.state.suiteqlRequests).toBe(1);
  });
});

describe('suiteqlRows past a lowered cap', () => {
  it('switches to the keyset continuation at maxRows, as the emulator caps at suiteqlRowCap', async () => {
    const { emulator, client, ids } = setup(4_500);
    const rows = await collect(suiteqlRows(client, customers, { maxRows: 2000 }));
    expect(rows.map((r) => String(r.id))).toEqual(ids);
    expect(emulator.state.suiteqlPages.every((p) => p.offset + p.limit <= 2000)).toBe(true);
  });
});
