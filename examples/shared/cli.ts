/**
 * What every example's command line shares: `--faults`, `--store <kind>`, `--state-dir <dir>`,
 * and running `main()` only when the file is the program (not when a test imports it).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseStoreKind, type StoreKind } from './stores.js';

export interface CommonFlags {
  faults: boolean;
  store: StoreKind;
  stateDir: string | undefined;
  seed: number | undefined;
}

export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseCommonFlags(argv: string[]): CommonFlags {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        faults: { type: 'boolean', default: false },
        store: { type: 'string' },
        'state-dir': { type: 'string' },
        seed: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(
      `${(error as Error).message}\nusage: [--faults] [--store memory|sqlite|postgres] [--state-dir DIR] [--seed N]`,
    );
  }
  const seedText = values.seed as string | undefined;
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new UsageError(`--seed must be an integer, got ${JSON.stringify(seedText)}`);
  }
  return {
    faults: values.faults === true,
    store: parseStoreKind(values.store as string | undefined),
    stateDir: values['state-dir'] as string | undefined,
    seed,
  };
}

/** The demo's flags: the common ones, `--fresh`, and `--console [--console-port N]`. */
export interface DemoFlags extends CommonFlags {
  fresh: boolean;
  /** Leave the operations console running on the demo's state at the end, until Ctrl-C. */
  console: boolean;
  /** The console's port on 127.0.0.1; undefined: any free port. */
  consolePort: number | undefined;
}

export function parseDemoFlags(argv: string[]): DemoFlags {
  const rest: string[] = [];
  let fresh = false;
  let console = false;
  let consolePort: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    if (arg === '--fresh') fresh = true;
    else if (arg === '--console') console = true;
    else if (arg === '--console-port' || arg.startsWith('--console-port=')) {
      const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      const port = Number(text);
      if (text === undefined || !Number.isInteger(port) || port < 0 || port > 65_535)
        throw new UsageError(
          `--console-port must be a port number (0-65535), got ${JSON.stringify(text ?? null)}`,
        );
      consolePort = port;
    } else rest.push(arg);
  }
  if (consolePort !== undefined && !console) throw new UsageError('--console-port needs --console');
  return { ...parseCommonFlags(rest), fresh, console, consolePort };
}

/** True when `moduleUrl` (pass `import.meta.url`) is the file node was asked to run. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** Runs a CLI entry: prints typed errors briefly, sets the exit code, never throws. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const e = error as { code?: string; message?: string };
      console.error(`error${e.code ? ` [${e.code}]` : ''}: ${e.message ?? String(error)}`);
      process.exitCode = 1;
    },
  );
}
