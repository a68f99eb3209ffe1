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
import {
  emulatorSystems,
  realEndpointsConfigured,
  type Systems,
  startSystems,
} from '../shared/systems.js';
import { findHost, startHost, stopHost } from './emulator-host.js';

export interface DemoOptions {
  /**
   * `in-process` (default): the emulators live and die with this run. `background`: they run in
   * a background host that outlives the run, so the next run resumes against the same data and
   * the same state (what the `demo` command does; `demo --stop` ends the host).
   */
  systems?: 'in-process' | 'background';
  faults?: boolean;
  store?: StoreKind;
  stateDir?: string;
  seed?: number;
  size?: SeedSize;
  /** Where progress and the summary go; default silent. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface DemoResult {
  /** The run continued against emulators and state kept from an earlier run. */
  resumed: boolean;
  /** The emulators run in the background host (and keep running after the run). */
  background: boolean;
  reports: PatternReport[];
  converged: boolean;
  table: string;
  faultsInjected: number;
  durationMs: number;
}

type Pattern = (options: ExampleOptions, size: SeedSize) => Promise<PatternReport>;

/** The patterns in the order the demo runs them: catalog first, so the store has what it sells. */
const PATTERNS: Array<[string, Pattern]> = [
  ['catalog-sync', (o) => catalogSync(o)],
  ['customer-master', (o, size) => customerMaster({ ...o, edits: Math.min(10, size.customers) })],
  // As many shoppers as customers rush the scarce SKUs (one in 25 items is nearly sold out).
  [
    'reservation-and-confirm',
    (o, size) =>
      reservationAndConfirm({
        ...o,
        shoppers: size.customers,
        hotSkus: Math.max(2, Math.ceil(size.products / 25)),
      }),
  ],
  ['dual-write-order', (o) => dualWriteOrder({ ...o, fulfilShare: 0.1 })],
  [
    'pricing-on-demand',
    (o, size) => pricingOnDemand({ ...o, sessions: Math.max(8, Math.round(size.customers / 4)) }),
  ],
];

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const progress = new Progress(options.stream ? { stream: options.stream } : {});
  const size = options.size ?? DEMO_SIZE;
  const seed = generateSeed(size, options.seed);
  const stateDir = options.stateDir ?? join(process.cwd(), '.plumbline');
  let systems: Systems;
  let resumed = false;
  let background = false;
  const storeKind = options.store ?? 'sqlite';
  // With memory state nothing survives the run, so keeping the emulators would not resume anything.
  if (options.systems === 'background' && storeKind !== 'memory' && !realEndpointsConfigured()) {
    mkdirSync(stateDir, { recursive: true });
    const file = join(stateDir, 'emulators.json');
    const config = { size, seed: options.seed, faults: options.faults ?? false };
    let record = await findHost(file, config);
    resumed = record !== undefined;
    record ??= await startHost(file, config);
    background = true;
    systems = emulatorSystems(record.endpoints, {
      note: resumed
        ? `background host pid ${record.pid}, running since ${record.startedAt}: resuming`
        : `background host pid ${record.pid}, started now`,
    });
  } else {
    systems = await startSystems({ seed, faults: options.faults ?? false });
  }
  progress.log(
    `plumbline demo: ${size.products} products, ${size.customers} customers, ${size.orders} orders${options.faults ? ', faults injected' : ''}`,
  );
  for (const line of systems.describe()) progress.log(`  ${line}`);
  // Emulators that were just started are empty, so the state starts afresh with them (state
  // recorded against emulators that are gone would describe systems that no longer exist). With
  // the background host still running, or against real endpoints, the state is kept: resume.
  const stores = await openStores({
    kind: storeKind,
    name: 'demo',
    stateDir,
    fresh: systems.mode === 'emulators' && !resumed,
  });
  progress.log(`  state: ${stores.location}`);
  const reports: PatternReport[] = [];
  try {
    for (const [name, pattern] of PATTERNS) {
      progress.log(`\n▶ ${name}`);
      try {
        reports.push(await pattern({ systems, stores, seed, progress }, size));
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
    resumed,
    background,
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
    `- ${options.faults ? (result.background ? 'faults on; ' : `faults injected: ${result.faultsInjected}; `) : ''}${result.resumed ? 'resumed against the emulators and state of the previous run; ' : ''}total ${(result.durationMs / 1000).toFixed(1)} s; ${result.converged ? 'every system converged' : 'NOT CONVERGED'}`,
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => arg !== '--');
  const own = new Set(['--stop', '--in-process']);
  const flags = parseCommonFlags(args.filter((arg) => !own.has(arg)));
  const stateDir = flags.stateDir ?? join(process.cwd(), '.plumbline');
  if (args.includes('--stop')) {
    const stopped = await stopHost(join(stateDir, 'emulators.json'));
    console.log(
      stopped ? 'stopped the background emulators' : 'no background emulators were running',
    );
    return 0;
  }
  const result = await runDemo({
    systems: args.includes('--in-process') ? 'in-process' : 'background',
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
    `\n${flags.faults ? `faults ${result.background ? 'on' : `injected: ${result.faultsInjected}`}; ` : ''}${(result.durationMs / 1000).toFixed(1)} s; ${result.converged ? 'every system converged' : 'NOT CONVERGED'}`,
  );
  if (result.background) {
    console.log(
      `the emulators keep running in the background so the next run resumes; stop them with: demo --stop`,
    );
  }
  return result.converged ? 0 : 1;
}

if (isMain(import.meta.url)) runMain(main);
