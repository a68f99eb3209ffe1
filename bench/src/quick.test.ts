// `pnpm bench --quick` inside the test command, so the benchmarks cannot rot. Counts only:
// no timing is asserted here (timing belongs in RESULTS.md, not in a test).
import { describe, expect, it } from 'vitest';
import { reportMarkdown } from './harness/report.js';
import { runBench } from './harness/run.js';
import { scenarios, unavailable } from './scenarios/index.js';

describe('pnpm bench --quick', () => {
  it('runs every scenario to completion with the right record counts', async () => {
    const report = await runBench({ scenarios, unavailable, quick: true });
    expect(report.scenarios.map((s) => s.id)).toEqual(scenarios.map((s) => s.id));
    for (const scenario of report.scenarios) {
      expect(scenario.variants.length, `scenario ${scenario.id} has variants`).toBeGreaterThan(0);
      for (const variant of scenario.variants) {
        const where = `scenario ${scenario.id}, ${variant.name}`;
        expect(variant.runsMs.length, where).toBe(1);
        if (variant.shortfallExpected) {
          expect(variant.records, where).toBeLessThan(variant.expected);
        } else {
          expect(variant.records, where).toBe(variant.expected);
          expect(variant.complete, where).toBe(true);
        }
        if (variant.requests !== undefined) expect(variant.requests, where).toBeGreaterThan(0);
      }
    }
    // The scale-out scenario: no 429 from the account, nothing left behind in PostgreSQL or Redis.
    const scaleOut = report.scenarios.find((s) => s.key === 'scale-out');
    for (const label of ['429 CONCURRENCY_LIMIT_EXCEEDED', 'left behind']) {
      const found = scaleOut?.ratios.find((r) => r.label.includes(label));
      expect(found?.value, `scale-out: ${label}`).toBe(0);
    }
    // Scenario 5 runs on every durable queue that answers, besides memory.
    const orders = report.scenarios.find((s) => s.key === 'netsuite-orders');
    expect(
      orders?.variants.filter((v) => v.name.includes(' queue → ')).length,
    ).toBeGreaterThanOrEqual(2);
    // --quick lowers the SuiteQL cap to 2,000 rows: the limit/offset loop stops there, while the
    // sequential keyset scan and the partitioned scans read past it (each row once, counted above).
    const suiteql = report.scenarios.find((s) => s.key === 'netsuite-suiteql');
    const loop = suiteql?.variants.find((v) => v.shortfallExpected);
    expect(loop?.records, 'scenario 4: the loop stops at the lowered cap').toBe(2_000);
    const pastCap = suiteql?.variants.filter((v) => !v.shortfallExpected) ?? [];
    expect(pastCap.length, 'scenario 4: sequential and partitioned scans').toBe(3);
    for (const v of pastCap) expect(v.records, v.name).toBeGreaterThan(2_000);
    // Scenario 3's partitioned read counts each record once: complete means no gap and no repeat.
    const soql = report.scenarios.find((s) => s.key === 'salesforce-query');
    expect(soql?.variants.find((v) => v.name.includes('queryPartitioned'))?.complete).toBe(true);
    const markdown = reportMarkdown(report);
    for (const scenario of scenarios) expect(markdown).toContain(`## ${scenario.id}. `);
  }, 900_000);
});
