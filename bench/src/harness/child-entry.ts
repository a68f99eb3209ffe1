// Entry of a child benchmark process: node --import tsx child-entry.ts <module> <export> <json>.
// Loads the worker, runs it once under memory sampling and prints one result line.
import { pathToFileURL } from 'node:url';
import { CHILD_RESULT_PREFIX } from './child.js';
import { withMemorySampling } from './memory.js';

const [modulePath, exportName, inputJson] = process.argv.slice(2);
if (modulePath === undefined || exportName === undefined || inputJson === undefined) {
  throw new Error('usage: child-entry.ts <module relative to bench/src> <export> <json input>');
}
const moduleUrl = pathToFileURL(new URL(`../${modulePath}`, import.meta.url).pathname).href;
const mod = (await import(moduleUrl)) as Record<string, unknown>;
const worker = mod[exportName];
if (typeof worker !== 'function') {
  throw new Error(`${modulePath} has no exported function ${exportName}`);
}
const input: unknown = JSON.parse(inputJson);
const started = performance.now();
const gcEveryMs = Number(process.env.PLUMBLINE_BENCH_GC_EVERY_MS) || undefined;
const { value, memory } = await withMemorySampling(
  () => (worker as (input: unknown) => Promise<unknown>)(input),
  gcEveryMs ? { gcEveryMs } : {},
);
const ms = performance.now() - started;
process.stdout.write(`${CHILD_RESULT_PREFIX}${JSON.stringify({ value, ms, memory })}\n`);
