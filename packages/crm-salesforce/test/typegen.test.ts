import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { createSalesforceEmulator } from '../src/testing.js';
import { runCli } from '../src/typegen/cli.js';

const fixtures = fileURLToPath(new URL('./fixtures/describe', import.meta.url));
const outDir = fileURLToPath(new URL('../node_modules/.cache/typegen-test/', import.meta.url));
mkdirSync(outDir, { recursive: true });

const ZOD_STUB = `
export interface ZodType<T = unknown> { parse(value: unknown): T; optional(): ZodType<T | undefined>; nullable(): ZodType<T | null> }
export declare const z: {
  string(): ZodType<string>; number(): ZodType<number>; boolean(): ZodType<boolean>; unknown(): ZodType<unknown>;
  record<V>(k: ZodType<string>, v: ZodType<V>): ZodType<Record<string, V>>;
  object<S extends Record<string, ZodType<any>>>(shape: S): ZodType<{ [K in keyof S]: S[K] extends ZodType<infer T> ? T : never }>;
  looseObject<S extends Record<string, ZodType<any>>>(shape: S): ZodType<{ [K in keyof S]: S[K] extends ZodType<infer T> ? T : never } & Record<string, unknown>>;
  array<T>(item: ZodType<T>): ZodType<T[]>;
};
export declare namespace z { type ZodType<T = unknown> = import('zod').ZodType<T> }
`;

/** Type-checks a generated file with strict settings, resolving 'zod' to a small stub. */
function typeErrors(file: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const stubPath = '/virtual/zod.d.ts';
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError) =>
    name === stubPath
      ? ts.createSourceFile(name, ZOD_STUB, version)
      : getSourceFile(name, version, onError);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === stubPath || fileExists(name);
  host.resolveModuleNames = (names, containing) =>
    names.map((name) =>
      name === 'zod'
        ? { resolvedFileName: stubPath, extension: ts.Extension.Dts, isExternalLibraryImport: true }
        : ts.resolveModuleName(name, containing, options, host).resolvedModule,
    );
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

function io(
  env: Record<string, string | undefined> = {},
  fetch?: (r: Request) => Promise<Response>,
) {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
      env,
      ...(fetch ? { fetch } : {}),
    },
  };
}

describe('plumbline-salesforce typegen', () => {
  it('writes types and zod schemas for just the named objects from saved describe JSON', async () => {
    const file = `${outDir}from-describe.ts`;
    const { out, io: cliIo } = io();
    const code = await runCli(
      ['typegen', '--objects', 'Account,Contact,Invoice__c', '--out', file, '--describe', fixtures],
      cliIo,
    );
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
    const source = readFileSync(file, 'utf8');
    expect(source).toContain('export interface Invoice__c {');
    expect(source).toContain('Amount__c?: number | null;');
    expect(source).toContain('Paid__c?: boolean;');
    expect(source).toContain('Status__c?: "Draft" | "Sent" | (string & {}) | null;');
    expect(source).toContain('Account__r?:');
    expect(source).toContain('export const ContactSchema');
    expect(source).not.toContain('Lead');
    expect(source).not.toContain('*/ evil');

    // it compiles under the repo's strict settings (zod stubbed to its ZodType shape, to keep the
    // check fast; the runtime import below runs the real zod)
    expect(typeErrors(file)).toEqual([]);

    // and its schemas validate records, letting unknown fields through
    const mod = await import(file);
    const invoice = mod.Invoice__cSchema.parse({
      Name: 'INV-1',
      Amount__c: 10,
      Paid__c: false,
      Extra__c: 'kept',
    });
    expect(invoice.Extra__c).toBe('kept');
    expect(mod.Invoice__cSchema.safeParse({ Amount__c: 'ten' }).success).toBe(false);
  }, 30_000);

  it('handles a realistic describe: every field type, compound, polymorphic and child relationships', async () => {
    const file = `${outDir}real-account.ts`;
    const describeFile = fileURLToPath(
      new URL('./fixtures/real/describe-account.json', import.meta.url),
    );
    const { out, io: cliIo } = io();
    const code = await runCli(
      ['typegen', '--objects', 'Account', '--out', file, '--describe', describeFile],
      cliIo,
    );
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
    const source = readFileSync(file, 'utf8');
    for (const line of [
      'Id?: string;',
      'Name?: string;',
      'AnnualRevenue?: number | null;',
      'NumberOfEmployees?: number | null;',
      'Active__c?: boolean;',
      'BillingAddress?: Record<string, unknown> | null;',
      'HQ__c?: Record<string, unknown> | null;',
      'Regions__c?: string | null;',
      'Opens_At__c?: string | null;',
      'Type?: "Prospect" | "Customer - Direct" | "Channel Partner / Reseller" | (string & {}) | null;',
      'Owner?: { attributes?: SObjectAttributes; [field: string]: unknown } | null;',
      'Parent_Region__r?:',
      'Contacts?: SObjectChildRecords | null;',
      'Invoices__r?: SObjectChildRecords | null;',
    ])
      expect(source).toContain(line);
    // inactive picklist values are left out; a child relationship without a name is skipped
    expect(source).not.toContain('"Retired"');
    expect(source).not.toContain('ContentDocumentLink records');
    expect(typeErrors(file)).toEqual([]);

    const mod = await import(file);
    const page = JSON.parse(
      readFileSync(new URL('./fixtures/real/query-subquery.json', import.meta.url), 'utf8'),
    );
    for (const record of page.records) expect(mod.AccountSchema.parse(record)).toEqual(record);
    const withAddress = {
      attributes: {
        type: 'Account',
        url: '/services/data/v62.0/sobjects/Account/001Ho00000Fz9ZZIAZ',
      },
      BillingAddress: { city: 'Oslo', country: 'NO', geocodeAccuracy: null, latitude: null },
      Owner: { attributes: { type: 'User' }, Name: 'Owner' },
      Regions__c: 'EMEA;APAC',
      Type: 'Prospect',
    };
    expect(mod.AccountSchema.parse(withAddress)).toEqual(withAddress);
    expect(mod.AccountSchema.safeParse({ Contacts: { records: [] } }).success).toBe(false);
  }, 30_000);

  it('reads describe from an org', async () => {
    const emulator = createSalesforceEmulator({
      accessTokens: ['cli-token'],
      objects: [
        {
          name: 'Invoice__c',
          fields: [
            {
              name: 'Total__c',
              type: 'currency',
              nillable: true,
              createable: true,
              updateable: true,
            },
          ],
        },
      ],
    });
    const file = `${outDir}from-org.ts`;
    const { out, io: cliIo } = io({ SALESFORCE_ACCESS_TOKEN: 'cli-token' }, emulator.fetch);
    const code = await runCli(
      [
        'typegen',
        '--objects',
        'Invoice__c,Contact',
        '--out',
        file,
        '--instance-url',
        'https://acme.my.salesforce.com',
      ],
      cliIo,
    );
    expect(out.stderr).toBe('');
    expect(code).toBe(0);
    const source = readFileSync(file, 'utf8');
    expect(source).toContain('Total__c?: number | null;');
    expect(source).toContain('LastName?: string;');
    expect(out.stdout).toContain('Wrote 2 object types');
  });

  it('explains bad input without leaking credentials', async () => {
    const { out, io: cliIo } = io();
    expect(
      await runCli(
        ['typegen', '--objects', 'Nope__c', '--out', `${outDir}x.ts`, '--describe', fixtures],
        cliIo,
      ),
    ).toBe(1);
    expect(out.stderr).toMatch(
      /No describe for "Nope__c"; available: Account, Contact, Invoice__c, Lead/,
    );
    const missing = io();
    expect(await runCli(['typegen', '--out', 'x.ts'], missing.io)).toBe(1);
    expect(missing.out.stderr).toMatch(/--objects is required/);
    const emulator = createSalesforceEmulator({});
    const denied = io({ SALESFORCE_ACCESS_TOKEN: 'secret-token-123' }, emulator.fetch);
    expect(
      await runCli(
        [
          'typegen',
          '--objects',
          'Account',
          '--out',
          `${outDir}y.ts`,
          '--instance-url',
          'https://o.example.com',
        ],
        denied.io,
      ),
    ).toBe(1);
    expect(denied.out.stderr).toMatch(/INVALID_SESSION_ID/);
    expect(denied.out.stderr).not.toContain('secret-token-123');
  });
});
