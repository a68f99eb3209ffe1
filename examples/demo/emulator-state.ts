/**
 * The demo's emulators between runs: at the end of a run (and on Ctrl-C) each emulator's snapshot
 * is written to `<state dir>/emulators/<system>.json`; the next run restores them, so it finds
 * the same systems as the state in `<state dir>` describes and resumes rather than repeats. No
 * process outlives the run.
 *
 * The files hold data only: issued tokens and passwords appear in them as digests, and the
 * credentials the emulators accept come from `systems.ts` each run.
 */

import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { EmulatorSnapshots } from '../shared/systems.js';

/** What the saved emulators were seeded with: a run with other settings starts afresh. */
export interface EmulatorStateConfig {
  size: { products: number; customers: number; orders: number };
  seed: number | undefined;
  store: string;
}

interface Manifest {
  config: EmulatorStateConfig;
  savedAt: string;
}

const SYSTEMS = ['commerce', 'netsuite', 'salesforce'] as const;

export const emulatorStateDir = (stateDir: string) => join(stateDir, 'emulators');

export type LoadedEmulatorState =
  | { found: true; snapshots: EmulatorSnapshots; savedAt: string }
  | { found: false; reason: string };

/** The saved snapshots when all three are there and were made with `config`. */
export function loadEmulatorState(
  stateDir: string,
  config: EmulatorStateConfig,
): LoadedEmulatorState {
  const dir = emulatorStateDir(stateDir);
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return { found: false, reason: 'no saved emulators' };
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (JSON.stringify(manifest.config) !== JSON.stringify(config)) {
      return { found: false, reason: 'the saved emulators were seeded with other settings' };
    }
    const read = (name: (typeof SYSTEMS)[number]) =>
      JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
    return {
      found: true,
      savedAt: manifest.savedAt,
      snapshots: {
        commerce: read('commerce'),
        netsuite: read('netsuite'),
        salesforce: read('salesforce'),
      },
    };
  } catch (error) {
    return {
      found: false,
      reason: `the saved emulators are unreadable (${(error as Error).message})`,
    };
  }
}

/**
 * Writes the three snapshots, each to a temporary file renamed into place, and the manifest last,
 * so an interrupted save leaves the previous manifest pointing at complete files or none.
 */
export function saveEmulatorState(
  stateDir: string,
  config: EmulatorStateConfig,
  snapshots: EmulatorSnapshots,
): string {
  const dir = emulatorStateDir(stateDir);
  mkdirSync(dir, { recursive: true });
  rmSync(join(dir, 'manifest.json'), { force: true });
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(`${file}.tmp`, JSON.stringify(value), { mode: 0o600 });
    chmodSync(`${file}.tmp`, 0o600);
    renameSync(`${file}.tmp`, file);
  };
  for (const name of SYSTEMS) write(`${name}.json`, snapshots[name]);
  const manifest: Manifest = { config, savedAt: new Date().toISOString() };
  write('manifest.json', manifest);
  return dir;
}

/** Forgets the saved emulators (`demo --fresh`). */
export function clearEmulatorState(stateDir: string): void {
  rmSync(emulatorStateDir(stateDir), { recursive: true, force: true });
}
