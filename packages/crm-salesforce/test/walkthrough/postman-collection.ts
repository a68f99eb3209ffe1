import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Salesforce's public Postman collection (forcedotcom/postman-salesforce-apis, CC0), read where
 * the project keeps vendor specs: `../shared/specs` next to the repository root, never copied in.
 * We use the last full collection, exploded one request a file (see that folder's README).
 */

export interface PostmanQueryParam {
  key: string;
  value: string;
  /** false when Postman sends the key alone (`?ids&fields`). */
  equals: boolean;
  enabled: boolean;
}

export interface PostmanRequest {
  /** `folder/file` without `.json`, e.g. `rest/sobject_basic_information`. */
  name: string;
  title: string;
  method: string;
  /** The URL template as written, e.g. `{{_endpoint}}/services/data/v{{version}}/sobjects/<SOBJECT_API_NAME>`. */
  url: string;
  queryParams: PostmanQueryParam[];
}

/** The directory holding `pnpm-workspace.yaml`, from this file upwards. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('pnpm-workspace.yaml not found above the walkthrough test');
    dir = up;
  }
  return dir;
}

const SPECS = resolve(repoRoot(), '../shared/specs/salesforce/postman-collection');

/** The last full collection (2021), one request a file. */
export const COLLECTION_DIR = resolve(SPECS, 'exploded-83bd942/collections/salesforce_apis');

/** The collection's first published version (2020-01-13) and its template environment. */
export const FIRST_VERSION_FILE = resolve(
  SPECS,
  'Salesforce_API.postman_collection.2020-01-13.json',
);
export const FIRST_VERSION_ENVIRONMENT = resolve(
  SPECS,
  'Salesforce_Template_Environment.postman_environment.json',
);
/** How the first version's requests are named here: `2020-01-13/<folder>/<request>`. */
export const FIRST_VERSION = '2020-01-13';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Every request of the collection (folders' index files left out), sorted by name. */
export function readRequests(dir = COLLECTION_DIR): PostmanRequest[] {
  return files(dir)
    .filter((file) => file.endsWith('.json') && !file.endsWith('index.json'))
    .map((file) => {
      const raw = JSON.parse(readFileSync(file, 'utf8'));
      return {
        name: relative(dir, file).replace(/\.json$/, ''),
        title: String(raw.name),
        method: String(raw.method),
        url: String(raw.url).trim(),
        queryParams: (raw.queryParams ?? []) as PostmanQueryParam[],
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The collection's own variables (`version` is 50.0), from its index. */
export function collectionVariables(dir = COLLECTION_DIR): Record<string, string> {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
  return Object.fromEntries(
    (index.variables as { key: string; value: string }[]).map((v) => [v.key, v.value]),
  );
}

/**
 * The request's URL with `{{variables}}` and `<PLACEHOLDERS>` filled in. Query parameters come
 * from the request's own list: a value the collection leaves empty is taken from `params` when
 * given, otherwise sent as the collection sends it (the key alone, or `key=`).
 */
export function fillUrl(
  request: PostmanRequest,
  variables: Record<string, string>,
  placeholders: Record<string, string>,
  params: Record<string, string> = {},
): string {
  const fill = (text: string) =>
    text
      .replace(/\{\{(\w+)\}\}/g, (whole, name: string) => variables[name] ?? whole)
      .replace(/<(\w+)>/g, (whole, name: string) => placeholders[name] ?? whole);
  const [path] = request.url.split('?') as [string];
  const query = request.queryParams
    .filter((p) => p.enabled !== false)
    .map((p) => {
      // the collection's own values go as written (Postman does not encode `+` in `q=SELECT+name`)
      const value = p.value === '' ? encodeURIComponent(params[p.key] ?? '') : fill(p.value);
      if (value === '' && !p.equals) return p.key;
      return `${p.key}=${value}`;
    });
  return query.length > 0 ? `${fill(path)}?${query.join('&')}` : fill(path);
}

interface V21Item {
  name: string;
  item?: V21Item[];
  request?: {
    method: string;
    url:
      | string
      | { raw: string; query?: { key: string; value: string | null; disabled?: boolean }[] };
  };
}

/**
 * Every request of the first version (a Postman v2.1 file: nested folders, each request's URL
 * with its query list), named `2020-01-13/<folder>/<request>`, sorted by name.
 */
export function readFirstVersion(file = FIRST_VERSION_FILE): PostmanRequest[] {
  const out: PostmanRequest[] = [];
  const walk = (items: V21Item[], path: string) => {
    for (const item of items) {
      const name = `${path}/${item.name}`;
      if (item.item) walk(item.item, name);
      else if (item.request) {
        const url = item.request.url;
        const raw = typeof url === 'string' ? url : url.raw;
        out.push({
          name,
          title: item.name,
          method: item.request.method,
          url: raw.trim(),
          queryParams: (typeof url === 'string' ? [] : (url.query ?? [])).map((q) => ({
            key: q.key,
            value: q.value ?? '',
            equals: q.value !== null,
            enabled: q.disabled !== true,
          })),
        });
      }
    }
  };
  walk((JSON.parse(readFileSync(file, 'utf8')) as { item: V21Item[] }).item, FIRST_VERSION);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The template environment's variables (`version` is 46.0). */
export function firstVersionVariables(file = FIRST_VERSION_ENVIRONMENT): Record<string, string> {
  const env = JSON.parse(readFileSync(file, 'utf8')) as {
    values: { key: string; value: string }[];
  };
  return Object.fromEntries(env.values.map((v) => [v.key, v.value]));
}
