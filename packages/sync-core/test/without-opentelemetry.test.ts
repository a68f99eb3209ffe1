import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * Preloaded into the child: `@opentelemetry/api` resolves as if it were not installed (Node's own
 * MODULE_NOT_FOUND), the way it is in an install without the optional peer
 * (scripts/pack-install.mjs checks that case on the packed tarballs).
 */
const HIDE = `
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === '@opentelemetry/api' || request.startsWith('@opentelemetry/api/')) {
    process.stderr.write('hidden: ' + request + '\\n');
    const error = new Error("Cannot find module '" + request + "'");
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
`;

/** A queue job, a failed one dead-lettered, and a reconciliation: every recording site runs. */
const work = (load: string) => `
${load}
(async () => {
  const queue = createQueue(memoryQueueStore(), { name: 'q' });
  await queue.enqueueMany([{ payload: 1 }, { payload: 2 }]);
  const stop = new AbortController();
  let seen = 0;
  await queue.work(async (job) => {
    if (++seen === 2) stop.abort();
    if (job.payload === 2) throw new Error('bad');
  }, { signal: stop.signal, isPermanent: () => true, pollMs: 5 });
  const report = await reconcile([{ id: 1 }, { id: 2 }], [{ id: 1 }], { key: 'id' });
  process.stdout.write(JSON.stringify({ stats: await queue.stats(), missing: report.stats.missingRight }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('without @opentelemetry/api installed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-no-otel-'));
  const hide = join(dir, 'hide-otel.cjs');
  writeFileSync(hide, HIDE);

  it.each([
    [
      'CommonJS',
      ['-e', work("const { createQueue, memoryQueueStore, reconcile } = require('./index.cjs');")],
    ],
    [
      'ES module',
      [
        '--input-type=module',
        '-e',
        work("const { createQueue, memoryQueueStore, reconcile } = await import('./index.js');"),
      ],
    ],
  ])('the %s build loads, works its queue and reconciles, recording nothing', async (_, args) => {
    expect(existsSync(`${dist}index.cjs`), 'run `pnpm run build` before the tests').toBe(true);
    const { stdout, stderr } = await run(process.execPath, ['--require', hide, ...args], {
      cwd: dist,
    });
    expect(JSON.parse(stdout)).toMatchObject({ stats: { ready: 0, dead: 1 }, missing: 1 });
    expect(stderr).toContain('hidden: @opentelemetry/api');
  });
});
