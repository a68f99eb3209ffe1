import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlainSession, type PlainSession } from './plain-http.js';

// Oracle's record list and paging examples ("Listing All Record Instances", "Collection Paging"),
// replayed over loopback HTTP on five customers.

describe("walkthrough: Oracle's record list and paging examples", () => {
  let ns: PlainSession;
  let ids: string[];
  let list: string;
  beforeAll(async () => {
    ns = await openPlainSession();
    ids = ns.emulator.state.insert(
      'customer',
      ['Ada', 'Bea', 'Cy', 'Dee', 'Eve'].map((companyName) => ({ companyName })),
    );
    list = `${ns.origin}/services/rest/record/v1/customer`;
  });
  afterAll(() => ns.close());

  it('lists every customer as id and self link; the self link carries the default paging', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1540810951.html
    // (Listing All Record Instances): the self link of GET …/customer is …?limit=1000&offset=0.
    const all = await ns.send('GET', '/record/v1/customer');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe(
      'application/vnd.oracle.resource+json; type=collection',
    );
    expect(all.body.links).toEqual([{ rel: 'self', href: `${list}?limit=1000&offset=0` }]);
    expect(all.body.items).toEqual(
      ids.map((id) => ({ links: [{ rel: 'self', href: `${list}/${id}` }], id })),
    );
    expect(all.body).toMatchObject({ count: 5, hasMore: false, offset: 0, totalResults: 5 });
  });

  it('pages two at a time: the first page links next, last and self', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156414087576.html
    // (Collection Paging): GET …/customer?limit=2 answers next, last and self links.
    const first = await ns.send('GET', '/record/v1/customer?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.links).toEqual([
      { rel: 'next', href: `${list}?limit=2&offset=2` },
      { rel: 'last', href: `${list}?limit=2&offset=4` },
      { rel: 'self', href: `${list}?limit=2&offset=0` },
    ]);
    expect(first.body).toMatchObject({ count: 2, hasMore: true, offset: 0, totalResults: 5 });
  });

  it('following next links reads every customer once; the last page has hasMore false', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156414087576.html
    const seen: string[] = [];
    let href: string | undefined = `${list}?limit=2`;
    let last: any;
    for (let pages = 0; href !== undefined && pages < 10; pages++) {
      const page = await ns.send('GET', href);
      expect(page.status).toBe(200);
      expect(page.body.totalResults).toBe(5);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      last = page.body;
      href = page.body.links.find((l: { rel: string }) => l.rel === 'next')?.href;
    }
    expect(seen).toEqual(ids);
    expect(last).toMatchObject({ count: 1, hasMore: false, offset: 4 });
    expect(last.links.map((l: { rel: string }) => l.rel)).toEqual([
      'first',
      'prev',
      'last',
      'self',
    ]);
  });

  it('an offset that is not a multiple of the limit is a 400 naming the query parameter', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html
    // (o:errorQueryParam names the query parameter in error).
    const refused = await ns.send('GET', '/record/v1/customer?limit=2&offset=3');
    expect(refused.status).toBe(400);
    expect(refused.body['o:errorDetails']).toEqual([
      expect.objectContaining({
        'o:errorCode': 'INVALID_PARAMETER',
        'o:errorQueryParam': 'offset',
      }),
    ]);
  });
});
