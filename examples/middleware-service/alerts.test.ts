import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const rules = readFileSync(new URL('examples/middleware-service/alerts.yml', root), 'utf8');
const doc = readFileSync(new URL('docs/telemetry.md', root), 'utf8');

/**
 * The Prometheus names of the documented metrics, as the OpenTelemetry Prometheus exporter writes
 * them: `.` as `_`, no unit suffix (the unit is a `# UNIT` line; metrics.test.ts scrapes it), counters with `_total`, histograms as
 * `_bucket`/`_sum`/`_count`; and the documented attributes as label names.
 */
function prometheusNames(): { metrics: Set<string>; labels: Set<string> } {
  const metrics = new Set<string>();
  const labels = new Set<string>();
  for (const line of doc.split('\n')) {
    const row = /^\| `([a-z_.]+)` \| ([a-z -]+) \| (`[^`]+`|—) \|/.exec(line);
    if (row) {
      const [, name, kind] = row as unknown as [string, string, string];
      const base = name.replaceAll('.', '_');
      if (kind === 'counter') metrics.add(`${base}_total`);
      else if (kind === 'histogram')
        for (const s of ['_bucket', '_sum', '_count']) metrics.add(base + s);
      else metrics.add(base);
      continue;
    }
    const attribute = /^\| `([a-z_.]+)` \| [^|]+ \| [^|]+ \|$/.exec(line);
    if (attribute) labels.add((attribute[1] as string).replaceAll('.', '_'));
  }
  return { metrics, labels };
}

/** Each rule of the file: its alert name, expression and runbook (a plain reading of the YAML). */
function parseRules(): { alert: string; expr: string; runbook: string }[] {
  return rules
    .split(/\n\s+- alert: /)
    .slice(1)
    .map((block) => ({
      alert: block.split('\n')[0]!.trim(),
      expr: /\n\s+expr: (.+)/.exec(block)?.[1] ?? '',
      runbook: /\n\s+runbook_url: (.+)/.exec(block)?.[1]?.trim() ?? '',
    }));
}

describe('alerts.yml', () => {
  const parsed = parseRules();

  it('has the five alerts of the issue, each with an expression and a runbook page that exists', () => {
    expect(parsed.map((r) => r.alert)).toEqual([
      'PlumblineDeadLetterBacklog',
      'PlumblineCursorLag',
      'PlumblineRateLimited',
      'PlumblineReconciliationLeftOver',
      'PlumblineBreakerOpen',
    ]);
    for (const rule of parsed) {
      expect(rule.expr, rule.alert).not.toBe('');
      expect(existsSync(new URL(rule.runbook, root)), rule.runbook).toBe(true);
    }
  });

  it('names only metrics and labels Plumbline records', () => {
    const { metrics, labels } = prometheusNames();
    expect(metrics.has('plumbline_client_requests_total')).toBe(true);
    for (const rule of parsed) {
      const names = rule.expr.match(/plumbline_[a-z_]+/g) ?? [];
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) {
        expect(metrics.has(name) || labels.has(name), `${rule.alert}: ${name}`).toBe(true);
      }
    }
  });
});
