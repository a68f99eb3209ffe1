/**
 * What every example's `run(options)` accepts, and the set-up they share: start the systems (or
 * reuse the demo's), open the state stores (or reuse them), print the banner, and clean up only
 * what was opened here.
 */
import { Progress } from './progress.js';
import { generateSeed, type SeedData, TEST_SIZE } from './seed.js';
import { openStores, type StoreKind, type Stores } from './stores.js';
import { type Systems, type SystemsOptions, startSystems } from './systems.js';

export interface ExampleOptions {
  /** Systems to use; when absent, emulators are started with `seed` (and stopped afterwards). */
  systems?: Systems;
  /** Seed data for emulators started here; default the small test size. */
  seed?: SeedData;
  /** Inject faults into emulators started here. */
  faults?: boolean;
  /** State stores to use; when absent they are opened with `store` (and closed afterwards). */
  stores?: Stores;
  /** Store backend to open; default `memory`. */
  store?: StoreKind;
  /** Directory of SQLite state; default `./.plumbline`. */
  stateDir?: string;
  /** Live progress display; default silent. */
  progress?: Progress;
}

export interface ExampleContext {
  systems: Systems;
  stores: Stores;
  seed: SeedData;
  progress: Progress;
  faults: boolean;
}

export async function withContext<T>(
  name: string,
  options: ExampleOptions,
  systemsOptions: Omit<SystemsOptions, 'seed' | 'faults'>,
  body: (context: ExampleContext) => Promise<T>,
): Promise<T> {
  const progress = options.progress ?? new Progress();
  const seed = options.seed ?? generateSeed(TEST_SIZE);
  const faults = options.faults ?? false;
  const ownSystems = !options.systems;
  const systems = options.systems ?? (await startSystems({ ...systemsOptions, seed, faults }));
  let stores: Stores | undefined = options.stores;
  const ownStores = !stores;
  try {
    stores ??= await openStores({
      kind: options.store ?? 'memory',
      name,
      ...(options.stateDir ? { stateDir: options.stateDir } : {}),
      // Emulators started here begin empty, so their state must too.
      fresh: ownSystems && systems.mode === 'emulators',
    });
    if (ownSystems) {
      progress.log(`${name}: using ${systems.mode === 'real' ? 'REAL ENDPOINTS' : 'emulators'}`);
      for (const line of systems.describe()) progress.log(`  ${line}`);
      progress.log(`  state: ${stores.location}`);
    }
    return await body({ systems, stores, seed, progress, faults });
  } finally {
    if (ownStores) await stores?.close();
    if (ownSystems) await systems.close();
  }
}
