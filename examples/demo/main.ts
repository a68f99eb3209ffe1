/**
 * `demo`: the whole system on one machine. Starts the Adobe Commerce, NetSuite and Salesforce
 * emulators with realistic seed data, runs the integration patterns in turn with a live progress
 * display, prints a summary table and exits 0 only if every system converged.
 *
 *   pnpm --filter @plumbline/examples run demo [-- --faults] [-- --store sqlite|postgres|memory] [-- --fresh] [-- --console [--console-port N]]
 *
 * With `--console` the operations console stays up on the demo's state at the end (its URL is
 * printed) until Ctrl-C.
 *
 * The emulators' data is saved to `./.plumbline/emulators/` at the end of a run (and on Ctrl-C)
 * and restored by the next run, which so resumes against the same systems and state.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run as catalogSync } from '../catalog-sync/index.js';
import { run as companyHierarchy } from '../company-hierarchy/index.js';
import { run as contractPricing } from '../contract-pricing/index.js';
import { run as customerMaster } from '../customer-master/index.js';
import { run as dualWriteOrder } from '../dual-write-order/index.js';
import { run as negotiableQuote } from '../negotiable-quote/index.js';
import { run as orderApproval } from '../order-approval/index.js';
import { run as pricingOnDemand } from '../pricing-on-demand/index.js';
import { run as reporting } from '../reporting/index.js';
import { run as reservationAndConfirm } from '../reservation-and-confirm/index.js';
import { isMain, parseDemoFlags, runMain } from '../shared/cli.js';
import type { ExampleOptions } from '../shared/context.js';
import { Progress } from '../shared/progress.js';
import { type PatternReport, summaryTable } from '../shared/report.js';
import { DEMO_SIZE, generateSeed, type SeedSize } from '../shared/seed.js';
import { openStores, type StoreKind, type Stores } from '../shared/stores.js';
import { realEndpointsConfigured, type Systems, startSystems } from '../shared/systems.js';
import { serveDemoConsole } from './console.js';
import {
  clearEmulatorState,
  type EmulatorStateConfig,
  loadEmulatorState,
  saveEmulatorState,
} from './emulator-state.js';

export interface DemoOptions {
  /**
   * Keep the emulators' data in `<stateDir>/emulators/` (default true): restore it at start when
   * an earlier run with the same settings saved it, and save it at the end (and on SIGINT), so the
   * next run resumes against the same systems and the same state. With `false`, or with
   * `store: 'memory'`, every run starts afresh and nothing is written.
   */
  persist?: boolean;
  /** Forget saved emulators and state and start over (`demo --fresh`). */
  fresh?: boolean;
  /** Save the emulators and exit 130 on SIGINT (the `demo` command sets it). */
  saveOnInterrupt?: boolean;
  faults?: boolean;
  store?: StoreKind;
  stateDir?: string;
  seed?: number;
  size?: SeedSize;
  /**
   * The PostgreSQL schema the reporting pattern exports to: default `plumbline_reporting` with the
   * default state directory, else one named after the state directory, so demos kept in different
   * directories never share (and reconcile away) each other's facts.
   */
  reportingSchema?: string;
  /**
   * Leave the state stores open and return them in `stores` (the caller closes them): for the
   * operations console of `demo --console`.
   */
  keepStores?: boolean;
  /** Where progress and the summary go; default silent. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

export interface DemoResult {
  /** The run continued against emulators and state kept from an earlier run. */
  resumed: boolean;
  /** Where the emulators' snapshots were saved at the end (undefined: not kept). */
  savedTo: string | undefined;
  reports: PatternReport[];
  converged: boolean;
  table: string;
  faultsInjected: number;
  durationMs: number;
  /** The state stores, still open, when `keepStores` was set (close them when done). */
  stores?: Stores;
}

type Pattern = (
  options: ExampleOptions & { reportingSchema: string },
  size: SeedSize,
) => Promise<PatternReport>;

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
  ['company-hierarchy', (o) => companyHierarchy(o)],
  [
    'contract-pricing',
    (o, size) => contractPricing({ ...o, customers: Math.min(10, size.customers) }),
  ],
  ['order-approval', (o) => orderApproval({ ...o, orders: 30 })],
  ['negotiable-quote', (o, size) => negotiableQuote({ ...o, buyers: Math.min(8, size.customers) })],
  // Last: the facts of everything the patterns above did, for the BI tool.
  ['reporting', ({ reportingSchema, ...o }) => reporting({ ...o, schema: reportingSchema })],
];

/** The reporting schema of a demo kept in `stateDir` (see `DemoOptions.reportingSchema`). */
export function reportingSchemaFor(stateDir: string): string {
  if (resolve(stateDir) === resolve(process.cwd(), '.plumbline')) return 'plumbline_reporting';
  return `plumbline_reporting_${createHash('sha256').update(resolve(stateDir)).digest('hex').slice(0, 10)}`;
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const started = Date.now();
  const progress = new Progress(options.stream ? { stream: options.stream } : {});
  const size = options.size ?? DEMO_SIZE;
  const seed = generateSeed(size, options.seed);
  const stateDir = options.stateDir ?? join(process.cwd(), '.plumbline');
  const storeKind = options.store ?? 'sqlite';
  // With memory state nothing survives the run, so keeping the emulators would not resume anything.
  const persist = (options.persist ?? true) && storeKind !== 'memory' && !realEndpointsConfigured();
  const config: EmulatorStateConfig = { size, seed: options.seed, store: storeKind };
  if (options.fresh) clearEmulatorState(stateDir);
  let saved = persist ? loadEmulatorState(stateDir, config) : undefined;
  let systems: Systems;
  try {
    systems = await startSystems({
      seed,
      faults: options.faults ?? false,
      ...(saved?.found ? { snapshots: saved.snapshots } : {}),
    });
  } catch (error) {
    // A snapshot of another version or a damaged one: say so and seed the emulators afresh.
    if ((error as { code?: string }).code !== 'EMULATOR_SNAPSHOT_INVALID') throw error;
    saved = {
      found: false,
      reason: `the saved emulators cannot be restored: ${(error as Error).message}`,
    };
    systems = await startSystems({ seed, faults: options.faults ?? false });
  }
  const resumed = saved?.found === true;
  let savedTo: string | undefined;
  const save = () => {
    if (!persist || !systems.emulators) return;
    const { commerce, netsuite, salesforce } = systems.emulators;
    savedTo = saveEmulatorState(stateDir, config, {
      commerce: commerce.snapshot(),
      netsuite: netsuite.snapshot(),
      salesforce: salesforce.snapshot(),
    });
  };
  const onInterrupt = () => {
    progress.stop();
    save();
    console.error(
      `\ninterrupted: the emulators' data is saved in ${savedTo}; the next run resumes`,
    );
    process.exit(130);
  };
  if (options.saveOnInterrupt) process.once('SIGINT', onInterrupt);
  progress.log(
    `plumbline demo: ${size.products} products, ${size.customers} customers, ${size.orders} orders${options.faults ? ', faults injected' : ''}`,
  );
  for (const line of systems.describe()) progress.log(`  ${line}`);
  if (persist) {
    progress.log(
      saved?.found
        ? `  emulators: restored from ${stateDir}/emulators (saved ${saved.savedAt}): resuming`
        : `  emulators: freshly seeded (${options.fresh ? '--fresh' : (saved?.reason ?? 'nothing saved')})`,
    );
  }
  // Freshly seeded emulators know nothing of earlier runs, so the state starts afresh with them
  // (state recorded against other systems would describe records that do not exist). With the
  // emulators restored from the last run, or against real endpoints, the state is kept: resume.
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
        const reportingSchema = options.reportingSchema ?? reportingSchemaFor(stateDir);
        reports.push(await pattern({ systems, stores, seed, progress, reportingSchema }, size));
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
    if (options.saveOnInterrupt) process.removeListener('SIGINT', onInterrupt);
    progress.stop();
    save();
    if (!options.keepStores) await stores.close();
    await systems.close();
  }
  const table = summaryTable(reports);
  const result: DemoResult = {
    resumed,
    savedTo,
    reports,
    converged: reports.every((r) => r.converged),
    table,
    faultsInjected: systems.faultCount(),
    durationMs: Date.now() - started,
    ...(options.keepStores ? { stores } : {}),
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
    `- ${options.faults ? `faults injected: ${result.faultsInjected}; ` : ''}${result.resumed ? 'resumed against the emulators and state of the previous run; ' : ''}total ${(result.durationMs / 1000).toFixed(1)} s; ${result.converged ? 'every system converged' : 'NOT CONVERGED'}`,
    '',
  ].join('\n');
}

async function main(): Promise<number> {
  const flags = parseDemoFlags(process.argv.slice(2));
  const result = await runDemo({
    fresh: flags.fresh,
    keepStores: flags.console,
    saveOnInterrupt: true,
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
    `\n${flags.faults ? `faults injected: ${result.faultsInjected}; ` : ''}${(result.durationMs / 1000).toFixed(1)} s; ${result.converged ? 'every system converged' : 'NOT CONVERGED'}`,
  );
  if (result.savedTo) {
    console.log(
      `the emulators' data is saved in ${result.savedTo}, so the next run resumes; start over with: demo --fresh`,
    );
  }
  if (flags.console && result.stores) await serveUntilInterrupt(result, flags.consolePort);
  return result.converged ? 0 : 1;
}

/** `--console`: the operations console on the demo's state until Ctrl-C, then the stores close. */
async function serveUntilInterrupt(result: DemoResult, port: number | undefined): Promise<void> {
  const stores = result.stores as Stores;
  const running = await serveDemoConsole({ stores, reports: result.reports, port });
  console.log(`\noperations console: ${running.url}  (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await running.close();
  await stores.close();
}

if (isMain(import.meta.url)) runMain(main);
