import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlainSession, type PlainSession } from './plain-http.js';

// Oracle's SuiteQL examples ("Using SuiteQL with SuiteTalk REST Web Services", "Executing SuiteQL
// Queries Through REST Web Services", "Collection Paging"), replayed over loopback HTTP.

describe("walkthrough: Oracle's SuiteQL examples", () => {
  let ns: PlainSession;
  let endpoint: string;
  beforeAll(async () => {
    ns = await openPlainSession();
    const [customer] = ns.emulator.state.insert('customer', [{ companyName: 'Query Co' }]);
    ns.emulator.state.insert('salesOrder', [
      { entity: { id: customer }, email: 'a@query.example', memo: 'one' },
      { entity: { id: customer }, email: 'b@query.example', memo: 'two' },
      { entity: { id: customer }, email: 'a@query.example', memo: 'three' },
      { entity: { id: customer }, memo: 'no email' },
    ]);
    endpoint = `${ns.origin}/services/rest/query/v1/suiteql`;
  });
  afterAll(() => ns.close());

  it("runs Oracle's example query: counts per email, values as strings, a NULL group without the column", async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158394344595.html
    // POST …/query/v1/suiteql, Prefer: transient, { q } in the body.
    const answer = await ns.send('POST', '/query/v1/suiteql', {
      headers: { prefer: 'transient' },
      body: { q: 'SELECT email, COUNT(*) as count FROM transaction GROUP BY email' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.totalResults).toBe(3);
    const groups = answer.body.items.map((row: Record<string, unknown>) => {
      const { links, ...rest } = row;
      expect(links).toEqual([]);
      return rest;
    });
    expect(groups).toEqual(
      expect.arrayContaining([
        { email: 'a@query.example', count: '2' },
        { email: 'b@query.example', count: '1' },
        { count: '1' },
      ]),
    );
  });

  it('pages a query by limit and offset in the URL and links the pages', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_157909186990.html
    // (limit and offset in the request URL) and section_156414087576.html (Collection Paging).
    const q = "SELECT id, memo FROM transaction WHERE type = 'SalesOrd' ORDER BY id";
    const first = await ns.send('POST', '/query/v1/suiteql?limit=2&offset=0', {
      headers: { prefer: 'transient' },
      body: { q },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 2, hasMore: true, offset: 0, totalResults: 4 });
    expect(first.body.links).toEqual([
      { rel: 'next', href: `${endpoint}?limit=2&offset=2` },
      { rel: 'last', href: `${endpoint}?limit=2&offset=2` },
      { rel: 'self', href: `${endpoint}?limit=2&offset=0` },
    ]);
    // The next page is the same POST, with the same body, at the next link.
    const next = first.body.links.find((l: { rel: string }) => l.rel === 'next').href;
    const second = await ns.send('POST', next, { headers: { prefer: 'transient' }, body: { q } });
    expect(second.body).toMatchObject({ count: 2, hasMore: false, offset: 2, totalResults: 4 });
    expect(
      [...first.body.items, ...second.body.items].map((r: { memo: string }) => r.memo),
    ).toEqual(['one', 'two', 'three', 'no email']);
  });

  it('without Prefer: transient the query is refused, naming the header', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158394344595.html
    // (the example sends Prefer: transient) and section_156570709583.html (o:errorHeader).
    const refused = await ns.send('POST', '/query/v1/suiteql', {
      body: { q: 'SELECT id FROM customer' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body['o:errorDetails']).toEqual([
      expect.objectContaining({ 'o:errorHeader': 'Prefer', 'o:errorCode': expect.any(String) }),
    ]);
  });

  it('a query over more than one table is refused with NetSuite\'s "Invalid search query" detail', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html
    const refused = await ns.send('POST', '/query/v1/suiteql', {
      headers: { prefer: 'transient' },
      body: { q: 'SELECT c.id FROM customer c JOIN transaction t ON t.entity = c.id' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body['o:errorDetails']).toEqual([
      expect.objectContaining({
        detail: expect.stringMatching(/^Invalid search query/),
        'o:errorCode': 'INVALID_PARAMETER',
        'o:errorQueryParam': 'q',
      }),
    ]);
  });
});
