import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createCheckpointStore,
  createConflictResolver,
  createDeadLetterList,
  createEchoGuard,
  createQueue,
  createReservations,
  createResolver,
  createRunner,
  memoryKeyValueStore,
  memoryQueueStore,
  memoryReservationStore,
  preferSystem,
  reconcile,
} from '../index.js';

// The application's side: an SDK registered globally before sync-core records anything.
const reader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: 3_600_000,
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
afterAll(() => metrics.disable());

type Point = { attributes: Record<string, unknown>; value: unknown };

async function collect(): Promise<Map<string, Point[]>> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const byName = new Map<string, Point[]>();
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics)
      byName.set(metric.descriptor.name, metric.dataPoints as Point[]);
  return byName;
}

function value(points: Point[] | undefined, attributes: Record<string, unknown>): unknown {
  return points?.find((p) => JSON.stringify(p.attributes) === JSON.stringify(attributes))?.value;
}

describe('sync-core metrics on the global OpenTelemetry meter', () => {
  it('queue: jobs by outcome, depth by state (the dead-letter backlog) and the oldest ready age', async () => {
    const queue = createQueue<{ n: number }>(memoryQueueStore(), { name: 'otel-orders' });
    await queue.enqueueMany([{ payload: { n: 1 } }, { payload: { n: 2 } }, { payload: { n: 3 } }]);
    const stop = new AbortController();
    let handled = 0;
    await queue.work(
      async (job) => {
        handled += 1;
        if (handled === 3) stop.abort();
        if (job.payload.n === 2) throw new Error('no such customer');
      },
      { signal: stop.signal, isPermanent: () => true, pollMs: 5 },
    );
    await queue.enqueue({ n: 4 });
    const got = await collect();
    const jobs = got.get('plumbline.queue.jobs');
    expect(
      value(jobs, { 'plumbline.queue': 'otel-orders', 'plumbline.job.outcome': 'completed' }),
    ).toBe(2);
    expect(
      value(jobs, { 'plumbline.queue': 'otel-orders', 'plumbline.job.outcome': 'dead_lettered' }),
    ).toBe(1);
    const depth = got.get('plumbline.queue.depth');
    expect(value(depth, { 'plumbline.queue': 'otel-orders', 'plumbline.job.state': 'dead' })).toBe(
      1,
    );
    expect(value(depth, { 'plumbline.queue': 'otel-orders', 'plumbline.job.state': 'ready' })).toBe(
      1,
    );
    expect(
      value(got.get('plumbline.queue.oldest_age'), { 'plumbline.queue': 'otel-orders' }),
    ).toEqual(expect.any(Number));
  });

  it('runner: records by outcome, runs, dead letters by stage and the cursor lag', async () => {
    const store = memoryKeyValueStore();
    const watermark = Date.UTC(2026, 0, 1);
    const rows = [1, 2, 3].map((id) => ({ id, updatedAt: watermark - 3 + id }));
    const runner = createRunner<{ id: number; updatedAt: number }>({
      source: () => rows,
      sink: (batch) => ({
        failed: batch.flatMap((r, index) => (r.id === 2 ? [{ index, reason: 'refused' }] : [])),
      }),
      batchSize: 10,
      concurrency: 1,
      cursor: { checkpoints: createCheckpointStore({ store }), name: 'otel-items' },
      deadLetter: createDeadLetterList({ store, name: 'otel-items' }),
    });
    const before = Date.now();
    const summary = await runner.run();
    expect(summary).toMatchObject({ done: 2, failed: 1 });
    const got = await collect();
    const records = got.get('plumbline.runner.records');
    expect(
      value(records, { 'plumbline.runner': 'otel-items', 'plumbline.record.outcome': 'written' }),
    ).toBe(2);
    expect(
      value(records, { 'plumbline.runner': 'otel-items', 'plumbline.record.outcome': 'failed' }),
    ).toBe(1);
    expect(
      value(got.get('plumbline.runner.runs'), {
        'plumbline.runner': 'otel-items',
        'plumbline.run.status': 'completed',
      }),
    ).toBe(1);
    expect(
      value(got.get('plumbline.dead_letters'), { 'plumbline.dead_letter.stage': 'sink' }),
    ).toBe(1);
    const lag = value(got.get('plumbline.runner.cursor.lag'), {
      'plumbline.runner': 'otel-items',
    }) as number;
    // The checkpoint's watermark is the newest row's updatedAt: the lag is at least now minus it.
    expect(lag).toBeGreaterThanOrEqual((before - watermark) / 1000);
  });

  it('conflicts by rule, echoes suppressed, holds by outcome, reconciliation found/left and breaker state', async () => {
    const resolver = createConflictResolver({ policy: preferSystem('erp') });
    await resolver.resolve({
      entity: 'otel-customer',
      key: 'C1',
      left: { system: 'erp', record: { name: 'A', city: 'X' } },
      right: { system: 'crm', record: { name: 'B', city: 'Y' } },
    });
    const guard = createEchoGuard({ store: memoryKeyValueStore(), ttlMs: 60_000 });
    await guard.remember('crm', 'otel-contact', 'K1', { email: 'a@example.com' });
    expect(await guard.isEcho('crm', 'otel-contact', 'K1', { email: 'a@example.com' })).toBe(true);
    expect(await guard.isEcho('crm', 'otel-contact', 'K1', { email: 'b@example.com' })).toBe(false);

    const reservations = createReservations(memoryReservationStore());
    await reservations.setStock('OTEL-SKU', 1);
    await reservations.reserve({ sku: 'OTEL-SKU', qty: 1, key: 'h1', ttlMs: 60_000 });
    await reservations.reserve({ sku: 'OTEL-SKU', qty: 1, key: 'h2', ttlMs: 60_000 });
    await reservations.confirm('h1');

    await reconcile([{ id: 1 }, { id: 2 }, { id: 3 }], [{ id: 1 }], {
      key: 'id',
      name: 'otel-orders',
      redrive: async (missing) => {
        if (missing.key === 3) throw new Error('still missing');
      },
    });

    const prices = createResolver<string, number>({
      name: 'otel-prices',
      load: async () => {
        throw new Error('down');
      },
      timeoutMs: 1_000,
      ttlMs: 1_000,
      breaker: { failureThreshold: 1, resetMs: 60_000 },
    });
    await expect(prices.get('SKU')).rejects.toThrow('down');
    expect(prices.breakerState).toBe('open');

    const got = await collect();
    const conflicts = got.get('plumbline.conflicts');
    expect(conflicts?.filter((p) => p.attributes['plumbline.entity'] === 'otel-customer')).toEqual([
      expect.objectContaining({
        attributes: {
          'plumbline.entity': 'otel-customer',
          'plumbline.conflict.rule': expect.any(String),
        },
        value: 2,
      }),
    ]);
    expect(
      value(got.get('plumbline.echoes.suppressed'), {
        'plumbline.system': 'crm',
        'plumbline.entity': 'otel-contact',
      }),
    ).toBe(1);
    const holds = got.get('plumbline.holds');
    expect(value(holds, { 'plumbline.hold.outcome': 'reserved' })).toBe(1);
    expect(value(holds, { 'plumbline.hold.outcome': 'refused' })).toBe(1);
    expect(value(holds, { 'plumbline.hold.outcome': 'confirmed' })).toBe(1);
    expect(
      value(got.get('plumbline.reconciliation.found'), {
        'plumbline.reconciliation': 'otel-orders',
      }),
    ).toBe(2);
    expect(
      value(got.get('plumbline.reconciliation.left'), {
        'plumbline.reconciliation': 'otel-orders',
      }),
    ).toBe(1);
    expect(value(got.get('plumbline.breaker.state'), { 'plumbline.breaker': 'otel-prices' })).toBe(
      2,
    );
  });
});
