/**
 * middleware-service, end to end: starts the service in front of the systems, delivers signed
 * Adobe Commerce webhooks (orders) and Adobe I/O Events (customers) — plus a duplicate and a
 * forgery — waits for the workers, checks NetSuite and Salesforce, then shuts down gracefully in
 * the middle of a burst and lets a second instance finish what the first left in the queue.
 *
 *   tsx middleware-service/index.ts            # the scenario against the emulators (SQLite state)
 *   tsx middleware-service/index.ts --serve    # just serve (keys and endpoints from the environment)
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { queryAll } from '@plumbline/crm-salesforce';
import { suiteql, suiteqlRows } from '@plumbline/erp-netsuite';
import type { BrokerQueueStore, QueueStore } from '@plumbline/sync-core';
import { rabbitmqQueueStore } from '@plumbline/sync-core/rabbitmq';
import { isMain, runMain } from '../shared/cli.js';
import { type ExampleOptions, withContext } from '../shared/context.js';
import { Progress } from '../shared/progress.js';
import { COMMERCE_EXTERNAL_ID, SF_EXTERNAL_ID } from '../shared/records.js';
import { addMoved, emptyReport, type PatternReport, summaryTable } from '../shared/report.js';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores, parseStoreKind } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { createMiddlewareService, type MiddlewareOptions, type ShutdownResult } from './service.js';

export interface MiddlewareRunOptions extends ExampleOptions {
  /** Orders delivered as Commerce webhooks (default 20). */
  orders?: number;
  /** New customers delivered as Adobe I/O Events (default 6). */
  customers?: number;
  /** Orders delivered in the burst right before the shutdown (default 10). */
  burst?: number;
  /** A queue backend instead of the stores' (e.g. RabbitMQ). */
  queueStore?: QueueStore | BrokerQueueStore;
  /** Served at `GET /metrics`; the run scrapes it once the queue has drained. */
  metrics?: MiddlewareOptions['metrics'];
}

export interface MiddlewareReport extends PatternReport {
  details: {
    delivered: number;
    accepted: number;
    duplicates: number;
    forgeriesRefused: number;
    ackMsMax: number;
    firstShutdown: ShutdownResult;
    /** The `GET /metrics` text after the first deliveries drained (with `metrics` only). */
    metricsScrape?: string;
    salesOrders: number;
    duplicateSalesOrders: number;
    customersInNetSuite: number;
    customersInSalesforce: number;
  };
}

function sign(body: string, key: KeyObject): string {
  return createSign('SHA256').update(body).sign(key, 'base64');
}

const IO_CLIENT_ID = 'plumbline-example-client';

export async function run(options: MiddlewareRunOptions = {}): Promise<MiddlewareReport> {
  return withContext('middleware-service', options, {}, async (ctx) => {
    const started = Date.now();
    const report = emptyReport('middleware-service') as MiddlewareReport;
    const { commerce, netsuite, salesforce } = ctx.systems;
    // The key pairs: Commerce's webhook signing key (made in the Admin) and Adobe's I/O keys.
    const webhookKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ioKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const makeService = () =>
      createMiddlewareService({
        commerce,
        netsuite,
        salesforce,
        queueStore: options.queueStore ?? ctx.stores.queue,
        idempotencyStore: ctx.stores.idempotency,
        commerceWebhookKey: webhookKeys.publicKey,
        ioEventKeys: [ioKeys.publicKey],
        ioClientId: IO_CLIENT_ID,
        concurrency: 4,
        leaseMs: 3000,
        ...(options.metrics ? { metrics: options.metrics } : {}),
      });
    const service = makeService();
    const url = await service.listen(0);
    service.startWorkers();
    const task = ctx.progress.task('middleware: deliveries');

    let ackMsMax = 0;
    const post = async (path: string, body: string, headers: Record<string, string>) => {
      const t0 = Date.now();
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      ackMsMax = Math.max(ackMsMax, Date.now() - t0);
      await response.arrayBuffer();
      task.tick();
      return response.status;
    };
    const orderWebhook = async (entityId: number) => {
      const { data } = await commerce.GET('/V1/orders/{id}', {
        params: { path: { id: entityId } },
      });
      const body = JSON.stringify({
        eventName: 'observer.sales_order_place_after',
        data: { order: data },
      });
      return {
        body,
        headers: { 'x-adobe-commerce-webhook-signature': sign(body, webhookKeys.privateKey) },
      };
    };

    // 1. Orders as signed Commerce webhooks, one delivered twice, and one forgery.
    const orderCount = options.orders ?? 20;
    let delivered = 0;
    const first = await orderWebhook(1);
    for (let id = 1; id <= orderCount; id++) {
      const hook = id === 1 ? first : await orderWebhook(id);
      if ((await post('/webhooks/commerce', hook.body, hook.headers)) !== 200)
        throw new Error('webhook not acknowledged');
      delivered++;
    }
    await post('/webhooks/commerce', first.body, first.headers);
    delivered++;
    const forged = first.body.replace(/"grand_total":[0-9.]+/, '"grand_total":0.01');
    const forgedStatus = await post('/webhooks/commerce', forged, first.headers);

    // 2. New customers as Adobe I/O Events (CloudEvents), after the subscription handshake.
    const challenge = await fetch(`${url}/events/adobe-io?challenge=ping-123`).then((r) =>
      r.json(),
    );
    if ((challenge as { challenge?: string }).challenge !== 'ping-123')
      throw new Error('I/O challenge not answered');
    const customerCount = options.customers ?? 6;
    const runId = started.toString(36).toUpperCase();
    const customerKeys: string[] = [];
    for (let i = 0; i < customerCount; i++) {
      const externalId = `CUST-IO-${runId}-${i}`;
      customerKeys.push(externalId);
      const value = {
        email: `io.${runId.toLowerCase()}.${i}@events.example`,
        firstname: 'Casey',
        lastname: `Event${i}`,
        custom_attributes: [
          { attribute_code: COMMERCE_EXTERNAL_ID, value: externalId },
          { attribute_code: 'telephone', value: `+1-555-010-${1000 + i}` },
        ],
      };
      const event = JSON.stringify({
        specversion: '1.0',
        id: `evt-${runId}-${i}`,
        source: 'urn:uuid:commerce-instance',
        type: 'com.adobe.commerce.observer.customer_save_commit_after',
        datacontenttype: 'application/json',
        recipient_client_id: IO_CLIENT_ID,
        data: { value },
      });
      const status = await post('/events/adobe-io', event, {
        'x-adobe-digital-signature-1': sign(event, ioKeys.privateKey),
        'x-adobe-public-key1-path': '/prod/keys/pub-key-example.pem',
      });
      if (status !== 200) throw new Error(`I/O event answered ${status}`);
      delivered++;
    }

    // 3. Wait for the workers.
    const waitDrained = async (timeoutMs: number) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const ready = await fetch(`${url}/ready`).then(
          (r) =>
            r.json() as Promise<{ queue?: { ready: number; delayed: number; running?: number } }>,
        );
        const q = ready.queue;
        if (q && q.ready + q.delayed + (q.running ?? 0) === 0) return;
        if (Date.now() > until) throw new Error('the queue did not drain in time');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await waitDrained(30_000);
    const metricsScrape = options.metrics
      ? await fetch(`${url}/metrics`).then((r) => r.text())
      : undefined;
    task.done(`${delivered} delivered, ack max ${ackMsMax} ms`);

    // 4. A burst arrives, and the service is told to stop in the middle of it: intake stops, the
    //    running jobs get a short grace period, and what is left stays in the queue...
    const burst = options.burst ?? 10;
    const stopping = ctx.progress.task('middleware: shutdown during a burst');
    for (let id = orderCount + 1; id <= orderCount + burst; id++) {
      const hook = await orderWebhook(id);
      await post('/webhooks/commerce', hook.body, hook.headers);
      delivered++;
    }
    const firstShutdown = await service.shutdown({ graceMs: 2000 });
    // ...for the next instance, which finishes it.
    const next = makeService();
    const nextUrl = await next.listen(0);
    next.startWorkers();
    for (;;) {
      const ready = (await fetch(`${nextUrl}/ready`).then((r) => r.json())) as {
        queue?: { ready: number; delayed: number; running?: number };
      };
      const q = ready.queue;
      if (q && q.ready + q.delayed + (q.running ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await next.shutdown({ graceMs: 2000 });
    stopping.done(`${firstShutdown.pending} left for the next instance`);

    // 5. Read NetSuite and Salesforce back.
    const verify = ctx.progress.task('middleware: verify');
    const soKeys: string[] = [];
    for await (const row of suiteqlRows<{ externalid: string }>(
      netsuite,
      suiteql`SELECT externalid FROM transaction WHERE type = 'SalesOrd' ORDER BY id`,
    )) {
      soKeys.push(row.externalid);
    }
    const expectedOrders = new Set<string>();
    for (let id = 1; id <= orderCount + burst; id++) {
      const { data } = await commerce.GET('/V1/orders/{id}', { params: { path: { id } } });
      expectedOrders.add(String(data?.increment_id));
    }
    const nsCustomers = new Set<string>();
    for await (const row of suiteqlRows<{ externalid: string }>(
      netsuite,
      suiteql`SELECT externalid FROM customer WHERE externalid LIKE ${`CUST-IO-${runId}-%`}`,
    )) {
      nsCustomers.add(row.externalid);
    }
    const sfContacts = await queryAll<Record<string, unknown>>(
      salesforce,
      `SELECT Id, ${SF_EXTERNAL_ID} FROM Contact WHERE ${SF_EXTERNAL_ID} LIKE 'CUST-IO-${runId}-%'`,
    );
    const salesOrders = soKeys.filter((k) => expectedOrders.has(k)).length;
    const duplicateSalesOrders = soKeys.length - new Set(soKeys).size;
    verify.done(
      `${salesOrders} sales orders, ${nsCustomers.size} + ${sfContacts.length} customers`,
    );

    const stats = service.stats;
    addMoved(report, 'netsuite', salesOrders + nsCustomers.size);
    addMoved(report, 'salesforce', sfContacts.length);
    report.details = {
      delivered,
      accepted: stats.accepted + next.stats.accepted,
      duplicates: stats.duplicates,
      forgeriesRefused: forgedStatus === 401 ? 1 : 0,
      ackMsMax,
      firstShutdown,
      ...(metricsScrape === undefined ? {} : { metricsScrape }),
      salesOrders,
      duplicateSalesOrders,
      customersInNetSuite: nsCustomers.size,
      customersInSalesforce: sfContacts.length,
    };
    report.notes.push(
      `${delivered} deliveries acknowledged (slowest ${ackMsMax} ms), 1 duplicate absorbed, 1 forgery refused; shutdown left ${firstShutdown.pending} jobs for the next instance; ${salesOrders} sales orders, ${nsCustomers.size} NetSuite customers, ${sfContacts.length} Salesforce contacts`,
    );
    report.converged =
      forgedStatus === 401 &&
      salesOrders === expectedOrders.size &&
      duplicateSalesOrders === 0 &&
      nsCustomers.size === customerCount &&
      sfContacts.length === customerCount;
    report.durationMs = Date.now() - started;
    return report;
  });
}

/** `--serve`: run the service until SIGTERM/SIGINT, configured from the environment. */
async function serve(): Promise<number> {
  const env = process.env;
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`--serve needs ${name} (a path to a PEM file)`);
    return readFileSync(value, 'utf8');
  };
  const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
  const stores = await openStores({
    kind: parseStoreKind(env.PLUMBLINE_STORE),
    name: 'middleware',
    // Emulators start empty, so the state must too; with real endpoints it is kept.
    fresh: systems.mode === 'emulators',
  });
  const queueStore =
    env.PLUMBLINE_QUEUE === 'rabbitmq'
      ? rabbitmqQueueStore(env.PLUMBLINE_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672')
      : stores.queue;
  // `GET /metrics` on the service's port: the clients' and sync-core's metrics for Prometheus.
  const exporter = new PrometheusExporter({ preventServerStart: true });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
  const service = createMiddlewareService({
    metrics: exporter,
    commerce: systems.commerce,
    netsuite: systems.netsuite,
    salesforce: systems.salesforce,
    queueStore,
    idempotencyStore: stores.idempotency,
    commerceWebhookKey: need('PLUMBLINE_COMMERCE_WEBHOOK_PUBLIC_KEY'),
    ioEventKeys: [
      need('PLUMBLINE_IO_PUBLIC_KEY_1'),
      ...(env.PLUMBLINE_IO_PUBLIC_KEY_2
        ? [readFileSync(env.PLUMBLINE_IO_PUBLIC_KEY_2, 'utf8')]
        : []),
    ] as [string, string?],
    ...(env.PLUMBLINE_IO_CLIENT_ID ? { ioClientId: env.PLUMBLINE_IO_CLIENT_ID } : {}),
    log: (line) => console.log(line),
  });
  const url = await service.listen(Number(env.PORT ?? 8080), env.HOST ?? '127.0.0.1');
  service.startWorkers();
  console.log(
    `middleware-service on ${url} (state: ${stores.location}${env.PLUMBLINE_QUEUE === 'rabbitmq' ? ', queue: RabbitMQ' : ''})`,
  );
  for (const line of systems.describe()) console.log(`  ${line}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  console.log('shutting down: no new work, running jobs get 10 s');
  const result = await service.shutdown({ graceMs: 10_000 });
  console.log(
    `stopped (${result.finished ? 'all running jobs finished' : 'unfinished jobs return to the queue'}; ${result.pending} queued)`,
  );
  if ('close' in queueStore && queueStore !== stores.queue)
    await (queueStore as { close(): Promise<void> }).close();
  await stores.close();
  await systems.close();
  return 0;
}

async function main(): Promise<number> {
  if (process.argv.includes('--serve')) return serve();
  const progress = new Progress({ stream: process.stdout });
  const report = await run({
    store: parseStoreKind(process.env.PLUMBLINE_STORE),
    progress,
    ...(process.argv.includes('--faults') ? { faults: true } : {}),
  });
  progress.stop();
  console.log(`\n${summaryTable([report])}\n`);
  for (const note of report.notes) console.log(`- ${note}`);
  return report.converged ? 0 : 1;
}

if (isMain(import.meta.url)) runMain(main);
