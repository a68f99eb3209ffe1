import { createLimiter, memoryLimiterBackend } from '@plumbline/client-core';
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetSuiteClient, suiteql, suiteqlPage, suiteqlRows } from '../src/index.js';
import { createNetSuiteEmulator } from '../src/testing.js';

// The "what it must show" scenarios of the issue, over loopback HTTP with token-based auth.

const tba = {
  consumerKey: 'ck-loopback',
  consumerSecret: 'cs-loopback-secret',
  tokenId: 'tid-loopback',
  tokenSecret: 'ts-loopback-secret',
};

describe('a 250,000-row SuiteQL scan over loopback HTTP', () => {
  const accountId = '7000001_SB1';
  const emulator = createNetSuiteEmulator({ accountId, tba });
  let server: RunningServer;

  beforeAll(async () => {
    const rows = function* () {
      for (let i = 1; i <= 250_000; i++) {
        yield { companyName: `Company ${i}`, email: `c${i}@example.com`, isPerson: false };
      }
    };
    emulator.state.insert('customer', rows());
    server = await emulator.listen();
  }, 30_000);
  afterAll(() => server.close());

  it('returns every row once, in id order, continuing past the 100,000-row window by keyset', async () => {
    const client = createNetSuiteClient({
      accountId,
      auth: { type: 'tba', ...tba },
      baseUrl: server.url,
    });
    const pages: { offset: number; keyset: boolean }[] = [];
    let count = 0;
    let previous = 0;
    let outOfOrder = 0;
    for await (const row of suiteqlRows<{ id: string; companyname: string }>(
      client,
      // A trailing comment must not swallow the keyset wrapping.
      suiteql`SELECT id, companyname FROM customer -- every customer`,
      { onPage: (p) => pages.push({ offset: p.offset, keyset: p.keyset }) },
    )) {
      const id = Number(row.id);
      if (id <= previous) outOfOrder++;
      if (row.companyname !== `Company ${id}`) outOfOrder++;
      previous = id;
      count++;
    }
    expect(count).toBe(250_000);
    expect(outOfOrder).toBe(0);
    expect(previous).toBe(250_000);
    // Every page stayed inside NetSuite's window with offsets that are multiples of the limit.
    for (const p of emulator.state.suiteqlPages) {
      expect(p.offset % p.limit).toBe(0);
      expect(p.offset + p.limit).toBeLessThanOrEqual(100_000);
    }
    expect(pages.some((p) => p.keyset)).toBe(true);
    // The keyset continuation was written by the client, not the caller.
    expect(emulator.state.suiteqlPages.some((p) => /WHERE id > 100000 ORDER BY id/.test(p.q))).toBe(
      true,
    );
  }, 20_000);
});

describe('governance: 20 parallel callers against an account limit of 5', () => {
  it('never has more than 5 requests in flight and surfaces no 429', async () => {
    const accountId = '7000002';
    const emulator = createNetSuiteEmulator({ accountId, tba, concurrencyLimit: 5, latencyMs: 25 });
    emulator.state.insert(
      'customer',
      Array.from({ length: 50 }, (_, i) => ({ companyName: `C${i}` })),
    );
    const server = await emulator.listen();
    try {
      // Two clients of the same account share its one limiter.
      const a = createNetSuiteClient({
        accountId,
        auth: { type: 'tba', ...tba },
        baseUrl: server.url,
      });
      const b = createNetSuiteClient({
        accountId,
        auth: { type: 'tba', ...tba },
        baseUrl: server.url,
      });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          suiteqlPage(i % 2 ? a : b, suiteql`SELECT id FROM customer WHERE id = ${i + 1}`),
        ),
      );
      expect(results.map((r) => r.items[0]?.id)).toEqual(
        Array.from({ length: 20 }, (_, i) => String(i + 1)),
      );
      expect(emulator.state.maxInFlight).toBe(5);
      expect(emulator.state.concurrencyRejections).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('stays under the limit across "processes" sharing one limiter backend', async () => {
    const accountId = '7000005';
    const emulator = createNetSuiteEmulator({ accountId, tba, concurrencyLimit: 5, latencyMs: 20 });
    emulator.state.insert('customer', [{ companyName: 'Shared' }]);
    const server = await emulator.listen();
    try {
      // Two workers, each with its own limiter object, sharing one backend (in production: Redis).
      const backend = memoryLimiterBackend();
      const worker = () =>
        createNetSuiteClient({
          accountId,
          auth: { type: 'tba', ...tba },
          baseUrl: server.url,
          limiter: createLimiter({ maxConcurrent: 5, backend }),
        });
      const workers = [worker(), worker()];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          suiteqlPage(workers[i % 2]!, suiteql`SELECT id FROM customer`),
        ),
      );
      expect(emulator.state.maxInFlight).toBeLessThanOrEqual(5);
      expect(emulator.state.concurrencyRejections).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('retries CONCURRENCY_LIMIT_EXCEEDED refusals with backoff when a caller overshoots the limit', async () => {
    const accountId = '7000003';
    const emulator = createNetSuiteEmulator({ accountId, tba, concurrencyLimit: 2, latencyMs: 20 });
    emulator.state.insert('customer', [{ companyName: 'Only' }]);
    const server = await emulator.listen();
    try {
      // This client believes the account allows 8: NetSuite refuses the excess with 429.
      const client = createNetSuiteClient({
        accountId,
        auth: { type: 'tba', ...tba },
        baseUrl: server.url,
        concurrency: 8,
        retry: { retries: 10, minDelayMs: 10, maxDelayMs: 100 },
      });
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          suiteqlPage(client, suiteql`SELECT id, companyname FROM customer`),
        ),
      );
      expect(results.every((r) => r.items[0]?.companyname === 'Only')).toBe(true);
      expect(emulator.state.concurrencyRejections).toBeGreaterThan(0);
      expect(emulator.state.maxInFlight).toBeLessThanOrEqual(2);
    } finally {
      await server.close();
    }
  });
});

describe('SuiteQL injection', () => {
  it("returns a value containing quotes and ' OR 1=1 -- as data, not SQL", async () => {
    const accountId = '7000004';
    const emulator = createNetSuiteEmulator({ accountId, tba });
    const evil = "O'Brien' OR 1=1 --";
    emulator.state.insert('customer', [
      { companyName: 'Innocent Ltd' },
      { companyName: evil },
      { companyName: "D'Arcy & Sons" },
    ]);
    const server = await emulator.listen();
    try {
      const client = createNetSuiteClient({
        accountId,
        auth: { type: 'tba', ...tba },
        baseUrl: server.url,
      });
      const rows = [];
      for await (const row of suiteqlRows(
        client,
        suiteql`SELECT id, companyname FROM customer WHERE companyname = ${evil}`,
      )) {
        rows.push(row);
      }
      expect(rows).toEqual([{ id: '2', companyname: evil }]);
      const none = await suiteqlPage(
        client,
        suiteql`SELECT id FROM customer WHERE companyname = ${"x' OR 1=1 --"}`,
      );
      expect(none.items).toEqual([]);
      expect(none.totalResults).toBe(0);
    } finally {
      await server.close();
    }
  });
});
