import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type BulkIngestResult,
  BulkJobError,
  bulkIngest,
  bulkQuery,
  createSalesforceClient,
} from '../src/index.js';
import { createSalesforceEmulator, type SalesforceEmulator } from '../src/testing.js';

let emulator: SalesforceEmulator;
let server: RunningServer;

beforeAll(async () => {
  emulator = createSalesforceEmulator({
    accessTokens: ['bulk-token'],
    objects: [
      {
        name: 'Item__c',
        fields: [
          {
            name: 'Sku__c',
            type: 'string',
            length: 40,
            externalId: true,
            unique: true,
            nillable: false,
            createable: true,
            updateable: true,
          },
          { name: 'Qty__c', type: 'int', nillable: true, createable: true, updateable: true },
          { name: 'Note__c', type: 'textarea', nillable: true, createable: true, updateable: true },
        ],
      },
    ],
  });
  server = await emulator.listen();
});

afterAll(async () => {
  await server.close();
});

const client = () =>
  createSalesforceClient({
    auth: { type: 'accessToken', accessToken: 'bulk-token', instanceUrl: server.url },
  });
const fastPoll = { initialDelayMs: 2, maxDelayMs: 10 };

describe('Bulk API 2.0 over loopback HTTP', () => {
  it('ingests 100,000 rows and reports every row’s outcome mapped to its input', async () => {
    const bad = (i: number) => i % 9973 === 0; // 11 rows with a non-numeric quantity
    function* rows() {
      for (let i = 0; i < 100_000; i++) {
        yield {
          Sku__c: `SKU-${i}`,
          Qty__c: bad(i) ? 'many' : i % 1000,
          Note__c: i % 5000 === 1 ? 'comma, "quote"\nand newline' : null,
        };
      }
    }
    const jobs: string[] = [];
    const progress: number[] = [];
    const seen = new Uint8Array(100_000);
    let successes = 0;
    const failures: BulkIngestResult[] = [];
    for await (const result of bulkIngest(client(), {
      object: 'Item__c',
      operation: 'upsert',
      externalIdFieldName: 'Sku__c',
      records: rows(),
      maxUploadBytes: 1_500_000, // forces several jobs
      poll: fastPoll,
      onJob: (job) => jobs.push(job.id),
      onProgress: (p) => progress.push(p.rowsReported),
    })) {
      seen[result.index] = (seen[result.index] ?? 0) + 1;
      expect(result.row.Sku__c).toBe(`SKU-${result.index}`);
      if (result.matchedBy !== 'content')
        throw new Error(`row ${result.index} matched by ${result.matchedBy}`);
      if (result.status === 'success') {
        successes++;
        expect(result.created).toBe(true);
        expect(result.id).toMatch(/^[A-Za-z0-9]{18}$/);
      } else failures.push(result);
    }
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(jobs.length).toBeGreaterThan(1);
    expect(progress).toHaveLength(jobs.length);
    expect(progress.at(-1)).toBe(100_000);
    expect(successes).toBe(100_000 - 11);
    expect(failures.map((f) => f.index)).toEqual(Array.from({ length: 11 }, (_, k) => k * 9973));
    expect(failures[0]).toMatchObject({ status: 'failed' });
    expect(failures[0]?.error).toMatch(/^INVALID_TYPE_ON_FIELD_IN_RECORD:/);
    expect(emulator.state.records('Item__c')).toHaveLength(100_000 - 11);
    const tricky = emulator.state.store.match('Item__c', 'Sku__c', 'SKU-1');
    expect(emulator.state.store.get('Item__c', tricky[0]!)?.Note__c).toBe(
      'comma, "quote"\nand newline',
    );
  }, 60_000);

  it('updates existing rows (created false), maps identical rows in order and refuses unknown columns', async () => {
    const results = [];
    for await (const r of bulkIngest(client(), {
      object: 'Item__c',
      operation: 'upsert',
      externalIdFieldName: 'Sku__c',
      records: [
        { Sku__c: 'SKU-5', Qty__c: 1 },
        { Sku__c: 'NEW-1', Qty__c: 2 },
        { Sku__c: 'NEW-1', Qty__c: 2 },
      ],
      poll: fastPoll,
    })) {
      results.push(r);
    }
    expect(results.map((r) => [r.index, r.status, r.created])).toEqual([
      [0, 'success', false],
      [1, 'success', true],
      [2, 'success', false],
    ]);
    const iterator = bulkIngest(client(), {
      object: 'Item__c',
      operation: 'insert',
      records: [{ Sku__c: 'A' }, { Sku__c: 'B', Bogus: 1 }],
      poll: fastPoll,
    });
    await expect(iterator.next()).rejects.toMatchObject({
      code: 'RECORD_SHAPE',
      fields: ['Bogus'],
    });
  });

  it('pairs results whose echoed values differ by order and marks them', async () => {
    const shouting = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 'bulk-token', instanceUrl: server.url },
      fetch: async (request: Request) => {
        const response = await fetch(request);
        if (!request.url.endsWith('/successfulResults')) return response;
        // a server that normalises the echoed values
        return new Response((await response.text()).replace(/shout-/g, 'SHOUT-'), {
          status: 200,
          headers: response.headers,
        });
      },
    });
    const results = [];
    for await (const r of bulkIngest(shouting, {
      object: 'Item__c',
      operation: 'insert',
      records: [{ Sku__c: 'shout-1' }, { Sku__c: 'shout-2', Qty__c: 'x' }, { Sku__c: 'shout-3' }],
      columns: ['Sku__c', 'Qty__c'],
      poll: fastPoll,
    })) {
      results.push(r);
    }
    expect(results.map((r) => [r.index, r.status, r.matchedBy, r.row.Sku__c])).toEqual([
      [0, 'success', 'order', 'SHOUT-1'],
      [1, 'failed', 'content', 'shout-2'],
      [2, 'success', 'order', 'SHOUT-3'],
    ]);
  });

  it('streams a query job page by page with Sforce-Locator', async () => {
    const before = emulator.state.requests.length;
    let count = 0;
    let last = -1;
    const schema = z.object({ Sku__c: z.string(), Qty__c: z.coerce.number().nullable() });
    for await (const row of bulkQuery(
      client(),
      "SELECT Sku__c, Qty__c FROM Item__c WHERE Sku__c LIKE 'SKU-%' ORDER BY Qty__c",
      {
        maxRecords: 7_000,
        poll: fastPoll,
        schema,
      },
    )) {
      expect(row.Qty__c).toBeGreaterThanOrEqual(last);
      last = row.Qty__c ?? last;
      count++;
    }
    expect(count).toBe(100_000 - 11);
    const pages = emulator.state.requests.slice(before).filter((r) => r.path.endsWith('/results'));
    expect(pages).toHaveLength(Math.ceil((100_000 - 11) / 7_000));
  }, 30_000);

  it('refuses a bad query job with a typed error and reports an aborted job as BulkJobError', async () => {
    const error = await bulkQuery(client(), 'SELECT Nope FROM Item__c', { poll: fastPoll })
      .next()
      .catch((e) => e);
    expect(error).toMatchObject({ status: 400, errorCode: 'INVALID_FIELD' });
    const aborting = createSalesforceClient({
      auth: { type: 'accessToken', accessToken: 'bulk-token', instanceUrl: server.url },
      fetch: async (request: Request) => {
        const response = await fetch(request);
        const match = /jobs\/query\/([^/?]+)$/.exec(new URL(request.url).pathname);
        if (match && request.method === 'GET') {
          // someone aborts the job in Setup while we poll
          emulator.state.queryJobs.get(match[1]!)!.info.state = 'Aborted';
        }
        return response;
      },
    });
    const aborted = await bulkQuery(aborting, 'SELECT Sku__c FROM Item__c', { poll: fastPoll })
      .next()
      .catch((e) => e);
    expect(aborted).toBeInstanceOf(BulkJobError);
    expect(aborted.errorCode).toBe('JOB_ABORTED');
  });
});
