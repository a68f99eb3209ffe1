import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommerceEmulator } from '../src/testing.js';
import { runCli } from '../src/typegen/cli-main.js';
import { generateCommerceTypes } from '../src/typegen/typegen.js';

// Adobe's published admin schema, read at test time from the shared specs (never copied here).
const schemaPath = fileURLToPath(
  new URL('../../../../shared/specs/adobe-commerce/admin-schema-2.4.9.json', import.meta.url),
);
const present = existsSync(schemaPath);
if (!present) {
  if (process.env.PLUMBLINE_REQUIRE_SERVICES === '1') {
    throw new Error(`PLUMBLINE_REQUIRE_SERVICES=1 but ${schemaPath} is missing`);
  }
  console.warn(
    `[commerce-client] typegen test skipped: ${schemaPath} is absent (../shared not checked out)`,
  );
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const repoTypes = fileURLToPath(new URL('../../../node_modules/@types', import.meta.url));

// Imports the two modules it needs (not the whole index) to keep the type-check quick.
const usage = `import { createCommerceClient } from ${JSON.stringify(join(packageRoot, 'src/client.js'))};
import { searchCriteria } from ${JSON.stringify(join(packageRoot, 'src/query/search-criteria.js'))};
import type { paths } from './magento-types.js';

export async function fiveCalls(baseUrl: string, token: string, fetchImpl: (request: Request) => Promise<Response>) {
  const client = createCommerceClient<paths>({ baseUrl, auth: { type: 'bearer', token }, fetch: fetchImpl });
  const created = await client.POST('/V1/products', {
    body: { product: { sku: 'TG-1', name: 'Typegen product', price: 12.5, attribute_set_id: 4, type_id: 'simple' } },
  });
  const fetched = await client.GET('/V1/products/{sku}', { params: { path: { sku: 'TG-1' } } });
  const customer = await client.POST('/V1/customers', {
    body: { customer: { email: 'typegen@example.test', firstname: 'Type', lastname: 'Gen' } },
  });
  const found = await client.GET('/V1/customers/search', {
    params: { query: { searchCriteria: searchCriteria().where('email', 'like', '%typegen%').pageSize(10).build() } },
  });
  const salable = await client.GET('/V1/inventory/get-product-salable-quantity/{sku}/{stockId}', {
    params: { path: { sku: 'TG-1', stockId: 1 } },
  });
  const name: string | undefined = fetched.data?.name;
  const total: number | undefined = found.data?.total_count;
  // @ts-expect-error the generated types know the product has no such field
  void fetched.data?.no_such_field;
  return { createdSku: created.data?.sku, name, customerId: customer.data?.id, total, salable: salable.data };
}
`;

describe.runIf(present)('plumbline-commerce typegen on the published 2.4.9 admin schema', () => {
  let dir: string;
  const stderr: string[] = [];
  let exitCode: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'plumbline-typegen-'));
    exitCode = await runCli(
      ['typegen', '--schema', schemaPath, '--out', join(dir, 'magento-types.ts')],
      {
        stdout: { write: () => true },
        stderr: { write: (text: string) => stderr.push(text) },
        env: {},
      },
    );
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
    await writeFile(join(dir, 'usage.ts'), usage);
  }, 30_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('repairs, converts and writes types for every path', async () => {
    expect(exitCode).toBe(0);
    expect(stderr.join('')).toContain('repaired: info.description');
    const source = await readFile(join(dir, 'magento-types.ts'), 'utf8');
    expect(source).toContain('"/V1/orders/{id}": {');
    expect(source).toContain('"/V1/inventory/source-items": {');
    expect((source.match(/^ {4}"\/V1\//gm) ?? []).length).toBeGreaterThan(450);
  });

  it('type-checks together with createCommerceClient<paths>() calls', () => {
    const program = ts.createProgram([join(dir, 'usage.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [repoTypes],
      skipLibCheck: true,
      noUncheckedIndexedAccess: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 30_000);

  it('calls five operations through the generated types against the emulator', async () => {
    const emulator = createCommerceEmulator({ integrationTokens: ['typegen-token'] });
    emulator.state.saveSourceItem({ sku: 'TG-1', source_code: 'default', quantity: 4, status: 1 });
    const module = (await import(pathToFileURL(join(dir, 'usage.ts')).href)) as {
      fiveCalls: (
        baseUrl: string,
        token: string,
        f: (r: Request) => Promise<Response>,
      ) => Promise<Record<string, unknown>>;
    };
    const result = await module.fiveCalls('http://typegen.test', 'typegen-token', emulator.fetch);
    expect(result).toEqual({
      createdSku: 'TG-1',
      name: 'Typegen product',
      customerId: 1,
      total: 1,
      salable: 4,
    });
  });
});

describe('plumbline-commerce CLI', () => {
  it('explains its usage and refuses bad arguments without printing secrets', async () => {
    const out: string[] = [];
    const io = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => out.push(t) },
      env: {},
    };
    expect(await runCli(['typegen', '--schema'], io)).toBe(1);
    expect(await runCli(['frobnicate'], io)).toBe(1);
    expect(await runCli(['--help'], io)).toBe(0);
    const missing = await runCli(
      [
        'typegen',
        '--schema',
        join(tmpdir(), 'does-not-exist.json'),
        '--out',
        join(tmpdir(), 'x.ts'),
        '--password',
        'hunter2-secret',
      ],
      io,
    );
    expect(missing).toBe(2);
    expect(out.join('')).toContain('Usage: plumbline-commerce typegen');
    expect(out.join('')).toContain('cannot read');
    expect(out.join('')).not.toContain('hunter2-secret');
  });
});

describe('typegen from a live store URL', () => {
  it('gets an admin token, fetches /schema?services=all with it, and generates types', async () => {
    // A tiny Swagger 2.0 document of our own, shaped like a store's (info.description as a $ref).
    const swagger = {
      swagger: '2.0',
      info: { version: '2.4.9', title: 'store', description: { $ref: 'intro/store-intro.md' } },
      basePath: '/rest/default',
      paths: {
        '/V1/acme/widgets/{id}': {
          get: {
            operationId: 'GetV1AcmeWidgetsId',
            parameters: [{ name: 'id', in: 'path', type: 'integer', required: true }],
            responses: {
              200: { description: 'ok', schema: { $ref: '#/definitions/acme-widget' } },
            },
          },
        },
      },
      definitions: {
        'acme-widget': {
          type: 'object',
          properties: { id: { type: 'integer' }, label: { type: 'string' } },
        },
      },
    };
    const seen: { url: string; auth: string | null; body?: string }[] = [];
    const fakeStore = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push({
        url: request.url,
        auth: request.headers.get('authorization'),
        body: await request.text(),
      });
      if (request.url.endsWith('/V1/integration/admin/token')) return Response.json('tok3n-abc');
      return Response.json(swagger);
    };
    const result = await generateCommerceTypes({
      schema: 'https://shop.example.test/rest/default/schema?services=all',
      username: 'admin',
      password: 'pa55-word',
      fetch: fakeStore as typeof fetch,
    });
    expect(seen.map((s) => s.url)).toEqual([
      'https://shop.example.test/rest/default/V1/integration/admin/token',
      'https://shop.example.test/rest/default/schema?services=all',
    ]);
    expect(seen[1]?.auth).toBe('Bearer tok3n-abc');
    expect(result.converted).toBe(true);
    expect(result.repairs[0]).toContain('info.description');
    expect(result.source).toContain('"/V1/acme/widgets/{id}"');
    expect(result.source).toContain('label?: string');
  });
});
