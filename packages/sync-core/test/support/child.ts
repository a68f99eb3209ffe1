import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerConfig } from '../workers/worker.js';

const workerPath = fileURLToPath(new URL('../workers/worker.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerMessage {
  type: string;
  [field: string]: unknown;
}

export interface SpawnedWorker {
  child: ChildProcess;
  messages: WorkerMessage[];
  waitFor(type: string, timeoutMs?: number): Promise<WorkerMessage>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts test/workers/worker.ts in its own Node process (`node --import tsx`). */
export function spawnWorker(config: WorkerConfig): SpawnedWorker {
  return spawnScript(workerPath, config);
}

/** Starts a worker script under test/workers/ in its own Node process, config in PLUMBLINE_WORKER. */
export function spawnScript(script: string, config: unknown): SpawnedWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: packageDir,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, PLUMBLINE_WORKER: JSON.stringify(config) },
  });
  const messages: WorkerMessage[] = [];
  const waiters: Array<() => void> = [];
  child.on('message', (message: WorkerMessage) => {
    messages.push(message);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters.splice(0)) wake();
    });
  });
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  return {
    child,
    messages,
    exited,
    async waitFor(type, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find((message) => message.type === type);
        if (found) return found;
        if (gone) throw new Error(`worker ${child.pid} exited before sending "${type}"`);
        if (Date.now() > deadline)
          throw new Error(`worker ${child.pid} sent no "${type}" within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async stop() {
      if (!gone) child.send({ type: 'stop' });
      return exited;
    },
  };
}
