import { SoqlValueError } from './errors.js';

/**
 * The key only this module holds: a fragment constructor called without it throws. It is a
 * plain Symbol (not `Symbol.for`), so no other code can produce it.
 */
const FRAGMENT_KEY = Symbol('SoqlFragment');

/**
 * A piece of SOQL text that `soql` splices in as is. Only this module's factories build one
 * (`soqlDate`, `soqlLike`, `soqlIdentifier`, `soqlRaw`); the text sits in a private field, so
 * constructing one, `Object.create` with its prototype, or a structural copy is refused.
 */
export abstract class SoqlFragment {
  readonly #text: string;

  protected constructor(key: symbol, text: string) {
    if (key !== FRAGMENT_KEY) {
      throw new SoqlValueError(
        `${new.target.name} cannot be constructed directly; build SOQL fragments with soqlDate(), soqlLike(), soqlIdentifier() or soqlRaw().`,
      );
    }
    this.#text = text;
  }

  /** The text of a fragment built by this module; undefined for anything else, forgeries included. */
  static textOf(value: unknown): string | undefined {
    return typeof value === 'object' && value !== null && #text in value
      ? (value as SoqlFragment).#text
      : undefined;
  }

  toString(): string {
    return this.#text;
  }
}

/** A SOQL date literal (YYYY-MM-DD), from `soqlDate()`. */
export class SoqlDate extends SoqlFragment {
  /** @internal use soqlDate() */
  constructor(key: symbol, literal: string) {
    super(key, literal);
  }
  get literal(): string {
    return SoqlFragment.textOf(this) as string;
  }
}

/** A LIKE operand whose `%` and `_` in the user's value are escaped, from `soqlLike()`. */
export class SoqlLike extends SoqlFragment {
  /** @internal use soqlLike() */
  constructor(key: symbol, literal: string) {
    super(key, literal);
  }
  get literal(): string {
    return SoqlFragment.textOf(this) as string;
  }
}

/** A field or object name checked against the SOQL identifier grammar, from `soqlIdentifier()`. */
export class SoqlIdentifier extends SoqlFragment {
  /** @internal use soqlIdentifier() */
  constructor(key: symbol, name: string) {
    super(key, name);
  }
  get name(): string {
    return SoqlFragment.textOf(this) as string;
  }
}

/** SOQL text you vouch for, spliced in unchecked, from `soqlRaw()`. */
export class SoqlRaw extends SoqlFragment {
  /** @internal use soqlRaw() */
  constructor(key: symbol, text: string) {
    super(key, text);
  }
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

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** SOQL writes years with four digits: a Date outside 0000-9999 has no literal. */
function checkYear(value: Date, what: string): void {
  const year = value.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new SoqlValueError(
      `${what} got a Date in year ${year}; SOQL dates have four-digit years (0000-9999).`,
    );
  }
}

/** Wrap a Date (its UTC calendar day) or a `YYYY-MM-DD` string to render it as a SOQL date literal. */
export function soqlDate(value: Date | string): SoqlDate {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw new SoqlValueError('soqlDate() got an invalid Date; pass a valid Date or YYYY-MM-DD.');
    }
    checkYear(value, 'soqlDate()');
    return new SoqlDate(FRAGMENT_KEY, value.toISOString().slice(0, 10));
  }
  const match = typeof value === 'string' ? DATE_ONLY.exec(value) : null;
  if (!match) {
    throw new SoqlValueError(
      `soqlDate() got ${JSON.stringify(value)}; expected a Date or a YYYY-MM-DD string.`,
    );
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const days = month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
  if (days === undefined || day < 1 || day > days) {
    throw new SoqlValueError(
      `soqlDate() got ${JSON.stringify(value)}, which is not a calendar date${days === undefined ? ' (month 01-12)' : ` (${match[1]}-${match[2]} has ${days} days)`}.`,
    );
  }
  return new SoqlDate(FRAGMENT_KEY, value);
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
  return new SoqlLike(FRAGMENT_KEY, `'${body}'`);
}

/** A field or object name to splice into a query; rejects anything that is not an identifier. */
export function soqlIdentifier(name: string): SoqlIdentifier {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new SoqlValueError(
      `soqlIdentifier() got ${JSON.stringify(name)}; expected letters, digits and underscores (dots between parts).`,
    );
  }
  return new SoqlIdentifier(FRAGMENT_KEY, name);
}

/**
 * SOQL text spliced into `soql` exactly as given, with no check or escaping: the one way to pass
 * raw text. Only for text you wrote yourself (a computed field list, a clause); never for input.
 */
export function soqlRaw(text: string): SoqlRaw {
  if (typeof text !== 'string') {
    throw new SoqlValueError(`soqlRaw() needs a string, got ${typeof text}.`);
  }
  return new SoqlRaw(FRAGMENT_KEY, text);
}

/** Formats a Date as a SOQL datetime literal in UTC (`YYYY-MM-DDThh:mm:ssZ`, whole seconds). */
export function soqlDateTime(value: Date): string {
  if (Number.isNaN(value.getTime())) {
    throw new SoqlValueError('Got an invalid Date for a SOQL datetime literal.');
  }
  checkYear(value, 'A SOQL datetime literal');
  return `${value.toISOString().slice(0, 19)}Z`;
}

/**
 * A finite number in plain decimal notation, never with an exponent (SOQL has none): the
 * shortest digits that read back as the same double, with the point moved into place
 * (`1e21` -> `1000000000000000000000`, `1e-7` -> `0.0000001`).
 */
export function plainNumber(value: number): string {
  if (value === 0) return '0';
  const text = String(value);
  if (!text.includes('e')) return text;
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = Number(exponent) + 1; // digits before the decimal point
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? `${digits}${'0'.repeat(point - digits.length)}`
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${body}` : body;
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
    return plainNumber(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return soqlDateTime(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const text = SoqlFragment.textOf(value);
    if (text !== undefined) return text;
    if (value instanceof SoqlFragment) {
      throw new SoqlValueError(
        `soql value #${position} poses as a ${value.constructor?.name ?? 'SoqlFragment'} but was not built by this library; build fragments with soqlDate(), soqlLike(), soqlIdentifier() or soqlRaw().`,
      );
    }
  }
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
    `soql value #${position} has unsupported type ${value === undefined ? 'undefined' : typeof value}; use a string, number, boolean, Date, soqlDate(), soqlLike(), soqlIdentifier(), soqlRaw(), null or an array.`,
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
