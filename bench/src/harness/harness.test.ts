import { describe, expect, it } from 'vitest';
import { BenchArgsError, parseArgs } from './args.js';
import { runInChild } from './child.js';
import { achievedShare, lowerBound } from './limit.js';
import { measure } from './measure.js';
import { headlineMarkdown, type ReportInput, reportMarkdown, withHeadline } from './report.js';
import { selectScenarios, UnknownScenarioError } from './run.js';
import type { Scenario } from './scenario.js';
import { median } from './stats.js';

describe('lowerBound', () => {
  it('is ⌈N/B⌉·L/C', () => {
    const limit = lowerBound({ records: 20_001, batchSize: 200, latencyMs: 20, concurrency: 5 });
    expect(limit.requests).toBe(101);
    expect(limit.boundMs).toBeCloseTo((101 * 20) / 5);
  });

  it('reports the achieved share as bound over achieved time', () => {
    const limit = lowerBound({ records: 1000, batchSize: 100, latencyMs: 10, concurrency: 2 });
    expect(achievedShare(limit, 100)).toBeCloseTo(0.5);
    expect(achievedShare(limit, 0)).toBeUndefined();
  });

  it('rejects a zero batch size or concurrency, naming the field', () => {
    expect(() => lowerBound({ records: 1, batchSize: 0, latencyMs: 1, concurrency: 1 })).toThrow(
      /batchSize/,
    );
    expect(() => lowerBound({ records: -1, batchSize: 1, latencyMs: 1, concurrency: 1 })).toThrow(
      /records/,
    );
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('parseArgs', () => {
  it('reads --quick, --only lists, --runs and --latency in both spellings', () => {
    expect(
      parseArgs(['--', '--quick', '--only', '6,sync-core', '--runs=5', '--latency', '0']),
    ).toEqual({ quick: true, only: ['6', 'sync-core'], runs: 5, latencyMs: 0, help: false });
  });

  it('names the flag and the bad value', () => {
    expect(() => parseArgs(['--runs', 'x'])).toThrow(BenchArgsError);
    expect(() => parseArgs(['--runs', 'x'])).toThrow(/--runs needs a positive integer, got "x"/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option "--fast"/);
  });
});

describe('selectScenarios', () => {
  const make = (id: number, key: string): Scenario => ({
    id,
    key,
    title: key,
    run: async () => ({ id, key, title: key, variants: [], ratios: [], notes: [] }),
  });
  const all = [make(1, 'one'), make(2, 'two'), make(3, 'three')];

  it('filters by id or key and keeps the registry order', () => {
    expect(selectScenarios(all, ['three', '1']).map((s) => s.id)).toEqual([1, 3]);
    expect(selectScenarios(all, [])).toHaveLength(3);
  });

  it('refuses an unknown name and lists the known ones', () => {
    expect(() => selectScenarios(all, ['9'])).toThrow(UnknownScenarioError);
    expect(() => selectScenarios(all, ['9'])).toThrow(/known: 1 \(one\)/);
  });
});

describe('measure', () => {
  it('runs the variant `runs` times and flags a short run as incomplete', async () => {
    const counts = [10, 9, 10];
    let prepared = 0;
    const result = await measure({
      name: 'v',
      expected: 10,
      runs: 3,
      prepare: () => {
        prepared++;
      },
      run: async () => ({ records: counts.shift()!, ms: 100, requests: 2 }),
    });
    expect(prepared).toBe(3);
    expect(result.runsMs).toEqual([100, 100, 100]);
    expect(result.records).toBe(10);
    expect(result.complete).toBe(false);
    expect(result.perSecond).toBeCloseTo(100);
    expect(result.requests).toBe(2);
  });
});

describe('measure with verify', () => {
  it('credits a run with what the target holds when that is less than reported', async () => {
    const result = await measure({
      name: 'v',
      expected: 10,
      runs: 1,
      run: async () => ({ records: 10, verify: () => 7 }),
    });
    expect(result.records).toBe(7);
    expect(result.complete).toBe(false);
  });
});

describe('runInChild', () => {
  it('runs a worker in its own process and reports its value and peak memory', async () => {
    const report = await runInChild<{ sum: number }>(
      'harness/child-fixture.ts',
      'allocate',
      { count: 200_000 },
      { timeoutMs: 20_000, gcEveryMs: 50 },
    );
    expect(report.value.sum).toBe(200_000);
    expect(report.memory.maxRssBytes).toBeGreaterThan(report.memory.rssBeforeBytes / 2);
    expect(report.memory.peakHeapUsedBytes).toBeGreaterThan(report.memory.heapUsedBeforeBytes);
    // The child runs with --expose-gc, so the live heap (after forced GCs) is measured too.
    expect(report.memory.peakLiveHeapBytes).toBeGreaterThan(report.memory.liveHeapBeforeBytes!);
  }, 30_000);
});

const sampleReport: ReportInput = {
  machine: {
    os: 'Linux 6 (x64)',
    cpuModel: 'CPU',
    cpus: 2,
    memoryGb: 8,
    node: 'v20.0.0',
    date: '2026-01-01T00:00:00.000Z',
    loadAverage: 0.5,
  },
  quick: false,
  runs: 3,
  latencyMs: 20,
  totalMs: 1000,
  scenarios: [
    {
      id: 6,
      key: 'k',
      title: 'Client overhead',
      variants: [
        {
          name: 'plain fetch',
          expected: 10,
          records: 10,
          complete: true,
          runsMs: [10],
          medianMs: 10,
          perSecond: 1000,
        },
      ],
      limit: lowerBound({ records: 10, batchSize: 1, latencyMs: 20, concurrency: 1 }),
      ratios: [{ label: 'fetch / plumbline', value: 1.25, headline: true }],
      notes: ['a note'],
    },
  ],
  skipped: [{ id: 4, title: 'Reading NetSuite', reason: 'API missing' }],
};

describe('reportMarkdown', () => {
  it('writes machine, Node version, figures, ratios and the not-measured list', () => {
    const md = reportMarkdown(sampleReport);
    expect(md).toContain('v20.0.0');
    expect(md).toContain('| 1-minute load average at start / end | 0.50 / 0.50 |');
    expect(md).toContain('2 × CPU');
    expect(md).toContain('| 6 | fetch / plumbline | 1.25× |');
    expect(md).toContain('| plain fetch | 10 / 10 | 10.0 ms | 1,000 |');
    expect(md).toContain('⌈10/1⌉·20 ms/1 = 0.20 s');
    expect(md).toContain('- 4. Reading NetSuite: API missing');
  });

  it('fills the README headline block between its markers and refuses a README without them', () => {
    const readme = 'intro\n<!-- headline:start -->\nold\n<!-- headline:end -->\nrest\n';
    const filled = withHeadline(readme, 'NEW');
    expect(filled).toBe('intro\n<!-- headline:start -->\nNEW\n<!-- headline:end -->\nrest\n');
    expect(() => withHeadline('no markers', 'NEW')).toThrow(/headline:start/);
    const block = headlineMarkdown(sampleReport);
    expect(block).toContain('Node v20.0.0, 2 × CPU, 20 ms latency, medians of 3 runs');
    expect(block).toContain('| 6 | fetch / plumbline | 1.25× |');
  });
});
