import { createHmac, randomBytes } from 'node:crypto';
import { PlumblineError, verifyJwt } from '@plumbline/client-core';
import {
  type FaultOptions,
  type Handler,
  listen,
  type RunningServer,
  withFaults,
} from '@plumbline/client-core/testing';
import {
  type IngestJob,
  processIngestJob,
  type QueryJob,
  queryResultPage,
  resultCsv,
} from './bulk-jobs.js';
import { retrieveCollection, retrieveFromBody, retrieveFromQuery } from './collections-retrieve.js';
import { describeGlobal, sobjectBasicInfo } from './describe-global.js';
import { describeObject, type EmulatorObject } from './objects.js';
import { namedFields, noSuchColumn, projectRecord } from './record-projection.js';
import { isParentRelationship, traverseToParent } from './relationship-traversal.js';
import {
  checkSnapshot,
  EmulatorSnapshotError,
  SALESFORCE_SNAPSHOT_VERSION,
  secretDigest,
} from './snapshot.js';
import { type PlannedQuery, SoqlEngine, SoqlEngineError, soqlErrorMessage } from './soql-engine.js';
import {
  formatSfDateTime,
  parseSfDateTime,
  type RecordError,
  SObjectStore,
  type StoreDump,
  type StoredRecord,
  type WriteOutcome,
} from './store.js';

export interface SalesforceEmulatorOptions {
  /** Describe metadata of custom objects (or extra fields for Account/Contact/Opportunity). */
  objects?: EmulatorObject[];
  /** JWT bearer flow: the connected app's consumer key, the certificate's public key and the user it may log in. */
  jwt?: { clientId: string; publicKey: string; username: string; audiences?: string[] };
  /** Client-credentials apps; refreshTokens lists the refresh tokens each app may redeem. */
  clients?: { clientId: string; clientSecret?: string; refreshTokens?: string[] }[];
  /** Access tokens accepted without a login (e.g. for accessToken auth). */
  accessTokens?: string[];
  /** The org's daily API request allocation (default 100,000); reaching it gives REQUEST_LIMIT_EXCEEDED. */
  dailyApiLimit?: number;
  /** Session lifetime (default 2 hours). */
  sessionTtlMs?: number;
  /** The instance_url handed out by the token endpoint (default: the origin the request came to). */
  instanceUrl?: string;
  /** Records to start with, by object name. */
  seed?: Record<string, Record<string, unknown>[]>;
  /** Seeded fault injection from client-core (latency, 429, 5xx, resets). */
  faults?: FaultOptions;
  /** Clock (epoch ms), default Date.now. */
  now?: () => number;
  /** Most ids getUpdated/getDeleted return before EXCEEDED_ID_LIMIT (default 600,000). */
  maxReplicationIds?: number;
  /** Default query batch size (default 2000). */
  defaultBatchSize?: number;
  /** Rows per Bulk query results page when maxRecords is absent (default 10,000). */
  bulkQueryPageSize?: number;
  /**
   * Start from a snapshot taken by `snapshot()` (then `seed` is ignored; pass the same `objects`):
   * records (also deleted ones), id counters, Bulk API 2.0 jobs, issued sessions and API usage
   * are as they were. Open query locators are not kept (Salesforce expires them too). Throws
   * `EmulatorSnapshotError` for another version or a malformed snapshot.
   */
  snapshot?: SalesforceEmulatorSnapshot;
}

/** The emulator's data as plain JSON (see `SalesforceEmulator.snapshot()`). */
export interface SalesforceEmulatorSnapshot extends StoreDump {
  version: 1;
  emulator: 'salesforce';
  /** The sequence of job and query locator ids. */
  sequence: number;
  apiUsage: number;
  tokenGrants: number;
  ingestJobs: IngestJob[];
  /** Query jobs without their result rows: those are recomputed from `query` on restore. */
  queryJobs: Omit<QueryJob, 'plan'>[];
  /** Issued sessions by SHA-256 digest, with their expiry (null: never). */
  sessions: [string, number | null][];
}

export interface SalesforceEmulatorState {
  readonly store: SObjectStore;
  /** Live records of an object. */
  records(object: string): StoredRecord[];
  /** Inserts a record directly (throws on validation errors); returns its id. */
  insert(object: string, fields: Record<string, unknown>): string;
  /** API requests counted today (settable to simulate a busy org). */
  apiUsage: number;
  readonly dailyApiLimit: number;
  /** Successful token grants. */
  readonly tokenGrants: number;
  /** Token endpoint calls, by grant type. */
  readonly tokenRequests: Record<string, number>;
  /** Expires every session now: the next call with an old token gets 401 INVALID_SESSION_ID. */
  expireSessions(): void;
  readonly ingestJobs: Map<string, IngestJob>;
  readonly queryJobs: Map<string, QueryJob>;
  /** Every request handled: method and path (no query). */
  readonly requests: { method: string; path: string }[];
}

export interface SalesforceEmulator {
  fetch: Handler;
  listen(port?: number): Promise<RunningServer>;
  state: SalesforceEmulatorState;
  /** The data as plain JSON: pass it back as the `snapshot` option to continue from here. */
  snapshot(): SalesforceEmulatorSnapshot;
}

const DAY = 86_400_000;
/** API versions the emulator lists at /services/data, with their release names. */
const API_VERSIONS: [string, string][] = [
  ['58.0', "Summer '23"],
  ['59.0', "Winter '24"],
  ['60.0', "Spring '24"],
  ['61.0', "Summer '24"],
  ['62.0', "Winter '25"],
];
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers:
      body === undefined
        ? headers
        : { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
const sfError = (status: number, errorCode: string, message: string, fields?: string[]) =>
  json([{ message, errorCode, ...(fields ? { fields } : {}) }], status);

class HttpFailure extends Error {
  constructor(readonly response: Response) {
    super('http failure');
  }
}
const fail = (status: number, errorCode: string, message: string, fields?: string[]): never => {
  throw new HttpFailure(sfError(status, errorCode, message, fields));
};

interface Cursor {
  plan: PlannedQuery;
  version: string;
  batchSize: number;
  kind: 'query' | 'queryAll';
}

function batchSizeOf(request: Request, fallback: number): number {
  const header = request.headers.get('sforce-query-options') ?? '';
  const match = /batchSize\s*=\s*(\d+)/i.exec(header);
  if (!match) return fallback;
  return Math.min(2000, Math.max(200, Number(match[1])));
}

function saveResult(outcome: WriteOutcome, withCreated: boolean): Record<string, unknown> {
  if (outcome.ok)
    return {
      id: outcome.id,
      success: true,
      errors: [],
      ...(withCreated ? { created: outcome.created } : {}),
    };
  // Salesforce leaves `id` out of a failed result unless the record exists (e.g. a failed delete).
  return {
    ...(outcome.id ? { id: outcome.id } : {}),
    success: false,
    errors: outcome.errors.map((e) => ({
      statusCode: e.statusCode,
      message: e.message,
      fields: e.fields,
    })),
  };
}

/**
 * Codes Salesforce raises before any record is saved (unknown field, bad JSON, bad id): their
 * REST error entries carry no `fields`. Save errors (REQUIRED_FIELD_MISSING, DUPLICATE_VALUE…)
 * list the fields involved, possibly none.
 */
const UNFIELDED = new Set(['INVALID_FIELD', 'JSON_PARSER_ERROR', 'MALFORMED_ID', 'NOT_FOUND']);

/** A REST error body from store errors (`errorCode` where save results say `statusCode`). */
function restErrors(errors: RecordError[]): Record<string, unknown>[] {
  return errors.map((e) => ({
    message: e.message,
    errorCode: e.statusCode,
    ...(UNFIELDED.has(e.statusCode) ? {} : { fields: e.fields }),
  }));
}

/**
 * GET job info answers more than the create call: the job type and the processing counters
 * (zero until the job has run), as Bulk API 2.0 does.
 */
function ingestJobDetails(info: Record<string, unknown>): Record<string, unknown> {
  const { contentUrl: _contentUrl, lineEnding, columnDelimiter, ...rest } = info;
  return {
    ...rest,
    jobType: 'V2Ingest',
    lineEnding,
    columnDelimiter,
    numberRecordsProcessed: info.numberRecordsProcessed ?? 0,
    numberRecordsFailed: info.numberRecordsFailed ?? 0,
    retries: 0,
    totalProcessingTime: info.totalProcessingTime ?? 0,
    apiActiveProcessingTime: info.totalProcessingTime ?? 0,
    apexProcessingTime: 0,
  };
}

function queryJobDetails(info: Record<string, unknown>): Record<string, unknown> {
  const { lineEnding, columnDelimiter, ...rest } = info;
  return {
    ...rest,
    jobType: 'V2Query',
    lineEnding,
    columnDelimiter,
    numberRecordsProcessed: info.numberRecordsProcessed ?? 0,
    retries: 0,
    totalProcessingTime: info.state === 'JobComplete' ? 1 : 0,
    isPkChunkingSupported: true,
  };
}

/**
 * A stateful Salesforce org in a `(Request) => Promise<Response>` handler: OAuth token grants,
 * REST sObjects, SOQL, collections, composite, Bulk API 2.0, limits, sessions and API usage.
 */
export function createSalesforceEmulator(
  options: SalesforceEmulatorOptions = {},
): SalesforceEmulator {
  const now = options.now ?? Date.now;
  const store = new SObjectStore(options.objects, now);
  const engine = new SoqlEngine(store);
  const sessions = new Map<string, number>();
  for (const token of options.accessTokens ?? [])
    sessions.set(secretDigest(token), Number.POSITIVE_INFINITY);
  const cursors = new Map<string, Cursor>();
  const ingestJobs = new Map<string, IngestJob>();
  const queryJobs = new Map<string, QueryJob>();
  const requests: { method: string; path: string }[] = [];
  const tokenRequests: Record<string, number> = {};
  const dailyApiLimit = options.dailyApiLimit ?? 100_000;
  const sessionTtlMs = options.sessionTtlMs ?? 2 * 3_600_000;
  const maxIds = options.maxReplicationIds ?? 600_000;
  const defaultBatch = options.defaultBatchSize ?? 2000;
  const signingKey = randomBytes(32);
  let apiUsage = 0;
  let tokenGrants = 0;
  let sequence = 0;
  const nextId = (prefix: string) => {
    sequence++;
    const id15 = `${prefix}Dn0${String(sequence).padStart(9, '0')}`;
    return id15 + 'AAA';
  };
  const orgId = '00DDn0000000001AAA';
  const userId = store.defaultUserId;

  const state: SalesforceEmulatorState = {
    store,
    records: (object) => store.all(object),
    insert(object, fields) {
      const outcome = store.create(object, fields);
      if (!outcome.ok)
        throw new PlumblineError(
          'EMULATOR_INSERT_FAILED',
          `emulator insert into ${object} failed: ${outcome.errors.map((e) => `${e.statusCode} ${e.message}`).join('; ')}`,
        );
      return outcome.id;
    },
    get apiUsage() {
      return apiUsage;
    },
    set apiUsage(value: number) {
      apiUsage = value;
    },
    dailyApiLimit,
    get tokenGrants() {
      return tokenGrants;
    },
    tokenRequests,
    expireSessions() {
      for (const token of sessions.keys()) sessions.set(token, 0);
    },
    ingestJobs,
    queryJobs,
    requests,
  };
  if (options.snapshot === undefined) {
    for (const [object, rows] of Object.entries(options.seed ?? {}))
      for (const row of rows) state.insert(object, row);
  }

  // ---------- OAuth ----------
  /** A session for the grant; the JWT bearer answer has no issued_at or signature, as Salesforce's has none. */
  const issue = (request: Request, grant: 'jwt' | 'other' = 'other') => {
    const accessToken = `${orgId.slice(0, 15)}!${randomBytes(24).toString('base64url')}`;
    sessions.set(secretDigest(accessToken), now() + sessionTtlMs);
    tokenGrants++;
    const instanceUrl = options.instanceUrl ?? new URL(request.url).origin;
    const issuedAt = String(now());
    const id = `${new URL(request.url).origin}/id/${orgId}/${userId}`;
    if (grant === 'jwt')
      return json({
        access_token: accessToken,
        scope: 'api',
        instance_url: instanceUrl,
        id,
        token_type: 'Bearer',
      });
    return json({
      access_token: accessToken,
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
      scope: 'api',
      signature: createHmac('sha256', signingKey)
        .update(id + issuedAt)
        .digest('base64'),
    });
  };
  const oauthError = (error: string, description: string, status = 400) =>
    json({ error, error_description: description }, status);

  async function token(request: Request): Promise<Response> {
    if (request.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST', 405);
    const form = new URLSearchParams(await request.text());
    const grant = form.get('grant_type') ?? '';
    tokenRequests[grant] = (tokenRequests[grant] ?? 0) + 1;
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const assertion = form.get('assertion') ?? '';
      if (!options.jwt) return oauthError('invalid_grant', 'invalid assertion');
      const verified = verifyJwt(assertion, options.jwt.publicKey);
      if (verified?.header.alg !== 'RS256') return oauthError('invalid_grant', 'invalid assertion');
      const { iss, sub, aud, exp } = verified.payload as Record<string, unknown>;
      if (iss !== options.jwt.clientId)
        return oauthError('invalid_client_id', 'client identifier invalid');
      const audiences = new Set([
        'https://login.salesforce.com',
        'https://test.salesforce.com',
        new URL(request.url).origin,
        ...(options.jwt.audiences ?? []),
      ]);
      const auds = Array.isArray(aud) ? aud : [aud];
      if (!auds.some((a) => typeof a === 'string' && audiences.has(a.replace(/\/$/, '')))) {
        return oauthError('invalid_grant', 'audience is invalid');
      }
      const nowSec = Math.floor(now() / 1000);
      if (typeof exp !== 'number' || exp < nowSec)
        return oauthError('invalid_grant', 'expired authorization code');
      if (exp > nowSec + 300)
        return oauthError('invalid_grant', 'invalid assertion: exp is more than 5 minutes ahead');
      if (sub !== options.jwt.username)
        return oauthError('invalid_grant', "user hasn't approved this consumer");
      return issue(request, 'jwt');
    }
    if (grant === 'client_credentials') {
      let clientId = form.get('client_id');
      let clientSecret = form.get('client_secret');
      const basic = request.headers.get('authorization');
      if (basic?.startsWith('Basic ')) {
        const [id, secret] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':');
        clientId = decodeURIComponent(id ?? '');
        clientSecret = decodeURIComponent(secret ?? '');
      }
      const client = options.clients?.find((c) => c.clientId === clientId);
      if (!client) return oauthError('invalid_client_id', 'client identifier invalid');
      if (client.clientSecret === undefined || client.clientSecret !== clientSecret)
        return oauthError('invalid_client', 'invalid client credentials');
      return issue(request);
    }
    if (grant === 'refresh_token') {
      const client = options.clients?.find((c) => c.clientId === form.get('client_id'));
      if (!client) return oauthError('invalid_client_id', 'client identifier invalid');
      if (
        client.clientSecret !== undefined &&
        form.has('client_secret') &&
        form.get('client_secret') !== client.clientSecret
      ) {
        return oauthError('invalid_client', 'invalid client credentials');
      }
      if (!(client.refreshTokens ?? []).includes(form.get('refresh_token') ?? ''))
        return oauthError('invalid_grant', 'expired access/refresh token');
      return issue(request);
    }
    return oauthError('unsupported_grant_type', 'grant type not supported');
  }

  // ---------- REST ----------
  function authorize(request: Request): void {
    const header = request.headers.get('authorization') ?? '';
    const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header);
    const expiresAt = match ? sessions.get(secretDigest(match[1] as string)) : undefined;
    if (expiresAt === undefined || expiresAt <= now())
      fail(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    if (apiUsage >= dailyApiLimit)
      fail(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    apiUsage++;
  }

  const objectOf = (name: string) => {
    const model = store.model(name);
    if (!model) fail(404, 'NOT_FOUND', `The requested resource does not exist`);
    return model as NonNullable<typeof model>;
  };

  async function body(request: Request): Promise<any> {
    const text = await request.text();
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return fail(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
    }
  }

  function queryPage(cursorId: string, offset: number): Response {
    const cursor = cursors.get(cursorId);
    if (!cursor) return fail(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const { plan, version, batchSize } = cursor;
    if (plan.query.count) return json({ totalSize: plan.totalSize, done: true, records: [] });
    const slice = plan.rows.slice(offset, offset + batchSize);
    const end = offset + slice.length;
    const done = end >= plan.rows.length;
    if (done) cursors.delete(cursorId);
    return json({
      totalSize: plan.totalSize,
      done,
      ...(done
        ? {}
        : { nextRecordsUrl: `/services/data/v${version}/${cursor.kind}/${cursorId}-${end}` }),
      records: slice.map((r) => engine.project(plan, r, version)),
    });
  }

  function runQuery(text: string, includeDeleted: boolean): PlannedQuery {
    try {
      return engine.run(text, { includeDeleted, now: now() });
    } catch (error) {
      if (error instanceof SoqlEngineError)
        return fail(400, error.errorCode, soqlErrorMessage(text, error));
      throw error;
    }
  }

  function replicationWindow(url: URL, maxDays: number): { start: number; end: number } {
    const start = parseSfDateTime(url.searchParams.get('start') ?? '');
    const end = parseSfDateTime(url.searchParams.get('end') ?? '');
    if (start === undefined || end === undefined)
      return fail(400, 'MALFORMED_QUERY', 'start and end must be ISO 8601 date-times');
    if (end < start)
      return fail(400, 'INVALID_REPLICATION_DATE', 'end date must be after start date');
    if (start < now() - maxDays * DAY)
      return fail(
        400,
        'INVALID_REPLICATION_DATE',
        `startDate cannot be more than ${maxDays} days ago`,
      );
    return { start, end };
  }

  function collectionRecords(payload: any, needType: boolean): Record<string, unknown>[] {
    const records = payload?.records;
    if (!Array.isArray(records)) return fail(400, 'JSON_PARSER_ERROR', 'records is required');
    if (records.length > 200)
      return fail(
        400,
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
      );
    if (needType)
      for (const r of records)
        if (!r?.attributes?.type) fail(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
    return records;
  }

  function runCollection(
    allOrNone: boolean,
    count: number,
    fn: (i: number) => WriteOutcome | { ok: false; multiple: string[] },
    withCreated: boolean,
  ) {
    return store.transaction(() => {
      const outcomes: (WriteOutcome | { ok: false; multiple: string[] })[] = [];
      let halted = false;
      for (let i = 0; i < count; i++) {
        const outcome = fn(i);
        outcomes.push(outcome);
        if (!outcome.ok && allOrNone) {
          halted = true;
        }
      }
      const results = outcomes.map((outcome) => {
        if ('multiple' in outcome) {
          return {
            success: false,
            errors: [
              {
                statusCode: 'DUPLICATE_EXTERNAL_ID',
                message: `Multiple records match the external id: ${outcome.multiple.join(', ')}`,
                fields: [] as string[],
              },
            ],
          };
        }
        if (halted && outcome.ok) {
          return {
            success: false,
            errors: [
              {
                statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                message:
                  'Record rolled back because not all records were valid and the request was using AllOrNone header',
                fields: [],
              },
            ],
          };
        }
        return saveResult(outcome as WriteOutcome, withCreated);
      });
      return { commit: !halted, value: json(results) };
    });
  }

  async function bulk(request: Request, parts: string[], version: string): Promise<Response> {
    const [kind, jobId, sub] = parts;
    if ((kind === 'ingest' || kind === 'query') && !jobId && request.method === 'GET') {
      // the org's jobs: each in its create-time shape plus jobType, as Salesforce lists them
      const jobs = kind === 'ingest' ? [...ingestJobs.values()] : [...queryJobs.values()];
      const jobType = kind === 'ingest' ? 'V2Ingest' : 'V2Query';
      return json({
        done: true,
        records: jobs.map(({ info }) => {
          const {
            contentUrl: _c,
            numberRecordsProcessed: _p,
            numberRecordsFailed: _f,
            totalProcessingTime: _t,
            lineEnding,
            columnDelimiter,
            ...rest
          } = info;
          return { ...rest, jobType, lineEnding, columnDelimiter };
        }),
        nextRecordsUrl: null,
      });
    }
    if (kind === 'ingest') {
      if (!jobId) {
        if (request.method !== 'POST')
          return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
        const spec = await body(request);
        const model = store.model(spec?.object ?? '');
        if (!model) return fail(400, 'INVALIDJOB', `InvalidJob : Invalid object ${spec?.object}`);
        if (!['insert', 'update', 'upsert', 'delete', 'hardDelete'].includes(spec.operation))
          return fail(400, 'INVALIDJOB', `InvalidJob : Invalid operation ${spec.operation}`);
        if (spec.operation === 'upsert' && !spec.externalIdFieldName)
          return fail(400, 'INVALIDJOB', 'InvalidJob : External ID was blank for upsert');
        const id = nextId('750');
        const stamp = formatSfDateTime(now());
        const job: IngestJob = {
          info: {
            id,
            operation: spec.operation,
            object: model.name,
            createdById: userId,
            createdDate: stamp,
            systemModstamp: stamp,
            state: 'Open',
            ...(spec.externalIdFieldName ? { externalIdFieldName: spec.externalIdFieldName } : {}),
            concurrencyMode: 'Parallel',
            contentType: 'CSV',
            apiVersion: Number(version),
            contentUrl: `services/data/v${version}/jobs/ingest/${id}/batches`,
            lineEnding: spec.lineEnding ?? 'LF',
            columnDelimiter: spec.columnDelimiter ?? 'COMMA',
          },
          uploads: [],
          polls: 0,
          successful: [],
          failed: [],
          unprocessed: [],
          header: [],
        };
        ingestJobs.set(id, job);
        return json(job.info);
      }
      const job = ingestJobs.get(jobId) ?? fail(404, 'NOT_FOUND', `Job ${jobId} not found`);
      if (sub === 'batches') {
        if (request.method !== 'PUT')
          return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
        if (job.info.state !== 'Open')
          return fail(409, 'INVALIDJOBSTATE', `Job ${jobId} is not Open`);
        job.uploads.push(await request.text());
        return new Response(null, { status: 201 });
      }
      if (sub === 'successfulResults' || sub === 'failedResults' || sub === 'unprocessedrecords') {
        if (
          job.info.state !== 'JobComplete' &&
          job.info.state !== 'Failed' &&
          job.info.state !== 'Aborted'
        ) {
          return fail(409, 'INVALIDJOBSTATE', `Job ${jobId} has not finished`);
        }
        const csv = resultCsv(
          job,
          sub === 'successfulResults'
            ? 'successful'
            : sub === 'failedResults'
              ? 'failed'
              : 'unprocessed',
        );
        return new Response(csv, { status: 200, headers: { 'content-type': 'text/csv' } });
      }
      if (request.method === 'GET') {
        if (job.info.state === 'UploadComplete') job.info.state = 'InProgress';
        else if (job.info.state === 'InProgress') processIngestJob(job, store);
        return json(ingestJobDetails(job.info));
      }
      if (request.method === 'PATCH') {
        const { state: target } = (await body(request)) ?? {};
        if (target === 'UploadComplete') {
          if (job.info.state !== 'Open')
            return fail(409, 'INVALIDJOBSTATE', `Job ${jobId} is not Open`);
          if (job.uploads.length === 0) {
            job.info.state = 'Failed';
            job.info.errorMessage = 'No data uploaded';
          } else job.info.state = 'UploadComplete';
        } else if (target === 'Aborted') {
          if (job.info.state === 'JobComplete')
            return fail(409, 'INVALIDJOBSTATE', `Job ${jobId} is complete`);
          job.info.state = 'Aborted';
        } else return fail(400, 'INVALIDJOBSTATE', `Cannot set state ${String(target)}`);
        return json(job.info);
      }
      if (request.method === 'DELETE') {
        ingestJobs.delete(jobId);
        return new Response(null, { status: 204 });
      }
      return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
    }
    if (kind === 'query') {
      if (!jobId) {
        if (request.method !== 'POST')
          return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
        const spec = await body(request);
        if (spec?.operation !== 'query' && spec?.operation !== 'queryAll')
          return fail(400, 'INVALIDJOB', 'InvalidJob : operation must be query or queryAll');
        const plan = runQuery(String(spec.query ?? ''), spec.operation === 'queryAll');
        if (plan.fields.some((f) => f.field.type === 'address' || f.field.type === 'location'))
          return fail(
            400,
            'INVALIDJOB',
            'InvalidJob : Selecting compound data not supported in Bulk Query',
          );
        if (plan.children.length > 0 || plan.aggregate)
          return fail(
            400,
            'INVALIDJOB',
            `InvalidJob : Bulk API 2.0 query jobs do not support ${plan.aggregate ? 'aggregate functions or GROUP BY' : 'parent-to-child (nested) subqueries'}`,
          );
        const id = nextId('750');
        const stamp = formatSfDateTime(now());
        const job: QueryJob = {
          info: {
            id,
            operation: spec.operation,
            object: plan.model.name,
            createdById: userId,
            createdDate: stamp,
            systemModstamp: stamp,
            state: 'UploadComplete',
            concurrencyMode: 'Parallel',
            contentType: 'CSV',
            apiVersion: Number(version),
            lineEnding: 'LF',
            columnDelimiter: 'COMMA',
          },
          query: String(spec.query),
          polls: 0,
          plan,
        };
        queryJobs.set(id, job);
        return json(job.info);
      }
      const job = queryJobs.get(jobId) ?? fail(404, 'NOT_FOUND', `Job ${jobId} not found`);
      if (sub === 'results') {
        if (job.info.state !== 'JobComplete')
          return fail(
            412,
            'JOB_NOT_COMPLETE',
            `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${job.info.state.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
          );
        const url = new URL(request.url);
        const locator = url.searchParams.get('locator');
        const offset = locator
          ? Number.parseInt(Buffer.from(locator, 'base64url').toString('utf8'), 10)
          : 0;
        if (!Number.isInteger(offset) || offset < 0)
          return fail(400, 'INVALID_LOCATOR', 'invalid locator');
        const max = Number(
          url.searchParams.get('maxRecords') ?? options.bulkQueryPageSize ?? 10_000,
        );
        const page = queryResultPage(job, engine, offset, Math.max(1, max));
        return new Response(page.csv, {
          status: 200,
          headers: {
            'content-type': 'text/csv',
            'sforce-locator':
              page.next === undefined
                ? 'null'
                : Buffer.from(String(page.next)).toString('base64url'),
            'sforce-numberofrecords': String(page.count),
          },
        });
      }
      if (request.method === 'GET') {
        if (job.info.state === 'UploadComplete') job.info.state = 'InProgress';
        else if (job.info.state === 'InProgress') {
          job.info.state = 'JobComplete';
          job.info.numberRecordsProcessed = job.plan?.rows.length ?? 0;
          job.info.systemModstamp = formatSfDateTime(now());
        }
        return json(queryJobDetails(job.info));
      }
      if (request.method === 'PATCH') {
        job.info.state = 'Aborted';
        return json(job.info);
      }
      if (request.method === 'DELETE') {
        queryJobs.delete(jobId);
        return new Response(null, { status: 204 });
      }
    }
    return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  function readRecord(
    model: NonNullable<ReturnType<SObjectStore['model']>>,
    id: string,
    url: URL,
    version: string,
  ): Response {
    const record = store.get(model.name, id);
    if (!record) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
    const wanted = url.searchParams.get('fields');
    const names = wanted
      ? wanted.split(',').map((f) => f.trim())
      : [...model.fields.values()].map((f) => f.name);
    const named = namedFields(model, names);
    if ('unknown' in named) return fail(400, 'INVALID_FIELD', noSuchColumn(model, named.unknown));
    return json(projectRecord(model, record, named.fields, version));
  }

  async function sobjects(
    request: Request,
    parts: string[],
    url: URL,
    version: string,
  ): Promise<Response> {
    const [type, second, third] = parts;
    if (!type) return json(describeGlobal(store, version));
    const model = objectOf(type);
    const method = request.method;
    if (!second) {
      if (method === 'GET') return json(sobjectBasicInfo(model, version));
      if (method !== 'POST') return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
      const input = (await body(request)) ?? {};
      const outcome = store.create(model.name, input);
      if (!outcome.ok) return json(restErrors(outcome.errors), 400);
      return json({ id: outcome.id, success: true, errors: [] }, 201, {
        location: `/services/data/v${version}/sobjects/${model.name}/${outcome.id}`,
      });
    }
    if (second === 'describe' && !third) return json(describeObject(model, version));
    if ((second === 'updated' || second === 'deleted') && !third) {
      if (second === 'updated') {
        const { start, end } = replicationWindow(url, 30);
        const ids = store
          .all(model.name)
          .filter((r) => {
            const ms = parseSfDateTime(r.SystemModstamp) ?? 0;
            return ms >= start && ms <= end;
          })
          .map((r) => r.Id);
        if (ids.length > maxIds)
          return fail(
            400,
            'EXCEEDED_ID_LIMIT',
            `Exceeded the limit of ${maxIds} ids; choose a shorter date range`,
          );
        return json({ ids, latestDateCovered: formatSfDateTime(Math.min(end, now())) });
      }
      const { start, end } = replicationWindow(url, 15);
      const deletedRecords = store
        .deletedEntries(model.name)
        .filter((d) => d.deletedAt >= start && d.deletedAt <= end)
        .map((d) => ({ id: d.record.Id, deletedDate: formatSfDateTime(d.deletedAt) }));
      if (deletedRecords.length > maxIds)
        return fail(
          400,
          'EXCEEDED_ID_LIMIT',
          `Exceeded the limit of ${maxIds} ids; choose a shorter date range`,
        );
      return json({
        deletedRecords,
        earliestDateAvailable: formatSfDateTime(now() - 15 * DAY),
        latestDateCovered: formatSfDateTime(Math.min(end, now())),
      });
    }
    if (
      third !== undefined &&
      method === 'GET' &&
      !model.fields.has(second.toLowerCase()) &&
      isParentRelationship(model, third)
    ) {
      // sObject Relationships (API 36.0+): /sobjects/Contact/{id}/Account
      if (Number(version) < 36)
        return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
      const traversal = traverseToParent(
        store,
        model,
        second,
        third,
        url.searchParams.get('fields'),
        version,
      );
      if ('refused' in traversal)
        return fail(
          traversal.refused.status,
          traversal.refused.errorCode,
          traversal.refused.message,
        );
      return json(traversal.found);
    }
    if (third !== undefined && method === 'GET') {
      const field = model.fields.get(second.toLowerCase());
      if (!field || (field.name !== 'Id' && field.externalId !== true && field.idLookup !== true)) {
        return fail(
          404,
          'NOT_FOUND',
          `Provided external ID field does not exist or is not accessible: ${second}`,
        );
      }
      const matches = store.match(model.name, field.name, third);
      if (matches.length > 1) {
        return json(
          matches.map((id) => `/services/data/v${version}/sobjects/${model.name}/${id}`),
          300,
        );
      }
      if (matches.length === 0)
        return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
      return readRecord(model, matches[0] as string, url, version);
    }
    if (third !== undefined) {
      // upsert by external id
      if (method !== 'PATCH') return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
      const input = (await body(request)) ?? {};
      const outcome = store.upsert(model.name, second, third, input);
      if ('multiple' in outcome) {
        return json(
          outcome.multiple.map((id) => `/services/data/v${version}/sobjects/${model.name}/${id}`),
          300,
        );
      }
      if (!outcome.ok) {
        const status = outcome.errors[0]?.statusCode === 'NOT_FOUND' ? 404 : 400;
        return json(restErrors(outcome.errors), status);
      }
      // Before API 46.0 an update answers 204 and a create's body has no `created`.
      const before46 = Number(version) < 46;
      if (!outcome.created && before46) return new Response(null, { status: 204 });
      return json(
        {
          id: outcome.id,
          success: true,
          errors: [],
          ...(before46 ? {} : { created: outcome.created }),
        },
        outcome.created ? 201 : 200,
        outcome.created
          ? { location: `/services/data/v${version}/sobjects/${model.name}/${outcome.id}` }
          : {},
      );
    }
    const id = second;
    if (method === 'GET') return readRecord(model, id, url, version);
    if (method === 'PATCH') {
      const outcome = store.update(model.name, id, (await body(request)) ?? {});
      if (!outcome.ok) {
        const notFound =
          outcome.errors[0]?.statusCode === 'INVALID_CROSS_REFERENCE_KEY' &&
          !store.get(model.name, id);
        if (notFound) return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
        return json(restErrors(outcome.errors), 400);
      }
      return new Response(null, { status: 204 });
    }
    if (method === 'DELETE') {
      const outcome = store.delete(model.name, id);
      if (!outcome.ok) {
        const code = outcome.errors[0]?.statusCode;
        if (code === 'ENTITY_IS_DELETED')
          return fail(404, 'ENTITY_IS_DELETED', 'entity is deleted');
        if (code === 'INVALID_CROSS_REFERENCE_KEY')
          return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
        // A record that exists but may not be deleted (an activated order's product).
        return json(restErrors(outcome.errors), 400);
      }
      return new Response(null, { status: 204 });
    }
    return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
  }

  async function composite(
    request: Request,
    parts: string[],
    url: URL,
    version: string,
  ): Promise<Response> {
    if (parts[0] === 'sobjects') {
      const [, type, extField] = parts;
      if (type && !extField && (request.method === 'GET' || request.method === 'POST')) {
        // sObject Collections retrieve (API 42.0+): GET with ?ids&fields, POST with {ids, fields}
        if (Number(version) < 42)
          return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
        const model = objectOf(type);
        const wanted =
          request.method === 'GET' ? retrieveFromQuery(url) : retrieveFromBody(await body(request));
        const result =
          'refused' in wanted ? wanted : retrieveCollection(store, model, wanted, version);
        if ('refused' in result) return fail(400, result.refused.errorCode, result.refused.message);
        return json(result);
      }
      if (request.method === 'DELETE') {
        const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
        if (ids.length > 200)
          return fail(
            400,
            'EXCEEDED_ID_LIMIT',
            'record limit reached. cannot submit more than 200 records into this call',
          );
        const allOrNone = url.searchParams.get('allOrNone') === 'true';
        return runCollection(
          allOrNone,
          ids.length,
          (i) => {
            const id = ids[i] as string;
            // the object by key prefix, so an already deleted record answers ENTITY_IS_DELETED
            const object =
              store.findById(id)?.object ??
              [...store.models.values()].find((m) => m.keyPrefix === id.slice(0, 3))?.name ??
              '';
            const outcome = store.delete(object, id);
            // a delete result names the record it was about, failed or not
            return outcome.ok ? outcome : { ...outcome, id };
          },
          false,
        );
      }
      const payload = await body(request);
      const allOrNone = payload?.allOrNone === true;
      if (type && extField && request.method === 'PATCH') {
        if (Number(version) < 46)
          return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
        const model = objectOf(type);
        const records = collectionRecords(payload, true);
        return runCollection(
          allOrNone,
          records.length,
          (i) => {
            const record = records[i] as Record<string, any>;
            if (String(record.attributes?.type).toLowerCase() !== model.name.toLowerCase()) {
              return {
                ok: false,
                errors: [
                  {
                    statusCode: 'INVALID_TYPE',
                    message: `All records must be of type ${model.name}`,
                    fields: [],
                  },
                ],
              };
            }
            const key = Object.keys(record).find((k) => k.toLowerCase() === extField.toLowerCase());
            return store.upsert(
              model.name,
              extField,
              key === undefined ? undefined : record[key],
              record,
            );
          },
          true,
        );
      }
      const records = collectionRecords(payload, request.method === 'POST');
      if (request.method === 'POST') {
        return runCollection(
          allOrNone,
          records.length,
          (i) => {
            const record = records[i] as Record<string, any>;
            if (record.Id)
              return {
                ok: false,
                errors: [
                  {
                    statusCode: 'INVALID_FIELD',
                    message: 'cannot specify Id in an insert call',
                    fields: ['Id'],
                  },
                ],
              };
            return store.create(String(record.attributes.type), record);
          },
          false,
        );
      }
      if (request.method === 'PATCH') {
        return runCollection(
          allOrNone,
          records.length,
          (i) => {
            const record = records[i] as Record<string, any>;
            const id = record.Id ?? record.id;
            if (!id)
              return {
                ok: false,
                errors: [
                  {
                    statusCode: 'MISSING_ARGUMENT',
                    message: 'Id not specified in an update call',
                    fields: ['Id'],
                  },
                ],
              };
            const found = store.findById(String(id));
            if (!found)
              return {
                ok: false,
                errors: [
                  {
                    statusCode: 'INVALID_CROSS_REFERENCE_KEY',
                    message: 'invalid cross reference id',
                    fields: [],
                  },
                ],
              };
            return store.update(found.object, found.record.Id, record);
          },
          false,
        );
      }
      return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
    }
    if (parts.length === 0 && request.method === 'POST') {
      const payload = await body(request);
      const subrequests = payload?.compositeRequest;
      if (!Array.isArray(subrequests))
        return fail(400, 'JSON_PARSER_ERROR', 'compositeRequest is required');
      if (subrequests.length > 25)
        return fail(
          400,
          'INVALID_BATCH_REQUEST',
          'Composite request may contain at most 25 subrequests',
        );
      const results = new Map<string, any>();
      const out: any[] = [];
      let halted = false;
      const halt = (referenceId: unknown) => ({
        body: [
          {
            errorCode: 'PROCESSING_HALTED',
            message:
              'The transaction was rolled back since another operation in the same transaction failed.',
          },
        ],
        httpHeaders: {},
        httpStatusCode: 400,
        referenceId,
      });
      const tx = payload.allOrNone === true ? store.begin() : undefined;
      let unresolved: string | undefined;
      const substitute = (text: string) =>
        text.replace(
          /@\{([A-Za-z0-9_]+)\.([A-Za-z0-9_.[\]]+)\}/g,
          (whole, ref: string, path: string) => {
            let value = results.get(ref);
            for (const part of path.split(/[.[\]]+/).filter(Boolean)) value = value?.[part];
            if (value === undefined || value === null) {
              unresolved ??= `Invalid reference specified. No value for ${ref}.${path} found in ${ref}. Provided referenceId ${whole} is not valid.`;
              return '';
            }
            return String(value);
          },
        );
      const runSubrequests = async () => {
        for (const sub of subrequests) {
          if (halted) {
            out.push(halt(sub.referenceId));
            continue;
          }
          unresolved = undefined;
          const subUrl = new URL(substitute(String(sub.url)), url.origin);
          const subBody = sub.body === undefined ? undefined : substitute(JSON.stringify(sub.body));
          if (unresolved !== undefined) {
            // a reference to a subrequest that failed (or to a field it did not return)
            results.set(sub.referenceId, undefined);
            out.push({
              body: [{ errorCode: 'PROCESSING_HALTED', message: unresolved }],
              httpHeaders: {},
              httpStatusCode: 400,
              referenceId: sub.referenceId,
            });
            if (payload.allOrNone === true) halted = true;
            continue;
          }
          const init: RequestInit = {
            method: sub.method,
            headers: {
              authorization: request.headers.get('authorization') ?? '',
              'content-type': 'application/json',
              ...(sub.httpHeaders ?? {}),
            },
          };
          if (subBody !== undefined) init.body = subBody;
          const response = await route(new Request(subUrl, init), false);
          const text = await response.text();
          const parsed = text ? JSON.parse(text) : null;
          results.set(sub.referenceId, parsed);
          const location = response.headers.get('location');
          out.push({
            body: parsed,
            httpHeaders: location ? { Location: location } : {},
            httpStatusCode: response.status,
            referenceId: sub.referenceId,
          });
          if (response.status >= 400 && payload.allOrNone === true) halted = true;
        }
      };
      try {
        await runSubrequests();
      } catch (error) {
        tx?.rollback();
        throw error;
      }
      if (tx && halted) {
        tx.rollback();
        for (let i = 0; i < out.length; i++) {
          if (out[i].httpStatusCode < 400) out[i] = halt(out[i].referenceId);
        }
      } else tx?.commit();
      return json({ compositeResponse: out });
    }
    return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
  }

  async function data(
    request: Request,
    url: URL,
    version: string,
    rest: string[],
  ): Promise<Response> {
    const [head, ...parts] = rest;
    switch (head) {
      case undefined:
        // the version's resources by name
        return json(
          Object.fromEntries(
            ['composite', 'jobs', 'limits', 'query', 'queryAll', 'sobjects'].map((name) => [
              name,
              `/services/data/v${version}/${name}`,
            ]),
          ),
        );
      case 'query':
      case 'queryAll': {
        if (request.method !== 'GET')
          return fail(405, 'METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
        if (parts[0]) {
          const [cursorId, offset] = (parts[0] as string).split('-');
          return queryPage(cursorId ?? '', Number(offset ?? 0));
        }
        const q = url.searchParams.get('q');
        if (!q) return fail(400, 'MALFORMED_QUERY', 'A query string is required (q)');
        const plan = runQuery(q, head === 'queryAll');
        const cursorId = nextId('01g');
        if (cursors.size >= 1000) {
          // Salesforce caps open query cursors per user; drop the oldest like an expired one.
          const oldest = cursors.keys().next().value;
          if (oldest !== undefined) cursors.delete(oldest);
        }
        cursors.set(cursorId, {
          plan,
          version,
          batchSize: batchSizeOf(request, defaultBatch),
          kind: head,
        });
        return queryPage(cursorId, 0);
      }
      case 'limits': {
        // sub-resources such as limits/recordCount are not served
        if (parts.length > 0)
          return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
        // the allocations integrations watch, as a developer org reports them
        const fixed = (max: number) => ({ Max: max, Remaining: max });
        return json({
          ConcurrentAsyncGetReportInstances: fixed(200),
          ConcurrentSyncReportRuns: fixed(20),
          DailyApiRequests: {
            Max: dailyApiLimit,
            Remaining: Math.max(0, dailyApiLimit - apiUsage),
            'Ant Migration Tool': fixed(0),
            'Salesforce CLI': fixed(0),
            'Salesforce Mobile Dashboards': fixed(0),
          },
          DailyAsyncApexExecutions: fixed(250_000),
          DailyBulkApiBatches: fixed(15_000),
          DailyBulkV2QueryFileStorageMB: fixed(976_562),
          DailyBulkV2QueryJobs: { Max: 10_000, Remaining: Math.max(0, 10_000 - queryJobs.size) },
          DailyStreamingApiEvents: fixed(10_000),
          DailyWorkflowEmails: fixed(390),
          DataStorageMB: fixed(5),
          FileStorageMB: fixed(20),
          HourlyAsyncReportRuns: fixed(1_200),
          HourlySyncReportRuns: fixed(500),
          HourlyTimeBasedWorkflow: fixed(50),
          MassEmail: fixed(10),
          SingleEmail: fixed(15),
        });
      }
      case 'sobjects':
        return sobjects(request, parts, url, version);
      case 'composite':
        return composite(request, parts, url, version);
      case 'jobs':
        return bulk(request, parts, version);
      default:
        return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
  }

  async function route(request: Request, count = true): Promise<Response> {
    const url = new URL(request.url);
    if (count) requests.push({ method: request.method, path: url.pathname });
    try {
      if (url.pathname === '/services/oauth2/token') return await token(request);
      // the versions list answers without a session, as Salesforce's does
      if (/^\/services\/data\/?$/.test(url.pathname) && request.method === 'GET')
        return json(
          API_VERSIONS.map(([version, label]) => ({
            label,
            url: `/services/data/v${version}`,
            version,
          })),
        );
      const match = /^\/services\/data\/v(\d+\.\d)(?:\/(.*))?$/.exec(url.pathname);
      if (!match) return sfError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (count) authorize(request);
      const rest = (match[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
      const response = await data(request, url, match[1] as string, rest);
      return withLimitHeader(response);
    } catch (error) {
      if (error instanceof HttpFailure) return withLimitHeader(error.response);
      throw error;
    }
  }

  function withLimitHeader(response: Response): Response {
    response.headers.set('sforce-limit-info', `api-usage=${apiUsage}/${dailyApiLimit}`);
    return response;
  }

  if (options.snapshot !== undefined) restore(options.snapshot);

  function restore(input: unknown): void {
    const snap = checkSnapshot(input, 'salesforce', [
      'ingestJobs',
      'queryJobs',
      'sessions',
    ]) as unknown as SalesforceEmulatorSnapshot;
    for (const name of ['counter', 'sequence', 'apiUsage', 'tokenGrants'] as const) {
      if (!Number.isInteger(snap[name]) || snap[name] < 0)
        throw new EmulatorSnapshotError(name, 'must be a whole number');
    }
    for (const name of ['records', 'deleted'] as const) {
      const value = snap[name];
      if (!value || typeof value !== 'object' || Array.isArray(value))
        throw new EmulatorSnapshotError(name, 'must be an object of arrays by object name');
      for (const [object, rows] of Object.entries(value)) {
        const ok =
          Array.isArray(rows) &&
          rows.every((r) =>
            name === 'records'
              ? typeof (r as StoredRecord)?.Id === 'string'
              : typeof (r as { record?: StoredRecord })?.record?.Id === 'string',
          );
        if (!ok) throw new EmulatorSnapshotError(`${name}.${object}`, 'must be records with an Id');
      }
    }
    snap.sessions.forEach((entry, index) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string')
        throw new EmulatorSnapshotError(`sessions[${index}]`, 'must be [digest, expiresAt]');
    });
    for (const [list, jobs] of [
      ['ingestJobs', snap.ingestJobs],
      ['queryJobs', snap.queryJobs],
    ] as const) {
      jobs.forEach((job, index) => {
        if (typeof job?.info?.id !== 'string' || typeof job.info.state !== 'string')
          throw new EmulatorSnapshotError(`${list}[${index}]`, 'must have info.id and info.state');
      });
    }
    const unknown = store.load(snap);
    if (unknown !== undefined)
      throw new EmulatorSnapshotError(
        `records.${unknown}`,
        'is not an object of this emulator (pass the objects option the snapshot was taken with)',
      );
    sequence = snap.sequence;
    apiUsage = snap.apiUsage;
    tokenGrants = snap.tokenGrants;
    for (const [digest, expiresAt] of snap.sessions)
      sessions.set(digest, expiresAt ?? Number.POSITIVE_INFINITY);
    for (const job of structuredClone(snap.ingestJobs)) ingestJobs.set(job.info.id, job);
    for (const job of structuredClone(snap.queryJobs)) {
      let plan: PlannedQuery | undefined;
      try {
        plan = engine.run(job.query, {
          includeDeleted: job.info.operation === 'queryAll',
          now: now(),
        });
      } catch {
        // A query that no longer plans (e.g. objects changed) leaves the job without results.
      }
      queryJobs.set(job.info.id, plan ? { ...job, plan } : job);
    }
  }

  const handler: Handler = options.faults
    ? withFaults(route, options.faults)
    : (request) => route(request);
  return {
    fetch: handler,
    listen: (port?: number) => listen(handler, port === undefined ? {} : { port }),
    state,
    snapshot: () => ({
      version: SALESFORCE_SNAPSHOT_VERSION,
      emulator: 'salesforce',
      ...store.dump(),
      sequence,
      apiUsage,
      tokenGrants,
      ingestJobs: structuredClone([...ingestJobs.values()]),
      queryJobs: [...queryJobs.values()].map(({ plan: _plan, ...job }) => structuredClone(job)),
      sessions: [...sessions].map(([digest, expiresAt]) => [
        digest,
        Number.isFinite(expiresAt) ? expiresAt : null,
      ]),
    }),
  };
}

export type { EmulatorField, EmulatorObject } from './objects.js';
export type { RecordError, StoredRecord };
