import type { NetSuiteClient } from '../client.js';
import { NetSuiteArgumentError } from '../errors.js';
import { idFromLocation } from './location.js';
import { pageHasMore } from './paging.js';
import { checkName, externalIdSegment, pathSegment } from './path.js';

/** Record types described by this package's spec; any other type name (custom records) works too. */
export type KnownRecordType =
  | 'customer'
  | 'contact'
  | 'salesOrder'
  | 'itemFulfillment'
  | 'invoice'
  | 'creditMemo'
  | 'returnAuthorization'
  | 'inventoryItem'
  | 'location'
  | 'priceLevel';
export type RecordType = KnownRecordType | (string & {});

/** A record body as sent to NetSuite (`{ companyName, subsidiary: { id }, item: { items: [...] } }`). */
export type RecordBody = Record<string, unknown>;

/** Where a written record lives. */
export interface RecordRef {
  id: string;
  location: string;
}

export function checkType(type: unknown, name = 'type'): string {
  return checkName(type, name, 'a record type (e.g. "salesOrder" or "customrecord_x")');
}

/** The `replace` query parameter: sublist names joined by commas, each checked to be a name. */
export function replaceParam(replace: readonly unknown[] | undefined): string | undefined {
  if (replace === undefined || replace.length === 0) return undefined;
  return replace.map((s, i) => checkName(s, `replace[${i}]`, 'a sublist name')).join(',');
}

export function checkBody(body: unknown, name = 'body'): RecordBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new NetSuiteArgumentError(name, 'must be a plain object of record fields');
  }
  return body as RecordBody;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** openapi-fetch's method-generic call for paths built at run time (custom record types). */
export async function call(
  client: NetSuiteClient,
  method: Method,
  path: string,
  init: {
    body?: unknown;
    query?: Record<string, string | number | boolean | undefined>;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  } = {},
): Promise<{ data: unknown; response: Response }> {
  const query = Object.fromEntries(
    Object.entries(init.query ?? {}).filter(([, v]) => v !== undefined),
  );
  const result = await (client as any).request(method, path, {
    params: { query },
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.headers ? { headers: init.headers } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  return { data: result.data, response: result.response };
}

/**
 * `/record/v1/<type>[/<id>]`, every parameter in its own encoded segment. An id written
 * `eid:<externalId>` addresses the record by external id.
 */
export function recordPath(type: unknown, id?: unknown, idName = 'id'): string {
  const base = `/record/v1/${checkType(type)}`;
  if (id === undefined) return base;
  if (typeof id === 'string' && id.startsWith('eid:')) {
    return `${base}/${externalIdSegment(id.slice(4), idName)}`;
  }
  return `${base}/${pathSegment(id, idName, 'a record id')}`;
}

/** `/record/v1/<type>/eid:<externalId>`. */
export function externalIdPath(type: unknown, externalId: unknown): string {
  return `/record/v1/${checkType(type)}/${externalIdSegment(externalId)}`;
}

/** `/record/v1/<from>/<id>/!transform/<to>`. */
export function transformPath(from: unknown, id: unknown, to: unknown): string {
  return `${recordPath(from, id)}/!transform/${checkType(to, 'to')}`;
}

/** Creates a record; NetSuite answers 204 with the new record in `Location`, whose id is returned. */
export async function createRecord(
  client: NetSuiteClient,
  type: RecordType,
  body: RecordBody,
  options: { signal?: AbortSignal } = {},
): Promise<RecordRef> {
  const { response } = await call(client, 'POST', recordPath(type), {
    body: checkBody(body),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return idFromLocation(response, `the create of a ${type}`);
}

export interface GetRecordOptions<T> {
  /** Body fields to return. */
  fields?: string[];
  /** Inline sublists and subrecords. */
  expandSubResources?: boolean;
  /** Validate (and type) the record, for example with `schemas.salesOrder`. */
  schema?: { parse(value: unknown): T };
  signal?: AbortSignal;
}

async function readRecord<T>(
  client: NetSuiteClient,
  path: string,
  options: GetRecordOptions<T>,
): Promise<T> {
  const { data } = await call(client, 'GET', path, {
    query: {
      fields: options.fields?.join(','),
      expandSubResources: options.expandSubResources,
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return options.schema ? options.schema.parse(data) : (data as T);
}

/** Reads one record by internal id (or by `eid:<externalId>`). */
export async function getRecord<T = RecordBody>(
  client: NetSuiteClient,
  type: RecordType,
  id: string,
  options: GetRecordOptions<T> = {},
): Promise<T> {
  return readRecord(client, recordPath(type, id), options);
}

/** Reads one record by external id (`GET /record/v1/<type>/eid:<externalId>`). */
export async function getRecordByExternalId<T = RecordBody>(
  client: NetSuiteClient,
  type: RecordType,
  externalId: string,
  options: GetRecordOptions<T> = {},
): Promise<T> {
  return readRecord(client, externalIdPath(type, externalId), options);
}

export interface RecordListPage {
  items: { id: string; links?: { rel: string; href: string }[] }[];
  hasMore: boolean;
  count?: number;
  offset?: number;
  totalResults?: number;
}

/** One page of record ids (`q` filter, `limit` up to 1000, `offset` a multiple of `limit`). */
export async function listRecords(
  client: NetSuiteClient,
  type: RecordType,
  options: { q?: string; limit?: number; offset?: number; signal?: AbortSignal } = {},
): Promise<RecordListPage> {
  const { data } = await call(client, 'GET', recordPath(type), {
    query: { q: options.q, limit: options.limit, offset: options.offset },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const page = (data ?? { items: [] }) as RecordListPage;
  return {
    ...page,
    items: page.items ?? [],
    hasMore: pageHasMore(page, options.offset ?? 0),
  };
}

/** Every id of a record type (optionally filtered with `q`), page by page. */
export async function* recordIds(
  client: NetSuiteClient,
  type: RecordType,
  options: { q?: string; pageSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<string> {
  const limit = options.pageSize ?? 1000;
  let offset = 0;
  for (;;) {
    const page = await listRecords(client, type, {
      limit,
      offset,
      ...(options.q === undefined ? {} : { q: options.q }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    for (const item of page.items) yield item.id;
    if (!page.hasMore || page.items.length === 0) return;
    offset += limit;
  }
}

export interface WriteOptions {
  /** Sublists to replace instead of merge (`replace=item,addressBook`). */
  replace?: string[];
  signal?: AbortSignal;
}

/** Updates a record (PATCH): fields merge; sublists named in `replace` are replaced. */
export async function updateRecord(
  client: NetSuiteClient,
  type: RecordType,
  id: string,
  body: RecordBody,
  options: WriteOptions = {},
): Promise<void> {
  await call(client, 'PATCH', recordPath(type, id), {
    body: checkBody(body),
    query: { replace: replaceParam(options.replace) },
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Deletes a record. */
export async function deleteRecord(
  client: NetSuiteClient,
  type: RecordType,
  id: string,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  await call(client, 'DELETE', recordPath(type, id), {
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/**
 * Creates or updates the record with this external id (`PUT /record/v1/<type>/eid:<externalId>`).
 * PUT is idempotent, so the transport may retry it safely. Returns the internal id.
 */
export async function upsertByExternalId(
  client: NetSuiteClient,
  type: RecordType,
  externalId: string,
  body: RecordBody,
  options: WriteOptions = {},
): Promise<RecordRef> {
  const { response } = await call(client, 'PUT', externalIdPath(type, externalId), {
    body: checkBody(body),
    query: { replace: replaceParam(options.replace) },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!response.headers.get('location')) {
    // Some accounts answer an update-by-upsert without Location: look the id up.
    const record = await getRecordByExternalId(client, type, externalId, { fields: ['id'] });
    return { id: String((record as { id?: unknown }).id), location: '' };
  }
  return idFromLocation(response, `the upsert of ${type} eid:${externalId}`);
}

/** Transforms a record into another (`POST /record/v1/salesOrder/{id}/!transform/invoice`). */
export async function transformRecord(
  client: NetSuiteClient,
  from: RecordType,
  id: string,
  to: RecordType,
  body: RecordBody = {},
  options: { signal?: AbortSignal } = {},
): Promise<RecordRef> {
  const path = transformPath(from, id, to);
  const { response } = await call(client, 'POST', path, {
    body: checkBody(body),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return idFromLocation(response, `the transform of ${from} ${id} into ${to}`);
}
