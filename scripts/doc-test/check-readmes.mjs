// Type-checks the TypeScript blocks of READMEs against the built packages, as a user's project
// would see them: strict, `module`/`moduleResolution: nodenext`, no DOM, `@plumbline/*` resolved
// through each package's `exports` to its dist (never src).
//
// Each README gets a scratch project in a temporary folder: a package.json of `"type": "module"`,
// and a node_modules holding links to the package itself and to what the package has installed
// (its dependencies, peers and dev tools, the way a user who followed the install line has
// them), plus @types/node. Each block is a module of its own; the README's givens (see
// readme-blocks.mjs) are global declarations of that README's project. Quick starts are checked
// in a project without givens, so they must stand on their own.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { readmeBlocks } from './readme-blocks.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** What a user's strict TypeScript project for Node looks like. */
export const compilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  esModuleInterop: true,
  skipLibCheck: true, // as `tsc --init` sets it; our dist types are checked by attw and the build
  noEmit: true,
};

/**
 * @typedef {{ file: string; packageDir: string }} ReadmeInput
 * @typedef {{ file: string; line: number; column: number; code: number | string; message: string }} DocProblem
 * @typedef {{ problems: DocProblem[]; checked: number; skipped: { file: string; line: number; reason: string }[] }} DocResult
 */

/**
 * Links a package and what it has installed into `dir/node_modules`.
 * @param {string} dir
 * @param {string} packageDir
 */
export function linkInstall(dir, packageDir) {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  const link = (/** @type {string} */ name, /** @type {string} */ target) => {
    const at = join(modules, name);
    if (existsSync(at)) return;
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(target, at, 'dir');
  };
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  if (typeof pkg.name === 'string') link(pkg.name, packageDir);
  const installed = join(packageDir, 'node_modules');
  if (existsSync(installed)) {
    for (const entry of readdirSync(installed)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) {
        for (const scoped of readdirSync(join(installed, entry)))
          link(`${entry}/${scoped}`, join(installed, entry, scoped));
      } else link(entry, join(installed, entry));
    }
  }
  link('@types/node', join(repoRoot, 'node_modules/@types/node'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ type: 'module', private: true })}\n`,
  );
}

/** A compiler host that parses each library file once for all the projects of a run. */
function cachingHost() {
  const host = ts.createCompilerHost(compilerOptions, true);
  /** @type {Map<string, ts.SourceFile | undefined>} */
  const cache = new Map();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const shared =
      fileName.endsWith('.d.ts') || fileName.endsWith('.d.cts') || fileName.endsWith('.d.mts');
    if (!shared) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    if (!cache.has(key))
      cache.set(key, getSourceFile(fileName, languageVersion, onError, shouldCreate));
    return cache.get(key);
  };
  return host;
}

/** A block becomes a module even when it has no import or export (top-level await, own scope). */
function asModule(/** @type {string} */ code) {
  return /^\s*(import|export)\b/m.test(code) ? `${code}\n` : `${code}\nexport {};\n`;
}

/**
 * @param {ReadmeInput[]} readmes
 * @param {{ keep?: boolean }} [options]
 * @returns {DocResult}
 */
export function checkReadmes(readmes, options = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'plumbline-doc-test-'));
  const host = cachingHost();
  /** @type {DocProblem[]} */
  const problems = [];
  /** @type {DocResult['skipped']} */
  const skipped = [];
  let checked = 0;
  try {
    /** @type {{ dir: string; files: Map<string, { readme: string; line: number }> }[]} */
    const projects = [];
    readmes.forEach(({ file, packageDir }, n) => {
      const { blocks, givens, problems: markerProblems } = readmeBlocks(file);
      for (const p of markerProblems) problems.push({ ...p, column: 1, code: 'doc-test' });
      const dir = join(scratch, `readme-${n}`);
      const quickDir = join(scratch, `quick-start-${n}`);
      const files = new Map();
      givens.forEach((g, k) => {
        // A declaration file without import/export is a script, so its declarations are global
        // in this README's project (a .ts file under "type": "module" would be a module).
        const name = join(dir, `givens-${k}.d.ts`);
        files.set(name, { readme: file, line: g.line, code: `${g.code}\n` });
      });
      const quickFiles = new Map();
      for (const block of blocks) {
        if (block.skip !== undefined) {
          skipped.push({ file, line: block.line, reason: block.skip });
          continue;
        }
        checked++;
        const target = block.quickStart ? quickFiles : files;
        target.set(join(block.quickStart ? quickDir : dir, `README-L${block.line}.ts`), {
          readme: file,
          line: block.line,
          code: asModule(block.code),
        });
      }
      for (const [projectDir, projectFiles] of [
        [dir, files],
        [quickDir, quickFiles],
      ]) {
        if (projectFiles.size === 0) continue;
        linkInstall(projectDir, packageDir);
        for (const [name, { code }] of projectFiles) writeFileSync(name, code);
        projects.push({ dir: projectDir, files: projectFiles });
      }
    });
    for (const project of projects) {
      const program = ts.createProgram([...project.files.keys()], compilerOptions, host);
      for (const d of ts.getPreEmitDiagnostics(program)) {
        const problem = toProblem(d, project.files);
        if (problem) problems.push(problem);
      }
    }
  } finally {
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
  }
  return { problems, checked, skipped };
}

/**
 * @param {ts.Diagnostic} d
 * @param {Map<string, { readme: string; line: number }>} files
 * @returns {DocProblem | undefined} undefined for a third-party declaration file (msw's, say, which
 *   expects the DOM lib): those are the dependency's business; ours, in packages/x/dist, are not
 */
function toProblem(d, files) {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined)
    return { file: '(compiler options)', line: 0, column: 0, code: d.code, message };
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  const block = files.get(resolve(d.file.fileName));
  if (block)
    return {
      file: block.readme,
      line: block.line + line,
      column: character + 1,
      code: d.code,
      message,
    };
  if (d.file.fileName.includes('/node_modules/')) return undefined;
  return { file: d.file.fileName, line: line + 1, column: character + 1, code: d.code, message };
}

/** @param {DocProblem} p */
export function formatProblem(p) {
  const file = p.file.startsWith('/') ? relative(process.cwd(), p.file) : p.file;
  const code = typeof p.code === 'number' ? `TS${p.code}` : p.code;
  return `${file}:${p.line}:${p.column} - error ${code}: ${p.message}`;
}
