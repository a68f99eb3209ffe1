import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BrokerQueueStore, createQueue, type QueueStore } from '@plumbline/sync-core';
import { postgresQueueStore } from '@plumbline/sync-core/postgres';
import { rabbitmqQueueStore } from '@plumbline/sync-core/rabbitmq';
import {
  benchPrefix,
  deleteRedisPrefix,
  dropPostgresPrefix,
  leftovers,
} from '../harness/cleanup.js';
import { describeLimit, lowerBound } from '../harness/limit.js';
import { measureInterleaved, type VariantSpec } from '../harness/measure.js';
import type { BenchContext, RatioResult, Scenario, ScenarioResult } from '../harness/scenario.js';
import { rabbitUrl, reachable, requireServices, services } from '../harness/services.js';
import { ratio } from '../harness/stats.js';
import {
  type NetSuiteAccount,
  NS_CONCURRENCY_LIMIT,
  NS_TBA,
  startNetSuiteAccount,
} from './netsuite-account.js';

/** Jobs each worker process runs at once: one or two processes stay under the cap, four would exceed it. */
const PER_WORKER = 2;
const WORKER_COUNTS = [1, 2, 4] as const;
/** How long a waiting process sleeps at most before it asks Redis for a slot again. */
const MAX_POLL_MS = 5;

export interface SalesOrderJob {
  externalId: string;
  body: Record<string, unknown>;
}

export interface ScaleOutWorkerConfig {
  backend: 'postgres' | 'rabbitmq';
  prefix: string;
  queue: string;
  concurrency: number;
  accountId: string;
  accountLimit: number;
  baseUrl: string;
  tba: typeof NS_TBA;
  redis: { host: string; port: number };
  postgres: typeof services.postgres;
  rabbitUrl: string;
  maxPollMs: number;
}

const workerFile = fileURLToPath(new URL('./scale-out.worker.ts', import.meta.url));
const benchDir = fileURLToPath(new URL('../../', import.meta.url));

function job(i: number, customerId: string): SalesOrderJob {
  const externalId = `SO-${String(i).padStart(6, '0')}`;
  return {
    externalId,
    body: {
      entity: { id: customerId },
      otherRefNum: externalId,
      memo: `Scale-out order ${externalId}`,
      item: { items: [{ itemId: `SKU-${i % 97}`, quantity: 1, rate: 9.5, amount: 9.5 }] },
    },
  };
}

/** Waits for one IPC message of `type` from a worker (or its exit). */
function message(child: ChildProcess, type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (m?.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => {
      child.off('message', onMessage);
      reject(new Error(`scale-out worker exited with code ${code} before '${type}'`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Starts `count` worker processes and waits until each is connected and armed. */
async function startWorkers(count: number, config: ScaleOutWorkerConfig): Promise<ChildProcess[]> {
  const children = Array.from({ length: count }, () =>
    fork(workerFile, [], {
      cwd: benchDir,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, PLUMBLINE_BENCH_WORKER: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    await Promise.all(children.map((child) => message(child, 'armed')));
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    throw error;
  }
  return children;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Backend {
  kind: 'postgres' | 'rabbitmq';
  name: string;
  store: (QueueStore | BrokerQueueStore) & { close(): Promise<void> };
  dropQueue?: (name: string) => Promise<void>;
}

export const scaleOut: Scenario = {
  id: 8,
  key: 'scale-out',
  title:
    'Scale-out: 1, 2 and 4 worker processes drain one durable queue into NetSuite through a shared Redis limit',
  async run(context: BenchContext): Promise<ScenarioResult> {
    const total = context.quick ? 40 : 600;
    const limit = lowerBound({
      records: total,
      batchSize: 1,
      latencyMs: context.latencyMs,
      concurrency: NS_CONCURRENCY_LIMIT,
    });
    const missing: string[] = [];
    const redisUp = await reachable(services.redis.host, services.redis.port);
    if (!redisUp) missing.push(`Redis at ${services.redis.host}:${services.redis.port}`);
    const postgresUp = await reachable(services.postgres.host, services.postgres.port);
    if (!postgresUp)
      missing.push(`PostgreSQL at ${services.postgres.host}:${services.postgres.port}`);
    const rabbitUp = await reachable(services.rabbitmq.host, services.rabbitmq.port);
    if (!rabbitUp) missing.push(`RabbitMQ at ${services.rabbitmq.host}:${services.rabbitmq.port}`);
    if (missing.length > 0 && requireServices) {
      throw new Error(
        `Not measured (service not reachable): ${missing.join(', ')}. PLUMBLINE_REQUIRE_SERVICES=1 demands them.`,
      );
    }

    const prefix = benchPrefix();
    const backends: Backend[] = [];
    if (redisUp && postgresUp) {
      backends.push({
        kind: 'postgres',
        name: 'PostgreSQL queue',
        store: postgresQueueStore({ ...services.postgres, max: 4 }, { prefix }),
      });
    }
    if (redisUp && rabbitUp) {
      const rabbit = rabbitmqQueueStore(rabbitUrl, { prefix });
      backends.push({
        kind: 'rabbitmq',
        name: 'RabbitMQ quorum queue',
        store: rabbit,
        dropQueue: (name) => rabbit.deleteQueue(name),
      });
    }

    let account: NetSuiteAccount | undefined;
    let runs = 0;
    let rejections = 0;
    let maxInFlight = 0;
    let failures = 0;
    const variants = [];
    const perBackend: {
      backend: Backend;
      results: Awaited<ReturnType<typeof measureInterleaved>>;
    }[] = [];
    try {
      for (const backend of backends) {
        let queueName = '';
        let before = 0;
        const prepare = async () => {
          await account?.close();
          runs++;
          account = await startNetSuiteAccount({ latencyMs: context.latencyMs });
          const [customerId] = account.emulator.state.insert('customer', [
            { companyName: 'Scale-out buyer', email: 'buyer@example.com', isPerson: false },
          ]) as [string];
          queueName = `scale-${runs}`;
          const queue =
            'broker' in backend.store
              ? backend.store.open<SalesOrderJob>({ name: queueName })
              : createQueue<SalesOrderJob>(backend.store, { name: queueName });
          const jobs = Array.from({ length: total }, (_, i) => job(i, customerId));
          for (let i = 0; i < jobs.length; i += 200) {
            await queue.enqueueMany(jobs.slice(i, i + 200).map((payload) => ({ payload })));
          }
          before = account.emulator.state.requests;
        };
        const stored = () => {
          let n = 0;
          for (let i = 0; i < total; i++) {
            if (account!.emulator.state.getByExternalId('salesOrder', job(i, '').externalId)) n++;
          }
          return n;
        };
        const specs = WORKER_COUNTS.map(
          (count): VariantSpec => ({
            name: `${count} worker process${count > 1 ? 'es' : ''} × ${PER_WORKER} jobs at once, ${backend.name}`,
            expected: total,
            limit,
            prepare,
            run: async () => {
              const children = await startWorkers(count, {
                backend: backend.kind,
                prefix,
                queue: queueName,
                concurrency: PER_WORKER,
                accountId: account!.accountId,
                accountLimit: NS_CONCURRENCY_LIMIT,
                baseUrl: account!.server.url,
                tba: NS_TBA,
                redis: services.redis,
                postgres: services.postgres,
                rabbitUrl,
                maxPollMs: MAX_POLL_MS,
              });
              const done = children.map((child) => message(child, 'done'));
              const exited = children.map(
                (child) => new Promise((resolve) => child.once('exit', resolve)),
              );
              // Timed from the start signal until the account holds every order.
              const started = performance.now();
              for (const child of children) child.send({ type: 'go' });
              const deadline = started + 600_000;
              while (stored() < total && performance.now() < deadline) await sleep(5);
              const ms = performance.now() - started;
              for (const child of children) child.send({ type: 'stop' });
              for (const report of await Promise.all(done)) failures += Number(report.failures);
              await Promise.all(exited);
              await backend.dropQueue?.(queueName);
              const state = account!.emulator.state;
              rejections += state.concurrencyRejections;
              maxInFlight = Math.max(maxInFlight, state.maxInFlight);
              return { records: total, requests: state.requests - before, ms, verify: stored };
            },
          }),
        );
        const results = await measureInterleaved(specs, { runs: context.runs, log: context.log });
        perBackend.push({ backend, results });
        variants.push(...results);
      }
    } finally {
      await account?.close();
      for (const backend of backends) await backend.store.close();
      if (postgresUp) await dropPostgresPrefix(prefix);
      if (redisUp) await deleteRedisPrefix(prefix);
    }
    const left = await leftovers(prefix, { postgres: postgresUp, redis: redisUp });

    const ratios: RatioResult[] = perBackend.flatMap(({ backend, results }): RatioResult[] => {
      const [one, two, four] = results;
      return [
        {
          label: `${backend.name}: 2 workers orders/s / 1 worker orders/s`,
          value: ratio(two!.perSecond, one!.perSecond),
          headline: true,
        },
        {
          label: `${backend.name}: 4 workers' share of the limit with C = ${NS_CONCURRENCY_LIMIT}`,
          value: (four!.limitShare ?? 0) * 100,
          unit: '%',
          headline: true,
        },
      ];
    });
    ratios.push(
      { label: '429 CONCURRENCY_LIMIT_EXCEEDED answers, all runs', value: rejections, unit: '' },
      { label: 'tables and keys left behind under the run prefix', value: left, unit: '' },
    );
    if (missing.length > 0) console.warn(`bench scenario 8: not measured: ${missing.join(', ')}`);
    return {
      id: this.id,
      key: this.key,
      title: this.title,
      variants,
      limit,
      ratios,
      notes: [
        `${total.toLocaleString('en-US')} sales-order jobs enqueued (untimed) on one durable queue, then drained by 1, 2 or 4 worker processes (node, each its own pool / channel) into a fresh NetSuite emulator account per run (loopback HTTP, TBA-signed, ${context.latencyMs} ms held per request, account concurrency limit ${NS_CONCURRENCY_LIMIT}: a 6th concurrent request gets 429).`,
        `Each process works ${PER_WORKER} jobs at once and its NetSuite client takes a slot of the account's limit of ${NS_CONCURRENCY_LIMIT} from Redis (sync-core's redisLimiterBackend, a waiting process asks again within ${MAX_POLL_MS} ms): 1 and 2 processes stay under the cap, 4 processes want ${4 * PER_WORKER} and the shared limit holds them to ${NS_CONCURRENCY_LIMIT}.`,
        `Timed from the start signal (every process connected and armed) until the account holds every order; process start-up is not timed. Limit: ${describeLimit(limit)}; 1 process can reach at most ${PER_WORKER}/${NS_CONCURRENCY_LIMIT} of it, 2 processes ${2 * PER_WORKER}/${NS_CONCURRENCY_LIMIT}.`,
        `Most requests in flight seen by the account: ${maxInFlight}; 429 CONCURRENCY_LIMIT_EXCEEDED answers: ${rejections}; failed job attempts reported by the workers: ${failures}.`,
        `The scenario drops its queues, tables (prefix ${prefix.replace(/[0-9a-f]{8}_$/, '…')}) and Redis keys afterwards; left behind: ${left}.${missing.length > 0 ? ` Not measured (service not reachable): ${missing.join(', ')}.` : ''}`,
      ],
    };
  },
};
