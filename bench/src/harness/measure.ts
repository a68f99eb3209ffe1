import { achievedShare, type Limit } from './limit.js';
import type { VariantResult } from './scenario.js';
import { median } from './stats.js';

/** What one run of a variant reports. */
export interface RunOutcome {
  /** Records moved / read / confirmed by this run. */
  records: number;
  /** Requests the server saw, when the scenario counts them. */
  requests?: number;
  /** Wall time measured by the run itself (e.g. inside a child process); default: timed here. */
  ms?: number;
  peakRssBytes?: number;
  heapGrowthBytes?: number;
  /**
   * Counts what the target system really holds after the run, untimed; the run is credited with
   * the smaller of `records` and this.
   */
  verify?: () => number | Promise<number>;
}

export interface VariantSpec {
  name: string;
  expected: number;
  /** Called before each run, untimed (reset emulator state, build inputs). */
  prepare?: () => Promise<void> | void;
  /** One run. */
  run: () => Promise<RunOutcome>;
  /** The lower bound this variant is compared with (its own size when it runs a sample). */
  limit?: Limit;
  note?: string;
  /** The variant is known to stop short (reported, not a failure). */
  shortfallExpected?: boolean;
}

export interface MeasureOptions extends VariantSpec {
  runs: number;
  log?: (message: string) => void;
}

async function runOnce(
  spec: VariantSpec,
  index: number,
  runs: number,
  log?: (message: string) => void,
): Promise<RunOutcome & { ms: number }> {
  await spec.prepare?.();
  const started = performance.now();
  const outcome = await spec.run();
  const ms = outcome.ms ?? performance.now() - started;
  const records = outcome.verify
    ? Math.min(outcome.records, await outcome.verify())
    : outcome.records;
  log?.(
    `  ${spec.name} run ${index + 1}/${runs}: ${records}/${spec.expected} in ${ms.toFixed(0)} ms`,
  );
  return { ...outcome, records, ms };
}

function summarise(spec: VariantSpec, outcomes: (RunOutcome & { ms: number })[]): VariantResult {
  const runsMs = outcomes.map((o) => o.ms);
  const records = median(outcomes.map((o) => o.records));
  const medianMs = median(runsMs);
  const result: VariantResult = {
    name: spec.name,
    expected: spec.expected,
    records,
    complete: outcomes.every((o) => o.records === spec.expected),
    runsMs,
    medianMs,
    perSecond: medianMs > 0 ? (records / medianMs) * 1000 : 0,
  };
  const pick = (key: 'requests' | 'peakRssBytes' | 'heapGrowthBytes') =>
    outcomes.flatMap((o) => (o[key] === undefined ? [] : [o[key]]));
  const requests = pick('requests');
  const rss = pick('peakRssBytes');
  const heap = pick('heapGrowthBytes');
  if (requests.length > 0) result.requests = median(requests);
  if (rss.length > 0) result.peakRssMb = median(rss) / (1024 * 1024);
  if (heap.length > 0) result.heapGrowthMb = median(heap) / (1024 * 1024);
  if (spec.limit !== undefined) {
    const share = achievedShare(spec.limit, medianMs);
    if (share !== undefined) result.limitShare = share;
  }
  if (spec.note !== undefined) result.note = spec.note;
  if (spec.shortfallExpected) result.shortfallExpected = true;
  return result;
}

/** Run a variant `runs` times and summarise it with medians. */
export async function measure(options: MeasureOptions): Promise<VariantResult> {
  const outcomes = [];
  for (let i = 0; i < options.runs; i++) {
    outcomes.push(await runOnce(options, i, options.runs, options.log));
  }
  return summarise(options, outcomes);
}

/**
 * Run several variants `runs` times in rounds (A, B, C, A, B, C …) so drift of the machine
 * (JIT warm-up, GC, a noisy neighbour) spreads over all of them, then summarise each with medians.
 * Results come back in the order of `specs`.
 */
export async function measureInterleaved(
  specs: readonly VariantSpec[],
  options: { runs: number; log?: (message: string) => void },
): Promise<VariantResult[]> {
  const outcomes = specs.map(() => [] as (RunOutcome & { ms: number })[]);
  for (let i = 0; i < options.runs; i++) {
    for (const [k, spec] of specs.entries()) {
      outcomes[k]!.push(await runOnce(spec, i, options.runs, options.log));
    }
  }
  return specs.map((spec, k) => summarise(spec, outcomes[k]!));
}
