import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetSuiteEmulator } from '../src/testing.js';
import { runCli } from '../src/typegen/cli-main.js';
import { readMetadataCatalog } from '../src/typegen/model.js';
import { salesOrderRecord } from './fixtures/netsuite-payloads.js';

const fixture = fileURLToPath(new URL('./fixtures/metadata-catalog.json', import.meta.url));
const liveFixture = fileURLToPath(
  new URL('./fixtures/metadata-catalog-live.json', import.meta.url),
);
const dir = fileURLToPath(new URL('./.generated/', import.meta.url));

function io(env: Record<string, string | undefined> = {}, fetchImpl?: typeof fetch) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      env,
      out: (l: string) => out.push(l),
      err: (l: string) => err.push(l),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    },
    out,
    err,
  };
}

beforeAll(() => mkdir(dir, { recursive: true }));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('plumbline-netsuite typegen', () => {
  it('writes types and zod schemas, custom fields included, from a metadata catalog file', async () => {
    const file = `${dir}account-file.ts`;
    const run = io();
    const code = await runCli(
      ['typegen', '--schema', fixture, '--records', 'customer,salesOrder', '--out', file],
      run.io,
    );
    expect(run.err.join('\n')).not.toContain('TYPEGEN_ERROR');
    expect(code).toBe(0);
    expect(run.err).toContain('  customer: 16 fields (3 custom)');
    const source = await readFile(file, 'utf8');
    expect(source).toContain('export interface Customer {');
    expect(source).toContain('  custentity_loyalty_tier?: NsReference;');
    expect(source).toContain('  custentity_magento_id?: number | null;');
    expect(source).toContain('  addressBook?: NsSublist<CustomerAddressBookLine>;');
    expect(source).toContain('  item?: NsSublist<SalesOrderItemLine>;');
    expect(source).toContain('  custcol_gift_wrap?: boolean;');
    expect(source).toContain(
      '  orderStatus?: { id: "A" | "B" | "C" | "D" | "E" | "F" | "G" | "H"; refName?: string };',
    );
    expect(source).toContain(
      'export const salesOrderCustomFields = ["custbody_magento_order_id", "custbody_channel"] as const;',
    );
    expect(source).toContain('"custentity_b2b_approved"] as const;');

    // The output type-checks, and its types catch a wrong custom field type.
    const usage = `${dir}usage.ts`;
    await writeFile(
      usage,
      [
        "import type { Customer, SalesOrder } from './account-file.js';",
        "export const ok: Customer = { companyName: 'Acme', custentity_magento_id: 42, custentity_loyalty_tier: { id: '3' } };",
        "export const order: SalesOrder = { item: { items: [{ quantity: 2, custcol_gift_wrap: true }] }, orderStatus: { id: 'B' } };",
        '// @ts-expect-error custentity_b2b_approved is a boolean',
        "export const bad: Customer = { custentity_b2b_approved: 'yes' };",
        "// @ts-expect-error 'Z' is not an order status",
        "export const badStatus: SalesOrder = { orderStatus: { id: 'Z' } };",
        '',
      ].join('\n'),
    );
    const program = ts.createProgram([file, usage], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    // The zod schemas validate data and let unknown fields through.
    const mod = await import(file);
    const parsed = mod.customerSchema.parse({
      companyName: 'Acme',
      custentity_magento_id: 7,
      somethingNew: 'kept',
    });
    expect(parsed.somethingNew).toBe('kept');
    expect(() => mod.customerSchema.parse({ custentity_magento_id: 'seven' })).toThrow();
    expect(() =>
      mod.salesOrderSchema.parse({ item: { items: [{ custcol_gift_wrap: 'no' }] } }),
    ).toThrow(/custcol_gift_wrap/);
  }, 30_000);

  it('reads the live metadata catalog with Accept: application/swagger+json', async () => {
    const doc = JSON.parse(await readFile(fixture, 'utf8'));
    const tba = { consumerKey: 'ck', consumerSecret: 'cs', tokenId: 'ti', tokenSecret: 'tsec' };
    const emulator = createNetSuiteEmulator({
      accountId: '1234567_SB1',
      tba,
      metadataCatalog: doc,
    });
    const accepts: string[] = [];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      accepts.push(`${new URL(request.url).search} ${request.headers.get('accept')}`);
      return emulator.fetch(request);
    }) as typeof fetch;
    const file = `${dir}account-live.ts`;
    const run = io(
      {
        NETSUITE_CONSUMER_KEY: tba.consumerKey,
        NETSUITE_CONSUMER_SECRET: tba.consumerSecret,
        NETSUITE_TOKEN_ID: tba.tokenId,
        NETSUITE_TOKEN_SECRET: tba.tokenSecret,
      },
      fetchImpl,
    );
    const code = await runCli(
      [
        'typegen',
        '--account',
        '1234567_SB1',
        '--base-url',
        'https://emulator.test',
        '--records',
        'salesOrder',
        '--out',
        file,
      ],
      run.io,
    );
    expect(run.err.join('\n')).not.toContain('plumbline-netsuite:');
    expect(code).toBe(0);
    expect(accepts).toEqual(['?select=salesOrder application/swagger+json']);
    const source = await readFile(file, 'utf8');
    expect(source).toContain('custbody_magento_order_id?: string | null;');
    expect(source).not.toContain('export interface Customer {');
  });

  it('reads a catalog as live accounts answer it: lower-case names, subrecords, multi-selects', async () => {
    const doc = JSON.parse(await readFile(liveFixture, 'utf8'));
    const emulator = createNetSuiteEmulator({ accountId: '1234567', metadataCatalog: doc });
    const selects: string[] = [];
    const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(input, init);
      selects.push(new URL(request.url).searchParams.get('select') ?? '');
      return emulator.fetch(request);
    }) as typeof fetch;
    const file = `${dir}account-lowercase.ts`;
    const run = io(
      {
        NETSUITE_CONSUMER_KEY: 'ck',
        NETSUITE_CONSUMER_SECRET: 'cs',
        NETSUITE_TOKEN_ID: 'ti',
        NETSUITE_TOKEN_SECRET: 'ts',
      },
      fetchImpl,
    );
    // Asked as salesOrder; the catalog names it salesorder.
    const code = await runCli(
      ['typegen', '--account', '1234567', '--base-url', 'https://emulator.test'].concat([
        '--records',
        'salesOrder',
        '--out',
        file,
      ]),
      run.io,
    );
    expect(run.err.join('\n')).not.toContain('plumbline-netsuite:');
    expect(code).toBe(0);
    expect(selects).toEqual(['salesOrder']);
    expect(run.err).toContain('  salesOrder: 17 fields (3 custom)');
    const source = await readFile(file, 'utf8');
    expect(source).toContain('export interface SalesOrder {');
    expect(source).toContain('  billingAddress?: NsSubrecord;');
    expect(source).toContain('  entity?: NsReference;');
    expect(source).toContain('  item?: NsSublist<SalesOrderItemLine>;');
    expect(source).toContain('  promotions?: NsSublist<SalesOrderPromotionsLine>;');
    expect(source).toContain('  custbody_channel?: NsReference;');
    // A sublist whose schema the catalog left out is still a sublist, not a reference.
    expect(source).toContain('  salesTeam?: NsSublist<SalesOrderSalesTeamLine>;');
    expect(source).toContain('  shipComplete?: "Y" | "N" | null;');
    expect(source).toContain(
      'export const salesOrderCustomFields = ["custbody_channel", "custbody_order_weight", "custbody_is_b2b"] as const;',
    );
    expect(source).toContain('"custbody_order_weight"] as const;');

    // The generated schema accepts a sales order as NetSuite sends it, subrecord and lines included.
    const mod = await import(file);
    const withAddress = {
      ...salesOrderRecord,
      billingAddress: { links: [{ rel: 'self', href: 'https://x.test/a' }] },
    };
    expect(mod.salesOrderSchema.parse(withAddress)).toEqual(withAddress);
    const team = { salesTeam: { links: [], items: [{ employee: { id: '5' } }], totalResults: 1 } };
    expect(mod.salesOrderSchema.parse(team)).toEqual(team);
    expect(() => mod.salesOrderSchema.parse({ shipComplete: 'maybe' })).toThrow(/shipComplete/);
    expect(() =>
      mod.salesOrderSchema.parse({ item: { items: [{ itemType: { id: 'Widget' } }] } }),
    ).toThrow(/itemType/);
  }, 30_000);

  it('honours x-ns-custom-field, inline sublists and allOf wrappers', () => {
    const [model] = readMetadataCatalog(
      {
        components: {
          schemas: {
            customrecord_kit: {
              allOf: [
                {
                  properties: {
                    custrecord_size: { type: 'string' },
                    flagged: { type: 'string', 'x-ns-custom-field': true },
                    parts: {
                      type: 'object',
                      properties: {
                        links: { type: 'array' },
                        items: {
                          type: 'array',
                          items: { type: 'object', properties: { qty: { type: 'integer' } } },
                        },
                      },
                    },
                  },
                },
              ],
            },
          },
        },
      },
      ['customrecord_kit'],
    );
    expect(model?.fields.filter((f) => f.custom).map((f) => f.name)).toEqual([
      'custrecord_size',
      'flagged',
    ]);
    expect(model?.fields.find((f) => f.name === 'parts')).toMatchObject({
      kind: 'sublist',
      line: [{ name: 'qty', kind: 'number', integer: true }],
    });
  });

  it('fails with a clear message for an unknown record or missing options', async () => {
    const run = io();
    const code = await runCli(
      ['typegen', '--schema', fixture, '--records', 'vendorBill', '--out', `${dir}x.ts`],
      run.io,
    );
    expect(code).toBe(1);
    expect(run.err.join('\n')).toContain(
      'record "vendorBill" is not in the metadata catalog (it has: customer, salesOrder, subsidiary)',
    );
    const missing = io();
    expect(await runCli(['typegen', '--records', 'customer'], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toContain('--out is required');
    const noCreds = io();
    expect(
      await runCli(
        ['typegen', '--account', '1', '--records', 'customer', '--out', `${dir}y.ts`],
        noCreds.io,
      ),
    ).toBe(1);
    expect(noCreds.err.join('\n')).toContain('live mode needs credentials');
  });
});
