import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MemoryPeak } from './memory.js';

/** What a worker run in a child process reports back. */
export interface ChildReport<T> {
  value: T;
  ms: number;
  memory: MemoryPeak;
}

export const CHILD_RESULT_PREFIX = '@@bench-result ';

const benchDir = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('./child-entry.ts', import.meta.url));

/**
 * Run one exported worker function in a fresh Node process (loaded through tsx), so its peak
 * memory is its own: the emulator and the harness stay in the parent. `modulePath` is relative
 * to bench/src (e.g. 'scenarios/salesforce-query.ts'); the worker receives `input` and returns a
 * JSON-serialisable value.
 */
export function runInChild<T>(
  modulePath: string,
  exportName: string,
  input: unknown,
  options: {
    timeoutMs?: number;
    /** How often the child forces a GC to read its live heap (default 1000 ms). */
    gcEveryMs?: number;
  } = {},
): Promise<ChildReport<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', entry, modulePath, exportName, JSON.stringify(input)],
      {
        cwd: benchDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...(options.gcEveryMs ? { PLUMBLINE_BENCH_GC_EVERY_MS: String(options.gcEveryMs) } : {}),
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`child ${modulePath}#${exportName} timed out after ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs ?? 240_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(CHILD_RESULT_PREFIX));
      if (code !== 0 || line === undefined) {
        reject(
          new Error(
            `child ${modulePath}#${exportName} exited with code ${code}: ${stderr.slice(-2000)}`,
          ),
        );
        return;
      }
      resolve(JSON.parse(line.slice(CHILD_RESULT_PREFIX.length)) as ChildReport<T>);
    });
  });
}
