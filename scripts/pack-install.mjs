#!/usr/bin/env node
/**
 * The packages as a user installs them. Packs the six packages with `pnpm pack`, installs them
 * with npm into fresh projects outside the workspace (one per use: Commerce-only, NetSuite-only,
 * Salesforce-only, sync-core-only, the ops console with sync-core), and in each project:
 *
 * - checks that none of `msw`, `typescript` and `@opentelemetry/api` was installed, and prints the install's size, its
 *   package count and zod's share, failing above the size bound;
 * - requires every entry from CommonJS, with and without `--no-experimental-require-module`
 *   (Node releases before 20.19 have no require(esm)), and imports it from an ES module;
 * - type-checks an ES module and a CommonJS file importing every entry (strict, `nodenext`, the
 *   packages' declaration files checked too, so a type that names an absent package fails);
 * - runs a quick start against the package's emulator, served over node:http without msw, from
 *   CommonJS (also without require(esm)) and from an ES module.
 *
 * Called by the root `verify` script after `pnpm build`. Needs the npm registry for the packages'
 * own dependencies (zod, openapi-fetch, p-retry, …), nothing else.
 */
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MB = 1_000_000;

/** What each fresh project installs, the entries it loads, and its size bound. */
const PROJECTS = [
  {
    name: 'commerce',
    packages: ['client-core', 'commerce-client'],
    entries: [
      '@plumbline/client-core',
      '@plumbline/client-core/testing',
      '@plumbline/commerce-client',
      '@plumbline/commerce-client/testing',
    ],
    maxBytes: 15 * MB,
    quickStart: 'commerce',
    extra: commerceTypegen,
  },
  {
    name: 'netsuite',
    packages: ['client-core', 'erp-netsuite'],
    entries: [
      '@plumbline/client-core',
      '@plumbline/client-core/testing',
      '@plumbline/erp-netsuite',
      '@plumbline/erp-netsuite/testing',
    ],
    maxBytes: 15 * MB,
    quickStart: 'netsuite',
    extra: netsuiteTypegen,
  },
  {
    name: 'salesforce',
    packages: ['client-core', 'crm-salesforce'],
    entries: [
      '@plumbline/client-core',
      '@plumbline/client-core/testing',
      '@plumbline/crm-salesforce',
      '@plumbline/crm-salesforce/testing',
    ],
    // About what it was before typegen left the runtime packages (8.8 MB of files; 11 MB on disk).
    maxBytes: 11 * MB,
    quickStart: 'salesforce',
  },
  {
    name: 'sync-core',
    packages: ['sync-core'],
    // The store subpaths need their optional peers (better-sqlite3, pg, ioredis, amqplib).
    entries: ['@plumbline/sync-core'],
    maxBytes: 3 * MB,
    quickStart: 'syncCore',
  },
  {
    name: 'ops-console',
    packages: ['sync-core', 'ops-console'],
    entries: ['@plumbline/sync-core', '@plumbline/ops-console'],
    maxBytes: 3.5 * MB,
    quickStart: 'opsConsole',
  },
];

/**
 * typegen's dependencies are optional peers: without them the CLI says what to install; with them
 * (installed last, after the size was taken) it generates types from the spec in the tarball.
 */
async function commerceTypegen(dir, log, problem) {
  const cli = ['node_modules/@plumbline/commerce-client/dist/cli.js', 'typegen'];
  const spec = 'node_modules/@plumbline/commerce-client/spec/openapi.yaml';
  const args = [...cli, '--schema', spec, '--out', 'commerce-types.ts'];
  const without = await run(process.execPath, args, { cwd: dir });
  if (
    without.code !== 0 &&
    without.output.includes('TYPEGEN_DEPENDENCY_MISSING') &&
    without.output.includes('npm install --save-dev openapi-typescript yaml swagger2openapi')
  ) {
    log('ok   typegen without its optional peers names them and the install command');
  } else {
    problem(`typegen without its peers: ${describeFailure(without)}`);
  }
  const manifest = JSON.parse(
    readFileSync(join(dir, 'node_modules/@plumbline/commerce-client/package.json'), 'utf8'),
  );
  const peers = Object.entries(manifest.peerDependencies ?? {}).map(([n, r]) => `${n}@${r}`);
  await must('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...peers], {
    cwd: dir,
  });
  const withPeers = await run(process.execPath, args, { cwd: dir });
  const written = withPeers.code === 0 ? readFileSync(join(dir, 'commerce-types.ts'), 'utf8') : '';
  if (written.includes('export interface paths')) {
    log(`ok   typegen with ${peers.join(', ')} installed writes the types`);
  } else {
    problem(`typegen with its peers: ${describeFailure(withPeers)}`);
  }
}

/** NetSuite's typegen CLI runs from the runtime install alone (no TypeScript, no peers). */
async function netsuiteTypegen(dir, log, problem) {
  writeFileSync(
    join(dir, 'netsuite-typegen.cjs'),
    `require('./quick-starts.cjs').netsuiteTypegen(${JSON.stringify(PROJECTS[1].entries)}.map((e) => require(e))).catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`,
  );
  const result = await run(process.execPath, ['netsuite-typegen.cjs'], { cwd: dir });
  if (result.code === 0)
    log('ok   plumbline-netsuite typegen writes types from the emulator catalog');
  else problem(`plumbline-netsuite typegen: ${describeFailure(result)}`);
}

/** The published metadata a registry page links from. */
function checkManifest(dir, name, problem) {
  const manifest = JSON.parse(
    readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'),
  );
  const { repository, homepage, bugs, keywords } = manifest;
  if (!repository?.url || !repository.directory) problem(`${name}: no repository with directory`);
  if (!homepage) problem(`${name}: no homepage`);
  if (!bugs?.url) problem(`${name}: no bugs url`);
  if (!Array.isArray(keywords) || keywords.length === 0) problem(`${name}: no keywords`);
}

const failures = [];
const fail = (project, what) => {
  failures.push(`${project}: ${what}`);
  console.error(`  FAIL ${what}`);
};

/**
 * How long one check may take. The checks of the five projects run in parallel; on a loaded
 * 2-core machine a type check of a package's declarations took over 120 s, so the bound is 300 s
 * (PLUMBLINE_PACK_TIMEOUT_MS overrides it). A check that runs out says so, with its output.
 */
const TIMEOUT_MS = Number(process.env.PLUMBLINE_PACK_TIMEOUT_MS ?? 300_000);

/**
 * Runs a command; resolves with its exit code, output (stdout and stderr), whether it was killed
 * for running past its timeout and how long it took. Never throws on a non-zero exit.
 */
function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const started = Date.now();
    const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
    const child = spawn(command, args, {
      cwd: options.cwd ?? root,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code: code ?? (signal ? 1 : 0),
        signal,
        timedOut,
        timeoutMs,
        seconds: Math.round((Date.now() - started) / 1000),
        output: output.trim(),
      });
    });
  });
}

/** Why a check failed: its exit, a timeout if it ran out, and its output (or that it had none). */
function describeFailure(result, maxLines = 40) {
  const how = result.timedOut
    ? `timed out after ${result.seconds} s (bound ${result.timeoutMs / 1000} s, PLUMBLINE_PACK_TIMEOUT_MS)`
    : `exit ${result.code}${result.signal ? ` (${result.signal})` : ''} after ${result.seconds} s`;
  const lines = result.output.split('\n');
  const shown = lines.slice(0, maxLines).join('\n');
  const more = lines.length > maxLines ? `\n… ${lines.length - maxLines} more lines` : '';
  return `${how}\n${result.output ? `${shown}${more}` : '(no output on stdout or stderr)'}`;
}

async function must(command, args, options) {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${describeFailure(result, 80)}`);
  }
  return result.output;
}

/** Apparent size of every file under dir, in bytes. */
function sizeOf(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** Every installed package directory under node_modules (scoped and nested included). */
function installedPackages(nodeModules, found = []) {
  let entries;
  try {
    entries = readdirSync(nodeModules, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(path, { withFileTypes: true })) {
        if (!scoped.isDirectory()) continue;
        const scopedPath = join(path, scoped.name);
        found.push({ name: `${entry.name}/${scoped.name}`, path: scopedPath });
        installedPackages(join(scopedPath, 'node_modules'), found);
      }
    } else {
      found.push({ name: entry.name, path });
      installedPackages(join(path, 'node_modules'), found);
    }
  }
  return found;
}

const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

function writeProject(dir, project) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `plumbline-${project.name}-user`, version: '1.0.0', private: true }, null, 2)}\n`,
  );
  copyFileSync(join(root, 'scripts/pack-install/quick-starts.cjs'), join(dir, 'quick-starts.cjs'));
  const list = JSON.stringify(project.entries);
  writeFileSync(
    join(dir, 'require-all.cjs'),
    `for (const entry of ${list}) {\n  const loaded = require(entry);\n  if (Object.keys(loaded).length === 0) throw new Error(entry + ' exports nothing');\n}\n`,
  );
  writeFileSync(
    join(dir, 'import-all.mjs'),
    `for (const entry of ${list}) {\n  const loaded = await import(entry);\n  if (Object.keys(loaded).length === 0) throw new Error(entry + ' exports nothing');\n}\n`,
  );
  writeFileSync(
    join(dir, 'quick-start.cjs'),
    `require('./quick-starts.cjs').${project.quickStart}(${list}.map((entry) => require(entry))).then(\n  () => console.log('quick start ok'),\n  (error) => {\n    console.error(error);\n    process.exitCode = 1;\n  },\n);\n`,
  );
  writeFileSync(
    join(dir, 'quick-start.mjs'),
    `import quickStarts from './quick-starts.cjs';\n${project.entries.map((e, i) => `import * as m${i} from '${e}';`).join('\n')}\nawait quickStarts.${project.quickStart}([${project.entries.map((_, i) => `m${i}`).join(', ')}]);\nconsole.log('quick start ok');\n`,
  );
  // Types: every entry from an ES module and from CommonJS, declaration files checked.
  writeFileSync(
    join(dir, 'types.mts'),
    `${project.entries.map((e, i) => `import * as m${i} from '${e}';`).join('\n')}\nexport const loaded = [${project.entries.map((_, i) => `m${i}`).join(', ')}];\n`,
  );
  writeFileSync(
    join(dir, 'types.cts'),
    `${project.entries.map((e, i) => `import m${i} = require('${e}');`).join('\n')}\nexport const loaded = [${project.entries.map((_, i) => `m${i}`).join(', ')}];\n`,
  );
}

async function checkProject(project, dir, tarballs) {
  const started = Date.now();
  const lines = [];
  const log = (line) => lines.push(`  ${line}`);
  const files = project.packages.map((p) => tarballs.get(p));
  await must(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock', ...files],
    { cwd: dir },
  );
  const nodeModules = join(dir, 'node_modules');
  const bytes = sizeOf(nodeModules);
  const packages = installedPackages(nodeModules);
  const zod = packages.filter((p) => p.name === 'zod').reduce((n, p) => n + sizeOf(p.path), 0);
  const result = { project, bytes, count: packages.length, zod, problems: [] };
  const problem = (what) => result.problems.push(what);
  // Optional peers stay out: the packages load and run without them (telemetry is then off).
  for (const absent of ['msw', 'typescript', '@opentelemetry/api']) {
    const where = packages.filter((p) => p.name === absent);
    if (where.length > 0)
      problem(`${absent} is installed (${where.map((p) => p.path).join(', ')})`);
  }
  if (bytes > project.maxBytes) problem(`installs ${mb(bytes)}, above ${mb(project.maxBytes)}`);
  for (const name of new Set(project.entries.map((e) => e.split('/').slice(0, 2).join('/')))) {
    checkManifest(dir, name, problem);
  }

  const node = (args) => run(process.execPath, args, { cwd: dir });
  const checks = [
    ['require() every entry', ['require-all.cjs']],
    [
      'require() every entry without require(esm)',
      ['--no-experimental-require-module', 'require-all.cjs'],
    ],
    ['import every entry', ['import-all.mjs']],
    ['quick start from CommonJS', ['quick-start.cjs']],
    [
      'quick start from CommonJS without require(esm)',
      ['--no-experimental-require-module', 'quick-start.cjs'],
    ],
    ['quick start from an ES module', ['quick-start.mjs']],
  ];
  const outcomes = await Promise.all(checks.map(([, args]) => node(args)));
  checks.forEach(([label], i) => {
    if (outcomes[i].code === 0) log(`ok   ${label}`);
    else problem(`${label}: ${describeFailure(outcomes[i])}`);
  });
  const tsc = await node([join(root, 'scripts/pack-install/check-types.mjs'), dir, root]);
  if (tsc.code === 0) log('ok   types of every entry (ESM and CommonJS, nodenext, strict)');
  else problem(`types: ${describeFailure(tsc)}`);
  if (project.extra) await project.extra(dir, log, problem);
  result.lines = lines;
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

async function main() {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'plumbline-pack-'));
  const keep = process.env.PLUMBLINE_KEEP_PACK === '1';
  try {
    const tarballDir = join(work, 'tarballs');
    mkdirSync(tarballDir);
    const names = [
      'client-core',
      'commerce-client',
      'crm-salesforce',
      'erp-netsuite',
      'sync-core',
      'ops-console',
    ];
    console.log(`pack-install: packing ${names.length} packages into ${tarballDir}`);
    const tarballs = new Map();
    for (const name of names) {
      const out = await must('pnpm', ['pack', '--pack-destination', tarballDir], {
        cwd: join(root, 'packages', name),
      });
      const file = out
        .split('\n')
        .map((l) => l.trim())
        .reverse()
        .find((l) => l.endsWith('.tgz'));
      if (!file) throw new Error(`pnpm pack of ${name} printed no tarball:\n${out}`);
      tarballs.set(name, resolve(tarballDir, file));
    }
    const results = await Promise.all(
      PROJECTS.map(async (project) => {
        const dir = join(work, project.name);
        writeProject(dir, project);
        try {
          return await checkProject(project, dir, tarballs);
        } catch (error) {
          return { project, problems: [String(error.message ?? error)], lines: [] };
        }
      }),
    );
    for (const result of results) {
      const { project } = result;
      const size =
        result.bytes === undefined
          ? 'not installed'
          : `${mb(result.bytes)} in ${result.count} packages (bound ${mb(project.maxBytes)}), zod ${mb(result.zod)} (${Math.round((100 * result.zod) / result.bytes)}%)`;
      console.log(
        `\n${project.name}-only install: ${size} [checked in ${Math.round(result.seconds ?? 0)} s]`,
      );
      for (const line of result.lines) console.log(line);
      for (const p of result.problems) fail(project.name, p);
    }
    console.log(
      `\npack-install: ${failures.length === 0 ? 'all checks passed' : `${failures.length} failed`} in ${Math.round((Date.now() - started) / 1000)} s`,
    );
  } finally {
    if (keep) console.log(`pack-install: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main();
