import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type FaultOptions,
  type Handler,
  listen,
  type RunningServer,
  withFaults,
} from '@plumbline/client-core/testing';
import { MagentoFault, MESSAGES } from './fault.js';
import {
  hmacSignature,
  NonceCache,
  parseOAuthAuthorization,
  signatureBaseString,
  timingSafeStringEqual,
} from './oauth1-verifier.js';
import { matchRoute, type Route, route } from './router.js';
import { cartRoutes } from './routes/carts.js';
import { catalogRoutes } from './routes/catalog.js';
import { intParam, search } from './routes/common.js';
import { companyRoutes } from './routes/companies.js';
import { companyCreditRoutes } from './routes/company-credit.js';
import { customerRoutes } from './routes/customers.js';
import { inventoryRoutes } from './routes/inventory.js';
import { negotiableQuoteRoutes } from './routes/negotiable-quotes.js';
import { returnRoutes } from './routes/returns.js';
import { salesRoutes } from './routes/sales.js';
import { sharedCatalogRoutes } from './routes/shared-catalogs.js';
import { stockItemRoutes } from './routes/stock-items.js';
import { stockRoutes } from './routes/stocks.js';
import { tierPriceRoutes } from './routes/tier-prices.js';
import { transactionRoutes } from './routes/transactions.js';
import { parseFields, project } from './search.js';
import { EmulatorSnapshotError, secretDigest } from './snapshot.js';
import {
  BULK_STATUS,
  type BulkRecord,
  type CommerceEmulatorSnapshot,
  type CommerceEmulatorState,
  type CommerceSeed,
  CommerceEmulatorState as State,
} from './state.js';

/** An OAuth 1.0a integration the emulator accepts (Magento requires HMAC-SHA256). */
export interface EmulatorIntegration {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

export interface CommerceEmulatorOptions {
  /** Fixtures loaded at start. */
  seed?: CommerceSeed;
  /** Admin users that may get a token; default `[{ username: 'admin', password: 'admin123' }]`. */
  adminUsers?: { username: string; password: string }[];
  /** Bearer tokens accepted as-is (integration tokens, or IMS tokens in ACCS mode). */
  integrationTokens?: string[];
  /** OAuth 1.0a integrations whose signed requests (HMAC-SHA256 or HMAC-SHA1) are accepted. */
  integrations?: EmulatorIntegration[];
  /** OAuth 1.0a: timestamps older than this many seconds are refused as stale (default 600). */
  oauthWindowSeconds?: number;
  /** OAuth 1.0a: nonces remembered (default 10,000); when full the stale floor rises. */
  oauthNonceCapacity?: number;
  /** Store codes besides `default` and `all`. */
  stores?: string[];
  /** Faults injected by client-core's withFaults. */
  faults?: FaultOptions;
  /** Rate limit of the checkout endpoints (payment-information, order placement): off by default, as in Magento. */
  rateLimit?: { limit: number; intervalMs: number };
  /** Delay between background ticks of the bulk consumer (ms, default 5); each tick runs `bulkBatchSize` operations (default 25). */
  bulkDelayMs?: number;
  bulkBatchSize?: number;
  /** Reject pageSize above this (Magento's optional input limit), off by default. */
  maxPageSize?: number;
  /** Serve the Adobe Commerce as a Cloud Service layout `/<tenantId>/V1/...` with a `Store` header. */
  accs?: { tenantId: string };
  /** Admin token lifetime in ms (default 4 h). */
  adminTokenLifetimeMs?: number;
  /** Clock (default Date.now); `state.advanceTime()` moves it forward. */
  now?: () => number;
  /**
   * Start from a snapshot taken by `snapshot()` (then `seed` is ignored): records, id counters,
   * issued tokens, queued bulk operations and salable quantities are as they were. Throws
   * `EmulatorSnapshotError` for another version or a malformed snapshot.
   */
  snapshot?: CommerceEmulatorSnapshot;
}

export interface CommerceEmulator {
  /** The emulator as a `(Request) => Promise<Response>` (with faults applied when configured). */
  fetch: Handler;
  /** Serve over loopback HTTP. */
  listen(port?: number): Promise<RunningServer>;
  state: CommerceEmulatorState;
  /** Issue an admin token directly (skips the credentials round trip in tests). */
  issueAdminToken(username?: string): string;
  /** Let every queued bulk operation run now; resolves when none is open. */
  drainBulk(): Promise<void>;
  /** Requests seen, by `METHOD path` (without query). */
  readonly requests: { method: string; path: string; status: number }[];
  /**
   * The data as plain JSON: `JSON.stringify` it, and pass it back as the `snapshot` option to
   * continue where this emulator is. Issued tokens and passwords appear only as digests.
   */
  snapshot(): CommerceEmulatorSnapshot;
}

interface TokenRecord {
  kind: 'admin' | 'customer';
  subject: string;
  expiresAt: number;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

function token(): string {
  // Magento tokens are 32 lowercase alphanumerics.
  return randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').toLowerCase().slice(0, 32);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A stateful Adobe Commerce REST emulator: real paths, status codes and error bodies, token
 * issue and validation, searchCriteria, orders through invoice/ship/refund, MSI salable
 * quantity, async bulk processed in the background and the checkout rate limit.
 */
export function createCommerceEmulator(options: CommerceEmulatorOptions = {}): CommerceEmulator {
  const state = new State(options.now ? { now: options.now } : {});
  const adminUsers = options.adminUsers ?? [{ username: 'admin', password: 'admin123' }];
  const tokens = new Map<string, TokenRecord>();
  const integrationTokens = new Set(options.integrationTokens ?? []);
  const stores = new Set(['default', 'all', ...(options.stores ?? [])]);
  const lifetime = options.adminTokenLifetimeMs ?? 4 * 3600_000;
  const requests: { method: string; path: string; status: number }[] = [];
  const checkoutHits = new Map<string, number[]>();
  const maxPageSize = options.maxPageSize;

  const issueAdminToken = (username = adminUsers[0]?.username ?? 'admin'): string => {
    const value = token();
    tokens.set(secretDigest(value), {
      kind: 'admin',
      subject: username,
      expiresAt: state.now() + lifetime,
    });
    return value;
  };

  // ---- seed ----
  const seed = options.snapshot === undefined ? (options.seed ?? {}) : {};
  for (const source of seed.sources ?? [])
    state.sources.set(String(source.source_code), { enabled: true, ...source });
  if (seed.sources?.length) {
    const stock = state.stocks.get(1);
    if (stock)
      stock.source_codes = [
        ...new Set([...stock.source_codes, ...seed.sources.map((s) => String(s.source_code))]),
      ];
  }
  for (const group of seed.customerGroups ?? []) state.customerGroups.set(Number(group.id), group);
  for (const category of seed.categories ?? []) state.categories.set(Number(category.id), category);
  for (const product of seed.products ?? []) state.saveProduct(product);
  for (const customer of seed.customers ?? []) {
    const { password, ...rest } = customer;
    state.saveCustomer(rest, password === undefined ? {} : { password });
  }
  for (const item of seed.sourceItems ?? []) state.saveSourceItem(item);
  for (const order of seed.orders ?? []) state.placeOrder(order);

  // ---- background bulk consumer ----
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waiters: (() => void)[] = [];
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      let ran = 0;
      const batch = options.bulkBatchSize ?? 25;
      while (ran < batch && state.processNextOperation()) ran++;
      if (ran === batch) schedule();
      else {
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      }
    }, options.bulkDelayMs ?? 5);
    timer.unref?.();
  };

  const checkoutLimited = (request: Request): void => {
    const limit = options.rateLimit;
    if (!limit) return;
    const key =
      request.headers.get('authorization') ?? request.headers.get('x-forwarded-for') ?? 'guest';
    const now = state.now();
    const hits = (checkoutHits.get(key) ?? []).filter((t) => t > now - limit.intervalMs);
    if (hits.length >= limit.limit) {
      checkoutHits.set(key, hits);
      throw new MagentoFault(429, MESSAGES.tooManyRequests, undefined, { trace: null });
    }
    hits.push(now);
    checkoutHits.set(key, hits);
  };

  const routes: Route[] = [
    route('POST', '/V1/integration/admin/token', 'anonymous', (c) => {
      const body = c.body as { username?: unknown; password?: unknown } | undefined;
      if (!body || typeof body.username !== 'string' || body.username === '') {
        throw new MagentoFault(400, 'One or more input exceptions have occurred.', undefined, {
          errors: [
            {
              message: '"%fieldName" is required. Enter and try again.',
              parameters: { fieldName: 'username' },
            },
          ],
        });
      }
      const user = adminUsers.find((u) => u.username === body.username);
      if (!user || typeof body.password !== 'string' || !safeEqual(user.password, body.password)) {
        throw new MagentoFault(401, MESSAGES.badCredentials);
      }
      return issueAdminToken(user.username);
    }),
    route('POST', '/V1/integration/customer/token', 'anonymous', (c) => {
      const body = c.body as { username?: unknown; password?: unknown } | undefined;
      const customer = [...state.customers.values()].find(
        (cu) =>
          typeof body?.username === 'string' &&
          cu.email.toLowerCase() === body.username.toLowerCase(),
      );
      if (
        customer?.id === undefined ||
        typeof body?.password !== 'string' ||
        !state.checkCustomerPassword(customer.id, body.password)
      ) {
        throw new MagentoFault(401, MESSAGES.badCredentials);
      }
      const value = token();
      tokens.set(secretDigest(value), {
        kind: 'customer',
        subject: String(customer.id),
        expiresAt: state.now() + 3600_000,
      });
      return value;
    }),
    ...customerRoutes(state, maxPageSize),
    // Adobe Commerce B2B
    ...companyRoutes(state, maxPageSize),
    ...sharedCatalogRoutes(state, maxPageSize),
    ...tierPriceRoutes(state),
    ...negotiableQuoteRoutes(state, maxPageSize),
    ...companyCreditRoutes(state, maxPageSize),
    ...catalogRoutes(state, maxPageSize),
    ...salesRoutes(state, maxPageSize),
    ...returnRoutes(state, maxPageSize),
    ...transactionRoutes(state, maxPageSize),
    ...inventoryRoutes(state, maxPageSize),
    ...stockItemRoutes(state),
    ...stockRoutes(state, maxPageSize),
    route('GET', '/V1/bulk', 'Magento_Logging::system_magento_logging_bulk_operations', (c) =>
      search(
        c,
        // Like Magento's operation search: each operation carries its bulk's start_time.
        [...state.bulks.values()].flatMap((b) =>
          b.operations.map(({ run: _run, ...op }) => ({
            extension_attributes: { start_time: b.start_time },
            ...op,
          })),
        ),
        maxPageSize,
      ),
    ),
    route(
      'GET',
      '/V1/bulk/:bulkUuid/status',
      'Magento_Logging::system_magento_logging_bulk_operations',
      (c) => {
        const { operations, resume: _resume, ...bulk } = state.getBulk(c.params.bulkUuid as string);
        return {
          ...bulk,
          operation_count: operations.length,
          operations_list: operations.map((o) => ({
            id: o.id,
            status: o.status,
            result_message: o.result_message,
            error_code: o.error_code,
          })),
        };
      },
    ),
    route(
      'GET',
      '/V1/bulk/:bulkUuid/detailed-status',
      'Magento_Logging::system_magento_logging_bulk_operations',
      (c) => {
        const { operations, resume: _resume, ...bulk } = state.getBulk(c.params.bulkUuid as string);
        return {
          ...bulk,
          operation_count: operations.length,
          operations_list: operations.map(({ run: _run, ...op }) => op),
        };
      },
    ),
    route(
      'GET',
      '/V1/bulk/:bulkUuid/operation-status/:status',
      'Magento_Logging::system_magento_logging_bulk_operations',
      (c) => {
        const bulk = state.getBulk(c.params.bulkUuid as string);
        const status = intParam(c, 'status');
        return bulk.operations.filter((o) => o.status === status).length;
      },
    ),
    // Checkout: the payment-information and order placement endpoints are rate limited.
    ...cartRoutes(state, checkoutLimited),
  ];

  const nonces = new NonceCache(options.oauthNonceCapacity ?? 10_000);
  const windowSeconds = options.oauthWindowSeconds ?? 600;
  /** OAuth 1.0a, checked by the emulator's own RFC 5849 verifier (./oauth1-verifier.ts). */
  const verifyOAuth1 = async (request: Request, header: string, fail: () => MagentoFault) => {
    const pairs = parseOAuthAuthorization(header);
    if (!pairs) throw fail();
    const params = Object.fromEntries(pairs);
    if (pairs.length !== Object.keys(params).length) throw fail();
    const integration = (options.integrations ?? []).find(
      (i) => i.consumerKey === params.oauth_consumer_key && i.accessToken === params.oauth_token,
    );
    const method = params.oauth_signature_method;
    if (!integration || !params.oauth_nonce || !params.oauth_timestamp || !params.oauth_signature) {
      throw fail();
    }
    if (method !== 'HMAC-SHA1' && method !== 'HMAC-SHA256') {
      throw new MagentoFault(401, 'Signature method %1 is not supported', [String(method)]);
    }
    if (params.oauth_version !== undefined && params.oauth_version !== '1.0') {
      throw new MagentoFault(401, 'The "%1" Oauth version isn\'t supported.', [
        params.oauth_version,
      ]);
    }
    const timestamp = Number(params.oauth_timestamp);
    const nowSeconds = Math.floor(state.now() / 1000);
    if (
      !/^\d+$/.test(params.oauth_timestamp) ||
      timestamp <= 0 ||
      timestamp > nowSeconds + 600 ||
      timestamp < nowSeconds - windowSeconds
    ) {
      throw new MagentoFault(401, 'Incorrect timestamp value in the oauth_timestamp parameter');
    }
    const contentType = request.headers.get('content-type') ?? '';
    const formBody = /^application\/x-www-form-urlencoded/i.test(contentType)
      ? await request.clone().text()
      : undefined;
    const base = signatureBaseString({
      method: request.method,
      url: request.url,
      oauthParams: pairs.filter(([name]) => name !== 'realm' && name !== 'oauth_signature'),
      ...(formBody === undefined ? {} : { formBody }),
    });
    const expected = hmacSignature(
      method,
      base,
      integration.consumerSecret,
      integration.accessTokenSecret,
    );
    if (!timingSafeStringEqual(expected, params.oauth_signature)) {
      throw new MagentoFault(401, 'The signature is invalid. Verify and try again.');
    }
    if (
      !nonces.use(
        `${integration.consumerKey}:${params.oauth_nonce}`,
        timestamp,
        nowSeconds - windowSeconds,
      )
    ) {
      throw new MagentoFault(401, 'The nonce is already being used by the consumer with ID %1', [
        integration.consumerKey,
      ]);
    }
  };

  /** Checks the caller may use the route; answers the customer of a customer token. */
  const authorize = async (request: Request, needed: Route): Promise<number | undefined> => {
    if (needed.acl === 'anonymous') return undefined;
    const header = request.headers.get('authorization') ?? '';
    const fail = () => new MagentoFault(401, MESSAGES.unauthorized, { resources: needed.acl });
    if (/^bearer /i.test(header)) {
      const value = header.slice(7).trim();
      if (needed.acl !== 'self' && integrationTokens.has(value)) return undefined;
      const record = tokens.get(secretDigest(value));
      const kind = needed.acl === 'self' ? 'customer' : 'admin';
      if (record?.kind !== kind) throw fail();
      if (record.expiresAt <= state.now()) {
        tokens.delete(secretDigest(value));
        throw fail();
      }
      return kind === 'customer' ? Number(record.subject) : undefined;
    }
    if (needed.acl !== 'self' && /^oauth /i.test(header)) {
      await verifyOAuth1(request, header, fail);
      return undefined;
    }
    throw fail();
  };

  const parseBody = async (request: Request): Promise<unknown> => {
    if (request.method === 'GET' || request.method === 'DELETE' || request.method === 'HEAD')
      return undefined;
    const text = await request.text();
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new MagentoFault(400, 'Decoding error: %1', ['Syntax error']);
    }
  };

  /** Runs one operation's payload against the route it was queued for. */
  const operationRunner =
    (
      target: Route,
      pathParams: Record<string, string>,
      bulk: boolean,
      request: Request,
      query: URLSearchParams,
      store: string,
    ) =>
    (payload: unknown) => {
      const paramNames = target.segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1));
      const data = payload as Record<string, unknown>;
      const params = Object.fromEntries(
        paramNames.map((name) => [name, String(bulk ? data[name] : (pathParams[name] ?? ''))]),
      );
      return target.handler({ request, params, query, body: payload, store });
    };

  /** Rebuilds the runner of an operation restored from a snapshot. */
  const resumeOperation = (record: BulkRecord, payload: unknown) => () => {
    const resume = record.resume;
    const match = resume
      ? matchRoute(routes, resume.method, resume.segments, { bulk: resume.bulk })
      : undefined;
    if (!resume || !match || 'methodMismatch' in match) {
      throw new MagentoFault(404, MESSAGES.noRoute);
    }
    const request = new Request(`http://emulator.invalid/${resume.segments.join('/')}`, {
      method: resume.method,
    });
    return operationRunner(
      match.route,
      match.params,
      resume.bulk,
      request,
      new URLSearchParams(resume.query),
      resume.store,
    )(payload);
  };

  const runAsync = async (
    request: Request,
    segments: string[],
    bulk: boolean,
    store: string,
    query: URLSearchParams,
  ): Promise<Response> => {
    if (request.method === 'GET') {
      // No request processor takes an asynchronous GET (RequestProcessorPool): 400.
      throw new MagentoFault(400, 'Specified request cannot be processed.');
    }
    const match = matchRoute(routes, request.method, segments, { bulk });
    if (!match || 'methodMismatch' in match || match.route.acl === 'anonymous') {
      throw new MagentoFault(404, MESSAGES.noRoute);
    }
    const target = match.route;
    await authorize(request, target);
    const body = await parseBody(request);
    const payloads = bulk ? body : [body];
    if (!Array.isArray(payloads)) {
      throw new MagentoFault(400, 'Request body is expected to be an array of entities.');
    }
    const paramNames = target.segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1));
    const topic =
      target.topic ??
      `async.${target.pattern.replace(/\W+/g, '.').replace(/^\.|\.$/g, '')}.${target.method.toLowerCase()}`;
    const accepted: unknown[] = [];
    const requestItems = payloads.map((payload, index) => {
      if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
        return {
          id: index,
          data_hash: null,
          status: 'rejected',
          error_message: 'The request body must be an object.',
          error_code: 0,
        };
      }
      const missing = bulk ? paramNames.find((name) => !(name in (payload as object))) : undefined;
      if (missing) {
        return {
          id: index,
          data_hash: null,
          status: 'rejected',
          error_message: `"${missing}" is required. Enter and try again.`,
          error_code: 0,
        };
      }
      accepted.push(payload);
      return { id: index, data_hash: null, status: 'accepted' };
    });
    const record = state.createBulk(
      `Topic ${topic}`,
      topic,
      accepted,
      operationRunner(target, match.params, bulk, request, query, store),
      { method: request.method, segments, bulk, store, query: query.toString() },
    );
    let acceptedIndex = 0;
    for (const item of requestItems) {
      if (item.status === 'accepted') {
        const op = record.operations[acceptedIndex++];
        if (op) {
          op.id = item.id;
          // MassSchedule (2.4): the SHA-256 hex of the operation's serialized data.
          (item as { data_hash: string | null }).data_hash = createHash('sha256')
            .update(op.serialized_data)
            .digest('hex');
        }
      }
    }

    schedule();
    return json(
      {
        bulk_uuid: record.bulk_id,
        request_items: requestItems,
        errors: requestItems.some((i) => i.status !== 'accepted'),
      },
      202,
    );
  };

  const handle = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    let segments = url.pathname
      .split('/')
      .filter(Boolean)
      // Magento decodes path parameters as PHP's urldecode does, `+` included (magento/magento2
      // #23043: `/V1/products/BAH-SB+7` looks up "BAH-SB 7"); `%2F` stays inside its segment.
      .map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
    let store = 'default';
    if (options.accs) {
      if (segments[0] !== options.accs.tenantId) throw new MagentoFault(404, MESSAGES.noRoute);
      segments = segments.slice(1);
      store = request.headers.get('store') ?? 'default';
      if (segments[0] === 'V1' && segments[1] === 'async') {
        const bulk = segments[2] === 'bulk';
        return runAsync(
          request,
          ['V1', ...segments.slice(bulk ? 3 : 2)],
          bulk,
          store,
          url.searchParams,
        );
      }
    } else {
      if (segments[0] !== 'rest') throw new MagentoFault(404, MESSAGES.noRoute);
      segments = segments.slice(1);
      if (segments[0] !== 'V1' && segments[0] !== 'async' && segments[0] !== undefined) {
        // Magento's PathProcessor strips only a known store code (or `all`); an unknown one stays
        // in the path, which then matches no route: 404, not a store error.
        if (!stores.has(segments[0])) throw new MagentoFault(404, MESSAGES.noRoute);
        store = segments[0];
        segments = segments.slice(1);
      }
    }
    if (!stores.has(store)) {
      throw new MagentoFault(
        400,
        "The store that was requested wasn't found. Verify the store and try again.",
      );
    }
    if (segments[0] === 'async') {
      const bulk = segments[1] === 'bulk';
      return runAsync(request, segments.slice(bulk ? 2 : 1), bulk, store, url.searchParams);
    }
    const match = matchRoute(routes, request.method, segments);
    if (!match) throw new MagentoFault(404, MESSAGES.noRoute);
    if ('methodMismatch' in match) throw new MagentoFault(405, 'Request does not match any route.');
    const customerId = await authorize(request, match.route);
    const body = await parseBody(request);
    const result = await match.route.handler({
      request,
      params: match.params,
      query: url.searchParams,
      body,
      store,
      ...(customerId === undefined ? {} : { customerId }),
    });
    if (result instanceof Response) return result;
    const fields = url.searchParams.get('fields');
    return json(fields ? project(result, parseFields(fields)) : result);
  };

  const handler: Handler = async (request) => {
    const path = new URL(request.url).pathname;
    let response: Response;
    try {
      response = await handle(request);
    } catch (error) {
      if (error instanceof MagentoFault) {
        response = json(error.body, error.status);
      } else {
        response = json(
          {
            message:
              'Internal Error. Details are available in Magento log file. Report ID: webapi-emulator',
          },
          500,
        );
      }
    }
    requests.push({ method: request.method, path, status: response.status });
    return response;
  };

  if (options.snapshot !== undefined) {
    const restored = state.restore(options.snapshot, resumeOperation);
    tokens.clear();
    restored.tokens.forEach((entry, index) => {
      const [digest, record] = entry;
      if (typeof digest !== 'string' || typeof record?.expiresAt !== 'number') {
        throw new EmulatorSnapshotError(
          `tokens[${index}]`,
          'must be [digest, { kind, subject, expiresAt }]',
        );
      }
      tokens.set(digest, {
        kind: record.kind,
        subject: record.subject,
        expiresAt: record.expiresAt,
      });
    });
    if ([...state.bulks.values()].some((b) => b.operations.some((o) => o.status === 4))) {
      schedule();
    }
  }

  const fetch: Handler = options.faults ? withFaults(handler, options.faults) : handler;

  return {
    fetch,
    listen: (port?: number) => listen(fetch, port === undefined ? {} : { port }),
    state,
    issueAdminToken,
    requests,
    snapshot: () => ({ ...state.snapshot(), tokens: [...tokens].map(([k, v]) => [k, { ...v }]) }),
    drainBulk: async () => {
      state.drainBulkOperations();
      if (timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      const done = waiters;
      waiters = [];
      for (const resolve of done) resolve();
    },
  };
}

export { BULK_STATUS };
