import { SoqlValueError } from './errors.js';

/** A value that renders as a SOQL date literal (YYYY-MM-DD) instead of a datetime. */
export class SoqlDate {
  constructor(readonly literal: string) {}
}

/** A LIKE pattern whose `%` and `_` in the user's value are escaped (they stay data). */
export class SoqlLike {
  constructor(readonly literal: string) {}
}

/** A field or object name checked against the SOQL identifier grammar (may contain dots). */
export class SoqlIdentifier {
  constructor(readonly name: string) {}
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Escapes a string for use inside single quotes in SOQL (backslash escapes). */
export function escapeSoqlString(value: string): string {
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/** Wrap a Date (its UTC calendar day) or a `YYYY-MM-DD` string to render it as a SOQL date literal. */
export function soqlDate(value: Date | string): SoqlDate {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new SoqlValueError('soqlDate() got an invalid Date; pass a valid Date or YYYY-MM-DD.');
    }
    return new SoqlDate(value.toISOString().slice(0, 10));
  }
  const match = DATE_ONLY.exec(value);
  if (!match || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new SoqlValueError(
      `soqlDate() got ${JSON.stringify(value)}; expected a Date or a YYYY-MM-DD string.`,
    );
  }
  return new SoqlDate(value);
}

export type SoqlLikeMatch = 'exact' | 'startsWith' | 'endsWith' | 'contains';

/**
 * A LIKE operand built from user input: `%` and `_` in `value` are escaped so they match
 * themselves; `match` adds the wildcards you intend (default 'exact').
 */
export function soqlLike(value: string, match: SoqlLikeMatch = 'exact'): SoqlLike {
  if (typeof value !== 'string') {
    throw new SoqlValueError(`soqlLike() needs a string, got ${typeof value}.`);
  }
  const escaped = escapeSoqlString(value).replace(/[%_]/g, (c) => `\\${c}`);
  const body =
    match === 'startsWith'
      ? `${escaped}%`
      : match === 'endsWith'
        ? `%${escaped}`
        : match === 'contains'
          ? `%${escaped}%`
          : escaped;
  return new SoqlLike(`'${body}'`);
}

/** A field or object name to splice into a query; rejects anything that is not an identifier. */
export function soqlIdentifier(name: string): SoqlIdentifier {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new SoqlValueError(
      `soqlIdentifier() got ${JSON.stringify(name)}; expected letters, digits and underscores (dots between parts).`,
    );
  }
  return new SoqlIdentifier(name);
}

/** Formats a Date as a SOQL datetime literal in UTC (`YYYY-MM-DDThh:mm:ssZ`, whole seconds). */
export function soqlDateTime(value: Date): string {
  if (Number.isNaN(value.getTime())) {
    throw new SoqlValueError('Got an invalid Date for a SOQL datetime literal.');
  }
  return `${value.toISOString().slice(0, 19)}Z`;
}

/** Renders one interpolated value as a SOQL literal. */
export function soqlLiteral(value: unknown, position = 0): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${escapeSoqlString(value)}'`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new SoqlValueError(
        `soql value #${position} is ${value}; only finite numbers are allowed.`,
      );
    }
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return soqlDateTime(value);
  if (value instanceof SoqlDate) return value.literal;
  if (value instanceof SoqlLike) return value.literal;
  if (value instanceof SoqlIdentifier) return value.name;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new SoqlValueError(
        `soql value #${position} is an empty array; an IN list needs at least one value.`,
      );
    }
    return `(${value
      .map((item) => {
        if (Array.isArray(item)) {
          throw new SoqlValueError(`soql value #${position} contains a nested array.`);
        }
        return soqlLiteral(item, position);
      })
      .join(',')})`;
  }
  throw new SoqlValueError(
    `soql value #${position} has unsupported type ${value === undefined ? 'undefined' : typeof value}; use a string, number, boolean, Date, soqlDate(), soqlLike(), soqlIdentifier(), null or an array.`,
  );
}

/**
 * Tagged template that turns every interpolated value into a SOQL literal, so user input
 * stays data: `soql\`SELECT Id FROM Account WHERE Name = ${name}\``.
 */
export function soql(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += soqlLiteral(values[i], i + 1) + (strings[i + 1] ?? '');
  }
  return out;
}
