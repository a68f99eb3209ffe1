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

const call = (load: string) => `
${load}
(async () => {
  let hits = 0;
  const server = await listen(async () => (++hits < 2 ? jsonResponse({}, { status: 503 }) : jsonResponse({ ok: true })));
  const transport = createTransport({ retry: { minDelayMs: 1, maxDelayMs: 2 }, vendor: { name: 'x' } });
  const response = await transport(server.url + '/x');
  await server.close();
  process.stdout.write(JSON.stringify({ status: response.status, hits }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('without @opentelemetry/api installed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-no-otel-'));
  const hide = join(dir, 'hide-otel.cjs');
  writeFileSync(hide, HIDE);

  it.each([
    [
      'CommonJS',
      [
        '-e',
        call(
          "const { createTransport } = require('./index.cjs'); const { listen, jsonResponse } = require('./testing.cjs');",
        ),
      ],
    ],
    [
      'ES module',
      [
        '--input-type=module',
        '-e',
        call(
          "const { createTransport } = await import('./index.js'); const { listen, jsonResponse } = await import('./testing.js');",
        ),
      ],
    ],
  ])('the %s build loads and its transport sends, retries and records nothing', async (_, args) => {
    expect(existsSync(`${dist}index.cjs`), 'run `pnpm run build` before the tests').toBe(true);
    const { stdout, stderr } = await run(process.execPath, ['--require', hide, ...args], {
      cwd: dist,
    });
    expect(JSON.parse(stdout)).toEqual({ status: 200, hits: 2 });
    // The transport did look for the module, and went on without it.
    expect(stderr).toContain('hidden: @opentelemetry/api');
  });
});
