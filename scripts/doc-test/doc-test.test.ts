// The README doc-test must be able to fail: a fixture README with broken blocks is reported with
// its file and line, and one whose blocks compile passes. Runs against the built packages.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReadmes, formatProblem, repoRoot } from './check-readmes.mjs';
import { readmeBlocks } from './readme-blocks.mjs';

const clientCore = join(repoRoot, 'packages/client-core');
const broken = join(import.meta.dirname, 'fixtures/broken/README.md');
const sound = join(import.meta.dirname, 'fixtures/sound/README.md');

describe('README doc-test', () => {
  it('needs the built packages', () => {
    expect(existsSync(join(clientCore, 'dist/index.d.ts'))).toBe(true);
  });

  it('reports each broken block of a README with its file and line', () => {
    const { problems, checked } = checkReadmes([{ file: broken, packageDir: clientCore }]);
    const at = problems.map(
      (p) => `${p.file === broken ? 'README.md' : p.file}:${p.line} ${p.code}`,
    );
    expect(checked).toBe(5);
    expect(at).toEqual(
      expect.arrayContaining([
        'README.md:20 2322', // timeoutMs: 'ten seconds' is not a number
        'README.md:26 2304', // cannot find name 'pino'
        'README.md:33 2304', // the quick start does not see the givens' `token`
        'README.md:39 2307', // src paths are not published entry points
        'README.md:42 doc-test', // a skip without a reason
      ]),
    );
    expect(problems).toHaveLength(5);
    const printed = problems.map(formatProblem).join('\n');
    expect(printed).toMatch(/README\.md:20:\d+ - error TS2322: .*number/);
    expect(printed).toMatch(/README\.md:26:\d+ - error TS2304: Cannot find name 'pino'/);
  });

  it('passes a README whose blocks compile, and counts what it skipped', () => {
    const { problems, checked, skipped } = checkReadmes([{ file: sound, packageDir: clientCore }]);
    expect(problems.map(formatProblem)).toEqual([]);
    expect(checked).toBe(2);
    expect(skipped).toEqual([
      {
        file: sound,
        line: 23,
        reason: 'a fragment of an options object, shown for its shape only',
      },
    ]);
  });

  it('refuses links that break on the registry page (relative paths), not absolute ones or anchors', () => {
    const text = [
      'See [client-core](../client-core) and [the stores](docs/stores/memory.md).',
      'Also [quick start](#quick-start), [repo](https://github.com/plumbline/plumbline) and `[x](y)` in code.',
    ].join('\n');
    expect(
      readmeBlocks('README.md', text).problems.map((p) => [p.line, p.message.split(' breaks')[0]]),
    ).toEqual([
      [1, 'link to ../client-core'],
      [1, 'link to docs/stores/memory.md'],
    ]);
  });

  it('reads markers, givens and line numbers from the README text', () => {
    const { blocks, givens, problems } = readmeBlocks(sound);
    expect(problems).toEqual([]);
    expect(givens).toEqual([{ line: 4, code: 'declare const token: string;' }]);
    expect(blocks.map((b) => [b.line, b.quickStart, b.skip])).toEqual([
      [9, true, undefined],
      [16, false, undefined],
      [23, false, 'a fragment of an options object, shown for its shape only'],
    ]);
  });
});
