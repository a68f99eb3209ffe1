// The body collections sends: each record's own fields plus `attributes: { type }`, whatever
// shape the record takes. The write path builds it without copying plain records (issue 14,
// item 2), so this pins that the JSON is the same object the copy gave: fields kept, an existing
// `attributes` replaced by `{ type }`, a record's own toJSON honoured, an empty record allowed.
import { describe, expect, it } from 'vitest';
import { collections, createSalesforceClient } from '../src/index.js';

function capture() {
  const bodies: unknown[] = [];
  const client = createSalesforceClient({
    auth: {
      type: 'accessToken',
      accessToken: 't',
      instanceUrl: 'https://example.my.salesforce.com',
    },
    apiVersion: '62.0',
    fetch: async (request: Request) => {
      const body = JSON.parse(await request.text()) as { records: unknown[] };
      bodies.push(body);
      const results = body.records.map((_, i) => ({
        id: `001000000000${i}AAA`,
        success: true,
        created: true,
      }));
      return new Response(JSON.stringify(results), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  return { client, bodies };
}

describe('collections request body', () => {
  it('sends every record as its fields plus attributes.type, in input order', async () => {
    const { client, bodies } = capture();
    const withToJson = { Name: 'ignored', toJSON: () => ({ Name: 'from toJSON' }) };
    const records: Array<Record<string, unknown>> = [
      { Name: 'Plain', NumberOfEmployees: 3, Missing: undefined, Nested: { a: [1, 'two'] } },
      { attributes: { type: 'Contact', url: '/x' }, LastName: 'Typed' },
      {},
      withToJson,
      { Name: 'quote " and \u2028 line separator' },
    ];
    const outcomes = await collections(client, {
      operation: 'create',
      sobject: 'Account',
      records,
      allOrNone: true,
    });
    expect(outcomes.every((o) => o.success)).toBe(true);
    expect(bodies).toEqual([
      {
        allOrNone: true,
        records: [
          {
            attributes: { type: 'Account' },
            Name: 'Plain',
            NumberOfEmployees: 3,
            Nested: { a: [1, 'two'] },
          },
          { attributes: { type: 'Contact' }, LastName: 'Typed' },
          { attributes: { type: 'Account' } },
          { Name: 'from toJSON' },
          { attributes: { type: 'Account' }, Name: 'quote " and \u2028 line separator' },
        ],
      },
    ]);
  });

  it('splits into requests of chunkSize and keeps allOrNone false by default', async () => {
    const { client, bodies } = capture();
    const records = Array.from({ length: 5 }, (_, i) => ({ Name: `A${i}` }));
    await collections(client, { operation: 'create', sobject: 'Account', records, chunkSize: 2 });
    expect(bodies).toEqual([
      {
        allOrNone: false,
        records: [0, 1].map((i) => ({ attributes: { type: 'Account' }, Name: `A${i}` })),
      },
      {
        allOrNone: false,
        records: [2, 3].map((i) => ({ attributes: { type: 'Account' }, Name: `A${i}` })),
      },
      { allOrNone: false, records: [{ attributes: { type: 'Account' }, Name: 'A4' }] },
    ]);
  });
});
