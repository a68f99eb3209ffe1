// One worker process of the scale-out scenario (8): node --import tsx scale-out.worker.ts, with
// its settings as JSON in PLUMBLINE_BENCH_WORKER. It drains the shared queue into the NetSuite
// emulator through a client whose account limit lives in Redis, so every process shares it.
import { createNetSuiteClient, upsertByExternalId } from '@plumbline/erp-netsuite';
import { type BrokerQueueStore, createQueue, type QueueStore } from '@plumbline/sync-core';
import { postgresQueueStore } from '@plumbline/sync-core/postgres';
import { rabbitmqQueueStore } from '@plumbline/sync-core/rabbitmq';
import { redisLimiterBackend } from '@plumbline/sync-core/redis';
import type { SalesOrderJob, ScaleOutWorkerConfig } from './scale-out.js';

const config = JSON.parse(process.env.PLUMBLINE_BENCH_WORKER ?? '{}') as ScaleOutWorkerConfig;
const send = (message: Record<string, unknown>) => process.send?.(message);

const store: (QueueStore | BrokerQueueStore) & { close(): Promise<void> } =
  config.backend === 'postgres'
    ? postgresQueueStore(
        { ...config.postgres, max: config.concurrency + 1 },
        { prefix: config.prefix },
      )
    : rabbitmqQueueStore(config.rabbitUrl, { prefix: config.prefix });
const queue =
  'broker' in store
    ? store.open<SalesOrderJob>({ name: config.queue })
    : createQueue<SalesOrderJob>(store, { name: config.queue });
const limiterBackend = redisLimiterBackend(config.redis, {
  prefix: config.prefix,
  maxPollMs: config.maxPollMs,
});
const client = createNetSuiteClient({
  accountId: config.accountId,
  auth: { type: 'tba', ...config.tba },
  baseUrl: config.baseUrl,
  concurrency: config.accountLimit,
  limiterBackend,
});

// Connect everything before the start signal, so the timed span holds only the draining.
await queue.stats();
const stop = new AbortController();
const go = new Promise<void>((resolve) => {
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'go') resolve();
    if (message?.type === 'stop') stop.abort();
  });
});
send({ type: 'armed' });
await go;
let failures = 0;
const summary = await queue.work(
  async (job, { signal }) => {
    await upsertByExternalId(client, 'salesOrder', job.payload.externalId, job.payload.body, {
      signal,
    });
  },
  {
    concurrency: config.concurrency,
    signal: stop.signal,
    pollMs: 5,
    onError: () => {
      failures++;
    },
  },
);
send({ type: 'done', completed: summary.completed, failures });
await limiterBackend.close();
await store.close();
process.disconnect?.();
