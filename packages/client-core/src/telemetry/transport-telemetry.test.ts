import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createLimiter } from '../limit/limiter.js';
import { jsonResponse, listen, type RunningServer } from '../testing.js';
import { createTransport } from '../transport.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A real SDK with in-memory exporters: what an application registers, read back in the test. */
function sdk() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    spans,
    telemetry: { tracer: tracerProvider.getTracer('test'), meter: meterProvider.getMeter('test') },
    async metrics(): Promise<ResourceMetrics> {
      const { resourceMetrics, errors } = await reader.collect();
      expect(errors).toEqual([]);
      return resourceMetrics;
    },
  };
}

function points(metrics: ResourceMetrics, name: string) {
  const found = metrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === name);
  return (found?.dataPoints ?? []) as Array<{
    attributes: Record<string, unknown>;
    value: unknown;
  }>;
}

describe('transport telemetry', () => {
  it('records one span per call with each attempt and retry as an event, and the call metrics', async () => {
    let hits = 0;
    const server = await listen(async () => {
      hits += 1;
      return hits === 1
        ? jsonResponse({ message: 'slow down' }, { status: 429, headers: { 'retry-after': '0' } })
        : jsonResponse({ ok: true }, { headers: { 'sforce-limit-info': 'api-usage=12/15000' } });
    });
    servers.push(server);
    const otel = sdk();
    const transport = createTransport({
      telemetry: otel.telemetry,
      retry: { minDelayMs: 1, maxDelayMs: 5 },
      limiter: createLimiter({ maxConcurrent: 2 }),
      vendor: {
        name: 'salesforce',
        apiUsage: (response) => {
          const m = /api-usage=(\d+)\/(\d+)/.exec(response.headers.get('sforce-limit-info') ?? '');
          return m ? { used: Number(m[1]), max: Number(m[2]) } : undefined;
        },
      },
    });
    const response = await transport(`${server.url}/services/data/v62.0/sobjects/Account/001A0000`);
    expect(response.status).toBe(200);
    expect(hits).toBe(2);

    const [span, ...others] = otel.spans.getFinishedSpans();
    expect(others).toEqual([]);
    expect(span?.name).toBe('GET /services/data/v62.0/sobjects/Account/{id}');
    expect(span?.kind).toBe(2); // SpanKind.CLIENT
    expect(span?.attributes).toMatchObject({
      'plumbline.vendor': 'salesforce',
      'plumbline.operation': '/services/data/v62.0/sobjects/Account/{id}',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
    });
    expect(span?.events.map((e) => e.name)).toEqual([
      'plumbline.attempt',
      'plumbline.rate_limited',
      'plumbline.retry',
      'plumbline.attempt',
    ]);
    expect(span?.events.filter((e) => e.name === 'plumbline.attempt').length).toBe(hits);

    const metrics = await otel.metrics();
    const call = {
      'plumbline.vendor': 'salesforce',
      'plumbline.operation': '/services/data/v62.0/sobjects/Account/{id}',
      'http.request.method': 'GET',
    };
    expect(points(metrics, 'plumbline.client.requests')).toEqual([
      expect.objectContaining({
        attributes: { ...call, 'http.response.status_code': 200 },
        value: 1,
      }),
    ]);
    expect(points(metrics, 'plumbline.client.request.duration')).toEqual([
      expect.objectContaining({
        attributes: { ...call, 'http.response.status_code': 200 },
        value: expect.objectContaining({ count: 1 }),
      }),
    ]);
    expect(points(metrics, 'plumbline.client.rate_limited')).toEqual([
      expect.objectContaining({
        attributes: { ...call, 'http.response.status_code': 429 },
        value: 1,
      }),
    ]);
    expect(points(metrics, 'plumbline.client.retries')).toEqual([
      expect.objectContaining({
        attributes: { ...call, 'plumbline.retry.reason': 'status 429' },
        value: 1,
      }),
    ]);
    const limiter = { 'plumbline.vendor': 'salesforce', 'plumbline.limit.key': 'default' };
    expect(points(metrics, 'plumbline.client.limiter.wait')).toEqual([
      expect.objectContaining({
        attributes: limiter,
        value: expect.objectContaining({ count: 2 }),
      }),
    ]);
    // The answer's slot is held until its body is read; the 429's was given back at once.
    expect(points(metrics, 'plumbline.client.limiter.in_flight')).toEqual([
      expect.objectContaining({ attributes: limiter, value: 1 }),
    ]);
    await response.json();
    expect(points(await otel.metrics(), 'plumbline.client.limiter.in_flight')).toEqual([
      expect.objectContaining({ attributes: limiter, value: 0 }),
    ]);
    expect(points(metrics, 'plumbline.client.api.usage')).toEqual([
      expect.objectContaining({ attributes: { 'plumbline.vendor': 'salesforce' }, value: 12 }),
    ]);
    expect(points(metrics, 'plumbline.client.api.limit')).toEqual([
      expect.objectContaining({ attributes: { 'plumbline.vendor': 'salesforce' }, value: 15000 }),
    ]);
  });

  it('marks a failed call: span status ERROR with error.type, the request counted with its status', async () => {
    const server = await listen(async () =>
      jsonResponse({ message: 'no such thing' }, { status: 404 }),
    );
    servers.push(server);
    const otel = sdk();
    const transport = createTransport({ telemetry: otel.telemetry, vendor: { name: 'commerce' } });
    await expect(transport(`${server.url}/rest/default/V1/products/MB-01`)).rejects.toThrow();
    const [span] = otel.spans.getFinishedSpans();
    expect(span?.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(span?.attributes).toMatchObject({
      'http.response.status_code': 404,
      'error.type': '404',
      'plumbline.operation': '/rest/default/V1/products/{id}',
    });
    expect(points(await otel.metrics(), 'plumbline.client.requests')).toEqual([
      expect.objectContaining({
        attributes: {
          'plumbline.vendor': 'commerce',
          'plumbline.operation': '/rest/default/V1/products/{id}',
          'http.request.method': 'GET',
          'http.response.status_code': 404,
          'error.type': '404',
        },
        value: 1,
      }),
    ]);
  });

  it('counts a token refresh after a 401', async () => {
    let hits = 0;
    const server = await listen(async () => {
      hits += 1;
      return hits === 1 ? new Response(null, { status: 401 }) : jsonResponse({ ok: true });
    });
    servers.push(server);
    const otel = sdk();
    const transport = createTransport({
      telemetry: otel.telemetry,
      vendor: { name: 'netsuite' },
      auth: {
        secrets: () => [],
        authorize: async (request) => request,
        onUnauthorized: async () => true,
      },
    });
    expect((await transport(`${server.url}/x`)).status).toBe(200);
    expect(points(await otel.metrics(), 'plumbline.client.token.refreshes')).toEqual([
      expect.objectContaining({
        attributes: { 'plumbline.vendor': 'netsuite', 'plumbline.refresh.reason': 'unauthorized' },
        value: 1,
      }),
    ]);
  });
});
