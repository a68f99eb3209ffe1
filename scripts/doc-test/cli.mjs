// `pnpm test:docs`: type-checks every TypeScript block of every package README against the
// built packages (run `pnpm build` first). Prints each problem as README:line:column and exits
// non-zero when there is one. `pnpm test:docs sync-core` checks one package's README.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkReadmes, formatProblem, repoRoot } from './check-readmes.mjs';

const packagesDir = join(repoRoot, 'packages');
const only = process.argv.slice(2);
const readmes = readdirSync(packagesDir)
  .filter((name) => only.length === 0 || only.includes(name))
  .map((name) => ({
    file: join(packagesDir, name, 'README.md'),
    packageDir: join(packagesDir, name),
  }))
  .filter(
    ({ file, packageDir }) => existsSync(file) && existsSync(join(packageDir, 'package.json')),
  );
for (const { packageDir } of readmes) {
  if (!existsSync(join(packageDir, 'dist'))) {
    console.error(`doc-test: ${relative(repoRoot, packageDir)} is not built; run pnpm build first`);
    process.exit(1);
  }
}
const { problems, checked, skipped } = checkReadmes(readmes);
for (const p of problems) console.error(formatProblem(p));
for (const s of skipped)
  console.log(`doc-test: skipped ${relative(repoRoot, s.file)}:${s.line} (${s.reason})`);
console.log(
  `doc-test: ${checked} blocks in ${readmes.length} READMEs checked, ${skipped.length} skipped, ${problems.length} problems`,
);
process.exit(problems.length === 0 ? 0 : 1);
