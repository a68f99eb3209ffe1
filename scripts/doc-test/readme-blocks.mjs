// Reads the TypeScript blocks of a README, with the doc-test markers that govern them.
//
// Markers (HTML comments, so they stay out of the rendered page but in plain sight in the file):
//   <!-- doc-test: skip REASON -->   right before a block: not checked; the reason is required
//   <!-- doc-test: quick-start -->   right before a block: the package's quick start, checked
//                                    without givens and run against the emulator by a test
//   <!-- doc-test: givens            anywhere: TypeScript declarations the other blocks may use
//   ...                              (values an example takes as given, such as a store or a
//   -->                              signal), checked too; the quick start never sees them
import { readFileSync } from 'node:fs';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/;
const MARKER = /^<!--\s*doc-test:\s*(skip|quick-start)\b(.*?)-->\s*$/;
const GIVENS_OPEN = /^<!--\s*doc-test:\s*givens\s*$/;
const TS_LANGS = new Set(['ts', 'typescript', 'tsx', 'mts']);

/**
 * @typedef {{ line: number; code: string }} Givens
 * @typedef {{
 *   file: string;
 *   line: number;          // 1-based README line of the block's first code line
 *   code: string;
 *   skip?: string;         // the reason given with `doc-test: skip`
 *   quickStart: boolean;
 * }} Block
 * @typedef {{ file: string; line: number; message: string }} MarkerProblem
 */

/**
 * @param {string} file
 * @param {string} [text]
 * @returns {{ blocks: Block[]; givens: Givens[]; problems: MarkerProblem[] }}
 */
export function readmeBlocks(file, text = readFileSync(file, 'utf8')) {
  const lines = text.split(/\r?\n/);
  /** @type {Block[]} */
  const blocks = [];
  /** @type {Givens[]} */
  const givens = [];
  /** @type {MarkerProblem[]} */
  const problems = [];
  /** @type {{ kind: string; reason: string; line: number } | undefined} */
  let pending;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (GIVENS_OPEN.test(line)) {
      const end = lines.findIndex((l, j) => j > i && l.trim() === '-->');
      if (end < 0) {
        problems.push({ file, line: i + 1, message: 'doc-test: givens is never closed by -->' });
        break;
      }
      givens.push({ line: i + 2, code: lines.slice(i + 1, end).join('\n') });
      i = end;
      continue;
    }
    const marker = MARKER.exec(line.trim());
    if (marker) {
      pending = { kind: marker[1] ?? '', reason: (marker[2] ?? '').trim(), line: i + 1 };
      if (pending.kind === 'skip' && pending.reason === '')
        problems.push({ file, line: i + 1, message: 'doc-test: skip needs a reason' });
      continue;
    }
    const fence = FENCE.exec(line);
    if (!fence) problems.push(...relativeLinks(file, i + 1, line));
    if (!fence) {
      if (pending && line.trim() !== '') {
        problems.push({
          file,
          line: pending.line,
          message: `doc-test: ${pending.kind} is not followed by a code block`,
        });
        pending = undefined;
      }
      continue;
    }
    const [, indent = '', ticks = '', lang = ''] = fence;
    const close = lines.findIndex(
      (l, j) =>
        j > i &&
        l.trimStart().startsWith(ticks) &&
        l.trim() === l.trim()[0]?.repeat(l.trim().length),
    );
    const end = close < 0 ? lines.length : close;
    if (TS_LANGS.has(lang.toLowerCase())) {
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n');
      /** @type {Block} */
      const block = { file, line: i + 2, code, quickStart: pending?.kind === 'quick-start' };
      if (pending?.kind === 'skip') block.skip = pending.reason;
      blocks.push(block);
    } else if (pending) {
      problems.push({
        file,
        line: pending.line,
        message: `doc-test: ${pending.kind} is followed by a ${lang || 'plain'} block, not TypeScript`,
      });
    }
    pending = undefined;
    i = end;
  }
  return { blocks, givens, problems };
}

/**
 * Links that break on the npm registry page, which shows the README without the repository
 * around it: anything but an absolute http(s) URL, a mailto: or an anchor in the same page.
 * @param {string} file @param {number} lineNumber @param {string} line
 * @returns {MarkerProblem[]}
 */
function relativeLinks(file, lineNumber, line) {
  const prose = line.replace(/`[^`]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)[^)]*\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^(https?:\/\/|mailto:|#)/.test(target))
    .map((target) => ({
      file,
      line: lineNumber,
      message: `link to ${target} breaks on the npm registry page; use an absolute https://github.com/plumbline/plumbline/... URL`,
    }));
}
