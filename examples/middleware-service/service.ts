/**
 * The middleware service: receives Adobe Commerce webhooks and Adobe I/O Events, verifies their
 * signatures, enqueues the work durably and acknowledges at once; workers sync orders to NetSuite
 * and customers to NetSuite and Salesforce. `/health` and `/ready` for the orchestrator; `shutdown`
 * stops intake, lets running jobs finish within a grace period and leaves the rest in the queue.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  type CommerceClient,
  type PublicKeyInput,
  readCommerceWebhook,
  readIoEvent,
  WebhookSignatureError,
  webhookOperations,
  webhookResponse,
} from '@plumbline/commerce-client';
import { type SalesforceClient, upsert } from '@plumbline/crm-salesforce';
import { type NetSuiteClient, upsertByExternalId } from '@plumbline/erp-netsuite';
import {
  type BrokerQueueStore,
  createIdempotency,
  createQueue,
  type IdempotencyStore,
  PermanentJobError,
  type QueueStore,
} from '@plumbline/sync-core';
import { COMMERCE_EXTERNAL_ID, SF_EXTERNAL_ID } from '../shared/records.js';
import { type CommerceOrderInput, writeSalesOrder } from '../shared/sales-order.js';

export type Job =
  | { kind: 'order'; order: CommerceOrderInput & { customer_email?: string } }
  | {
      kind: 'customer';
      customer: {
        externalId: string;
        email: string;
        firstname: string;
        lastname: string;
        company?: string;
        phone?: string;
      };
    };

export interface MiddlewareOptions {
  commerce: CommerceClient;
  netsuite: NetSuiteClient;
  salesforce: SalesforceClient;
  queueStore: QueueStore | BrokerQueueStore;
  idempotencyStore: IdempotencyStore;
  /** The public key of the Commerce webhook signing key pair (Admin > Adobe Services > Webhooks). */
  commerceWebhookKey: PublicKeyInput;
  /** Adobe I/O Events public keys (from the `x-adobe-public-key1-path` / `-2-path` URLs). */
  ioEventKeys: readonly [PublicKeyInput, PublicKeyInput?];
  /** Your I/O project's client id: events for another recipient are refused. */
  ioClientId?: string;
  /** Jobs a worker runs at once (default 4). */
  concurrency?: number;
  /** A job not finished within this long returns to the queue (default 15 s). */
  leaseMs?: number;
  log?: (line: string) => void;
  /**
   * Served at `GET /metrics` (Prometheus text format) when given: an exporter made with
   * `preventServerStart: true` and registered as a reader of your MeterProvider.
   */
  metrics?: PrometheusExporter;
}

export interface ShutdownResult {
  /** Running jobs all finished within the grace period. */
  finished: boolean;
  /** Jobs left in the queue for the next instance (queued, or running past the grace period). */
  pending: number;
}

export interface MiddlewareService {
  /** The HTTP handling as a fetch-style function (also what `listen` serves). */
  handle(request: Request): Promise<Response>;
  listen(port?: number, host?: string): Promise<string>;
  /** Starts the workers (call once). */
  startWorkers(): void;
  shutdown(options?: { graceMs?: number }): Promise<ShutdownResult>;
  /** `duplicates`: redeliveries absorbed, at enqueue (still queued) or by the idempotency key. */
  readonly stats: {
    accepted: number;
    rejected: number;
    duplicates: number;
    processed: number;
    failed: number;
  };
}

/** A Commerce order in a webhook or event, in the fields the sales order needs. */
function orderFrom(value: Record<string, any> | undefined): Job | undefined {
  if (!value || typeof value.increment_id !== 'string') return undefined;
  return {
    kind: 'order',
    order: {
      increment_id: value.increment_id,
      grand_total: Number(value.grand_total ?? 0),
      customer_email: value.customer_email,
      items: ((value.items ?? []) as Record<string, any>[]).map((i) => ({
        sku: String(i.sku),
        qty_ordered: Number(i.qty_ordered),
        price: Number(i.price),
      })),
    },
  };
}

function customerFrom(value: Record<string, any> | undefined): Job | undefined {
  if (!value || typeof value.email !== 'string') return undefined;
  const attrs = (value.custom_attributes ?? []) as { attribute_code: string; value: unknown }[];
  const attr = (code: string) => attrs.find((a) => a.attribute_code === code)?.value;
  const externalId = String(attr(COMMERCE_EXTERNAL_ID) ?? '');
  if (!externalId) return undefined;
  return {
    kind: 'customer',
    customer: {
      externalId,
      email: value.email,
      firstname: String(value.firstname ?? ''),
      lastname: String(value.lastname ?? ''),
      ...(attr('telephone') ? { phone: String(attr('telephone')) } : {}),
      ...(attr('company') ? { company: String(attr('company')) } : {}),
    },
  };
}

export function createMiddlewareService(options: MiddlewareOptions): MiddlewareService {
  const log = options.log ?? (() => {});
  const queue = createQueue<Job>(options.queueStore, { name: 'middleware-jobs', maxAttempts: 6 });
  const idempotency = createIdempotency(options.idempotencyStore, { lockMs: 30_000 });
  const stats = { accepted: 0, rejected: 0, duplicates: 0, processed: 0, failed: 0 };
  let draining = false;
  const stop = new AbortController();
  let workers: Promise<unknown> | undefined;
  let server: Server | undefined;

  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

  const enqueue = async (job: Job, key: string) => {
    const result = await queue.enqueue(job, { key });
    if (result.created) stats.accepted++;
    else stats.duplicates++;
  };

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'GET' && url.pathname === '/health') return json({ status: 'ok' });
    if (request.method === 'GET' && url.pathname === '/ready') {
      if (draining) return json({ ready: false, reason: 'shutting down' }, 503);
      try {
        const queued = await queue.stats();
        return json({ ready: true, queue: queued });
      } catch (error) {
        return json({ ready: false, reason: `queue store: ${(error as Error).message}` }, 503);
      }
    }
    if (draining) return json({ error: 'shutting down' }, 503, { 'retry-after': '5' });
    try {
      if (request.method === 'POST' && url.pathname === '/webhooks/commerce') {
        const body = await readCommerceWebhook<{ eventName?: string; data?: Record<string, any> }>(
          request,
          { publicKey: options.commerceWebhookKey },
        );
        const job = orderFrom(body.data?.order) ?? customerFrom(body.data?.customer);
        if (!job) {
          stats.rejected++;
          return webhookResponse(webhookOperations.exception('unsupported webhook payload'));
        }
        await enqueue(
          job,
          job.kind === 'order'
            ? `order:${job.order.increment_id}`
            : `customer:${job.customer.externalId}:${body.eventName ?? ''}`,
        );
        // Commerce waits for this answer inside its own request: answer at once.
        return webhookResponse(webhookOperations.success());
      }
      if (url.pathname === '/events/adobe-io') {
        // Registration handshake: echo the challenge.
        const challenge = url.searchParams.get('challenge');
        if (request.method === 'GET' && challenge) return json({ challenge });
        if (request.method !== 'POST') return json({ error: 'method not allowed' }, 405);
        const event = await readIoEvent<{
          id?: string;
          event_id?: string;
          type?: string;
          data?: { value?: Record<string, any> };
        }>(request, {
          publicKeys: options.ioEventKeys,
          ...(options.ioClientId ? { clientId: options.ioClientId } : {}),
        });
        const type = String(event.type ?? '');
        const value = event.data?.value;
        const job = type.includes('sales_order')
          ? orderFrom(value)
          : type.includes('customer')
            ? customerFrom(value)
            : undefined;
        if (!job) {
          stats.rejected++;
          return json({ ignored: type || 'unknown event type' });
        }
        await enqueue(job, `event:${event.id ?? event.event_id ?? ''}`);
        return json({ accepted: true });
      }
      return json({ error: 'not found' }, 404);
    } catch (error) {
      if (error instanceof WebhookSignatureError) {
        stats.rejected++;
        log(`refused a delivery: ${error.message}`);
        return json({ error: 'signature verification failed' }, 401);
      }
      throw error;
    }
  }

  /** The Commerce customer key of an email, for orders (which carry the email). */
  async function customerKeyOf(email: string): Promise<string | undefined> {
    const { data } = await options.commerce.GET('/V1/customers/search', {
      params: {
        query: {
          searchCriteria: { filter_groups: [{ filters: [{ field: 'email', value: email }] }] },
        },
      },
    });
    for (const customer of (data?.items ?? []) as Record<string, any>[]) {
      const attr = (
        (customer.custom_attributes ?? []) as { attribute_code: string; value: unknown }[]
      ).find((a) => a.attribute_code === COMMERCE_EXTERNAL_ID);
      if (attr?.value) return String(attr.value);
    }
    return undefined;
  }

  async function runJob(job: Job): Promise<void> {
    if (job.kind === 'order') {
      const key = job.order.customer_email
        ? await customerKeyOf(job.order.customer_email)
        : undefined;
      if (!key)
        throw new PermanentJobError(`order ${job.order.increment_id}: no customer with its email`);
      const outcome = await writeSalesOrder(options.netsuite, idempotency, job.order, key);
      if (outcome.status === 'rejected') {
        throw new PermanentJobError(`order ${job.order.increment_id}: ${outcome.reason}`);
      }
      // A redelivery after the first job finished: the idempotency key absorbed it.
      if (outcome.status === 'duplicate') stats.duplicates++;
      return;
    }
    const c = job.customer;
    // Both writes are upserts by external id: safe to repeat when a job is retried.
    await upsertByExternalId(options.netsuite, 'customer', c.externalId, {
      // NetSuite requires a company name; a private buyer's name stands in for it.
      companyName: c.company ?? `${c.firstname} ${c.lastname}`.trim(),
      email: c.email,
      firstName: c.firstname,
      lastName: c.lastname,
      ...(c.phone ? { phone: c.phone } : {}),
    });
    await upsert(options.salesforce, 'Contact', SF_EXTERNAL_ID, c.externalId, {
      Email: c.email,
      FirstName: c.firstname,
      LastName: c.lastname,
      ...(c.phone ? { Phone: c.phone } : {}),
    });
  }

  return {
    handle,
    stats,
    startWorkers() {
      if (workers) return;
      workers = queue.work(
        async (job) => {
          await runJob(job.payload);
          stats.processed++;
        },
        {
          concurrency: options.concurrency ?? 4,
          leaseMs: options.leaseMs ?? 15_000,
          pollMs: 25,
          backoff: { baseMs: 100, maxMs: 5000 },
          signal: stop.signal,
          // A 4xx answer (other than 408/429) will not change on retry: dead-letter it at once.
          isPermanent: (error) => {
            const e = error as { permanent?: boolean; status?: number };
            if (e.permanent === true || error instanceof PermanentJobError) return true;
            return (
              typeof e.status === 'number' &&
              e.status >= 400 &&
              e.status < 500 &&
              e.status !== 408 &&
              e.status !== 429
            );
          },
          onError: (error) => {
            stats.failed++;
            log(`job attempt failed: ${(error as Error).message}`);
          },
        },
      );
    },
    listen(port = 0, host = '127.0.0.1') {
      server = createServer((req, res) => {
        if (options.metrics && req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
          options.metrics.getMetricsRequestHandler(req, res);
          return;
        }
        serve(handle, req, res).catch((error) => {
          log(`request failed: ${(error as Error).message}`);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'internal error' }));
        });
      });
      return new Promise((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => {
          const address = server!.address() as AddressInfo;
          resolve(`http://${host}:${address.port}`);
        });
      });
    },
    async shutdown({ graceMs = 10_000 } = {}) {
      draining = true;
      // Stop accepting connections; requests in progress are answered (503 for new work).
      const closed = server
        ? new Promise<void>((resolve) => server!.close(() => resolve()))
        : Promise.resolve();
      server?.closeIdleConnections();
      stop.abort();
      let finished = true;
      if (workers) {
        const timer = new Promise<'timeout'>((resolve) =>
          setTimeout(() => resolve('timeout'), graceMs).unref(),
        );
        finished = (await Promise.race([workers.then(() => 'done' as const), timer])) === 'done';
        if (!finished)
          log(`jobs still running after ${graceMs} ms return to the queue when their lease ends`);
      }
      await closed;
      const left = await queue.stats();
      return { finished, pending: left.ready + left.delayed + (left.running ?? 0) };
    },
  };
}

/** node:http → fetch Request (raw body kept byte for byte, for the signature) → node:http. */
async function serve(
  handle: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    ...(body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD' ? { body } : {}),
  });
  const response = await handle(request);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
