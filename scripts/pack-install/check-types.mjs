// Type-checks a fresh project's types.mts and types.cts (strict, nodenext) with the workspace's
// TypeScript, reporting errors in those files and in every declaration file of @plumbline/*
// packages: a declaration that imports a package the install lacks (msw, say) fails here.
// Checking only those files, not all of zod's declarations, keeps it quick.
// Usage: node check-types.mjs <project dir> <workspace root>
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [dir, root] = process.argv.slice(2);
const ts = createRequire(join(root, 'package.json'))('typescript');
const program = ts.createProgram([join(dir, 'types.mts'), join(dir, 'types.cts')], {
  strict: true,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  types: ['node'],
  typeRoots: [join(root, 'node_modules/@types')],
});
const ours = program
  .getSourceFiles()
  .filter(
    (file) =>
      !file.fileName.includes('/node_modules/') ||
      file.fileName.includes('/node_modules/@plumbline/'),
  );
const diagnostics = [
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...ours.flatMap((file) => [
    ...program.getSyntacticDiagnostics(file),
    ...program.getSemanticDiagnostics(file),
  ]),
];
const host = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => dir,
  getNewLine: () => '\n',
};
if (diagnostics.length > 0) {
  process.stderr.write(`${ts.formatDiagnostics(diagnostics, host)}\n`);
  process.exitCode = 1;
} else {
  console.log(`${ours.length} files checked`);
}
