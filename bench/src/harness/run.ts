import os from 'node:os';
import { machineInfo } from './machine.js';
import type { ReportInput } from './report.js';
import type { BenchContext, Scenario, ScenarioResult } from './scenario.js';

export interface RunBenchOptions {
  scenarios: readonly Scenario[];
  /** Scenarios that exist in the issue but are not measured, with the reason. */
  unavailable?: readonly { id: number; title: string; reason: string }[];
  quick: boolean;
  only?: readonly string[];
  runs?: number;
  latencyMs?: number;
  log?: (message: string) => void;
}

export class UnknownScenarioError extends Error {
  readonly code = 'UNKNOWN_SCENARIO';
}

/** Pick the scenarios named by id or key; every name must match one. */
export function selectScenarios(
  scenarios: readonly Scenario[],
  only: readonly string[] | undefined,
): Scenario[] {
  if (only === undefined || only.length === 0) return [...scenarios];
  const picked = new Set<Scenario>();
  for (const name of only) {
    const match = scenarios.find((s) => String(s.id) === name || s.key === name);
    if (match === undefined) {
      const known = scenarios.map((s) => `${s.id} (${s.key})`).join(', ');
      throw new UnknownScenarioError(`unknown scenario ${JSON.stringify(name)}; known: ${known}`);
    }
    picked.add(match);
  }
  return scenarios.filter((s) => picked.has(s));
}

export async function runBench(options: RunBenchOptions): Promise<ReportInput> {
  const log = options.log ?? (() => {});
  const context: BenchContext = {
    quick: options.quick,
    runs: options.runs ?? (options.quick ? 1 : 3),
    latencyMs: options.latencyMs ?? (options.quick ? 2 : 20),
    log,
  };
  const selected = selectScenarios(options.scenarios, options.only);
  const machine = machineInfo();
  const started = performance.now();
  const results: ScenarioResult[] = [];
  for (const scenario of selected) {
    log(`# ${scenario.id}. ${scenario.title}`);
    const t0 = performance.now();
    results.push(await scenario.run(context));
    log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const skipped = (options.unavailable ?? []).filter(
    (u) =>
      options.only === undefined ||
      options.only.length === 0 ||
      options.only.includes(String(u.id)),
  );
  return {
    machine,
    loadAverageAtEnd: os.loadavg()[0] ?? 0,
    quick: options.quick,
    runs: context.runs,
    latencyMs: context.latencyMs,
    totalMs: performance.now() - started,
    scenarios: results,
    skipped: [...skipped],
  };
}
