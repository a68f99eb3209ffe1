// `pnpm bench [--quick] [--only …]`: run the scenarios, print the report, write RESULTS.md.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BenchArgsError, parseArgs, USAGE } from './harness/args.js';
import { headlineMarkdown, reportMarkdown, withHeadline } from './harness/report.js';
import { runBench, UnknownScenarioError } from './harness/run.js';
import { scenarios, unavailable } from './scenarios/index.js';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const report = await runBench({
    scenarios,
    unavailable,
    quick: args.quick,
    only: args.only,
    runs: args.runs,
    latencyMs: args.latencyMs,
    log: (message) => console.error(message),
  });
  const markdown = reportMarkdown(report);
  console.log(markdown);
  const fullRun = !args.quick && args.only.length === 0;
  const out =
    args.out ?? (fullRun ? fileURLToPath(new URL('../RESULTS.md', import.meta.url)) : undefined);
  if (out !== undefined) {
    await writeFile(out, markdown);
    console.error(`wrote ${out}`);
  }
  if (fullRun && args.out === undefined) {
    // Keep the README's headline ratios in step with the committed RESULTS.md.
    const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
    const readme = await readFile(readmePath, 'utf8');
    await writeFile(readmePath, withHeadline(readme, headlineMarkdown(report)));
    console.error(`updated the headline ratios in ${readmePath}`);
  }
  const incomplete = report.scenarios.flatMap((s) =>
    s.variants.filter((v) => !v.complete && !v.shortfallExpected),
  );
  if (incomplete.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  if (error instanceof BenchArgsError || error instanceof UnknownScenarioError) {
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
