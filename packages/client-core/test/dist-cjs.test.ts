import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** A retry through p-retry (ESM-only) from the CommonJS build, in a plain node process. */
const script = `
const { createTransport, markIdempotent } = require('./index.cjs');
const { listen, jsonResponse } = require('./testing.cjs');
(async () => {
  let hits = 0;
  const server = await listen(async () => (++hits < 3 ? jsonResponse({}, { status: 503 }) : jsonResponse({ ok: true })));
  const transport = createTransport({ retry: { minDelayMs: 1, maxDelayMs: 2 } });
  const response = await transport(server.url + '/x', { method: 'POST', body: 'b', headers: markIdempotent() });
  await server.close();
  process.stdout.write(JSON.stringify({ status: response.status, hits }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('the CommonJS build', () => {
  it('loads with require() and retries through p-retry', async () => {
    expect(existsSync(`${dist}index.cjs`), 'run `pnpm run build` before the tests').toBe(true);
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: dist });
    expect(JSON.parse(stdout)).toEqual({ status: 200, hits: 3 });
  });
});
