import { describe, expect, it } from 'vitest';
import { createNetSuiteClient } from '../client.js';
import { suiteqlRows } from '../query/rows.js';
import { suiteql } from '../query/suiteql.js';
import { createNetSuiteEmulator } from './emulator.js';

const base = 'https://1234567.suitetalk.api.netsuite.com/services/rest';

function suiteqlRequest(q: string, query = '', prefer = 'transient') {
  return new Request(`${base}/query/v1/suiteql${query}`, {
    method: 'POST',
    headers: { prefer, 'content-type': 'application/json' },
    body: JSON.stringify({ q }),
  });
}

describe('NetSuite emulator', () => {
  it('answers SuiteQL pages in NetSuite shape with links, count, hasMore, offset, totalResults', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '1234567' });
    emulator.state.insert(
      'customer',
      Array.from({ length: 7 }, (_, i) => ({ companyName: `C${i}` })),
    );
    const response = await emulator.fetch(
      suiteqlRequest('SELECT id FROM customer', '?limit=3&offset=3'),
    );
    const page = (await response.json()) as any;
    expect(page).toMatchObject({ count: 3, hasMore: true, offset: 3, totalResults: 7 });
    expect(page.items.map((i: { id: string }) => i.id)).toEqual(['4', '5', '6']);
    expect(page.links.map((l: { rel: string }) => l.rel)).toEqual([
      'first',
      'prev',
      'next',
      'last',
      'self',
    ]);
  });

  it('knows the transaction columns before any record sets them, as NetSuite does', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '1234567' });
    emulator.state.insert('salesOrder', [{ memo: 'first order' }]);
    const response = await emulator.fetch(
      suiteqlRequest(
        "SELECT id, createdfrom, tranid FROM transaction WHERE type = 'ItemShip' ORDER BY id",
      ),
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('answers unsupported SuiteQL, bad paging and the 100,000-row window with INVALID_PARAMETER', async () => {
    const emulator = createNetSuiteEmulator({ accountId: '1234567' });
    const cases: [Request, string][] = [
      [suiteqlRequest('SELECT id FROM customer c JOIN transaction t ON t.entity = c.id'), 'q'],
      [suiteqlRequest('SELECT id FROM customer', '?limit=1001'), 'limit'],
      [suiteqlRequest('SELECT id FROM customer', '?limit=10&offset=15'), 'offset'],
      [suiteqlRequest('SELECT id FROM customer', '?limit=1000&offset=100000'), 'offset'],
    ];
    for (const [request, param] of cases) {
      const response = await emulator.fetch(request);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('type=error');
      const body = (await response.json()) as any;
      expect(body).toMatchObject({ title: 'Bad Request', status: 400 });
      expect(body['o:errorDetails'][0]).toMatchObject({
        'o:errorCode': 'INVALID_PARAMETER',
        'o:errorQueryParam': param,
      });
    }
    const unsupported = await emulator.fetch(suiteqlRequest('SELECT MAX(id) FROM customer'));
    expect(((await unsupported.json()) as any)['o:errorDetails'][0].detail).toBe(
      'Invalid search query. Detailed unprocessed description follows. Search error occurred: Invalid or unsupported search.',
    );
    const noPrefer = await emulator.fetch(suiteqlRequest('SELECT id FROM customer', '', ''));
    expect(noPrefer.status).toBe(400);
  });

  it('refuses requests beyond the concurrency limit with 429 CONCURRENCY_LIMIT_EXCEEDED', async () => {
    const emulator = createNetSuiteEmulator({
      accountId: '1234567',
      concurrencyLimit: 2,
      latencyMs: 30,
    });
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => emulator.fetch(suiteqlRequest('SELECT id FROM customer'))),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429]);
    const refused = responses.find((r) => r.status === 429)!;
    expect(((await refused.json()) as any)['o:errorDetails'][0]['o:errorCode']).toBe(
      'CONCURRENCY_LIMIT_EXCEEDED',
    );
    expect(emulator.state.maxInFlight).toBe(2);
    expect(emulator.state.concurrencyRejections).toBe(2);
  });

  it('injects seeded faults that the client rides out, the scan staying complete', async () => {
    const emulator = createNetSuiteEmulator({
      accountId: '1234567_F',
      faults: { seed: 3, rate5xx: 0.3 },
    });
    emulator.state.insert(
      'customer',
      Array.from({ length: 40 }, (_, i) => ({ companyName: `C${i}` })),
    );
    const client = createNetSuiteClient({
      accountId: '1234567_F',
      auth: { authorize: async (r) => r, secrets: () => [] },
      baseUrl: 'https://emulator.test',
      retry: { retries: 8, minDelayMs: 1, maxDelayMs: 4 },
      fetch: (input: string | URL | Request, init?: RequestInit) =>
        emulator.fetch(input instanceof Request ? input : new Request(input, init)),
    });
    const ids: string[] = [];
    for await (const row of suiteqlRows(client, suiteql`SELECT id FROM customer`, {
      pageSize: 5,
    })) {
      ids.push(String(row.id));
    }
    expect(ids).toEqual(Array.from({ length: 40 }, (_, i) => String(i + 1)));
    expect(emulator.state.faults?.injected5xx).toBeGreaterThan(0);
  });

  it('shows SuiteQL dates as NetSuite does by default (M/D/YYYY, no time) and ISO only when asked', async () => {
    const rows = async (suiteqlDates?: 'iso' | 'account') => {
      const accountId = `1234567_D${suiteqlDates ?? ''}`;
      const emulator = createNetSuiteEmulator({
        accountId,
        now: () => Date.UTC(2024, 1, 11, 15, 30),
        ...(suiteqlDates ? { suiteqlDates } : {}),
      });
      emulator.state.insert('customer', [{ companyName: 'Acme' }]);
      const client = createNetSuiteClient({
        accountId,
        auth: { authorize: async (r) => r, secrets: () => [] },
        baseUrl: 'https://emulator.test',
        fetch: (input: string | URL | Request, init?: RequestInit) =>
          emulator.fetch(input instanceof Request ? input : new Request(input, init)),
      });
      const out: unknown[] = [];
      for await (const row of suiteqlRows(
        client,
        suiteql`SELECT id, lastmodifieddate, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS changed FROM customer`,
      )) {
        out.push(row);
      }
      return out;
    };
    expect(await rows()).toEqual([
      { id: '1', lastmodifieddate: '2/11/2024', changed: '2024-02-11 15:30:00' },
    ]);
    expect(await rows('iso')).toEqual([
      { id: '1', lastmodifieddate: '2024-02-11T15:30:00Z', changed: '2024-02-11 15:30:00' },
    ]);
  });
});
