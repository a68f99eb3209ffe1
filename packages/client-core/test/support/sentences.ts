// What "an error message reads as sentences" means, for the error-message tests of every package.
import { expect } from 'vitest';

const FLAWS: [RegExp, string][] = [
  [/\.\./, 'a doubled period'],
  [/\.\s+\./, 'a period after a period'],
  [/[?!]\./, 'a period after a question or exclamation mark'],
  [/[,;:]\./, 'a period after a comma, semicolon or colon'],
  [/[.!?][;:]/, 'a semicolon or colon after a terminator'],
  [/\s\.(\s|$)/, 'whitespace before a period'],
  [/[ \t]$/m, 'whitespace at the end of a line'],
];

/** The ways `message` fails to read as sentences (empty when it reads well). */
export function sentenceFlaws(message: string): string[] {
  // A quoted value is data, not prose: `".."` or `` `a.` `` may hold any punctuation.
  const prose = message.replace(/"[^"\n]*"|`[^`\n]*`/g, '""');
  const flaws = FLAWS.filter(([pattern]) => pattern.test(prose)).map(([, what]) => what);
  if (!/[.!?…]["')\]’”]*$/.test(message)) flaws.push('no sentence terminator at the end');
  if (/[.!?…]{2,}["')\]’”]*$/.test(message)) flaws.push('more than one terminator at the end');
  return flaws;
}

/** Asserts that every error's message reads as sentences, naming the error and its flaws. */
export function expectSentences(errors: Record<string, Error[]>): void {
  const flawed = Object.entries(errors).flatMap(([name, list]) =>
    list.flatMap((error) => {
      const flaws = sentenceFlaws(error.message);
      return flaws.length === 0
        ? []
        : [`${name}: ${JSON.stringify(error.message)}: ${flaws.join(', ')}`];
    }),
  );
  expect(flawed).toEqual([]);
}

/** The exported classes of a module that are `base` or extend it. */
export function errorClasses(
  module: Record<string, unknown>,
  base: abstract new (...args: never[]) => Error,
): string[] {
  return Object.entries(module)
    .filter(
      ([, value]) =>
        typeof value === 'function' && (value === base || value.prototype instanceof base),
    )
    .map(([name]) => name)
    .sort();
}

/** Inner texts as they come from vendors and callers: ending in a period, a question mark, a newline, spaces. */
export const ENDINGS = [
  'ends with a period.',
  'ends with a question?',
  'ends with a newline\n',
  'ends with spaces  ',
  'has no end',
];
