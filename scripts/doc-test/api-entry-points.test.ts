// The API reference documents every published entry point: each package's typedoc.json lists the
// sources of exactly the subpaths its package.json exports, so a new subpath cannot be left out.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiEntryPoints } from './api-entry-points.mjs';
import { repoRoot } from './check-readmes.mjs';

const packages = readdirSync(join(repoRoot, 'packages')).filter((name) =>
  existsSync(join(repoRoot, 'packages', name, 'package.json')),
);

describe('API reference entry points', () => {
  it.each(packages)('%s: typedoc.json lists the source of every exported subpath', (name) => {
    const dir = join(repoRoot, 'packages', name);
    const typedoc = JSON.parse(readFileSync(join(dir, 'typedoc.json'), 'utf8')) as {
      entryPoints: string[];
    };
    const expected = apiEntryPoints(dir);
    expect(expected.length).toBeGreaterThan(0);
    expect([...typedoc.entryPoints].sort()).toEqual([...expected].sort());
    for (const entry of expected) expect(existsSync(join(dir, entry)), entry).toBe(true);
  });
});
