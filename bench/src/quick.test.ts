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
    const markdown = reportMarkdown(report);
    for (const scenario of scenarios) expect(markdown).toContain(`## ${scenario.id}. `);
  }, 120_000);
});
