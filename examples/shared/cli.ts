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
