import { z } from 'zod';
import * as recordSchemas from '../schemas/records.js';
import { RECORD_KINDS } from './store.js';

/**
 * The metadata catalog the emulator serves when it is given none: an OpenAPI 3.0.1 document in
 * the documented format (Oracle's "Working with OpenAPI 3.0 Metadata", section_1545126526) for
 * the record types the emulator keeps, named in lower case as live catalogs name them
 * (`salesorder`). Each record's schema is its zod schema in this package (`schemas.customer`, ...)
 * as JSON Schema, so it describes the fields this package knows, not an account's custom fields:
 * pass your account's catalog as the `metadataCatalog` option for those.
 */
let built: Record<string, unknown> | undefined;

const nsLink = {
  type: 'object',
  properties: { rel: { type: 'string' }, href: { type: 'string' } },
};

function recordPaths(name: string): Record<string, unknown> {
  const ref = (schema: string) => ({ $ref: `#/components/schemas/${schema}` });
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const json = (schema: string) => ({ 'application/json': { schema: ref(schema) } });
  return {
    [`/${name}`]: {
      get: {
        tags: [name],
        summary: 'Get list of records.',
        parameters: [
          {
            name: 'q',
            in: 'query',
            description: 'Search query used to filter results.',
            schema: { type: 'string' },
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 1000 } },
          { name: 'offset', in: 'query', schema: { type: 'integer', default: 0 } },
        ],
        responses: {
          '200': {
            description: 'Get list of records.',
            content: {
              'application/vnd.oracle.resource+json; type=collection': {
                schema: ref(`${name}Collection`),
              },
            },
          },
        },
      },
      post: {
        tags: [name],
        summary: 'Insert record.',
        requestBody: { content: json(name), required: true },
        responses: { '204': { description: 'Inserted record.' } },
      },
    },
    [`/${name}/{id}`]: {
      get: {
        tags: [name],
        summary: 'Get record.',
        parameters: [
          id,
          { name: 'expandSubResources', in: 'query', schema: { type: 'boolean', default: false } },
          { name: 'fields', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'Get record.',
            content: {
              'application/vnd.oracle.resource+json; type=singular': { schema: ref(name) },
            },
          },
        },
      },
      patch: {
        tags: [name],
        summary: 'Update record.',
        parameters: [id, { name: 'replace', in: 'query', schema: { type: 'string' } }],
        requestBody: { content: json(name), required: true },
        responses: { '204': { description: 'Updated record.' } },
      },
      put: {
        tags: [name],
        summary: 'Insert or update record (external id: eid:<externalId>).',
        parameters: [id],
        requestBody: { content: json(name), required: true },
        responses: { '204': { description: 'Upserted record.' } },
      },
      delete: {
        tags: [name],
        summary: 'Remove record.',
        parameters: [id],
        responses: { '204': { description: 'Removed record.' } },
      },
    },
  };
}

export function defaultMetadataCatalog(): Record<string, unknown> {
  if (built !== undefined) return built;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    nsLink,
    nsResource: { type: 'object', properties: { links: { type: 'array', items: nsLink } } },
    nsResourceCollection: {
      type: 'object',
      properties: {
        links: { type: 'array', items: nsLink },
        count: { type: 'integer' },
        hasMore: { type: 'boolean' },
        offset: { type: 'integer' },
        totalResults: { type: 'integer' },
      },
    },
  };
  for (const type of Object.keys(RECORD_KINDS)) {
    const schema = (recordSchemas as Record<string, z.ZodType | undefined>)[type];
    if (schema === undefined) continue;
    const name = type.toLowerCase();
    Object.assign(paths, recordPaths(name));
    schemas[name] = z.toJSONSchema(schema, {
      target: 'openapi-3.0',
      unrepresentable: 'any',
      io: 'input',
    });
    schemas[`${name}Collection`] = {
      type: 'object',
      properties: {
        links: { type: 'array', items: nsLink },
        items: { type: 'array', items: { $ref: '#/components/schemas/nsResource' } },
        totalResults: { type: 'integer' },
      },
    };
  }
  built = {
    openapi: '3.0.1',
    info: {
      title: 'NetSuite REST Record API',
      description: "The emulator's record types (@plumbline/erp-netsuite/testing).",
      version: 'v1',
    },
    paths,
    components: { schemas },
  };
  return built;
}
