import { jsonResponse } from '@plumbline/client-core/testing';
import { errorResponse } from './error-response.js';

const REST = '/services/rest';

/** Record types the catalog describes: its component schemas without `-` that are not ns*. */
function catalogRecords(schemas: Record<string, unknown>): string[] {
  return Object.keys(schemas).filter(
    (name) => !name.includes('-') && !/^ns[A-Z]/.test(name) && !name.endsWith('Collection'),
  );
}

/**
 * Answers `/record/v1/metadata-catalog[/<record>]` from a catalog document (Oracle's "Working
 * with Resource Metadata"): the listing without the swagger media type, OpenAPI restricted by
 * `select` with `Accept: application/swagger+json`, and one record's JSON Schema otherwise.
 */
export function metadataCatalogResponse(
  request: Request,
  url: URL,
  doc: Record<string, unknown>,
  record?: string,
): Response {
  const schemas = ((doc.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ??
    {}) as Record<string, unknown>;
  const accept = request.headers.get('accept') ?? '';
  const swagger = /application\/swagger\+json/i.test(accept);
  if (record !== undefined) {
    // One record type's metadata (the links of the listing): OpenAPI with the swagger media
    // type, else the record's own JSON Schema.
    const name = catalogRecords(schemas).find((n) => n.toLowerCase() === record.toLowerCase());
    if (name === undefined) {
      return errorResponse(404, {
        detail: `Record type '${record}' does not exist.`,
        code: 'NONEXISTENT_ID',
        urlPath: url.pathname,
      });
    }
    if (!swagger) {
      return jsonResponse(
        {
          ...(schemas[name] as object),
          $schema: 'https://json-schema.org/draft-06/hyper-schema#',
        },
        { headers: { 'content-type': 'application/schema+json' } },
      );
    }
    url.searchParams.set('select', name);
  }
  if (!swagger) {
    // Without the swagger media type NetSuite lists the record types with links to each one's
    // metadata in every format it serves.
    const base = `${url.origin}${REST}/record/v1/metadata-catalog`;
    return jsonResponse({
      items: catalogRecords(schemas).map((name) => ({
        name,
        links: [
          { rel: 'canonical', href: `${base}/${name}`, mediaType: 'application/json' },
          { rel: 'alternate', href: `${base}/${name}`, mediaType: 'application/swagger+json' },
          { rel: 'alternate', href: `${base}/${name}`, mediaType: 'application/schema+json' },
          { rel: 'describes', href: `${url.origin}${REST}/record/v1/${name}` },
        ],
      })),
    });
  }
  const select = url.searchParams.get('select');
  if (!select)
    return jsonResponse(doc, { headers: { 'content-type': 'application/swagger+json' } });
  // Record type names are case-insensitive (`select=salesorder` and `salesOrder` both work).
  const wanted = new Set(select.split(',').map((s) => s.trim().toLowerCase()));
  const kept: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    const root = name
      .split('-')[0]!
      .replace(/Collection$/, '')
      .toLowerCase();
    if (wanted.has(root) || /^ns[A-Z]/.test(name)) kept[name] = schema;
  }
  // Paths too: `/salesOrder/{id}` belongs to salesorder (Oracle's example selects customer and
  // sales order and answers only their paths).
  const paths: Record<string, unknown> = {};
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, unknown>)) {
    if (wanted.has((path.split('/')[1] ?? '').toLowerCase())) paths[path] = item;
  }
  return jsonResponse(
    { ...doc, paths, components: { ...(doc.components as object), schemas: kept } },
    { headers: { 'content-type': 'application/swagger+json' } },
  );
}
