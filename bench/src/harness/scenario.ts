import type { Limit } from './limit.js';

/** Settings every scenario receives. */
export interface BenchContext {
  /** Small sizes that finish in seconds (the test command runs this). */
  quick: boolean;
  /** Repetitions per variant; figures are medians over them. */
  runs: number;
  /** Injected per-request latency of the emulators, in ms. */
  latencyMs: number;
  log(message: string): void;
}

/** One side of a comparison (ours, jsforce, naive …), measured `runs` times. */
export interface VariantResult {
  name: string;
  /** Records (or operations) the variant was asked to move in one run. */
  expected: number;
  /** Records (or operations) that actually came back / were confirmed, median over runs. */
  records: number;
  /** True when every run moved every expected record. */
  complete: boolean;
  /** Wall time of each run in ms. */
  runsMs: number[];
  medianMs: number;
  /** Records per second from the median. */
  perSecond: number;
  /** Requests the emulator saw in one run (median), when known. */
  requests?: number;
  /** Peak resident set size of the process doing the work, MB (median over runs). */
  peakRssMb?: number;
  /** Peak live V8 heap during the work (after forced GCs where available) minus before it, MB (median). */
  heapGrowthMb?: number;
  /** Share of the scenario's lower bound achieved (bound / median). */
  limitShare?: number;
  /** The variant is known not to return everything (e.g. a loop that stops at a vendor cap). */
  shortfallExpected?: boolean;
  /** Free-form remark (e.g. "measured on 1,000 of 20,000 records"). */
  note?: string;
}

export interface RatioResult {
  label: string;
  value: number | undefined;
  /** A unit instead of "×" (e.g. "µs" for a per-request difference). */
  unit?: string;
  /** Headline ratios go into the README summary. */
  headline?: boolean;
}

export interface ScenarioResult {
  id: number;
  key: string;
  title: string;
  variants: VariantResult[];
  limit?: Limit;
  ratios: RatioResult[];
  notes: string[];
  /** Free-form extra tables (e.g. per-store throughput), rendered as given. */
  extra?: { heading: string; columns: string[]; rows: string[][] }[];
}

export interface Scenario {
  id: number;
  key: string;
  title: string;
  run(context: BenchContext): Promise<ScenarioResult>;
}
