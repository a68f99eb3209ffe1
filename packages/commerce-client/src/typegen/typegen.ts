import { readFile, writeFile } from 'node:fs/promises';
import { ConfigError, PlumblineError } from '@plumbline/client-core';
import { importTypegenPeer } from './peers.js';

type OpenApiTypescript = typeof import('openapi-typescript');
type Yaml = typeof import('yaml');

export interface TypegenOptions {
  /** `https://<host>/rest/<store>/schema?services=all`, or a path to a saved JSON/YAML schema. */
  schema: string;
  /** File to write; when absent the types are only returned. */
  out?: string;
  /** Admin or integration token for a live store. */
  token?: string;
  /** Admin credentials: a token is fetched from the store of the schema URL. */
  username?: string;
  password?: string;
  fetch?: typeof fetch;
  /** Progress lines (the CLI prints them to stderr). */
  onProgress?: (message: string) => void;
}

export interface TypegenResult {
  /** The generated TypeScript (`paths`, `components`, `operations`). */
  source: string;
  pathCount: number;
  /** What was repaired before conversion (e.g. `info.description was a $ref`). */
  repairs: string[];
  converted: boolean;
}

type Doc = Record<string, unknown>;

interface Swagger2OpenApi {
  convertObj(
    doc: object,
    options: { patch?: boolean; warnOnly?: boolean },
  ): Promise<{ openapi: Doc }>;
}

/** swagger2openapi ships no types; load it untyped (it is CommonJS). */
async function loadConverter(): Promise<Swagger2OpenApi> {
  const loaded = await importTypegenPeer<Swagger2OpenApi & { default?: Swagger2OpenApi }>(
    'swagger2openapi',
  );
  return typeof loaded.convertObj === 'function' ? loaded : (loaded.default as Swagger2OpenApi);
}

/** An ES module seen from CommonJS may arrive wrapped in `default`; unwrap it. */
function unwrapDefault<T extends object>(loaded: T, member: keyof T): T {
  return member in loaded ? loaded : ((loaded as { default?: T }).default as T);
}

function isUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** The REST root of a schema URL: `https://h/rest/default/schema?services=all` -> `https://h/rest/default`. */
export function restRootOfSchemaUrl(url: string): string {
  const parsed = new URL(url);
  const index = parsed.pathname.lastIndexOf('/schema');
  if (index === -1) {
    throw new ConfigError(
      'schema',
      `"${parsed.origin}${parsed.pathname}" is not a /rest/<store>/schema URL`,
    );
  }
  return `${parsed.origin}${parsed.pathname.slice(0, index)}`;
}

async function fetchSchema(options: TypegenOptions): Promise<Doc> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let token = options.token;
  if (!token && options.username !== undefined) {
    if (!options.password)
      throw new ConfigError(
        'password',
        'give --password (or PLUMBLINE_COMMERCE_PASSWORD) with --username',
      );
    options.onProgress?.('Requesting an admin token');
    const response = await doFetch(
      `${restRootOfSchemaUrl(options.schema)}/V1/integration/admin/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username: options.username, password: options.password }),
      },
    );
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok || typeof body !== 'string') {
      throw new PlumblineError(
        'TYPEGEN_AUTH_FAILED',
        `The store refused the admin credentials (HTTP ${response.status}); check --username/--password.`,
      );
    }
    token = body;
  }
  options.onProgress?.(`Fetching ${options.schema.replace(/\?.*$/, '')}`);
  const response = await doFetch(options.schema, {
    headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok) {
    throw new PlumblineError(
      'TYPEGEN_FETCH_FAILED',
      `GET ${options.schema.replace(/\?.*$/, '')} answered ${response.status}; an admin token is needed for services=all.`,
    );
  }
  return (await response.json()) as Doc;
}

/** Read a schema from a URL (with a token) or from a JSON/YAML file. */
export async function loadSchema(options: TypegenOptions): Promise<Doc> {
  if (typeof options.schema !== 'string' || options.schema === '') {
    throw new ConfigError('schema', 'give a schema URL or file path');
  }
  if (isUrl(options.schema)) return fetchSchema(options);
  let text: string;
  try {
    text = await readFile(options.schema, 'utf8');
  } catch (error) {
    throw new ConfigError(
      'schema',
      `cannot read "${options.schema}" (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const parsed: unknown = text.trimStart().startsWith('{')
    ? JSON.parse(text)
    : unwrapDefault<Yaml>(await importTypegenPeer('yaml'), 'parse').parse(text);
  if (!parsed || typeof parsed !== 'object')
    throw new ConfigError('schema', `"${options.schema}" is not a JSON or YAML object`);
  return parsed as Doc;
}

/**
 * Fix what stops conversion of Magento's published schemas: an `info.description` that is a
 * `$ref` to a Markdown file, and any other `$ref` outside the document.
 */
export function repairSchema(doc: Doc): { doc: Doc; repairs: string[] } {
  const repairs: string[] = [];
  const info = (doc.info ?? {}) as Doc;
  if (typeof info.description !== 'string' && info.description !== undefined) {
    repairs.push(
      'info.description was not a string (a $ref to a Markdown file); replaced with text',
    );
    doc.info = {
      ...info,
      description: 'Adobe Commerce REST API (description replaced by plumbline typegen)',
    };
  }
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        walk(child, `${path}/${i}`);
      });
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Doc;
    if (typeof record.$ref === 'string' && !record.$ref.startsWith('#/')) {
      repairs.push(`${path}: external $ref "${record.$ref}" removed`);
      delete record.$ref;
    }
    for (const [key, child] of Object.entries(record))
      walk(child, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  };
  walk(doc, '#');
  return { doc, repairs };
}

const CRITERIA_SCHEMA = 'framework-search-criteria-interface';

/**
 * Magento's schema spells searchCriteria as flattened, index-0 query parameters
 * (`searchCriteria[filterGroups][0][filters][0][field]` …). Replace them with one structured
 * `searchCriteria` parameter typed as the criteria object, which the commerce client serializes
 * (and `searchCriteria()` builds).
 */
function structureSearchCriteria(openapi: Doc, repairs: string[]): void {
  const schemas = ((openapi.components ?? {}) as Doc).schemas as Doc | undefined;
  if (!schemas || !(CRITERIA_SCHEMA in schemas)) return;
  let count = 0;
  for (const item of Object.values((openapi.paths ?? {}) as Record<string, Doc>)) {
    for (const operation of Object.values(item)) {
      if (
        !operation ||
        typeof operation !== 'object' ||
        !Array.isArray((operation as Doc).parameters)
      )
        continue;
      const parameters = (operation as Doc).parameters as Doc[];
      const kept = parameters.filter(
        (p) => !(p.in === 'query' && String(p.name).startsWith('searchCriteria[')),
      );
      if (kept.length === parameters.length) continue;
      kept.push({
        name: 'searchCriteria',
        in: 'query',
        style: 'deepObject',
        explode: true,
        schema: { $ref: `#/components/schemas/${CRITERIA_SCHEMA}` },
      });
      (operation as Doc).parameters = kept;
      count++;
    }
  }
  if (count > 0)
    repairs.push(
      `${count} operations: flattened searchCriteria[...] parameters replaced by one structured searchCriteria`,
    );
}

/** Turn a store's schema into openapi-typescript types that `createCommerceClient<paths>()` accepts. */
export async function generateCommerceTypes(options: TypegenOptions): Promise<TypegenResult> {
  const loaded = await loadSchema(options);
  const { doc, repairs } = repairSchema(loaded);
  let openapi = doc;
  let converted = false;
  if (typeof doc.swagger === 'string' && doc.swagger.startsWith('2')) {
    options.onProgress?.('Converting Swagger 2.0 to OpenAPI 3');
    const result = await (await loadConverter()).convertObj(doc, { patch: true, warnOnly: true });
    openapi = result.openapi;
    converted = true;
  } else if (typeof doc.openapi !== 'string') {
    throw new ConfigError(
      'schema',
      'the document has neither "swagger": "2.0" nor an "openapi" version',
    );
  }
  structureSearchCriteria(openapi, repairs);
  options.onProgress?.('Generating TypeScript types');
  const {
    default: openapiTS,
    astToString,
    COMMENT_HEADER,
  } = unwrapDefault<OpenApiTypescript>(
    await importTypegenPeer('openapi-typescript'),
    'astToString',
  );
  const ast = await openapiTS(openapi as never);
  const source = COMMENT_HEADER + astToString(ast);
  const pathCount = Object.keys((openapi.paths ?? {}) as object).length;
  if (options.out) {
    await writeFile(options.out, source, 'utf8');
    options.onProgress?.(`Wrote ${options.out} (${pathCount} paths)`);
  }
  return { source, pathCount, repairs, converted };
}
