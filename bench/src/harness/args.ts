/** Command-line options of `pnpm bench`. */
export interface BenchArgs {
  quick: boolean;
  /** Scenario ids or keys to run; empty = all. */
  only: string[];
  runs?: number;
  latencyMs?: number;
  /** Where to write the Markdown report; undefined = RESULTS.md in full mode, nowhere in quick. */
  out?: string;
  help: boolean;
}

export class BenchArgsError extends Error {
  readonly code = 'BENCH_ARGS';
}

export const USAGE = `usage: pnpm bench [--quick] [--only <id|key>[,<id|key>…]] [--runs N] [--latency MS] [--out FILE]
  --quick       tiny sizes, 1 run each, 2 ms latency; finishes in seconds (used by the test suite)
  --only        run only these scenarios, e.g. --only 3,netsuite-suiteql
  --runs        repetitions per variant (default 3; figures are medians)
  --latency     injected per-request latency of the emulators in ms (default 20)
  --out         write the Markdown report to FILE (default bench/RESULTS.md in full mode)`;

function positiveInteger(flag: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new BenchArgsError(
      `${flag} needs ${allowZero ? 'a non-negative' : 'a positive'} integer, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
    );
  }
  return n;
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, only: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === '--') continue;
    const eq = raw.indexOf('=');
    const flag = eq === -1 ? raw : raw.slice(0, eq);
    const inline = eq === -1 ? undefined : raw.slice(eq + 1);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--quick':
        args.quick = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--only':
      case '--scenario': {
        const list = value();
        if (list === undefined || list.trim() === '') {
          throw new BenchArgsError(`${flag} needs a scenario id or key, e.g. ${flag} 6`);
        }
        args.only.push(
          ...list
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        break;
      }
      case '--runs':
        args.runs = positiveInteger(flag, value());
        break;
      case '--latency':
        args.latencyMs = positiveInteger(flag, value(), true);
        break;
      case '--out': {
        const out = value();
        if (out === undefined || out === '') throw new BenchArgsError('--out needs a file path');
        args.out = out;
        break;
      }
      default:
        throw new BenchArgsError(`unknown option ${JSON.stringify(raw)}\n${USAGE}`);
    }
  }
  return args;
}
