/**
 * The demo's background host: keeps the three emulators (and so their data) alive between demo
 * runs, so that a second run resumes against the same systems and the same state in
 * `./.plumbline/`. Started detached by `demo`, stopped by `demo --stop` (or SIGTERM).
 *
 * It writes `<state dir>/emulators.json` (where the emulators listen, the emulator-only
 * credentials they accept, and what they were seeded with) once they are up, and removes it on exit.
 */

import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMain } from '../shared/cli.js';
import { generateSeed, type SeedSize } from '../shared/seed.js';
import { type EmulatorEndpoints, startEmulatorServers } from '../shared/systems.js';

export interface HostConfig {
  size: SeedSize;
  seed: number | undefined;
  faults: boolean;
}

export interface HostRecord {
  pid: number;
  config: HostConfig;
  endpoints: EmulatorEndpoints;
  startedAt: string;
}

export function readHostRecord(file: string): HostRecord | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as HostRecord;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running host of `file` when it is alive, answers, and was seeded as `config` asks. */
export async function findHost(file: string, config: HostConfig): Promise<HostRecord | undefined> {
  const record = readHostRecord(file);
  if (!record || !alive(record.pid)) return undefined;
  if (JSON.stringify(record.config) !== JSON.stringify(config)) return undefined;
  try {
    await fetch(`${record.endpoints.salesforce}/services/data`, {
      signal: AbortSignal.timeout(2000),
    });
    return record;
  } catch {
    return undefined;
  }
}

/** Stops the host recorded in `file` (a process the demo started), and waits until it is gone. */
export async function stopHost(file: string): Promise<boolean> {
  const record = readHostRecord(file);
  if (!record) return false;
  if (alive(record.pid)) {
    process.kill(record.pid, 'SIGTERM');
    for (let i = 0; i < 100 && alive(record.pid); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  rmSync(file, { force: true });
  return true;
}

/** Starts a detached host for `config` and waits until its emulators listen. */
export async function startHost(file: string, config: HostConfig): Promise<HostRecord> {
  await stopHost(file);
  const entry = fileURLToPath(import.meta.url);
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), entry, file, JSON.stringify(config)],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  for (let i = 0; i < 600; i++) {
    const record = readHostRecord(file);
    if (record && record.pid === child.pid) return record;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the emulator host did not start (see ${file})`);
}

async function host(file: string, config: HostConfig): Promise<void> {
  const servers = await startEmulatorServers({
    seed: generateSeed(config.size, config.seed),
    faults: config.faults,
  });
  const record: HostRecord = {
    pid: process.pid,
    config,
    endpoints: servers.endpoints,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(file, JSON.stringify(record, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  const stop = async () => {
    rmSync(file, { force: true });
    await servers.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (isMain(import.meta.url)) {
  const [file, config] = process.argv.slice(2);
  if (!file || !config) {
    console.error('usage: emulator-host.ts <record file> <config json>');
    process.exitCode = 2;
  } else {
    host(file, JSON.parse(config) as HostConfig).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }
}
