import type { ObjectModel } from './objects.js';
import { namedFields, noSuchColumn, projectRecord } from './record-projection.js';
import type { SObjectStore } from './store.js';

/**
 * sObject Collections retrieve: records of one object by id, in one call.
 * GET  /composite/sobjects/{sObject}?ids=…&fields=…
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_retrieve.htm
 * POST /composite/sobjects/{sObject} with {"ids": […], "fields": […]} (what jsforce sends)
 *   https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-retrieve-post.html
 * The answer has one entry per id, in order: the record with the fields asked for, or null when
 * the id names no record of the object the caller can see (unknown, deleted, another object's
 * or malformed id). A field the object lacks refuses the whole call with 400.
 */

/** The most ids one request retrieves (the POST form's documented limit). */
export const MAX_RETRIEVE_IDS = 2000;

export interface RetrieveRequest {
  ids: string[];
  fields: string[];
}

export interface RetrieveRefusal {
  refused: { errorCode: string; message: string };
}

const refuse = (errorCode: string, message: string): RetrieveRefusal => ({
  refused: { errorCode, message },
});

function checked(ids: string[], fields: string[]): RetrieveRequest | RetrieveRefusal {
  if (ids.length === 0)
    return refuse('MISSING_ARGUMENT', 'ids: required, give one or more record ids');
  if (fields.length === 0)
    return refuse('MISSING_ARGUMENT', 'fields: required, give one or more field names');
  if (ids.length > MAX_RETRIEVE_IDS)
    return refuse(
      'EXCEEDED_ID_LIMIT',
      `ids: ${ids.length} ids given; at most ${MAX_RETRIEVE_IDS} can be retrieved in one call`,
    );
  return { ids, fields };
}

const list = (text: string | null) =>
  (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** The GET form: comma-separated `ids` and `fields` query parameters. */
export function retrieveFromQuery(url: URL): RetrieveRequest | RetrieveRefusal {
  return checked(list(url.searchParams.get('ids')), list(url.searchParams.get('fields')));
}

/** The POST form: a JSON body `{ids: string[], fields: string[]}`. */
export function retrieveFromBody(body: unknown): RetrieveRequest | RetrieveRefusal {
  const payload = (body ?? {}) as Record<string, unknown>;
  for (const name of ['ids', 'fields'] as const) {
    const value = payload[name];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      return refuse('JSON_PARSER_ERROR', `${name}: must be an array of strings`);
  }
  return checked((payload.ids as string[]) ?? [], (payload.fields as string[]) ?? []);
}

/** One entry per id, in order; null for an id that names no live record of the object. */
export function retrieveCollection(
  store: SObjectStore,
  model: ObjectModel,
  request: RetrieveRequest,
  version: string,
): (Record<string, unknown> | null)[] | RetrieveRefusal {
  const named = namedFields(model, request.fields);
  if ('unknown' in named) return refuse('INVALID_FIELD', noSuchColumn(model, named.unknown));
  return request.ids.map((id) => {
    const record = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)
      ? store.get(model.name, id)
      : undefined;
    return record ? projectRecord(model, record, named.fields, version) : null;
  });
}
