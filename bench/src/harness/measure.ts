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
}

export interface MeasureOptions {
  name: string;
  expected: number;
  runs: number;
  /** Called before each run, untimed (reset emulator state, build inputs). */
  prepare?: () => Promise<void> | void;
  /** One run. */
  run: () => Promise<RunOutcome>;
  limit?: Limit;
  note?: string;
  /** The variant is known to stop short (reported, not a failure). */
  shortfallExpected?: boolean;
  log?: (message: string) => void;
}

/** Run a variant `runs` times and summarise it with medians. */
export async function measure(options: MeasureOptions): Promise<VariantResult> {
  const runsMs: number[] = [];
  const records: number[] = [];
  const requests: number[] = [];
  const rss: number[] = [];
  const heap: number[] = [];
  let complete = true;
  for (let i = 0; i < options.runs; i++) {
    await options.prepare?.();
    const started = performance.now();
    const outcome = await options.run();
    const ms = outcome.ms ?? performance.now() - started;
    runsMs.push(ms);
    records.push(outcome.records);
    if (outcome.records !== options.expected) complete = false;
    if (outcome.requests !== undefined) requests.push(outcome.requests);
    if (outcome.peakRssBytes !== undefined) rss.push(outcome.peakRssBytes);
    if (outcome.heapGrowthBytes !== undefined) heap.push(outcome.heapGrowthBytes);
    options.log?.(
      `  ${options.name} run ${i + 1}/${options.runs}: ${outcome.records}/${options.expected} in ${ms.toFixed(0)} ms`,
    );
  }
  const medianMs = median(runsMs);
  const result: VariantResult = {
    name: options.name,
    expected: options.expected,
    records: median(records),
    complete,
    runsMs,
    medianMs,
    perSecond: medianMs > 0 ? (median(records) / medianMs) * 1000 : 0,
  };
  if (requests.length > 0) result.requests = median(requests);
  if (rss.length > 0) result.peakRssMb = median(rss) / (1024 * 1024);
  if (heap.length > 0) result.heapGrowthMb = median(heap) / (1024 * 1024);
  if (options.limit !== undefined) {
    const share = achievedShare(options.limit, medianMs);
    if (share !== undefined) result.limitShare = share;
  }
  if (options.note !== undefined) result.note = options.note;
  if (options.shortfallExpected) result.shortfallExpected = true;
  return result;
}
