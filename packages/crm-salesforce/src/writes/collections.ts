import { ConfigError, IDEMPOTENT_HEADER } from '@plumbline/client-core';
import type { SalesforceClient } from '../client.js';
import { SalesforceApiError } from '../errors.js';

export type CollectionOperation = 'create' | 'update' | 'upsert' | 'delete';

export interface CollectionRecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** The outcome of one input record, at the same position as the input. */
export type CollectionOutcome =
  | { index: number; success: true; id: string; created?: boolean }
  | { index: number; success: false; id?: string; errors: CollectionRecordError[] };

export interface CollectionsOptions {
  operation: CollectionOperation;
  /** sObject type (required for create and upsert; used for update records without attributes). */
  sobject?: string;
  /** External id field for upsert. */
  externalIdField?: string;
  /** Records (delete: ids or records with Id). */
  records: ReadonlyArray<Record<string, unknown> | string>;
  /** Roll back a whole request of 200 when one record fails (applies per request, not across requests). */
  allOrNone?: boolean;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Records per request, at most 200 (default 200). */
  chunkSize?: number;
  /** Called after each request with the number of records answered so far. */
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * sObject Collections for any number of records: split into requests of up to 200, sent with
 * bounded concurrency, and answered with exactly one outcome per input record in input order.
 * A request the API refuses as a whole (e.g. 400) marks each of its records failed with that
 * error; network, rate-limit and auth errors are thrown. With allOrNone, a failed request stops
 * requests not yet sent; their records fail with PROCESSING_HALTED (earlier requests stay committed).
 */
export async function collections(
  client: SalesforceClient,
  options: CollectionsOptions,
): Promise<CollectionOutcome[]> {
  const { operation, records } = options;
  if (!['create', 'update', 'upsert', 'delete'].includes(operation)) {
    throw new ConfigError(
      'operation',
      `expected create, update, upsert or delete, got ${JSON.stringify(operation)}`,
    );
  }
  if (!Array.isArray(records)) throw new ConfigError('records', 'expected an array');
  if (
    (operation === 'create' || operation === 'upsert') &&
    !(options.sobject && NAME.test(options.sobject))
  ) {
    throw new ConfigError('sobject', `is required for ${operation} (an sObject API name)`);
  }
  if (operation === 'upsert' && !(options.externalIdField && NAME.test(options.externalIdField))) {
    throw new ConfigError('externalIdField', 'is required for upsert (a field API name)');
  }
  const chunkSize = options.chunkSize ?? 200;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 200) {
    throw new ConfigError(
      'chunkSize',
      `expected an integer from 1 to 200, got ${String(chunkSize)}`,
    );
  }
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ConfigError('concurrency', `expected a positive integer, got ${String(concurrency)}`);
  }
  const outcomes: CollectionOutcome[] = new Array(records.length);
  const chunks: number[] = [];
  for (let start = 0; start < records.length; start += chunkSize) chunks.push(start);
  let halted = false;
  let nextChunk = 0;
  let done = 0;

  const sendChunk = async (start: number) => {
    const slice = records.slice(start, start + chunkSize);
    const fail = (errors: CollectionRecordError[]) => {
      for (let i = 0; i < slice.length; i++)
        outcomes[start + i] = { index: start + i, success: false, errors };
    };
    if (halted) {
      fail([
        {
          statusCode: 'PROCESSING_HALTED',
          message: 'Not sent: an earlier request failed and allOrNone is set.',
          fields: [],
        },
      ]);
      return;
    }
    let response: Response;
    try {
      response = await send(client, options, slice);
    } catch (error) {
      if (
        error instanceof SalesforceApiError &&
        error.status >= 400 &&
        error.status < 500 &&
        error.status !== 401
      ) {
        fail([
          {
            statusCode: error.errorCode,
            message: error.vendorMessage ?? error.message,
            fields: error.fields,
          },
        ]);
        if (options.allOrNone) halted = true;
        return;
      }
      throw error;
    }
    const results = (await response.json()) as Array<{
      id?: string | null;
      success: boolean;
      created?: boolean;
      errors?: CollectionRecordError[];
    }>;
    if (!Array.isArray(results) || results.length !== slice.length) {
      throw new ConfigError(
        'records',
        `Salesforce returned ${Array.isArray(results) ? results.length : 'no'} results for ${slice.length} records; cannot map outcomes to inputs`,
      );
    }
    for (let i = 0; i < results.length; i++) {
      const r = results[i] as (typeof results)[number];
      const index = start + i;
      if (r.success && r.id) {
        const outcome: CollectionOutcome = { index, success: true, id: r.id };
        if (r.created !== undefined) outcome.created = r.created;
        outcomes[index] = outcome;
      } else {
        outcomes[index] = {
          index,
          success: false,
          ...(r.id ? { id: r.id } : {}),
          errors: (r.errors ?? []).map((e) => ({
            statusCode: e.statusCode,
            message: e.message,
            fields: e.fields ?? [],
          })),
        };
        if (options.allOrNone) halted = true;
      }
    }
  };

  const worker = async () => {
    while (nextChunk < chunks.length) {
      if (options.signal?.aborted) throw options.signal.reason;
      const start = chunks[nextChunk++] as number;
      await sendChunk(start);
      done += Math.min(chunkSize, records.length - start);
      options.onProgress?.({ done, total: records.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  return outcomes;
}

async function send(
  client: SalesforceClient,
  options: CollectionsOptions,
  slice: ReadonlyArray<Record<string, unknown> | string>,
): Promise<Response> {
  const init: RequestInit = { headers: { 'content-type': 'application/json' } };
  if (options.signal) init.signal = options.signal;
  const allOrNone = options.allOrNone === true;
  switch (options.operation) {
    case 'delete': {
      const ids = slice.map((r, i) => {
        const id = typeof r === 'string' ? r : (r.Id ?? r.id);
        if (typeof id !== 'string' || id === '')
          throw new ConfigError(`records[${i}]`, 'delete needs an id string or a record with Id');
        return id;
      });
      return client.raw(
        `composite/sobjects?ids=${ids.map(encodeURIComponent).join(',')}&allOrNone=${allOrNone}`,
        {
          ...init,
          method: 'DELETE',
        },
      );
    }
    case 'create':
    case 'update':
    case 'upsert': {
      const body = {
        allOrNone,
        records: slice.map((r, i) => {
          if (typeof r !== 'object' || r === null)
            throw new ConfigError(`records[${i}]`, 'expected a record object');
          const type = (r.attributes as { type?: string } | undefined)?.type ?? options.sobject;
          if (!type)
            throw new ConfigError(
              `records[${i}]`,
              'update needs options.sobject or attributes.type',
            );
          return { ...r, attributes: { type } };
        }),
      };
      if (options.operation === 'upsert') {
        return client.raw(`composite/sobjects/${options.sobject}/${options.externalIdField}`, {
          ...init,
          method: 'PATCH',
          headers: { 'content-type': 'application/json', [IDEMPOTENT_HEADER]: '1' },
          body: JSON.stringify(body),
        });
      }
      return client.raw('composite/sobjects', {
        ...init,
        method: options.operation === 'create' ? 'POST' : 'PATCH',
        body: JSON.stringify(body),
      });
    }
  }
}
