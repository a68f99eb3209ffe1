import { ConfigError, IDEMPOTENT_HEADER } from '@plumbline/client-core';
import type { SalesforceClient } from '../client.js';
import {
  ApiLimitThresholdError,
  CollectionsHaltedError,
  SalesforceApiError,
  SalesforceResponseError,
} from '../errors.js';
import { pathSegment } from '../path.js';

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

/** One request of up to chunkSize records: where it starts in the input and what it sends. */
interface Chunk {
  start: number;
  size: number;
  /** the records' ids (delete) or the JSON body (create, update, upsert) */
  payload: string[] | string;
}

/** What each record came to, filled in as answers arrive. */
interface Ledger {
  outcomes: Array<CollectionOutcome | undefined>;
  unanswered: number[];
  notSent: number[];
}

/**
 * sObject Collections for any number of records: split into requests of up to 200, sent with
 * bounded concurrency, and answered with exactly one outcome per input record in input order.
 * A request the API refuses as a whole (e.g. 400) marks each of its records failed with that
 * error. With allOrNone, a failed request stops requests not yet sent; their records fail with
 * PROCESSING_HALTED (earlier requests stay committed).
 *
 * Any other error (5xx, network, rate limit, auth, an answer that cannot be mapped, an abort)
 * stops dispatching at once; requests in flight are awaited and then CollectionsHaltedError is
 * thrown with every answered record's outcome, the records sent without an answer and the
 * records never sent, so the caller can resume without duplicates.
 */
export async function collections(
  client: SalesforceClient,
  options: CollectionsOptions,
): Promise<CollectionOutcome[]> {
  const { chunkSize, concurrency } = checkOptions(options);
  const chunks = prepareChunks(options, chunkSize);
  const ledger: Ledger = {
    outcomes: new Array(options.records.length),
    unanswered: [],
    notSent: [],
  };
  const total = options.records.length;
  let halted = false;
  let fatal: { error: unknown } | undefined;
  let next = 0;
  let done = 0;

  const worker = async () => {
    while (fatal === undefined && next < chunks.length) {
      if (options.signal?.aborted) {
        fatal = { error: options.signal.reason };
        break;
      }
      const chunk = chunks[next++] as Chunk;
      if (halted) {
        recordAll(ledger, chunk, PROCESSING_HALTED);
      } else {
        const answer = await sendChunk(client, options, chunk);
        if (answer.kind === 'fatal') {
          fatal ??= { error: answer.error };
          (answer.sent ? ledger.unanswered : ledger.notSent).push(...indices(chunk));
          break;
        }
        if (answer.kind === 'refused') recordAll(ledger, chunk, answer.errors);
        else recordResults(ledger, chunk, answer.results);
        if (options.allOrNone && answer.anyFailed) halted = true;
      }
      done += chunk.size;
      options.onProgress?.({ done, total });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  if (fatal === undefined) return ledger.outcomes as CollectionOutcome[];
  for (const chunk of chunks.slice(next)) ledger.notSent.push(...indices(chunk));
  ledger.unanswered.sort((a, b) => a - b);
  ledger.notSent.sort((a, b) => a - b);
  throw new CollectionsHaltedError(
    options.operation,
    ledger.outcomes,
    ledger.unanswered,
    ledger.notSent,
    fatal.error,
  );
}

const PROCESSING_HALTED: CollectionRecordError[] = [
  {
    statusCode: 'PROCESSING_HALTED',
    message: 'Not sent: an earlier request failed and allOrNone is set.',
    fields: [],
  },
];

function checkOptions(options: CollectionsOptions): { chunkSize: number; concurrency: number } {
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
  if (options.sobject !== undefined && !NAME.test(options.sobject)) {
    throw new ConfigError(
      'sobject',
      `expected an sObject API name, got ${JSON.stringify(options.sobject)}`,
    );
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
  return { chunkSize, concurrency };
}

/** Checks every record and builds every request before the first is sent: bad input sends nothing. */
function prepareChunks(options: CollectionsOptions, chunkSize: number): Chunk[] {
  const { records } = options;
  const chunks: Chunk[] = [];
  const allOrNone = options.allOrNone === true;
  for (let start = 0; start < records.length; start += chunkSize) {
    const slice = records.slice(start, start + chunkSize);
    const at = (i: number) => `records[${start + i}]`;
    if (options.operation === 'delete') {
      const ids = slice.map((r, i) => {
        const id = typeof r === 'string' ? r : (r?.Id ?? r?.id);
        if (typeof id !== 'string' || id.trim() === '')
          throw new ConfigError(at(i), 'delete needs an id string or a record with Id');
        return id;
      });
      chunks.push({ start, size: slice.length, payload: ids });
      continue;
    }
    let body = `{"allOrNone":${allOrNone},"records":[`;
    for (let i = 0; i < slice.length; i++) {
      const r = slice[i];
      if (typeof r !== 'object' || r === null || Array.isArray(r))
        throw new ConfigError(at(i), 'expected a record object');
      const type = (r.attributes as { type?: unknown } | undefined)?.type ?? options.sobject;
      if (typeof type !== 'string' || !NAME.test(type))
        throw new ConfigError(
          at(i),
          type === undefined
            ? `${options.operation} needs options.sobject or attributes.type`
            : `attributes.type ${JSON.stringify(type)} is not an sObject API name`,
        );
      if (i > 0) body += ',';
      body += recordJson(r, type);
    }
    chunks.push({ start, size: slice.length, payload: `${body}]}` });
  }
  return chunks;
}

/**
 * One record as sent: its own fields with `attributes: { type }`. A record without `attributes`
 * and without `toJSON` (the usual plain object) is serialised once and the attributes written in
 * front of its fields, instead of copying it into a new object first: the same JSON object, found
 * in the write path's profile to cost most of the client's own time before the first request.
 */
function recordJson(record: Record<string, unknown>, type: string): string {
  const attributes = `{"attributes":{"type":${JSON.stringify(type)}}`;
  if (!('attributes' in record) && typeof record.toJSON !== 'function') {
    const fields = JSON.stringify(record);
    return fields === '{}' ? `${attributes}}` : `${attributes},${fields.slice(1)}`;
  }
  return JSON.stringify({ ...record, attributes: { type } });
}

type Answer =
  | { kind: 'results'; results: RawResult[]; anyFailed: boolean }
  | { kind: 'refused'; errors: CollectionRecordError[]; anyFailed: true }
  /** sent: whether the request may have reached Salesforce (its records' fate is unknown) */
  | { kind: 'fatal'; error: unknown; sent: boolean };

interface RawResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: CollectionRecordError[];
}

/**
 * Sends one request and classifies the answer: per-record results; a refusal of the whole request
 * (a 4xx other than 401, which Salesforce answers before writing anything); or a fatal error.
 */
async function sendChunk(
  client: SalesforceClient,
  options: CollectionsOptions,
  chunk: Chunk,
): Promise<Answer> {
  let response: Response;
  try {
    response = await send(client, options, chunk);
  } catch (error) {
    if (
      error instanceof SalesforceApiError &&
      error.status >= 400 &&
      error.status < 500 &&
      error.status !== 401
    ) {
      const errors = [
        {
          statusCode: error.errorCode,
          message: error.vendorMessage ?? error.message,
          fields: error.fields,
        },
      ];
      return { kind: 'refused', errors, anyFailed: true };
    }
    // Refused by our own limit guard before anything left: those records were not sent.
    return { kind: 'fatal', error, sent: !(error instanceof ApiLimitThresholdError) };
  }
  const path = collectionsPath(options);
  let results: unknown;
  try {
    results = await response.json();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kind: 'fatal',
      sent: true,
      error: new SalesforceResponseError(
        response.status,
        path,
        `Salesforce answered ${response.status} to ${path} with a body that is not JSON (${reason}); the outcome of records ${chunk.start}-${chunk.start + chunk.size - 1} is unknown.`,
      ),
    };
  }
  if (!Array.isArray(results) || results.length !== chunk.size) {
    return {
      kind: 'fatal',
      sent: true,
      error: new SalesforceResponseError(
        response.status,
        path,
        `Salesforce returned ${Array.isArray(results) ? results.length : 'no'} results for ${chunk.size} records (records ${chunk.start}-${chunk.start + chunk.size - 1}) from ${path}; cannot map outcomes to inputs.`,
      ),
    };
  }
  const list = results as RawResult[];
  return { kind: 'results', results: list, anyFailed: list.some((r) => !(r.success && r.id)) };
}

function recordResults(ledger: Ledger, chunk: Chunk, results: RawResult[]): void {
  for (let i = 0; i < results.length; i++) {
    const r = results[i] as RawResult;
    const index = chunk.start + i;
    if (r.success && r.id) {
      const outcome: CollectionOutcome = { index, success: true, id: r.id };
      if (r.created !== undefined) outcome.created = r.created;
      ledger.outcomes[index] = outcome;
    } else {
      ledger.outcomes[index] = {
        index,
        success: false,
        ...(r.id ? { id: r.id } : {}),
        errors: (r.errors ?? []).map((e) => ({
          statusCode: e.statusCode,
          message: e.message,
          fields: e.fields ?? [],
        })),
      };
    }
  }
}

function recordAll(ledger: Ledger, chunk: Chunk, errors: CollectionRecordError[]): void {
  for (let i = 0; i < chunk.size; i++) {
    const index = chunk.start + i;
    ledger.outcomes[index] = { index, success: false, errors };
  }
}

const indices = (chunk: Chunk) => Array.from({ length: chunk.size }, (_, i) => chunk.start + i);

function collectionsPath(options: CollectionsOptions): string {
  return options.operation === 'upsert'
    ? `composite/sobjects/${pathSegment('sobject', options.sobject)}/${pathSegment('externalIdField', options.externalIdField)}`
    : 'composite/sobjects';
}

async function send(
  client: SalesforceClient,
  options: CollectionsOptions,
  chunk: Chunk,
): Promise<Response> {
  const init: RequestInit = { headers: { 'content-type': 'application/json' } };
  if (options.signal) init.signal = options.signal;
  const path = collectionsPath(options);
  if (typeof chunk.payload !== 'string') {
    const ids = chunk.payload.map(encodeURIComponent).join(',');
    return client.raw(`${path}?ids=${ids}&allOrNone=${options.allOrNone === true}`, {
      ...init,
      method: 'DELETE',
    });
  }
  if (options.operation === 'upsert') {
    return client.raw(path, {
      ...init,
      method: 'PATCH',
      headers: { 'content-type': 'application/json', [IDEMPOTENT_HEADER]: '1' },
      body: chunk.payload,
    });
  }
  return client.raw(path, {
    ...init,
    method: options.operation === 'create' ? 'POST' : 'PATCH',
    body: chunk.payload,
  });
}
