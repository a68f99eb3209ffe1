/**
 * Bundles `step.ts` into one ES module with every dependency inlined (no `node_modules`, no native
 * code): `pnpm --filter @plumbline/examples run build:ipaas` writes `ipaas-step/dist/step.mjs`.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { isMain, runMain } from '../shared/cli.js';

export async function bundleStep(outDir: string): Promise<string> {
  await build({
    entry: { step: fileURLToPath(new URL('./step.ts', import.meta.url)) },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    bundle: true,
    noExternal: [/.*/],
    splitting: false,
    sourcemap: false,
    dts: false,
    clean: false,
    silent: true,
    outExtension: () => ({ js: '.mjs' }),
    // Some dependencies are CommonJS and call require(): give the ES module one.
    banner: {
      js: "import { createRequire as __plumblineRequire } from 'node:module';\nconst require = __plumblineRequire(import.meta.url);",
    },
    config: false,
  });
  return `${outDir}/step.mjs`;
}

if (isMain(import.meta.url)) {
  runMain(async () => {
    const file = await bundleStep(fileURLToPath(new URL('./dist', import.meta.url)));
    console.log(`wrote ${file}`);
    return 0;
  });
}
