import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlainSession, type PlainSession } from './plain-http.js';

// Oracle's metadata catalog examples ("Working with Resource Metadata" and its sections),
// replayed over loopback HTTP against an emulator serving our fixture catalog (an account's
// catalog in the documented format: customer and salesOrder).

const catalog = JSON.parse(
  readFileSync(new URL('../fixtures/metadata-catalog.json', import.meta.url), 'utf8'),
);

describe("walkthrough: Oracle's metadata catalog examples", () => {
  let ns: PlainSession;
  let base: string;
  beforeAll(async () => {
    ns = await openPlainSession({ metadataCatalog: catalog });
    base = `${ns.origin}/services/rest/record/v1/metadata-catalog`;
  });
  afterAll(() => ns.close());

  it('lists the record types, each with canonical, alternate and describes links', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1540810174.html
    // (Getting Metadata): GET …/record/v1/metadata-catalog
    const listing = await ns.send('GET', '/record/v1/metadata-catalog');
    expect(listing.status).toBe(200);
    const customer = listing.body.items.find((i: { name: string }) => i.name === 'customer');
    expect(customer.links).toEqual([
      { rel: 'canonical', href: `${base}/customer`, mediaType: 'application/json' },
      { rel: 'alternate', href: `${base}/customer`, mediaType: 'application/swagger+json' },
      { rel: 'alternate', href: `${base}/customer`, mediaType: 'application/schema+json' },
      { rel: 'describes', href: `${ns.origin}/services/rest/record/v1/customer` },
    ]);
  });

  it('answers OpenAPI 3.0 for the selected record types only, paths included', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545126526.html
    // (Working with OpenAPI 3.0 Metadata): Accept: application/swagger+json and
    // ?select= restricts the metadata to those record types.
    const doc = await ns.send('GET', '/record/v1/metadata-catalog?select=customer', {
      headers: { accept: 'application/swagger+json' },
    });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\.0\./);
    expect(Object.keys(doc.body.paths).sort()).toEqual(['/customer', '/customer/{id}']);
    expect(doc.body.paths['/customer'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'q', in: 'query' })]),
    );
    const schemas = Object.keys(doc.body.components.schemas);
    expect(schemas).toContain('customer');
    expect(schemas).not.toContain('salesOrder');

    // Case does not matter in select (Oracle's example writes salesorder).
    const both = await ns.send('GET', '/record/v1/metadata-catalog?select=customer,salesorder', {
      headers: { accept: 'application/swagger+json' },
    });
    expect(Object.keys(both.body.paths).sort()).toEqual([
      '/customer',
      '/customer/{id}',
      '/salesOrder/{id}',
    ]);
  });

  it("answers one record's JSON Schema with Accept: application/schema+json", async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545129726.html
    // (Working with JSON Schema Metadata): only the resource's structure, no URLs or methods.
    const schema = await ns.send('GET', '/record/v1/metadata-catalog/customer', {
      headers: { accept: 'application/schema+json' },
    });
    expect(schema.status).toBe(200);
    expect(schema.headers.get('content-type')).toContain('application/schema+json');
    expect(schema.body.type).toBe('object');
    expect(schema.body.properties.companyName).toMatchObject({ type: 'string' });
    expect(schema.body).not.toHaveProperty('paths');
  });

  it('a record type the catalog does not describe is a 404 in o:errorDetails', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html
    const missing = await ns.send('GET', '/record/v1/metadata-catalog/nosuchrecord', {
      headers: { accept: 'application/schema+json' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body['o:errorDetails']).toEqual([
      expect.objectContaining({ 'o:errorCode': 'NONEXISTENT_ID' }),
    ]);
  });
});

describe("walkthrough: Oracle's metadata catalog examples against an emulator given no catalog", () => {
  let ns: PlainSession;
  beforeAll(async () => {
    ns = await openPlainSession();
  });
  afterAll(() => ns.close());

  it('serves a catalog of its own record types: listing, OpenAPI with select, JSON Schema', async () => {
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1540810174.html
    const listing = await ns.send('GET', '/record/v1/metadata-catalog');
    expect(listing.status).toBe(200);
    expect(listing.body.items.map((i: { name: string }) => i.name)).toEqual(
      expect.arrayContaining(['customer', 'salesorder', 'inventoryitem', 'itemfulfillment']),
    );
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545126526.html:
    // Oracle's own request, select=customer,salesorder.
    const doc = await ns.send('GET', '/record/v1/metadata-catalog?select=customer,salesorder', {
      headers: { accept: 'application/swagger+json' },
    });
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.0.1');
    expect(Object.keys(doc.body.paths).sort()).toEqual([
      '/customer',
      '/customer/{id}',
      '/salesorder',
      '/salesorder/{id}',
    ]);
    expect(doc.body.paths['/salesorder'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'q', in: 'query' })]),
    );
    expect(doc.body.components.schemas.salesorder.properties.item).toBeDefined();
    expect(doc.body.components.schemas).not.toHaveProperty('invoice');
    // https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1545129726.html
    const schema = await ns.send('GET', '/record/v1/metadata-catalog/customer', {
      headers: { accept: 'application/schema+json' },
    });
    expect(schema.status).toBe(200);
    expect(schema.body.type).toBe('object');
    expect(schema.body.properties.companyName).toMatchObject({ type: 'string', nullable: true });
  });
});
