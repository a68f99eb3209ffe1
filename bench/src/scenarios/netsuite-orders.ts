import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upsertByExternalId } from '@plumbline/erp-netsuite';
import {
  type BrokerQueueStore,
  createQueue,
  createRunner,
  memoryDeadLetter,
  memoryQueueStore,
  type QueueStore,
} from '@plumbline/sync-core';
import { postgresQueueStore } from '@plumbline/sync-core/postgres';
import { rabbitmqQueueStore } from '@plumbline/sync-core/rabbitmq';
import { sqliteQueueStore } from '@plumbline/sync-core/sqlite';
import { benchPrefix, dropPostgresPrefix } from '../harness/cleanup.js';
import { describeLimit, lowerBound } from '../harness/limit.js';
import { measureInterleaved, type VariantSpec } from '../harness/measure.js';
import type { BenchContext, Scenario, ScenarioResult } from '../harness/scenario.js';
import { rabbitUrl, reachable, requireServices, services } from '../harness/services.js';
import { ratio } from '../harness/stats.js';
import {
  type NetSuiteAccount,
  NS_CONCURRENCY_LIMIT,
  netSuiteClient,
  startNetSuiteAccount,
} from './netsuite-account.js';

interface CommerceOrder {
  incrementId: string;
  email: string;
  lines: { sku: string; qty: number; price: number }[];
}

interface SalesOrderJob {
  externalId: string;
  body: Record<string, unknown>;
}

function commerceOrder(i: number): CommerceOrder {
  return {
    incrementId: `1000${String(i).padStart(6, '0')}`,
    email: `buyer${i % 50}@example.com`,
    lines: [
      { sku: `SKU-${i % 97}`, qty: (i % 3) + 1, price: 19.99 },
      { sku: `SKU-${(i + 7) % 97}`, qty: 1, price: 5.5 },
    ],
  };
}

/** Commerce order -> NetSuite sales order body, by external id = increment id. */
function salesOrder(order: CommerceOrder, customerId: string): SalesOrderJob {
  return {
    externalId: order.incrementId,
    body: {
      entity: { id: customerId },
      otherRefNum: order.incrementId,
      memo: `Adobe Commerce order #${order.incrementId}`,
      item: {
        items: order.lines.map((l) => ({
          itemId: l.sku,
          quantity: l.qty,
          rate: l.price,
          amount: Math.round(l.qty * l.price * 100) / 100,
        })),
      },
    },
  };
}

/** Sales orders NetSuite holds with one of the given external ids. */
function storedOrders(account: NetSuiteAccount, orders: readonly CommerceOrder[]): number {
  let n = 0;
  for (const o of orders) {
    if (account.emulator.state.getByExternalId('salesOrder', o.incrementId)) n++;
  }
  return n;
}

/** A queue backend scenario 5 runs on: each run gets a queue of its own name, dropped after. */
interface QueueBackend {
  name: string;
  store: QueueStore | BrokerQueueStore;
  /** Removes one run's queue (RabbitMQ queues; the SQL stores are dropped with their prefix). */
  dropQueue?: (name: string) => Promise<void>;
  close(): Promise<void>;
}

/** The queue backends that answer here: memory and SQLite always, PostgreSQL and RabbitMQ when up. */
async function queueBackends(prefix: string, dir: string, missing: string[]) {
  const backends: QueueBackend[] = [
    { name: 'memory', store: memoryQueueStore(), close: async () => {} },
  ];
  const sqlite = sqliteQueueStore(join(dir, 'orders.db'), { prefix });
  backends.push({ name: 'SQLite (file, WAL)', store: sqlite, close: () => sqlite.close() });
  if (await reachable(services.postgres.host, services.postgres.port)) {
    const postgres = postgresQueueStore({ ...services.postgres, max: 8 }, { prefix });
    backends.push({ name: 'PostgreSQL', store: postgres, close: () => postgres.close() });
  } else missing.push(`PostgreSQL at ${services.postgres.host}:${services.postgres.port}`);
  if (await reachable(services.rabbitmq.host, services.rabbitmq.port)) {
    const rabbit = rabbitmqQueueStore(rabbitUrl, { prefix });
    backends.push({
      name: 'RabbitMQ (quorum)',
      store: rabbit,
      dropQueue: (name) => rabbit.deleteQueue(name),
      close: () => rabbit.close(),
    });
  } else missing.push(`RabbitMQ at ${services.rabbitmq.host}:${services.rabbitmq.port}`);
  return backends;
}

export const netsuiteOrders: Scenario = {
  id: 5,
  key: 'netsuite-orders',
  title:
    'Orders to NetSuite under the account concurrency limit of 5: queue + runner vs a sequential loop',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const total = context.quick ? 60 : 2_000;
    // A sequential loop is linear in N (every order waits for the previous one): it is timed on
    // a sample, and compared by orders per second.
    const sequentialTotal = Math.min(total, 100);
    const orders = Array.from({ length: total }, (_, i) => commerceOrder(i));
    const limit = lowerBound({
      records: total,
      batchSize: 1,
      latencyMs: context.latencyMs,
      concurrency: NS_CONCURRENCY_LIMIT,
    });
    // The sequential loop may have one request in flight: its own limit uses C = 1.
    const sequentialLimit = lowerBound({
      records: sequentialTotal,
      batchSize: 1,
      latencyMs: context.latencyMs,
      concurrency: 1,
    });

    // A fresh account per run, with the one customer every order belongs to.
    let account: NetSuiteAccount | undefined;
    let customerId = '';
    let before = 0;
    let rejections = 0;
    let maxInFlight = 0;
    let runs = 0;
    const prepare = async () => {
      await account?.close();
      account = await startNetSuiteAccount({ latencyMs: context.latencyMs });
      [customerId] = account.emulator.state.insert('customer', [
        { companyName: 'Bench buyer', email: 'buyer@example.com', isPerson: false },
      ]) as [string];
      before = account.emulator.state.requests;
      runs++;
    };
    const after = (records: number, sent: readonly CommerceOrder[]) => {
      const state = account!.emulator.state;
      rejections += state.concurrencyRejections;
      maxInFlight = Math.max(maxInFlight, state.maxInFlight);
      return {
        records,
        requests: state.requests - before,
        verify: () => storedOrders(account!, sent),
      };
    };

    /** runner → queue (on `backend`) → 5 workers → upsertByExternalId, for every order. */
    const throughQueue = async (backend: QueueBackend) => {
      const client = netSuiteClient(account!.accountId, account!.server.url);
      const queueName = `bench-orders-${runs}`;
      const queue =
        'broker' in backend.store
          ? backend.store.open<SalesOrderJob>({ name: queueName })
          : createQueue<SalesOrderJob>(backend.store, { name: queueName });
      try {
        // The runner turns Commerce orders into sales-order jobs, 100 a batch, keyed for dedupe.
        const runner = createRunner<CommerceOrder, SalesOrderJob>({
          source: () => orders,
          transform: (order) => salesOrder(order, customerId),
          sink: async (batch) => {
            await queue.enqueueMany(batch.map((job) => ({ payload: job, key: job.externalId })));
          },
          batchSize: 100,
          concurrency: 1,
          deadLetter: memoryDeadLetter(),
        });
        const summary = await runner.run();
        // Workers drain the queue under the account's shared limiter (5 in flight).
        const stop = new AbortController();
        let written = 0;
        let failed = 0;
        const finished = () => {
          if (written + failed >= summary.done) stop.abort();
        };
        await queue.work(
          async (job, { signal }) => {
            await upsertByExternalId(
              client,
              'salesOrder',
              job.payload.externalId,
              job.payload.body,
              { signal },
            );
            written++;
            finished();
          },
          {
            concurrency: NS_CONCURRENCY_LIMIT,
            signal: stop.signal,
            pollMs: 5,
            onError: (_error, job) => {
              if (job && job.attempt >= 5) {
                failed++;
                finished();
              }
            },
          },
        );
        return after(written, orders);
      } finally {
        await backend.dropQueue?.(queueName);
      }
    };

    const prefix = benchPrefix();
    const dir = await mkdtemp(join(tmpdir(), 'plumbline-bench-'));
    const missing: string[] = [];
    const backends = await queueBackends(prefix, dir, missing);
    try {
      const specs: VariantSpec[] = [
        ...backends.map(
          (backend): VariantSpec => ({
            name: `plumbline runner → ${backend.name} queue → ${NS_CONCURRENCY_LIMIT} workers → upsertByExternalId`,
            expected: total,
            limit,
            prepare,
            run: () => throughQueue(backend),
          }),
        ),
        {
          name: 'sequential loop: await upsertByExternalId(…) one order at a time',
          expected: sequentialTotal,
          limit: sequentialLimit,
          prepare,
          ...(sequentialTotal < total
            ? { note: `measured on ${sequentialTotal} of ${total.toLocaleString('en-US')} orders` }
            : {}),
          run: async () => {
            const client = netSuiteClient(account!.accountId, account!.server.url);
            let written = 0;
            for (const order of orders.slice(0, sequentialTotal)) {
              const job = salesOrder(order, customerId);
              await upsertByExternalId(client, 'salesOrder', job.externalId, job.body);
              written++;
            }
            return after(written, orders.slice(0, sequentialTotal));
          },
        },
      ];
      const variants = await measureInterleaved(specs, { runs: context.runs, log: context.log });
      await account?.close();
      const sequential = variants[variants.length - 1]!;
      const queued = variants.slice(0, -1);
      const ours = queued[0]!;
      const slowestDurable = queued
        .slice(1)
        .reduce<(typeof queued)[number] | undefined>(
          (slowest, v) => (slowest === undefined || v.perSecond < slowest.perSecond ? v : slowest),
          undefined,
        );
      if (missing.length > 0) {
        const message = `Not measured (service not reachable): ${missing.join(', ')}.`;
        if (requireServices)
          throw new Error(`${message} PLUMBLINE_REQUIRE_SERVICES=1 demands them.`);
        console.warn(`bench scenario 5: ${message}`);
      }
      return {
        id: this.id,
        key: this.key,
        title: this.title,
        variants,
        limit,
        ratios: [
          {
            label: 'plumbline queue (memory) + runner orders/s / sequential loop orders/s',
            value: ratio(ours.perSecond, sequential.perSecond),
            headline: true,
          },
          {
            label: `plumbline share of the limit ⌈N/B⌉·L/C with C = ${NS_CONCURRENCY_LIMIT} (memory queue)`,
            value: (ours.limitShare ?? 0) * 100,
            unit: '%',
            headline: true,
          },
          ...queued.slice(1).map((v) => ({
            label: `share of the limit with C = ${NS_CONCURRENCY_LIMIT}, ${v.name.split(' → ')[1]}`,
            value: (v.limitShare ?? 0) * 100,
            unit: '%',
            ...(v === slowestDurable ? { headline: true } : {}),
          })),
        ],
        notes: [
          `${total.toLocaleString('en-US')} sales orders upserted by external id (PUT salesOrder/eid:…) into a fresh emulator account per run (loopback HTTP, TBA-signed, ${context.latencyMs} ms held per request, account concurrency limit ${NS_CONCURRENCY_LIMIT}: a 6th concurrent request gets 429).`,
          `Limits: the queue variants, ${describeLimit(limit)} (B = 1, C = ${NS_CONCURRENCY_LIMIT}, the account's cap); the sequential loop, which has one request in flight, ${describeLimit(sequentialLimit)} for its ${sequentialTotal} orders (C = 1).`,
          `The same runner and workers run on each queue backend: in memory, SQLite (a WAL file), PostgreSQL (pool of 8, tables under a run prefix) and RabbitMQ (a quorum queue, publisher confirms, manual acks); every run uses a queue of its own, and the bench drops its tables and queues afterwards.${missing.length > 0 ? ` Not measured (service not reachable): ${missing.join(', ')}.` : ''}`,
          `Most requests in flight seen by the account: ${maxInFlight}; 429 CONCURRENCY_LIMIT_EXCEEDED answers: ${rejections}. A run counts the orders the account then holds.`,
          sequentialTotal < total
            ? `The sequential loop is timed on ${sequentialTotal} orders to keep \`pnpm bench\` under five minutes; its time is linear in N (each order waits for the previous one), so the comparison uses orders per second.`
            : 'Both variants write every order.',
        ],
      };
    } finally {
      for (const backend of backends) await backend.close();
      await rm(dir, { recursive: true, force: true });
      if (await reachable(services.postgres.host, services.postgres.port)) {
        await dropPostgresPrefix(prefix);
      }
    }
  },
};
