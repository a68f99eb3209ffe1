import { ConfigError, createLimiter, PartitionReadError } from '@plumbline/client-core';
import { describe, expect, it } from 'vitest';
import { createSalesforceClient } from './client.js';
import { SalesforceApiError } from './errors.js';
import { idRanges, queryPartitioned, splitSoql } from './query-partitioned.js';
import { createSalesforceEmulator } from './testing/emulator.js';

// Id ranges (PK chunking): Ids are base-62 numbers, and `WHERE Id > a AND Id <= b ORDER BY Id`
// splits a table into ranges read in parallel:
// https://developer.salesforce.com/blogs/developer-relations/2015/11/pk-chunking-techniques-massive-orgs.html
// Salesforce's REST query answers in batches of up to 2,000 with nextRecordsUrl:
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm

function setup(accounts: number, options: { latencyMs?: number; maxConcurrent?: number } = {}) {
  const emulator = createSalesforceEmulator({
    accessTokens: ['t'],
    ...(options.latencyMs ? { faults: { latencyMs: options.latencyMs } } : {}),
  });
  const ids: string[] = [];
  for (let i = 0; i < accounts; i++) {
    ids.push(
      emulator.state.insert('Account', {
        Name: `A${i}`,
        Industry: i % 3 === 0 ? 'Retail' : 'Tech',
      }),
    );
  }
  const seen = { queries: [] as string[], inFlight: 0, maxInFlight: 0 };
  let fail: ((q: string) => boolean) | undefined;
  const client = createSalesforceClient({
    auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://org.example.com' },
    retry: false,
    ...(options.maxConcurrent
      ? { limiter: createLimiter({ maxConcurrent: options.maxConcurrent }) }
      : {}),
    fetch: async (request: Request) => {
      const q = new URL(request.url).searchParams.get('q');
      if (q !== null) seen.queries.push(q);
      if (q !== null && fail?.(q)) {
        return Response.json([{ message: 'unexpected token', errorCode: 'MALFORMED_QUERY' }], {
          status: 400,
        });
      }
      seen.inFlight++;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      try {
        return await emulator.fetch(request);
      } finally {
        seen.inFlight--;
      }
    },
  });
  return { emulator, client, ids, seen, failWhen: (f: (q: string) => boolean) => (fail = f) };
}

async function collect<T>(records: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const record of records) out.push(record);
  return out;
}

const SOQL = 'SELECT Id, Name FROM Account';

describe('queryPartitioned', () => {
  it('returns every record exactly once across Id ranges', async () => {
    const { client, ids, seen } = setup(5_000);
    const records = await collect(
      queryPartitioned<{ Id: string }>(client, SOQL, { batchSize: 200 }),
    );
    const got = records.map((r) => r.Id);
    expect(got).toHaveLength(5_000);
    expect(new Set(got).size).toBe(5_000);
    expect([...got].sort()).toEqual([...ids].sort());
    // First batch, highest Id, then min(4 × the default concurrency 8, 4,800 / 200 batches left).
    expect(seen.queries.filter((q) => q.includes("Id > '"))).toHaveLength(24);
    expect(seen.queries).toHaveLength(26);
  });

  it('keeps Id order when ordered, and keeps the WHERE condition in every range', async () => {
    const { client, ids } = setup(3_000);
    const records = await collect(
      queryPartitioned<{ Id: string }>(client, "SELECT Id FROM Account WHERE Industry = 'Retail'", {
        batchSize: 200,
        ordered: true,
      }),
    );
    expect(records.map((r) => r.Id)).toEqual(ids.filter((_, i) => i % 3 === 0));
  });

  it('never has more requests in flight than the client limiter allows', async () => {
    const { client, seen } = setup(4_000, { latencyMs: 3, maxConcurrent: 3 });
    const records = await collect(queryPartitioned(client, SOQL, { batchSize: 200 }));
    expect(records).toHaveLength(4_000);
    expect(seen.maxInFlight).toBeLessThanOrEqual(3);
    expect(seen.maxInFlight).toBeGreaterThan(1);
    await expect(collect(queryPartitioned(client, SOQL, { concurrency: 4 }))).rejects.toThrow(
      ConfigError,
    );
  });

  it('reads a one-batch result with one request', async () => {
    const { client, seen } = setup(150);
    expect(await collect(queryPartitioned(client, SOQL))).toHaveLength(150);
    expect(seen.queries).toHaveLength(1);
  });

  it('stops every range and rejects with PartitionReadError when one range fails', async () => {
    const { client, seen, failWhen } = setup(6_000, { latencyMs: 2, maxConcurrent: 2 });
    let failing: string | undefined;
    failWhen((q) => {
      const ranges = seen.queries.filter((x) => x.includes("Id > '"));
      if (failing === undefined && ranges.length === 3) failing = q;
      return q === failing;
    });
    const error = await collect(queryPartitioned(client, SOQL, { batchSize: 200 })).catch((e) => e);
    expect(error).toBeInstanceOf(PartitionReadError);
    expect(error.partition).toBe(2);
    expect(error.cause).toBeInstanceOf(SalesforceApiError);
    expect(error.cause.errorCode).toBe('MALFORMED_QUERY');
    await new Promise((r) => setTimeout(r, 30));
    // 32 ranges of one batch or two: the ranges after the failure never started.
    expect(seen.queries.length).toBeLessThan(10);
    expect(seen.inFlight).toBe(0);
  });

  it('returns records present for the whole read once while others are created and deleted', async () => {
    const { emulator, client, ids } = setup(4_000, { latencyMs: 1, maxConcurrent: 2 });
    const removed = ids[ids.length - 2]!;
    let added: string | undefined;
    const got: string[] = [];
    for await (const r of queryPartitioned<{ Id: string }>(client, SOQL, { batchSize: 200 })) {
      got.push(r.Id);
      if (got.length === 300) {
        // The last ranges have not started yet.
        await client.raw(`sobjects/Account/${removed}`, { method: 'DELETE' });
        added = emulator.state.insert('Account', { Name: 'late' });
      }
    }
    const set = new Set(got);
    expect(set.size).toBe(got.length);
    expect(ids.filter((id) => id !== removed && !set.has(id))).toEqual([]);
    expect(set.has(removed)).toBe(false);
    expect(set.has(added!)).toBe(true);
  });

  it('refuses SOQL it cannot add ranges to, naming soql', () => {
    expect(() => splitSoql('SELECT Id FROM Account ORDER BY Name')).toThrow(/`soql`.*ORDER BY/);
    expect(() => splitSoql('SELECT Id FROM Account LIMIT 5')).toThrow(/LIMIT/);
    expect(
      splitSoql(
        "SELECT Id, (SELECT Id FROM Contacts ORDER BY Name) FROM Account WHERE Name = 'x ORDER BY y'",
      ),
    ).toEqual({
      head: 'SELECT Id, (SELECT Id FROM Contacts ORDER BY Name)',
      object: 'Account',
      where: "Name = 'x ORDER BY y'",
    });
  });

  it('splits Ids as base-62 numbers into ranges that cover everything above the first batch', () => {
    const ranges = idRanges('001Dn0000000010', '001Dn00000000zz', 4);
    expect(ranges).toHaveLength(4);
    expect(ranges[0]!.from).toBe('001Dn0000000010');
    expect(ranges[3]!.to).toBeUndefined();
    for (let k = 1; k < 4; k++) expect(ranges[k]!.from).toBe(ranges[k - 1]!.to);
  });
});
