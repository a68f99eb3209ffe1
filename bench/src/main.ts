// `pnpm bench [--quick] [--only …]`: run the scenarios, print the report, write RESULTS.md.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BenchArgsError, parseArgs, USAGE } from './harness/args.js';
import { reportMarkdown } from './harness/report.js';
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
  const out =
    args.out ??
    (args.quick || args.only.length > 0
      ? undefined
      : fileURLToPath(new URL('../RESULTS.md', import.meta.url)));
  if (out !== undefined) {
    await writeFile(out, markdown);
    console.error(`wrote ${out}`);
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
