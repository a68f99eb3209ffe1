import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * tsup configuration of a package built as ES modules and CommonJS, where the CommonJS build
 * inlines some dependencies:
 *
 * - ESM-only ones (p-retry and is-network-error in client-core): require() of an ES module fails
 *   on Node before 20.19, which `engines: ">=20"` admits;
 * - dual ones whose CommonJS build marks itself `__esModule` (openapi-fetch): from a
 *   `"type": "module"` package the bundler imports CommonJS the way Node does, so the default
 *   import would be the whole `module.exports` object instead of `createClient`.
 *
 * The ES module build imports them all. `scripts/pack-install.mjs` requires the packed builds
 * with `--no-experimental-require-module` and runs each client from CommonJS.
 */
export function dualFormatConfig(options: {
  packageDir: string;
  entry: string[];
  inlineInCommonJs: string[];
}) {
  const shared: Options = {
    // import.meta.url in the CommonJS build (the optional `@opentelemetry/api` is loaded with createRequire).
    shims: true,
    entry: options.entry,
    dts: true,
    // The two builds write into dist at the same time, so neither cleans it: it is cleared once
    // here, when tsup loads the configuration.
    clean: false,
    sourcemap: true,
    target: 'node20',
    splitting: false,
  };
  rmSync(join(options.packageDir, 'dist'), { recursive: true, force: true });
  return defineConfig([
    { ...shared, format: ['esm'] },
    { ...shared, format: ['cjs'], noExternal: options.inlineInCommonJs },
  ]);
}
