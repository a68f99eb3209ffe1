// The sources whose exports make up a package's published entry points: each subpath of the
// package.json `exports` map, from its `types` file in dist back to its source in src. TypeDoc
// documents exactly these (each package's typedoc.json lists them; a test keeps the two in step).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @param {string} packageDir @returns {string[]} */
export function apiEntryPoints(packageDir) {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  /** @type {string[]} */
  const entries = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath.includes('*') || target === null || typeof target !== 'object') continue;
    const types = target.import?.types ?? target.types;
    if (typeof types !== 'string') continue;
    entries.push(types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'));
  }
  return entries;
}
