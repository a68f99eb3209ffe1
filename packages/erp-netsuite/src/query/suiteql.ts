import { SuiteqlValueError } from '../errors.js';

const QUERY = Symbol.for('plumbline.netsuite.suiteql');

/** A SuiteQL statement, ready for the query service body (`{ q }`). */
export interface SuiteqlQuery {
  readonly q: string;
  readonly [QUERY]: true;
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

function makeQuery(q: string): SuiteqlQuery {
  return Object.freeze({ q, [QUERY]: true as const });
}

export function isSuiteqlQuery(value: unknown): value is SuiteqlQuery {
  return typeof value === 'object' && value !== null && (value as any)[QUERY] === true;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `'YYYY-MM-DD HH24:MI:SS'` in UTC. */
function dateLiteral(index: number, value: Date): string {
  const time = value.getTime();
  if (!Number.isFinite(time)) throw new SuiteqlValueError(index, 'the Date is invalid (NaN time)');
  const text =
    `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())} ` +
    `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
  return `TO_DATE('${text}', 'YYYY-MM-DD HH24:MI:SS')`;
}

function scalarLiteral(index: number, value: unknown): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'string': {
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
    case 'number':
      if (!Number.isFinite(value)) {
        throw new SuiteqlValueError(index, `the number ${value} is not finite`);
      }
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? "'T'" : "'F'";
    case 'undefined':
      throw new SuiteqlValueError(
        index,
        'the value is undefined; pass null for NULL or leave the condition out',
      );
    default:
      if (value instanceof Date) return dateLiteral(index, value);
      throw new SuiteqlValueError(
        index,
        `a ${Object.prototype.toString.call(value).slice(8, -1)} cannot be a SuiteQL literal; pass a string, number, bigint, boolean, Date, null or an array of them`,
      );
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
 * strings are quoted with `'` doubled, numbers must be finite, booleans become `'T'`/`'F'`,
 * `null` becomes `NULL`, a `Date` becomes `TO_DATE('YYYY-MM-DD HH24:MI:SS', 'YYYY-MM-DD HH24:MI:SS')`
 * in UTC, and an array becomes a parenthesised list for `IN`. Nested `suiteql` fragments and
 * `suiteql.identifier(...)` are inlined.
 */
export function suiteql(strings: TemplateStringsArray, ...values: SuiteqlValue[]): SuiteqlQuery {
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

/** Wraps a hand-written statement (no interpolation) so it can be passed where a query is expected. */
suiteql.unsafe = function unsafe(q: string): SuiteqlQuery {
  return makeQuery(q);
};
