/**
 * `GET /metrics`: the OpenTelemetry metrics the clients and sync-core record, scraped in the
 * Prometheus text format through the service's own HTTP server, carry every name `alerts.yml` uses.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './index.js';

const exporter = new PrometheusExporter({ preventServerStart: true });
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [exporter] }));
afterAll(() => metrics.disable());

/** The metric names of each rule expression (read the way alerts.test.ts reads the file). */
function alertMetricNames(): string[] {
  const rules = readFileSync(new URL('alerts.yml', import.meta.url), 'utf8');
  const names = new Set<string>();
  for (const block of rules.split(/\n\s+- alert: /).slice(1)) {
    const expr = /\n\s+expr: (.+)/.exec(block)?.[1] ?? '';
    // Label names stand in `by (...)` and `{...}`; the rest are metric names.
    const bare = expr.replace(/by \([^)]*\)/g, '').replace(/\{[^}]*\}/g, '');
    for (const m of bare.matchAll(/plumbline_[a-z_]+/g)) names.add(m[0]);
  }
  return [...names];
}

describe('middleware-service /metrics', () => {
  it('serves the metrics alerts.yml names, with requests counted', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'plumbline-mw-metrics-'));
    try {
      const report = await run({
        store: 'sqlite',
        stateDir,
        orders: 4,
        customers: 2,
        burst: 2,
        metrics: exporter,
      });
      const scrape = report.details.metricsScrape ?? '';
      const names = alertMetricNames();
      expect(names).toContain('plumbline_client_requests_total');
      const missing = names.filter((n) => !new RegExp(`^${n}[{ ]`, 'm').test(scrape));
      // This service has no runner, reconciliation or breaker, and the SQLite run meets no 429:
      // those four series appear only where that work runs. Everything else must be scraped.
      expect(missing, scrape).toEqual([
        'plumbline_runner_cursor_lag',
        'plumbline_client_rate_limited_total',
        'plumbline_reconciliation_left',
        'plumbline_breaker_state',
      ]);
      const requests = [
        ...scrape.matchAll(/^plumbline_client_requests_total(?:\{[^}]*\})? (\S+)/gm),
      ]
        .map((m) => Number(m[1]))
        .reduce((a, b) => a + b, 0);
      expect(requests).toBeGreaterThan(0);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
