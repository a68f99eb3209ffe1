import { SuiteqlValueError } from '../errors.js';
import { dateLiteral, dateOnlyLiteral, numberLiteral } from './literals.js';

declare const SUITEQL_QUERY: unique symbol;

/**
 * A SuiteQL statement or fragment, ready for the query service body (`{ q }`). Only `suiteql`,
 * `suiteql.identifier`, `suiteql.date` and `suiteql.raw` make one: they are remembered in a
 * private set, so an object shaped like one (a copy, a spread, `Object.create`, a symbol brand)
 * is not trusted.
 */
export interface SuiteqlQuery {
  readonly q: string;
  /** Type-level brand only: no such property exists at run time. */
  readonly [SUITEQL_QUERY]: true;
}

/** A value `suiteql` knows how to turn into a literal. */
export type SuiteqlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | SuiteqlQuery
  | readonly (string | number | bigint | boolean | Date | null)[];

/** Every fragment this module made, and nothing else. */
const trusted = new WeakSet<object>();

function makeQuery(q: string): SuiteqlQuery {
  const query = Object.freeze({ q }) as SuiteqlQuery;
  trusted.add(query);
  return query;
}

/** True only for a statement or fragment made by `suiteql` and its factories. */
export function isSuiteqlQuery(value: unknown): value is SuiteqlQuery {
  return typeof value === 'object' && value !== null && trusted.has(value);
}

/** Says why an object that looks like a fragment is not one. */
export function untrustedFragmentProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || trusted.has(value)) return undefined;
  const hasQ = typeof (value as { q?: unknown }).q === 'string';
  const hasBrand = Object.getOwnPropertySymbols(value).length > 0;
  if (!hasQ && !hasBrand) return undefined;
  return 'the object looks like a suiteql fragment but was not made by suiteql (a copy, a spread or a hand-made object is never trusted); build it with suiteql`…`, suiteql.identifier(), suiteql.date() or, for a statement you wrote yourself, suiteql.raw()';
}

// C0 controls other than tab, line feed and carriage return, and DEL: never meaningful in data,
// and a NUL can truncate the statement on the server.
function controlCharAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return i;
  }
  return -1;
}
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function stringLiteral(index: number, value: string): string {
  const at = controlCharAt(value);
  if (at !== -1) {
    const code = value.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
    throw new SuiteqlValueError(
      index,
      `the string contains the control character U+${code} at position ${at}; remove it before querying`,
    );
  }
  return `'${value.replace(/'/g, "''")}'`;
}

function scalarLiteral(index: number, value: unknown): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string':
      return stringLiteral(index, value);
    case 'number':
    case 'bigint':
      return numberLiteral(index, value);
    case 'boolean':
      return value ? "'T'" : "'F'";
    case 'undefined':
      throw new SuiteqlValueError(
        index,
        'the value is undefined; pass null for NULL or leave the condition out',
      );
    default: {
      if (value instanceof Date) return dateLiteral(index, value);
      const forged = untrustedFragmentProblem(value);
      if (forged) throw new SuiteqlValueError(index, forged);
      throw new SuiteqlValueError(
        index,
        `a ${Object.prototype.toString.call(value).slice(8, -1)} cannot be a SuiteQL literal; pass a string, number, bigint, boolean, Date, null or an array of them`,
      );
    }
  }
}

function literal(index: number, value: unknown): string {
  if (isSuiteqlQuery(value)) return value.q;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new SuiteqlValueError(
        index,
        'the array is empty, and `IN ()` is not valid SuiteQL; skip the condition when there is nothing to match',
      );
    }
    return `(${value
      .map((item) => {
        if (Array.isArray(item) || isSuiteqlQuery(item)) {
          throw new SuiteqlValueError(index, 'an IN list may hold only scalar values');
        }
        return scalarLiteral(index, item);
      })
      .join(', ')})`;
  }
  return scalarLiteral(index, value);
}

/**
 * SuiteQL as a tagged template. Every interpolated value becomes a literal, never SQL:
 * strings are quoted with `'` doubled, numbers are written in plain decimal (never with an
 * exponent), booleans become `'T'`/`'F'`, `null` becomes `NULL`, a `Date` becomes
 * `TO_DATE('YYYY-MM-DD HH24:MI:SS', 'YYYY-MM-DD HH24:MI:SS')` in UTC, and an array becomes a
 * parenthesised list for `IN`. Fragments made by `suiteql`, `suiteql.identifier`, `suiteql.date`
 * and `suiteql.raw` are inlined; nothing else is.
 */
export function suiteql(strings: TemplateStringsArray, ...values: SuiteqlValue[]): SuiteqlQuery {
  if (!Array.isArray(strings) || !Array.isArray((strings as { raw?: unknown }).raw)) {
    throw new SuiteqlValueError(
      0,
      'suiteql is a template tag (suiteql`SELECT …`); for a statement held in a string use suiteql.raw(text)',
    );
  }
  let q = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    q += literal(i, values[i]) + (strings[i + 1] ?? '');
  }
  return makeQuery(q);
}

/** A column or table name chosen at run time, checked to be a plain (optionally dotted) identifier. */
suiteql.identifier = function identifier(name: string): SuiteqlQuery {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new SuiteqlValueError(
      0,
      `"${String(name)}" is not a SuiteQL identifier (letters, digits, "_" and "." only)`,
    );
  }
  return makeQuery(name);
};

/**
 * A date without a time: `TO_DATE('YYYY-MM-DD', 'YYYY-MM-DD')`, for date fields such as
 * `trandate`. Takes `'YYYY-MM-DD'` (a real calendar date, years 0001 to 9999) or a `Date` (its UTC
 * calendar day).
 */
suiteql.date = function date(value: string | Date): SuiteqlQuery {
  return makeQuery(dateOnlyLiteral(0, value));
};

/**
 * Raw SuiteQL text you wrote yourself, trusted as it is: no quoting, no checks. The only way to
 * turn a string into a query; never pass it anything that came from outside your code.
 */
suiteql.raw = function raw(text: string): SuiteqlQuery {
  if (typeof text !== 'string') {
    throw new SuiteqlValueError(0, `suiteql.raw takes the statement's text, got ${typeof text}`);
  }
  return makeQuery(text);
};
