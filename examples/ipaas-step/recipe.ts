/**
 * The iPaaS recipe end to end, as CI runs it (`pnpm --filter @plumbline/examples run recipe:ipaas`,
 * part of the root `verify`): bundle `step.ts` into one file, copy nothing else into a fresh
 * temporary folder (no `node_modules` there or above it), start the three emulators, run the bundle
 * there in a separate Node process the way a custom-code step runs it, check what it wrote, and
 * print the bundle's size.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { isMain, runMain } from '../shared/cli.js';
import { generateSeed, TEST_SIZE } from '../shared/seed.js';
import { startEmulatorServers } from '../shared/systems.js';
import { bundleStep } from './bundle.js';
import { emulatorStepInput } from './emulator-input.js';

const run = promisify(execFile);

/** Fails when Node could resolve a package from dir: a node_modules in it or any folder above. */
function assertNoNodeModules(dir: string): void {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules'))) {
      throw new Error(`${join(at, 'node_modules')} exists: the bundle would not run on its own`);
    }
    if (dirname(at) === at) return;
  }
}

// The platform's side: load the one file and call its handler with the flow's JSON, twice (a retry).
const INVOKE = `import { readFileSync } from 'node:fs';
import { handler } from './step.mjs';
const input = JSON.parse(readFileSync('input.json', 'utf8'));
const first = await handler(input);
const again = await handler(input);
console.log(JSON.stringify({ first, again }));
`;

export async function runRecipe(log: (line: string) => void): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-ipaas-recipe-'));
  const servers = await startEmulatorServers({ seed: generateSeed(TEST_SIZE) });
  try {
    const bundle = await bundleStep(dir);
    assertNoNodeModules(dir);
    const orderId = 3;
    writeFileSync(
      join(dir, 'input.json'),
      JSON.stringify(emulatorStepInput(servers.endpoints, orderId)),
    );
    writeFileSync(join(dir, 'invoke.mjs'), INVOKE);
    const { stdout } = await run(process.execPath, ['invoke.mjs'], { cwd: dir, timeout: 60_000 });
    const { first, again } = JSON.parse(stdout.trim().split('\n').pop()!) as {
      first: { status: string; netsuiteId?: string; externalId: string };
      again: { status: string; netsuiteId?: string };
    };
    const incrementId = String(servers.emulators.commerce.state.orders.get(orderId)?.increment_id);
    const written = servers.emulators.netsuite.state
      .records('salesOrder')
      .filter((r) => r.externalId === incrementId);
    const problems = [
      first.status === 'created' ? '' : `first run: ${JSON.stringify(first)}, expected created`,
      again.status === 'duplicate'
        ? ''
        : `second run: ${JSON.stringify(again)}, expected duplicate`,
      written.length === 1 && written[0]!.id === first.netsuiteId
        ? ''
        : `NetSuite holds ${written.length} sales orders for ${incrementId}, expected 1`,
    ].filter(Boolean);
    const bytes = statSync(bundle).size;
    const gzipped = gzipSync(readFileSync(bundle)).length;
    log(
      `ipaas recipe: step.mjs is ${(bytes / 1024).toFixed(0)} KB (${(gzipped / 1024).toFixed(0)} KB gzipped), one file, Node built-ins only`,
    );
    log(
      `ipaas recipe: ran from ${dir} (no node_modules): order ${incrementId} ${first.status} as NetSuite sales order ${first.netsuiteId}, then ${again.status}`,
    );
    for (const problem of problems) log(`ipaas recipe: FAIL ${problem}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await servers.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) runMain(() => runRecipe((line) => console.log(line)));
