/**
 * `demo`: the whole system on one machine. Starts the Adobe Commerce, NetSuite and Salesforce
 * emulators with realistic seed data, runs the integration patterns in turn with a live progress
 * display, prints a summary table and exits 0 only if every system converged.
 *
 *   pnpm --filter @plumbline/examples run demo [-- --faults] [-- --store sqlite|postgres|memory]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as catalogSync } from '../catalog-sync/index.js';
import { run as customerMaster } from '../customer-master/index.js';
import { run as dualWriteOrder } from '../dual-write-order/index.js';
import { run as pricingOnDemand } from '../pricing-on-demand/index.js';
import { run as reservationAndConfirm } from '../reservation-and-confirm/index.js';
import { isMain, parseCommonFlags, runMain } from '../shared/cli.js';
import type { ExampleOptions } from '../shared/context.js';
import { Progress } from '../shared/progress.js';
import { type PatternReport, summaryTable } from '../shared/report.js';
import { DEMO_SIZE, generateSeed, type SeedSize } from '../shared/seed.js';
import { openStores, type StoreKind } from '../shared/stores.js';
import { startSystems } from '../shared/systems.js';

export interface DemoOptions {
  faults?: boolean;
  store?: StoreKind;
  stateDir?: string;
  seed?: number;
  size?: SeedSize;
  /** Where progress and the summary go; default silent. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface DemoResult {
  reports: PatternReport[];
  converged: boolean;
  table: string;
  faultsInjected: number;
  durationMs: number;
}

type Pattern = (options: ExampleOptions) => Promise<PatternReport>;

/** The patterns in the order the demo runs them: catalog first, so the store has what it sells. */
const PATTERNS: Array<[string, Pattern]> = [
  ['catalog-sync', (o) => catalogSync(o)],
  ['customer-master', (o) => customerMaster(o)],
  ['reservation-and-confirm', (o) => reservationAndConfirm({ ...o, shoppers: 300, hotSkus: 16 })],
  ['dual-write-order', (o) => dualWriteOrder({ ...o, fulfilShare: 0.1 })],
  ['pricing-on-demand', (o) => pricingOnDemand({ ...o, sessions: 80 })],
];

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const progress = new Progress(options.stream ? { stream: options.stream } : {});
  const size = options.size ?? DEMO_SIZE;
  const seed = generateSeed(size, options.seed);
  const stateDir = options.stateDir ?? join(process.cwd(), '.plumbline');
  const systems = await startSystems({ seed, faults: options.faults ?? false });
  const storeKind = options.store ?? 'sqlite';
  progress.log(
    `plumbline demo: ${size.products} products, ${size.customers} customers, ${size.orders} orders${options.faults ? ', faults injected' : ''}`,
  );
  for (const line of systems.describe()) progress.log(`  ${line}`);
  // The emulators keep their data in memory, so state recorded against the previous run's
  // emulators (sales orders written, hashes pushed) describes systems that are gone: it starts
  // afresh. Against real endpoints (PLUMBLINE_* set) the state is kept and a run resumes.
  const stores = await openStores({
    kind: storeKind,
    name: 'demo',
    stateDir,
    fresh: systems.mode === 'emulators',
  });
  progress.log(`  state: ${stores.location}`);
  const reports: PatternReport[] = [];
  try {
    for (const [name, pattern] of PATTERNS) {
      progress.log(`\n▶ ${name}`);
      try {
        reports.push(await pattern({ systems, stores, seed, progress }));
      } catch (error) {
        const failed: PatternReport = {
          pattern: name,
          moved: {},
          conflicts: {},
          echoesSuppressed: 0,
          reservations: { confirmed: 0, released: 0, expired: 0 },
          reconciliation: { found: 0, remaining: 0 },
          converged: false,
          notes: [`failed: ${(error as Error).message}`],
          durationMs: 0,
        };
        reports.push(failed);
      }
    }
  } finally {
    progress.stop();
    await stores.close();
    await systems.close();
  }
  const table = summaryTable(reports);
  const result: DemoResult = {
    reports,
    converged: reports.every((r) => r.converged),
    table,
    faultsInjected: systems.faultCount(),
    durationMs: Date.now() - started,
  };
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'demo-summary.md'), summaryMarkdown(result, options));
  return result;
}

export function summaryMarkdown(result: DemoResult, options: DemoOptions): string {
  const flags = [options.faults ? '--faults' : '', options.store ? `--store ${options.store}` : '']
    .filter(Boolean)
    .join(' ');
  return [
    `### \`demo${flags ? ` ${flags}` : ''}\``,
    '',
    result.table,
    '',
    ...result.reports.flatMap((r) => r.notes.map((note) => `- ${r.pattern}: ${note}`)),
    `- faults injected: ${result.faultsInjected}; total ${(result.durationMs / 1000).toFixed(1)} s; ${result.converged ? 'every system converged' : 'NOT CONVERGED'}`,
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const flags = parseCommonFlags(process.argv.slice(2).filter((arg) => arg !== '--'));
  const result = await runDemo({
    faults: flags.faults,
    store: flags.store,
    ...(flags.stateDir ? { stateDir: flags.stateDir } : {}),
    ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    stream: process.stdout,
  });
  console.log(`\n${result.table}\n`);
  for (const report of result.reports) {
    for (const note of report.notes) console.log(`- ${report.pattern}: ${note}`);
  }
  console.log(
    `\nfaults injected: ${result.faultsInjected}; ${(result.durationMs / 1000).toFixed(1)} s; ${result.converged ? 'every system converged' : 'NOT CONVERGED'}`,
  );
  return result.converged ? 0 : 1;
}

if (isMain(import.meta.url)) runMain(main);
