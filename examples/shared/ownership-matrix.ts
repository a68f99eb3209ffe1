// The source-of-truth matrix in an example's README: generated from the example's ownership map
// between two markers, and checked against it so the README can never drift from the code.
import { type Ownership, renderOwnership } from '@plumbline/sync-core';

export const MATRIX_BEGIN = '<!-- ownership:begin -->';
export const MATRIX_END = '<!-- ownership:end -->';
export const WRITE_COMMAND = 'pnpm --filter @plumbline/examples ownership:write';

export type DescribedOwnership = Pick<Ownership<string, Record<string, object>>, 'describe'>;

/** An example whose README shows the matrix of its ownership map. */
export interface ExampleOwnership {
  /** The example's directory under `examples/`, e.g. `customer-master`. */
  example: string;
  ownership: DescribedOwnership;
}

/** Where the generated matrix sits in a README (offsets of the text between the markers). */
function markedRange(readme: string): { start: number; end: number } | undefined {
  const begin = readme.indexOf(MATRIX_BEGIN);
  const end = readme.indexOf(MATRIX_END);
  if (begin === -1 || end === -1 || end < begin) return undefined;
  if (readme.indexOf(MATRIX_BEGIN, begin + 1) !== -1) return undefined;
  return { start: begin + MATRIX_BEGIN.length, end };
}

const generated = (ownership: DescribedOwnership): string =>
  `\n${renderOwnership(ownership, { format: 'markdown' })}`;

/** The README with the matrix between its markers replaced by the one the map renders. */
export function writeMatrix(entry: ExampleOwnership, readme: string): string {
  const range = markedRange(readme);
  if (range === undefined) throw new Error(missingMarkers(entry.example));
  return readme.slice(0, range.start) + generated(entry.ownership) + readme.slice(range.end);
}

const missingMarkers = (example: string): string =>
  `${example}/README.md: needs exactly one "${MATRIX_BEGIN}" followed by "${MATRIX_END}" where its ownership matrix goes`;

/**
 * What differs between the matrix in an example's README and its ownership map, naming the
 * example and the first differing line; `undefined` when they match.
 */
export function checkMatrix(entry: ExampleOwnership, readme: string): string | undefined {
  const range = markedRange(readme);
  if (range === undefined) return missingMarkers(entry.example);
  const found = readme.slice(range.start, range.end).split('\n');
  const wanted = generated(entry.ownership).split('\n');
  if (found.join('\n') === wanted.join('\n')) return undefined;
  const at = wanted.findIndex((line, i) => found[i] !== line);
  const line = at === -1 ? wanted.length : at;
  const show = (text: string | undefined) =>
    text === undefined ? '(nothing)' : JSON.stringify(text);
  return [
    `${entry.example}/README.md: the ownership matrix differs from ${entry.example}'s ownership map (run \`${WRITE_COMMAND}\`).`,
    `  matrix line ${line}: README has ${show(found[line])}`,
    `  the map renders ${show(wanted[line])}`,
  ].join('\n');
}
