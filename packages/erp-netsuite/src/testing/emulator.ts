import type { KeyObject } from 'node:crypto';
import { sleep } from '@plumbline/client-core';
import {
  type FaultOptions,
  type FaultStats,
  type Handler,
  jsonResponse,
  listen,
  mulberry32,
  type RunningServer,
  withFaults,
} from '@plumbline/client-core/testing';
import { type CreditLimitOptions, creditFigures, creditVerdict } from './customer-credit.js';
import { deleteProblem, parentProblems } from './customer-hierarchy.js';
import { defaultMetadataCatalog } from './default-catalog.js';
import { errorResponse, invalidParameter } from './error-response.js';
import { canonicalFieldName, withCanonicalFieldNames } from './field-names.js';
import { verifyCompactJwt } from './jwt-verifier.js';
import { metadataCatalogResponse } from './metadata-catalog.js';
import { OAuth1Verifier, type TbaCredentials } from './oauth1-verifier.js';
import { pageLinks, parsePaging } from './paging.js';
import { BASE_PRICE_LEVEL, registerPricingTables } from './price-levels.js';
import { parseRecordQuery, RecordQueryError } from './record-query.js';
import { unknownLineItems, withStringReferenceIds } from './references.js';
import {
  checkSnapshot,
  EmulatorSnapshotError,
  NETSUITE_SNAPSHOT_VERSION,
  secretDigest,
} from './snapshot.js';
import { canonicalType, type RecordData, RecordStore, recordKind, SUBLISTS } from './store.js';
import { runSuiteql, SuiteqlSyntaxError } from './suiteql-engine.js';
import {
  hasFlow,
  initialStatus,
  planTransform,
  refusedWrite,
  settled,
} from './transaction-flow.js';

export interface NetSuiteEmulatorOptions {
  /** `1234567_SB1` style; the OAuth realm the emulator expects. */
  accountId: string;
  /** Accept token-based authentication with these credentials. */
  tba?: TbaCredentials;
  /** Accept OAuth 2.0 client credentials: JWT assertions signed with this certificate's key. */
  m2m?: { clientId: string; certificateId: string; publicKey: string | KeyObject };
  /** The account's concurrency limit; requests beyond it get 429 CONCURRENCY_LIMIT_EXCEEDED. Default 5. */
  concurrencyLimit?: number;
  /** Seed for job ids and access tokens. Default 1. */
  seed?: number;
  /** Fault injection (latency, 429, 5xx, resets) from client-core. */
  faults?: FaultOptions;
  /** The integration's own allocation, reported by /system/v1/governanceLimits. Default none. */
  integrationConcurrencyLimit?: number;
  /** Time each request holds its concurrency slot, in ms. Default 0. */
  latencyMs?: number;
  /**
   * Rows a SuiteQL query can page through with limit/offset (NetSuite: 100,000). Lower it so a
   * test or a quick benchmark crosses the cap with a few thousand rows; pass the same value as
   * `maxRows` to `suiteqlRows`.
   */
  suiteqlRowCap?: number;
  /** How many times a job is read before it reports completion. Default 1. */
  asyncPollsToComplete?: number;
  /**
   * The document served at /services/rest/record/v1/metadata-catalog (filtered by `select`).
   * Default: an OpenAPI 3.0.1 catalog of the emulator's own record types, from this package's
   * record schemas (lower-case names, as live catalogs have them).
   */
  metadataCatalog?: Record<string, unknown>;
  /** Access token lifetime in seconds. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Clock (epoch ms). Default Date.now. */
  now?: () => number;
  /**
   * How SuiteQL rows show dates. NetSuite answers in the user's date preference without a time
   * (US default `M/D/YYYY`, e.g. `2/11/2024`): `'account'`, the default, reproduces that. `'iso'`
   * shows the stored ISO value with its time (not what NetSuite does; select `TO_CHAR(…)` for that).
   */
  suiteqlDates?: 'iso' | 'account';
  /**
   * The account's credit limit handling (NetSuite's "Customer Credit Limit Handling" and
   * "Customer Credit Limit Includes Orders" preferences): a new sales order that puts a customer
   * at or above its `creditLimit`, or a customer whose `creditHoldOverride` is ON, is refused
   * (`enforceHolds`) or created Pending Approval (`warnOnly`). Default: ignore limits.
   */
  creditLimit?: CreditLimitOptions;
  /**
   * Start from a snapshot taken by `snapshot()` of an emulator of the same account: records, id
   * counters, async jobs, idempotency keys and issued access tokens are as they were. Throws
   * `EmulatorSnapshotError` for another version or account, or a malformed snapshot.
   */
  snapshot?: NetSuiteEmulatorSnapshot;
}

/** The emulator's data as plain JSON (see `NetSuiteEmulator.snapshot()`). */
export interface NetSuiteEmulatorSnapshot {
  version: 1;
  emulator: 'netsuite';
  accountId: string;
  /** Records by type, in id order, as stored (with id, dateCreated, lastModifiedDate). */
  records: Record<string, RecordData[]>;
  /** The next internal id of each id family. */
  nextIds: [string, number][];
  /** Asynchronous jobs, with the stored answer each returns. */
  jobs: Job[];
  /** Idempotency key to job id. */
  idempotency: [string, string][];
  /** Issued access tokens by SHA-256 digest, with their expiry (epoch ms). */
  tokens: [string, number][];
  /** How far the job-id/token generator has run, so a restored one does not repeat itself. */
  randomDraws: number;
}

export interface Job {
  id: string;
  createdTime: string;
  lastModifiedTime: string;
  reads: number;
  status: number;
  location?: string;
  body?: string;
}

export interface NetSuiteEmulatorState {
  /** Requests answered (after faults). */
  readonly requests: number;
  /** Requests being processed right now, and the most ever at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Requests refused with 429 CONCURRENCY_LIMIT_EXCEEDED. */
  readonly concurrencyRejections: number;
  /** Requests refused with 401. */
  readonly authRejections: number;
  /** Access tokens issued by the OAuth 2.0 token endpoint. */
  readonly tokensIssued: number;
  readonly suiteqlRequests: number;
  /** Injected faults so far (when `faults` is set). */
  readonly faults: FaultStats | undefined;
  /** `limit`/`offset` of every SuiteQL request, in order. */
  readonly suiteqlPages: readonly { limit: number; offset: number; q: string }[];
  /** Asynchronous jobs by id. */
  readonly jobs: ReadonlyMap<string, { id: string; status: number; location?: string }>;
  /** Records of a type in id order. */
  records(type: string): RecordData[];
  get(type: string, id: string): RecordData | undefined;
  getByExternalId(type: string, externalId: string): RecordData | undefined;
  count(type: string): number;
  /** Inserts records directly (no HTTP); returns their new ids. Fast enough for 250,000 rows. */
  insert(type: string, records: Iterable<Record<string, unknown>>): string[];
}

export interface NetSuiteEmulator {
  fetch: Handler;
  listen(port?: number): Promise<RunningServer>;
  state: NetSuiteEmulatorState;
  /** The data as plain JSON: pass it back as the `snapshot` option to continue from here. */
  snapshot(): NetSuiteEmulatorSnapshot;
}

const REST = '/services/rest';
/**
 * Reference fields to record types the emulator does not keep: NetSuite still answers them with
 * a `self` link (lower-case type), so the emulator adds one; `refName` stays whatever was sent.
 */
const LINKED_TYPES: Record<string, string> = {
  subsidiary: 'subsidiary',
  currency: 'currency',
  terms: 'term',
  entityStatus: 'customerstatus',
  department: 'department',
  class: 'classification',
  salesRep: 'employee',
  shipMethod: 'shipitem',
  account: 'account',
  taxItem: 'salestaxitem',
};

/** Body fields whose references the emulator resolves (for `refName` and `links`). */
const REFERENCE_TARGETS: Record<string, string | string[]> = {
  entity: 'customer',
  company: 'customer',
  location: 'location',
  item: 'inventoryItem',
  priceLevel: 'priceLevel',
  // A customer's itemPricing line names its price level `level`.
  level: 'priceLevel',
  // Transactions share one id family, so the id alone finds the source of a transform.
  createdFrom: ['salesOrder', 'invoice', 'returnAuthorization'],
};
/** Reference fields whose target depends on the record type (a location's parent is a location). */
const TYPE_REFERENCE_TARGETS: Record<string, Record<string, string>> = {
  customer: { parent: 'customer' },
};

function referenceTargets(type: string | undefined, field: string): string | string[] | undefined {
  return (
    (type === undefined ? undefined : TYPE_REFERENCE_TARGETS[type]?.[field]) ??
    REFERENCE_TARGETS[field]
  );
}

/**
 * The transformations the emulator performs, a subset of NetSuite's supported transformation types
 * (record.transform): orders are fulfilled, billed or returned; returns received, credited or
 * refunded; invoices credited. Quantities and statuses: `transaction-flow.ts`.
 */
const TRANSFORMS: Record<string, string[]> = {
  salesOrder: ['itemFulfillment', 'invoice', 'returnAuthorization'],
  invoice: ['creditMemo', 'returnAuthorization'],
  returnAuthorization: ['itemReceipt', 'creditMemo', 'cashRefund'],
};
/** How NetSuite names a source transaction in the new record's createdFrom refName. */
const TRANSACTION_LABELS: Record<string, string> = {
  salesOrder: 'Sales Order',
  invoice: 'Invoice',
  returnAuthorization: 'Return Authorization',
};
const MAX_ROWS = 100_000;
const INVALID_LOGIN_DETAIL =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

/** 404 NONEXISTENT_ID naming the URL path, as NetSuite answers a read of a missing record. */
function notFoundRecord(url: URL): Response {
  return errorResponse(404, {
    detail: `The record instance does not exist. Provide a valid record instance ID.`,
    code: 'NONEXISTENT_ID',
    urlPath: url.pathname,
  });
}

/** 400 INVALID_ID for an id that cannot be an internal id (NetSuite's are whole numbers). */
function invalidRecordId(url: URL, id: string): Response {
  return errorResponse(400, {
    detail: `Invalid record instance identifier '${id}'. Provide a valid record instance ID.`,
    code: 'INVALID_ID',
    urlPath: url.pathname,
  });
}

const SINGULAR = { 'content-type': 'application/vnd.oracle.resource+json; type=singular' };
const COLLECTION = { 'content-type': 'application/vnd.oracle.resource+json; type=collection' };

async function readJson(request: Request): Promise<Record<string, unknown> | Response> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    const body: unknown = JSON.parse(text);
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return body as Record<string, unknown>;
  } catch {
    return errorResponse(400, {
      detail: 'Invalid content in the request body. The JSON content is malformed.',
      code: 'INVALID_CONTENT',
    });
  }
}

/**
 * A customer is an individual when `isPerson` says so, or when it is not sent and the body names
 * a person and no company: Oracle's upsert example (section_156335203191) creates a customer from
 * `firstName` and `lastName` alone.
 */
function isIndividual(body: Record<string, unknown>): boolean {
  if (body.isPerson !== undefined && body.isPerson !== null) return body.isPerson === true;
  return !body.companyName && (Boolean(body.firstName) || Boolean(body.lastName));
}

/**
 * A subrecord value (an address): an object of its own fields, without the `id` of a reference
 * or select value, in a field that is not a sublist.
 */
function isSubrecord(field: string, value: unknown): boolean {
  return (
    !SUBLISTS.has(field) &&
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !Object.hasOwn(value, 'id')
  );
}

/** A stateful emulator of the NetSuite SuiteTalk REST services Plumbline covers. */
export function createNetSuiteEmulator(options: NetSuiteEmulatorOptions): NetSuiteEmulator {
  const realm = options.accountId.toUpperCase().replace(/-/g, '_');
  const now = options.now ?? Date.now;
  const limit = options.concurrencyLimit ?? 5;
  const latencyMs = options.latencyMs ?? 0;
  const rowCap = options.suiteqlRowCap ?? MAX_ROWS;
  if (!Number.isInteger(rowCap) || rowCap < 1) {
    throw new TypeError(`suiteqlRowCap must be a whole number >= 1, got ${String(rowCap)}`);
  }
  const pollsToComplete = options.asyncPollsToComplete ?? 1;
  const tokenLifetime = options.tokenLifetimeSeconds ?? 3600;
  const generator = mulberry32(options.seed ?? 1);
  let randomDraws = 0;
  const random = () => {
    randomDraws++;
    return generator();
  };
  const store = new RecordStore(now);
  registerPricingTables(store);
  const credit = creditFigures(store, now);
  // Every account has the Base Price level, internal id 1 (replaced by a snapshot's records).
  store.create('priceLevel', BASE_PRICE_LEVEL);
  const catalog = () => options.metadataCatalog ?? defaultMetadataCatalog();
  const tba = options.tba ? new OAuth1Verifier(options.tba, realm, now) : undefined;
  const tokens = new Map<string, number>();
  const jobs = new Map<string, Job>();
  const idempotency = new Map<string, string>();
  const suiteqlPages: { limit: number; offset: number; q: string }[] = [];
  const counters = {
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    concurrencyRejections: 0,
    authRejections: 0,
    tokensIssued: 0,
    suiteqlRequests: 0,
  };

  const randomToken = (bytes: number) => {
    let out = '';
    for (let i = 0; i < bytes; i++)
      out += Math.floor(random() * 256)
        .toString(16)
        .padStart(2, '0');
    return out;
  };
  const stamp = () => new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z');

  function unauthorized(reason: string, scheme: 'OAuth' | 'Bearer'): Response {
    counters.authRejections++;
    const challenge =
      scheme === 'OAuth'
        ? `OAuth realm="${realm}", error="token_rejected", error_description="Invalid login attempt."`
        : `Bearer realm="${realm}", error="invalid_token", error_description="Invalid login attempt."`;
    void reason;
    return errorResponse(
      401,
      { detail: INVALID_LOGIN_DETAIL, code: 'INVALID_LOGIN' },
      { 'www-authenticate': challenge },
    );
  }

  function authenticate(request: Request): Response | undefined {
    if (!tba && !options.m2m) return undefined;
    const header = request.headers.get('authorization') ?? '';
    if (/^Bearer\s+/i.test(header) && options.m2m) {
      const token = header.replace(/^Bearer\s+/i, '').trim();
      const expires = tokens.get(secretDigest(token));
      if (expires === undefined || expires <= now()) return unauthorized('token', 'Bearer');
      return undefined;
    }
    if (/^OAuth\s+/i.test(header) && tba) {
      const form = (request.headers.get('content-type') ?? '').includes(
        'application/x-www-form-urlencoded',
      );
      if (form) return unauthorized('form bodies are not signed by this emulator', 'OAuth');
      const verdict = tba.verify(request);
      return verdict.ok ? undefined : unauthorized(verdict.reason, 'OAuth');
    }
    return unauthorized('no credentials', tba ? 'OAuth' : 'Bearer');
  }

  async function tokenEndpoint(request: Request, url: URL): Promise<Response> {
    const oauthError = (status: number, error: string) =>
      jsonResponse({ error }, { status, headers: { 'cache-control': 'no-store' } });
    if (request.method !== 'POST') return oauthError(405, 'invalid_request');
    const m2m = options.m2m;
    if (!m2m) return oauthError(400, 'unauthorized_client');
    const form = new URLSearchParams(await request.text());
    if (form.get('grant_type') !== 'client_credentials')
      return oauthError(400, 'unsupported_grant_type');
    if (
      form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    ) {
      return oauthError(400, 'invalid_request');
    }
    const assertion = form.get('client_assertion');
    if (!assertion) return oauthError(400, 'invalid_request');
    const verified = verifyCompactJwt(assertion, m2m.publicKey);
    if (!verified.ok) return oauthError(401, 'invalid_client');
    const { header, payload } = verified;
    const nowSeconds = Math.floor(now() / 1000);
    const iat = Number(payload.iat);
    const exp = Number(payload.exp);
    const scopes = String(payload.scope ?? '')
      .split(/[,\s]+/)
      .filter(Boolean);
    const tokenUrl = `${url.origin}${REST}/auth/oauth2/v1/token`;
    const allowedAlg = /^(PS|ES)(256|384|512)$/.test(String(header.alg));
    if (
      header.typ !== 'JWT' ||
      !allowedAlg ||
      header.kid !== m2m.certificateId ||
      payload.iss !== m2m.clientId ||
      payload.aud !== tokenUrl ||
      !Number.isFinite(iat) ||
      !Number.isFinite(exp) ||
      exp - iat > 3600 ||
      exp <= nowSeconds ||
      iat > nowSeconds + 300
    ) {
      return oauthError(400, 'invalid_grant');
    }
    if (!scopes.includes('rest_webservices')) return oauthError(400, 'invalid_scope');
    const accessToken = `ns-at-${randomToken(24)}`;
    tokens.set(secretDigest(accessToken), now() + tokenLifetime * 1000);
    counters.tokensIssued++;
    return jsonResponse(
      { access_token: accessToken, expires_in: tokenLifetime, token_type: 'Bearer' },
      { headers: { 'cache-control': 'no-store' } },
    );
  }

  /** NetSuite's links and Locations name the record type in lower case (`.../salesorder/5120`). */
  function recordUrl(url: URL, type: string, id: string): string {
    return `${url.origin}${REST}/record/v1/${type.toLowerCase()}/${id}`;
  }

  function present(
    url: URL,
    type: string,
    data: RecordData,
    expand: boolean,
    fields?: Set<string>,
  ): Record<string, unknown> {
    const self = recordUrl(url, type, data.id);
    const out: Record<string, unknown> = { links: [{ rel: 'self', href: self }] };
    for (const [key, value] of Object.entries(data)) {
      if (fields && !fields.has(key) && key !== 'id') continue;
      if (SUBLISTS.has(key) && Array.isArray(value)) {
        const sublistLinks = [{ rel: 'self', href: `${self}/${key}` }];
        out[key] = expand
          ? {
              links: sublistLinks,
              items: value.map((line) => presentLine(url, `${self}/${key}`, line)),
              totalResults: value.length,
              count: value.length,
              hasMore: false,
              offset: 0,
            }
          : { links: sublistLinks };
      } else if (isSubrecord(key, value)) {
        // Oracle: subrecords are links unless expanded, then their fields with their own link.
        const links = [{ rel: 'self', href: `${self}/${key}` }];
        out[key] = expand ? { links, ...(value as object) } : { links };
      } else {
        out[key] = enrichReference(url, key, value, type);
      }
    }
    return out;
  }

  /** A sublist line as NetSuite shows it: its own `self` link, references resolved. */
  function presentLine(url: URL, sublistUrl: string, line: unknown): Record<string, unknown> {
    const data = line as Record<string, unknown>;
    const lineUrl = `${sublistUrl}/${String(data.line)}`;
    const out: Record<string, unknown> = { links: [{ rel: 'self', href: lineUrl }] };
    for (const [key, value] of Object.entries(data)) {
      if (key === 'links') continue;
      // A line's subrecord (an address book line's address) with its own self link.
      out[key] = isSubrecord(key, value)
        ? { links: [{ rel: 'self', href: `${lineUrl}/${key}` }], ...(value as object) }
        : enrichReference(url, key, value);
    }
    return out;
  }

  /** The record a reference field names, when it is one the emulator holds. */
  function referencedRecord(
    field: string,
    value: unknown,
    ownerType?: string,
  ): { type: string; data: RecordData } | undefined {
    const targets = referenceTargets(ownerType, field);
    const id = (value as { id?: unknown } | null | undefined)?.id;
    if (targets === undefined || typeof id !== 'string') return undefined;
    for (const type of Array.isArray(targets) ? targets : [targets]) {
      const data = store.get(type, id);
      if (data) return { type, data };
    }
    return undefined;
  }

  /** References to records the emulator knows get NetSuite's `refName` and `links`. */
  function enrichReference(url: URL, field: string, value: unknown, ownerType?: string): unknown {
    const targets = referenceTargets(ownerType, field);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const ref = value as { id?: unknown; refName?: unknown; links?: unknown };
    if (typeof ref.id !== 'string') return value;
    const linked = LINKED_TYPES[field];
    if (!targets) {
      return linked === undefined || ref.links !== undefined
        ? value
        : { links: [{ rel: 'self', href: recordUrl(url, linked, ref.id) }], ...ref };
    }
    const id = ref.id;
    const target = (Array.isArray(targets) ? targets : [targets]).find((t) => store.get(t, id));
    const record = target === undefined ? undefined : store.get(target, id);
    if (!record || target === undefined) {
      // A record the emulator does not hold: NetSuite would still link it.
      return typeof targets === 'string' && ref.links === undefined
        ? { links: [{ rel: 'self', href: recordUrl(url, targets, id) }], ...ref }
        : value;
    }
    const name =
      record.companyName ?? record.entityId ?? record.itemId ?? record.tranId ?? record.name;
    return {
      links: [{ rel: 'self', href: recordUrl(url, target, ref.id) }],
      ...ref,
      ...(ref.refName === undefined && typeof name === 'string' ? { refName: name } : {}),
    };
  }

  /**
   * A request body as the emulator keeps it — field names as the metadata spells them, reference
   * ids as strings — or NetSuite's 400 for transaction lines naming items that do not exist.
   */
  function recordBody(
    type: string,
    raw: Record<string, unknown>,
    stored?: RecordData,
  ): Record<string, unknown> | Response {
    const body = withStringReferenceIds(withCanonicalFieldNames(type, raw, stored));
    const problems =
      recordKind(type)?.family === 'transaction'
        ? unknownLineItems(body, (id) => store.get('inventoryItem', id) !== undefined)
        : [];
    return problems.length > 0 ? errorResponse(400, problems) : body;
  }

  function missingRequired(type: string, body: Record<string, unknown>): Response | undefined {
    const kind = recordKind(type)!;
    const missing = (kind.required ?? []).filter(([field]) => {
      const v = body[field];
      return v === undefined || v === null || v === '';
    });
    if (type === 'customer' && !body.companyName && !(isIndividual(body) && body.lastName)) {
      missing.push(['companyName', 'Company Name']);
    }
    if (missing.length === 0) return undefined;
    return errorResponse(
      400,
      missing.map(([field, label]) => ({
        detail: `Error while accessing a resource. Please enter value(s) for: ${label}.`,
        code: 'USER_ERROR',
        path: field,
      })),
    );
  }

  /**
   * The account's business rules for a write of `type` (`id` undefined on create): a customer's
   * parent must be another customer outside its own branch.
   */
  function writeProblem(
    type: string,
    id: string | undefined,
    body: Record<string, unknown>,
  ): Response | undefined {
    const problems =
      type === 'customer'
        ? parentProblems(store, id, body)
        : hasFlow(type)
          ? refusedWrite(type, body, id === undefined ? undefined : store.get(type, id))
          : [];
    return problems.length > 0 ? errorResponse(400, problems) : undefined;
  }

  /**
   * Fields NetSuite fills in on create: a customer is a person or a company (`isPerson`); an
   * order or a return starts in its first status (`transaction-flow.ts`).
   */
  function withCreateDefaults(
    type: string,
    body: Record<string, unknown>,
  ): Record<string, unknown> {
    if (hasFlow(type) && body.orderStatus === undefined) {
      return { ...body, orderStatus: initialStatus(type) };
    }
    if (type !== 'customer' || typeof body.isPerson === 'boolean') return body;
    return { ...body, isPerson: isIndividual(body) };
  }

  /**
   * A new sales order under the account's credit limit handling: refused (400), or made
   * Pending Approval by setting its `orderStatus`, or left as it is.
   */
  function creditHold(type: string, body: Record<string, unknown>): Response | undefined {
    if (type !== 'salesOrder' || options.creditLimit === undefined) return undefined;
    const customerId = (body.entity as { id?: unknown } | undefined)?.id;
    const customer = typeof customerId === 'string' ? store.get('customer', customerId) : undefined;
    const verdict = creditVerdict(options.creditLimit, customer, body);
    if (verdict === 'pendingApproval') body.orderStatus = { id: 'A', refName: 'Pending Approval' };
    return typeof verdict === 'object' ? errorResponse(400, verdict) : undefined;
  }

  function duplicateExternalId(
    type: string,
    externalId: unknown,
    selfId?: string,
  ): Response | undefined {
    if (typeof externalId !== 'string') return undefined;
    const owner = store.idForExternalId(type, externalId);
    if (owner === undefined || owner === selfId) return undefined;
    // What live accounts answer a second create with a taken external id (no o:errorPath).
    return errorResponse(400, {
      detail: 'Error while accessing a resource. This entity already exists.',
      code: 'USER_ERROR',
    });
  }

  function created(url: URL, type: string, id: string): Response {
    return new Response(null, { status: 204, headers: { location: recordUrl(url, type, id) } });
  }

  /** Lines' quantities and the status, after any write to an order or a return. */
  function settle(type: string, id: string): void {
    if (!hasFlow(type)) return;
    store.update(type, id, settled(type, store.get(type, id)!), new Set());
  }

  function transform(
    url: URL,
    sourceType: string,
    sourceId: string,
    target: string,
    body: Record<string, unknown>,
  ): Response {
    if (!TRANSFORMS[sourceType]?.includes(target)) {
      return errorResponse(400, {
        detail: `Transformation from ${sourceType} to ${target} is not supported.`,
        code: 'INVALID_TRANSFORM',
      });
    }
    const source = store.get(sourceType, sourceId);
    if (!source) return notFoundRecord(url);
    const plan = planTransform(sourceType, source, target, body);
    if (Array.isArray(plan)) return errorResponse(400, plan);
    const label = TRANSACTION_LABELS[sourceType] ?? sourceType;
    const data = store.create(target, {
      entity: source.entity,
      ...(source.subsidiary === undefined ? {} : { subsidiary: source.subsidiary }),
      ...(source.currency === undefined ? {} : { currency: source.currency }),
      ...(source.location === undefined ? {} : { location: source.location }),
      ...(hasFlow(target) ? { orderStatus: initialStatus(target) } : {}),
      ...body,
      createdFrom: { id: source.id, refName: `${label} #${source.tranId ?? source.id}` },
      item: { items: plan.lines },
    });
    settle(target, data.id);
    if (plan.sourceLines) {
      store.update(sourceType, sourceId, { item: { items: plan.sourceLines } }, new Set());
    }
    settle(sourceType, sourceId);
    return created(url, target, data.id);
  }

  async function records(request: Request, url: URL, rest: string[]): Promise<Response> {
    const [rawType, idPart, bang, rawTarget, ...extra] = rest;
    const type = rawType && rawType !== 'metadata-catalog' ? canonicalType(rawType) : rawType;
    const target = rawTarget === undefined ? undefined : canonicalType(rawTarget);
    if (!type)
      return errorResponse(404, { detail: 'Record type is missing.', code: 'NONEXISTENT_ID' });
    if (type === 'metadata-catalog') {
      return idPart === undefined || idPart === ''
        ? metadataCatalogResponse(request, url, catalog())
        : metadataCatalogResponse(request, url, catalog(), decodeURIComponent(idPart));
    }
    if (!recordKind(type)) {
      return errorResponse(400, {
        detail: `Record type '${type}' does not exist.`,
        code: 'INVALID_ID',
      });
    }
    const method = request.method;
    if (idPart === undefined) {
      if (method === 'GET') return list(url, type);
      if (method === 'POST') {
        const raw = await readJson(request);
        if (raw instanceof Response) return raw;
        const body = recordBody(type, raw);
        if (body instanceof Response) return body;
        const problem =
          missingRequired(type, body) ??
          duplicateExternalId(type, body.externalId) ??
          writeProblem(type, undefined, body) ??
          creditHold(type, body);
        if (problem) return problem;
        const data = store.create(type, withCreateDefaults(type, body));
        settle(type, data.id);
        return created(url, type, data.id);
      }
      return errorResponse(405, {
        detail: `${method} is not allowed here.`,
        code: 'METHOD_NOT_ALLOWED',
      });
    }
    const sublist = bang === undefined ? undefined : canonicalFieldName(type, bang);
    if (sublist !== undefined && SUBLISTS.has(sublist) && extra.length === 0 && method === 'GET') {
      // Oracle's "Accessing Subresources": GET …/salesOrder/1/item and …/salesOrder/1/item/1.
      const data = store.get(type, decodeURIComponent(idPart));
      if (!data) return notFoundRecord(url);
      const lines = (data[sublist] as Record<string, unknown>[] | undefined) ?? [];
      const sublistUrl = `${recordUrl(url, type, data.id)}/${sublist}`;
      if (rawTarget !== undefined) {
        const line = lines.find((l) => String(l.line) === decodeURIComponent(rawTarget));
        if (!line) return notFoundRecord(url);
        return jsonResponse(presentLine(url, sublistUrl, line), { headers: SINGULAR });
      }
      return jsonResponse(
        {
          links: [{ rel: 'self', href: sublistUrl }],
          items: lines.map((line) => presentLine(url, sublistUrl, line)),
          totalResults: lines.length,
          count: lines.length,
          hasMore: false,
          offset: 0,
        },
        { headers: COLLECTION },
      );
    }
    if (
      bang !== undefined &&
      !bang.startsWith('!') &&
      rawTarget === undefined &&
      method === 'GET'
    ) {
      // Oracle's "Accessing Subresources": a reference field read through its parent record
      // (GET …/employee/107/subsidiary) answers the referenced record.
      const data = store.get(type, decodeURIComponent(idPart));
      const field = data === undefined ? bang : canonicalFieldName(type, bang, data);
      if (data !== undefined && isSubrecord(field, data[field])) {
        // A subrecord read through its parent (GET …/salesOrder/1/billingaddress).
        const self = `${recordUrl(url, type, data.id)}/${field}`;
        return jsonResponse(
          { links: [{ rel: 'self', href: self }], ...(data[field] as object) },
          { headers: SINGULAR },
        );
      }
      const referenced =
        data === undefined ? undefined : referencedRecord(field, data[field], type);
      if (!referenced) return notFoundRecord(url);
      return jsonResponse(present(url, referenced.type, referenced.data, false), {
        headers: SINGULAR,
      });
    }
    if (bang !== undefined) {
      if (bang !== '!transform' || target === undefined || extra.length > 0 || method !== 'POST') {
        return errorResponse(404, { detail: 'Not found.', code: 'NONEXISTENT_ID' });
      }
      const raw = await readJson(request);
      if (raw instanceof Response) return raw;
      return transform(
        url,
        type,
        decodeURIComponent(idPart),
        target,
        withCanonicalFieldNames(target, raw),
      );
    }
    const decoded = decodeURIComponent(idPart);
    const externalId = decoded.startsWith('eid:') ? decoded.slice(4) : undefined;
    if (externalId === undefined && !/^-?\d+$/.test(decoded)) return invalidRecordId(url, decoded);
    const id = externalId === undefined ? decoded : store.idForExternalId(type, externalId);
    // Field names in `replace` are read in any case, as body field names are.
    const replace = new Set(
      (url.searchParams.get('replace') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((name) => canonicalFieldName(type, name)),
    );
    switch (method) {
      case 'GET': {
        const data = id === undefined ? undefined : store.get(type, id);
        if (!data) return notFoundRecord(url);
        const fields = url.searchParams.get('fields');
        return jsonResponse(
          present(
            url,
            type,
            data,
            url.searchParams.get('expandSubResources') === 'true',
            fields ? new Set(fields.split(',').map((f) => f.trim())) : undefined,
          ),
          { headers: SINGULAR },
        );
      }
      case 'PATCH': {
        const stored = id === undefined ? undefined : store.get(type, id);
        if (id === undefined || !stored) return notFoundRecord(url);
        const raw = await readJson(request);
        if (raw instanceof Response) return raw;
        const body = recordBody(type, raw, stored);
        if (body instanceof Response) return body;
        if (url.searchParams.get('replaceSelectedFields') === 'true') {
          // Oracle: with replaceSelectedFields=true only the nulls of fields named in `replace`
          // delete them; other nulls leave their fields as they are.
          for (const [field, value] of Object.entries(body)) {
            if (value === null && !replace.has(field)) delete body[field];
          }
        }
        const problem =
          duplicateExternalId(type, body.externalId, id) ?? writeProblem(type, id, body);
        if (problem) return problem;
        store.update(type, id, body, replace);
        settle(type, id);
        // Oracle: 204 without a body, the updated record's URL in Location.
        return created(url, type, id);
      }
      case 'PUT': {
        if (externalId === undefined) {
          return errorResponse(405, {
            detail:
              'PUT is only allowed with an external id: use /record/v1/<type>/eid:<externalId>.',
            code: 'METHOD_NOT_ALLOWED',
          });
        }
        const raw = await readJson(request);
        if (raw instanceof Response) return raw;
        const stored = id === undefined ? undefined : store.get(type, id);
        const body = recordBody(type, raw, stored);
        if (body instanceof Response) return body;
        if (body.externalId !== undefined && body.externalId !== externalId) {
          return errorResponse(400, {
            detail: 'The external ID in the body does not match the external ID in the URL.',
            code: 'INVALID_VALUE',
            path: 'externalId',
          });
        }
        if (id !== undefined && stored) {
          const refused = writeProblem(type, id, body);
          if (refused) return refused;
          store.update(type, id, body, replace);
          settle(type, id);
          return created(url, type, id);
        }
        const withId = { ...body, externalId };
        const problem =
          missingRequired(type, withId) ??
          writeProblem(type, undefined, withId) ??
          creditHold(type, withId);
        if (problem) return problem;
        const data = store.create(type, withCreateDefaults(type, withId));
        settle(type, data.id);
        return created(url, type, data.id);
      }
      case 'DELETE': {
        const dependents =
          type === 'customer' && id !== undefined ? deleteProblem(store, id) : undefined;
        if (dependents) return errorResponse(400, dependents);
        if (id === undefined || !store.delete(type, id)) return notFoundRecord(url);
        return new Response(null, { status: 204 });
      }
      default:
        return errorResponse(405, {
          detail: `${method} is not allowed here.`,
          code: 'METHOD_NOT_ALLOWED',
        });
    }
  }

  function list(url: URL, type: string): Response {
    const paging = parsePaging(url);
    if ('error' in paging) return paging.error;
    let all = store.list(type);
    const q = url.searchParams.get('q');
    if (q) {
      try {
        const predicate = parseRecordQuery(q);
        all = all.filter(predicate);
      } catch (error) {
        if (error instanceof RecordQueryError) {
          return invalidParameter(`Invalid query parameter 'q': ${error.message}.`, 'q');
        }
        throw error;
      }
    }
    const page = all.slice(paging.offset, paging.offset + paging.limit);
    return jsonResponse(
      {
        links: pageLinks(url, paging.limit, paging.offset, all.length),
        count: page.length,
        hasMore: paging.offset + page.length < all.length,
        items: page.map((r) => ({
          links: [{ rel: 'self', href: recordUrl(url, type, r.id) }],
          id: r.id,
        })),
        offset: paging.offset,
        totalResults: all.length,
      },
      { headers: COLLECTION },
    );
  }

  async function suiteqlRoute(request: Request, url: URL): Promise<Response> {
    if (request.method !== 'POST') {
      return errorResponse(405, { detail: 'Use POST for SuiteQL.', code: 'METHOD_NOT_ALLOWED' });
    }
    if (!/\btransient\b/i.test(request.headers.get('prefer') ?? '')) {
      return errorResponse(400, {
        detail: "The 'Prefer: transient' header is required for SuiteQL queries.",
        code: 'INVALID_HEADER',
        header: 'Prefer',
      });
    }
    const paging = parsePaging(url);
    if ('error' in paging) return paging.error;
    const body = await readJson(request);
    if (body instanceof Response) return body;
    const q = body.q;
    if (typeof q !== 'string' || q.trim() === '') {
      return errorResponse(400, {
        detail: "Invalid content in the request body. The 'q' property is missing.",
        code: 'INVALID_CONTENT',
      });
    }
    counters.suiteqlRequests++;
    suiteqlPages.push({ limit: paging.limit, offset: paging.offset, q });
    if (paging.offset + paging.limit > rowCap) {
      return invalidParameter(
        `Invalid search query. Detailed unprocessed description follows. Search error occurred: The query result exceeds the limit of ${rowCap} rows; offset ${paging.offset} with limit ${paging.limit} is out of range.`,
        'offset',
      );
    }
    try {
      const result = runSuiteql(
        q,
        (name) => store.table(name),
        paging,
        options.suiteqlDates ?? 'account',
      );
      const total = result.totalResults;
      return jsonResponse({
        links: pageLinks(url, paging.limit, paging.offset, Math.min(total, rowCap)),
        count: result.items.length,
        hasMore: paging.offset + result.items.length < total,
        items: result.items,
        offset: paging.offset,
        totalResults: total,
      });
    } catch (error) {
      if (error instanceof SuiteqlSyntaxError) {
        return invalidParameter(
          `Invalid search query. Detailed unprocessed description follows. ${error.detail}`,
          'q',
        );
      }
      throw error;
    }
  }

  function jobUrl(url: URL, id: string): string {
    return `${url.origin}${jobPath(id)}`;
  }

  /** NetSuite's 202 and IDEMPOTENCY_ERROR name the job by a path without scheme and host. */
  function jobPath(id: string): string {
    return `${REST}/async/v1/job/${id}`;
  }

  /**
   * Runs a request as an asynchronous job (Oracle: "any REST request" with Prefer:
   * respond-async): 202 with the job's path in Location; the job keeps the request's own answer.
   */
  async function submitAsync(request: Request, run: () => Promise<Response>): Promise<Response> {
    const key = request.headers.get('x-netsuite-idempotency-key');
    if (key !== null) {
      const earlier = idempotency.get(key);
      if (earlier !== undefined) {
        // NetSuite answers a repeated key with status 400 but the title and type of 409 Conflict,
        // the earlier job in a relative Location, and Preference-Applied as for a new request.
        return errorResponse(
          400,
          {
            detail: `A request with the same idempotency key is already submitted. See the "Location" header for a link to the previously submitted job.`,
            code: 'IDEMPOTENCY_ERROR',
          },
          { location: jobPath(earlier), 'preference-applied': 'respond-async' },
          409,
        );
      }
    }
    const result = await run();
    const id = String(1000 + jobs.size + 1);
    const time = stamp();
    const job: Job = {
      id,
      createdTime: time,
      lastModifiedTime: time,
      reads: 0,
      status: result.status,
    };
    const location = result.headers.get('location');
    if (location) job.location = location;
    const text = await result.text();
    if (text) job.body = text;
    jobs.set(id, job);
    if (key !== null) idempotency.set(key, id);
    return new Response(null, {
      status: 202,
      headers: {
        location: jobPath(id),
        'preference-applied': 'respond-async',
        'content-type': 'application/json',
      },
    });
  }

  function asyncRoute(request: Request, url: URL, path: string[]): Response {
    // Oracle writes the task list as …/job/1/task/ (with a trailing slash).
    const rest = path.at(-1) === '' ? path.slice(0, -1) : path;
    const [kind, jobId, taskPart, taskId, resultPart] = rest;
    if (request.method !== 'GET' || kind !== 'job' || jobId === undefined) {
      return errorResponse(404, { detail: 'Not found.', code: 'NONEXISTENT_ID' });
    }
    const job = jobs.get(jobId);
    if (!job)
      return errorResponse(404, { detail: `Job ${jobId} does not exist.`, code: 'NONEXISTENT_ID' });
    const self = jobUrl(url, jobId);
    const taskUrl = `${self}/task/${jobId}`;
    const completed = job.reads >= pollsToComplete;
    const failed = job.status >= 400;
    // Oracle's examples: `pending` until the job ran, then `succeeded` (or `failed`).
    const progress = completed ? (failed ? 'failed' : 'succeeded') : 'pending';
    if (taskPart === undefined) {
      job.reads++;
      if (job.reads >= pollsToComplete) job.lastModifiedTime = stamp();
      return jsonResponse({
        links: [{ rel: 'self', href: self }],
        completed,
        id: job.id,
        progress,
        task: { links: [{ rel: 'self', href: `${self}/task` }] },
      });
    }
    if (taskPart !== 'task')
      return errorResponse(404, { detail: 'Not found.', code: 'NONEXISTENT_ID' });
    if (taskId === undefined) {
      return jsonResponse(
        {
          links: [{ rel: 'self', href: `${self}/task` }],
          count: 1,
          hasMore: false,
          items: [{ links: [{ rel: 'self', href: taskUrl }], id: jobId }],
          offset: 0,
          totalResults: 1,
        },
        { headers: COLLECTION },
      );
    }
    if (taskId !== jobId)
      return errorResponse(404, { detail: 'Not found.', code: 'NONEXISTENT_ID' });
    if (resultPart === undefined) {
      return jsonResponse({
        links: [
          { rel: 'related', href: `${taskUrl}/result` },
          { rel: 'self', href: taskUrl },
        ],
        completed,
        ...(completed ? { endTime: job.lastModifiedTime } : {}),
        id: jobId,
        progress,
        startTime: job.createdTime,
      });
    }
    if (resultPart !== 'result')
      return errorResponse(404, { detail: 'Not found.', code: 'NONEXISTENT_ID' });
    if (!completed) {
      return errorResponse(400, {
        detail: `The job ${jobId} has not finished yet.`,
        code: 'INVALID_REQUEST',
      });
    }
    if (job.body !== undefined) {
      return new Response(job.body, {
        status: job.status,
        headers: {
          'content-type':
            job.status >= 400
              ? 'application/vnd.oracle.resource+json; type=error'
              : 'application/json',
        },
      });
    }
    return new Response(null, {
      status: job.status,
      headers: job.location ? { location: job.location } : {},
    });
  }

  async function route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(`${REST}/`)) {
      return errorResponse(404, {
        detail: `No service at ${url.pathname}.`,
        code: 'NONEXISTENT_ID',
      });
    }
    const parts = url.pathname.slice(REST.length + 1).split('/');
    const [service, version, ...rest] = parts;
    if (service === 'auth' && version === 'oauth2' && rest[0] === 'v1' && rest[1] === 'token') {
      return tokenEndpoint(request, url);
    }
    const denied = authenticate(request);
    if (denied) return denied;
    if (counters.inFlight >= limit) {
      counters.concurrencyRejections++;
      return errorResponse(429, {
        detail: `Concurrent request limit exceeded. The account allows ${limit} concurrent requests. Request blocked.`,
        code: 'CONCURRENCY_LIMIT_EXCEEDED',
      });
    }
    counters.inFlight++;
    counters.maxInFlight = Math.max(counters.maxInFlight, counters.inFlight);
    try {
      if (latencyMs > 0) await sleep(latencyMs);
      if (version !== 'v1') {
        return errorResponse(404, {
          detail: `No service at ${url.pathname}.`,
          code: 'NONEXISTENT_ID',
        });
      }
      const async = /\brespond-async\b/i.test(request.headers.get('prefer') ?? '');
      if (service === 'query' && rest[0] === 'suiteql' && rest.length === 1) {
        return async
          ? await submitAsync(request, () => suiteqlRoute(request, url))
          : await suiteqlRoute(request, url);
      }
      if (service === 'record') {
        if (async && rest[0] !== 'metadata-catalog') {
          return await submitAsync(request, () => records(request, url, rest));
        }
        return await records(request, url, rest);
      }
      if (service === 'async') return asyncRoute(request, url, rest);
      if (service === 'system' && rest[0] === 'governanceLimits' && request.method === 'GET') {
        const own = options.integrationConcurrencyLimit;
        return jsonResponse({
          accountConcurrencyLimit: limit,
          accountUnallocatedConcurrencyLimit: Math.max(0, limit - (own ?? 0)),
          ...(own === undefined ? {} : { integrationConcurrencyLimit: own }),
          integrationLimitType: own === undefined ? 'accountLimit' : 'integrationSpecific',
        });
      }
      return errorResponse(404, {
        detail: `No service at ${url.pathname}.`,
        code: 'NONEXISTENT_ID',
      });
    } finally {
      counters.inFlight--;
    }
  }

  /** Whether a request may change a transaction, and so a customer's credit figures. */
  function writesTransactions(request: Request): boolean {
    if (request.method === 'GET') return false;
    const match = /\/services\/rest\/record\/v1\/([^/?]+)/.exec(new URL(request.url).pathname);
    const type = match ? canonicalType(decodeURIComponent(match[1]!)) : undefined;
    return type !== undefined && recordKind(type)?.family === 'transaction';
  }

  const core: Handler = async (request) => {
    counters.requests++;
    credit.refresh();
    const writes = writesTransactions(request);
    try {
      return await route(request);
    } finally {
      if (writes) credit.stale();
    }
  };
  const faulty = options.faults ? withFaults(core, options.faults) : undefined;
  const handler: Handler = faulty ?? core;

  const state: NetSuiteEmulatorState = {
    get requests() {
      return counters.requests;
    },
    get inFlight() {
      return counters.inFlight;
    },
    get maxInFlight() {
      return counters.maxInFlight;
    },
    get concurrencyRejections() {
      return counters.concurrencyRejections;
    },
    get authRejections() {
      return counters.authRejections;
    },
    get tokensIssued() {
      return counters.tokensIssued;
    },
    get suiteqlRequests() {
      return counters.suiteqlRequests;
    },
    get faults() {
      return faulty ? { ...faulty.stats } : undefined;
    },
    suiteqlPages,
    jobs,
    records: (type) => store.list(canonicalType(type)),
    get: (type, id) => store.get(canonicalType(type), id),
    getByExternalId: (type, externalId) => {
      const id = store.idForExternalId(canonicalType(type), externalId);
      return id === undefined ? undefined : store.get(canonicalType(type), id);
    },
    count: (type) => store.count(canonicalType(type)),
    insert(rawType, rows) {
      const type = canonicalType(rawType);
      if (!recordKind(type)) throw new Error(`The emulator has no record type "${rawType}".`);
      const ids: string[] = [];
      // Direct inserts skip the deep copy a request body gets: fast enough for 250,000 rows.
      for (const row of rows) ids.push(store.create(type, row, false).id);
      if (recordKind(type)?.family === 'transaction') credit.stale();
      return ids;
    },
  };

  if (options.snapshot !== undefined) {
    const snap = checkSnapshot(options.snapshot, 'netsuite', [
      'nextIds',
      'jobs',
      'idempotency',
      'tokens',
    ]) as unknown as NetSuiteEmulatorSnapshot;
    if (snap.accountId !== options.accountId) {
      throw new EmulatorSnapshotError(
        'accountId',
        `is ${JSON.stringify(snap.accountId)}; this emulator is account "${options.accountId}"`,
      );
    }
    if (!Number.isInteger(snap.randomDraws) || snap.randomDraws < 0) {
      throw new EmulatorSnapshotError('randomDraws', 'must be a whole number');
    }
    if (!snap.records || typeof snap.records !== 'object' || Array.isArray(snap.records)) {
      throw new EmulatorSnapshotError('records', 'must be an object of record arrays by type');
    }
    for (const [type, rows] of Object.entries(snap.records)) {
      if (!recordKind(type) || canonicalType(type) !== type) {
        throw new EmulatorSnapshotError(`records.${type}`, 'is not a record type of this emulator');
      }
      if (!Array.isArray(rows) || rows.some((r) => typeof r?.id !== 'string')) {
        throw new EmulatorSnapshotError(`records.${type}`, 'must be an array of records with ids');
      }
    }
    const pairs = (name: 'nextIds' | 'idempotency' | 'tokens') =>
      snap[name].forEach((entry, index) => {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
          throw new EmulatorSnapshotError(`${name}[${index}]`, 'must be a [key, value] pair');
        }
      });
    pairs('nextIds');
    pairs('idempotency');
    pairs('tokens');
    snap.jobs.forEach((job, index) => {
      if (typeof job?.id !== 'string' || typeof job.status !== 'number') {
        throw new EmulatorSnapshotError(`jobs[${index}]`, 'must have an id and a status');
      }
    });
    store.load({ records: snap.records, nextIds: snap.nextIds });
    for (const job of structuredClone(snap.jobs)) jobs.set(job.id, job);
    for (const [key, id] of snap.idempotency) idempotency.set(key, id);
    for (const [digest, expires] of snap.tokens) tokens.set(digest, expires);
    while (randomDraws < snap.randomDraws) random();
  }

  const snapshot = (): NetSuiteEmulatorSnapshot => ({
    version: NETSUITE_SNAPSHOT_VERSION,
    emulator: 'netsuite',
    accountId: options.accountId,
    ...store.dump(),
    jobs: structuredClone([...jobs.values()]),
    idempotency: [...idempotency],
    tokens: [...tokens],
    randomDraws,
  });

  return {
    fetch: handler,
    listen: (port) => listen(handler, port === undefined ? {} : { port }),
    state,
    snapshot,
  };
}
