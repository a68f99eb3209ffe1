// Writes a README's quick start (the block marked `<!-- doc-test: quick-start -->`) to a module
// in a scratch project whose node_modules links the package and what it has installed, so a
// test can import and run the README's own code against an emulator: README and code cannot
// drift apart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkInstall } from './check-readmes.mjs';
import { readmeBlocks } from './readme-blocks.mjs';

/**
 * @param {string} packageDir the package whose README.md holds the quick start
 * @returns {{ file: string; code: string; line: number; remove(): void }}
 */
export function quickStartModule(packageDir) {
  const readme = join(packageDir, 'README.md');
  const quick = readmeBlocks(readme).blocks.filter((b) => b.quickStart);
  const block = quick[0];
  if (quick.length !== 1 || !block)
    throw new Error(
      `${readme} has ${quick.length} blocks marked doc-test: quick-start; it needs exactly one`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-quick-start-'));
  linkInstall(dir, packageDir);
  const file = join(dir, 'quick-start.ts');
  writeFileSync(file, `${block.code}\nexport {};\n`);
  return {
    file,
    code: block.code,
    line: block.line,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Sends every global fetch to an origin in `routes` (such as `https://shop.example.com`) to what
 * it maps to instead: another origin (an emulator on loopback; path and query kept), or a fetch
 * handler that gets the request unchanged (an emulator's in-process `fetch`, for signatures over
 * the original URL). Returns the undo.
 * @param {Record<string, string | ((request: Request) => Promise<Response>)>} routes
 * @returns {() => void}
 */
export function routeOrigins(routes) {
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const to = routes[url.origin];
    if (to === undefined) return original(request);
    if (typeof to === 'function') return to(request);
    const body = request.body ? await request.arrayBuffer() : undefined;
    return original(new URL(url.pathname + url.search, to), {
      method: request.method,
      headers: request.headers,
      body,
      signal: request.signal,
      redirect: request.redirect,
    });
  };
  return () => {
    globalThis.fetch = original;
  };
}
