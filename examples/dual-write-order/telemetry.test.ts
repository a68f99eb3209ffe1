/**
 * The OpenTelemetry spans and metrics of a dual-write run, collected with the SDK's in-memory
 * exporter and a metric reader, checked against what the run did: the HTTP requests each emulator
 * answered, the jobs the queue finished and dead-lettered, and the reconciliation's findings.
 * Names and attributes: docs/telemetry.md.
 */
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createQueue } from '@plumbline/sync-core';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { openStores } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';
import { run } from './index.js';

// What the service registers at start-up, before any client or queue exists.
const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
);
const reader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: 3_600_000,
});
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
afterAll(() => {
  trace.disable();
  metrics.disable();
});

type Point = { attributes: Record<string, unknown>; value: unknown };

async function collect(): Promise<Map<string, Point[]>> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const byName = new Map<string, Point[]>();
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics)
      byName.set(metric.descriptor.name, [
        ...(byName.get(metric.descriptor.name) ?? []),
        ...(metric.dataPoints as Point[]),
      ]);
  return byName;
}

/** The sum of a counter's points (or a histogram's counts) whose attributes include `where`. */
function sum(points: Point[] | undefined, where: Record<string, unknown>): number {
  let total = 0;
  for (const point of points ?? []) {
    if (!Object.entries(where).every(([k, v]) => point.attributes[k] === v)) continue;
    const value = point.value as number | { count: number };
    total += typeof value === 'number' ? value : value.count;
  }
  return total;
}

const attempts = (list: ReadableSpan[]) =>
  list.reduce((n, s) => n + s.events.filter((e) => e.name === 'plumbline.attempt').length, 0);

describe('dual-write-order telemetry', () => {
  it('has one span per call and one attempt event per request the emulators answered, and metrics that match the run', async () => {
    const systems = await startSystems({ seed: generateSeed(TEST_SIZE) });
    const stores = await openStores({ kind: 'memory', name: 'dual-write-telemetry' });
    try {
      const emulators = systems.emulators!;
      const commerceBefore = emulators.commerce.requests.length;
      const netsuiteBefore = emulators.netsuite.state.requests;
      const before = await collect();
      spans.reset();

      // Stopped after the first reconciliation: two orders are dead-lettered and left over.
      await run({ systems, stores, fulfilShare: 0, stopBeforeFix: true });

      const finished = spans.getFinishedSpans();
      const ofVendor = (vendor: string) =>
        finished.filter((s) => s.attributes['plumbline.vendor'] === vendor);
      const commerce = ofVendor('commerce');
      const netsuite = ofVendor('netsuite');
      // NetSuite's OAuth 2.0 token requests (machine-to-machine) go to the same emulator.
      const tokens = ofVendor('oauth2');
      const commerceRequests = emulators.commerce.requests.length - commerceBefore;
      const netsuiteRequests = emulators.netsuite.state.requests - netsuiteBefore;
      expect(commerceRequests).toBeGreaterThan(0);
      expect(netsuiteRequests).toBeGreaterThan(0);
      // Every request an emulator answered is one attempt of one call span.
      expect(attempts(commerce)).toBe(commerceRequests);
      expect(attempts(netsuite) + attempts(tokens)).toBe(netsuiteRequests);
      expect(finished.length).toBe(commerce.length + netsuite.length + tokens.length);
      for (const span of finished) {
        expect(span.kind).toBe(2); // SpanKind.CLIENT
        expect(span.attributes).toEqual(
          expect.objectContaining({
            'http.request.method': expect.stringMatching(/^(GET|POST|PUT|PATCH|DELETE)$/),
            'plumbline.operation': expect.stringMatching(/^\//),
            'url.template': span.attributes['plumbline.operation'],
            'server.address': '127.0.0.1',
          }),
        );
        expect(span.name).toBe(
          `${span.attributes['http.request.method']} ${span.attributes['plumbline.operation']}`,
        );
      }
      // Identifiers are templated away: a sales order's external id never names an operation.
      const operations = new Set(finished.map((s) => String(s.attributes['plumbline.operation'])));
      expect([...operations].some((op) => /\d{4,}/.test(op))).toBe(false);

      const after = await collect();
      const delta = (name: string, where: Record<string, unknown>) =>
        sum(after.get(name), where) - sum(before.get(name), where);
      for (const [vendor, list] of [
        ['commerce', commerce],
        ['netsuite', netsuite],
      ] as const) {
        expect(delta('plumbline.client.requests', { 'plumbline.vendor': vendor })).toBe(
          list.length,
        );
        expect(delta('plumbline.client.request.duration', { 'plumbline.vendor': vendor })).toBe(
          list.length,
        );
        const retryEvents = list
          .flatMap((s) => s.events)
          .filter((e) => e.name === 'plumbline.retry');
        expect(delta('plumbline.client.retries', { 'plumbline.vendor': vendor })).toBe(
          retryEvents.length,
        );
        const failed = list.filter((s) => s.status.code === 2).length;
        const errors = (after.get('plumbline.client.requests') ?? []).filter(
          (p) => p.attributes['plumbline.vendor'] === vendor && 'error.type' in p.attributes,
        );
        expect(
          sum(errors, {}) -
            sum(
              (before.get('plumbline.client.requests') ?? []).filter(
                (p) => p.attributes['plumbline.vendor'] === vendor && 'error.type' in p.attributes,
              ),
              {},
            ),
        ).toBe(failed);
      }
      // NetSuite's account limit: every call waited for a slot of the account limiter.
      expect(delta('plumbline.client.limiter.wait', { 'plumbline.vendor': 'netsuite' })).toBe(
        attempts(netsuite),
      );

      // sync-core: what the queue did and what the reconciliation found.
      const queue = createQueue(stores.queue, { name: 'dual-write-orders' });
      const dead = await queue.deadLetters();
      expect(dead).toHaveLength(2);
      const salesOrders = emulators.netsuite.state.records('salesOrder').length;
      const jobs = after.get('plumbline.queue.jobs');
      const q = { 'plumbline.queue': 'dual-write-orders' };
      expect(sum(jobs, { ...q, 'plumbline.job.outcome': 'completed' })).toBe(salesOrders);
      expect(sum(jobs, { ...q, 'plumbline.job.outcome': 'dead_lettered' })).toBe(dead.length);
      const depth = after.get('plumbline.queue.depth');
      expect(sum(depth, { ...q, 'plumbline.job.state': 'dead' })).toBe(2);
      expect(sum(depth, { ...q, 'plumbline.job.state': 'ready' })).toBe(0);
      const recon = { 'plumbline.reconciliation': 'dual-write-orders' };
      expect(sum(after.get('plumbline.reconciliation.found'), recon)).toBe(2);
      expect(sum(after.get('plumbline.reconciliation.left'), recon)).toBe(2);
    } finally {
      await stores.close();
      await systems.close();
    }
  });
});
