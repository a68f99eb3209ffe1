/**
 * The command line every pattern program shares: parse the common flags, run the pattern against
 * the demo-size seed with a live progress display, print its summary, exit 0 only if it converged.
 */
import { parseCommonFlags, runMain } from './cli.js';
import type { ExampleOptions } from './context.js';
import { Progress } from './progress.js';
import { type PatternReport, summaryTable } from './report.js';
import { DEMO_SIZE, generateSeed } from './seed.js';

export function runPatternCli<O extends ExampleOptions, R extends PatternReport>(
  run: (options: O) => Promise<R>,
  /** Options of this pattern beyond the common ones (e.g. how many shoppers). */
  extra: Omit<O, keyof ExampleOptions>,
  /** Lines printed after the notes (e.g. dead letters). */
  details: (report: R) => string[] = () => [],
): void {
  runMain(async () => {
    const flags = parseCommonFlags(process.argv.slice(2));
    const progress = new Progress({ stream: process.stdout });
    const report = await run({
      ...extra,
      seed: generateSeed(DEMO_SIZE, flags.seed),
      faults: flags.faults,
      store: flags.store,
      ...(flags.stateDir ? { stateDir: flags.stateDir } : {}),
      progress,
    } as O);
    progress.stop();
    console.log(`\n${summaryTable([report])}\n`);
    for (const line of [...report.notes, ...details(report)]) console.log(`- ${line}`);
    return report.converged ? 0 : 1;
  });
}
