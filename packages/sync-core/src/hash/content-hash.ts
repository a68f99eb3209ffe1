import { createHash } from 'node:crypto';
import { HashInputError } from '../errors.js';

export interface ContentHashOptions {
  /** Hash only these top-level fields (absent fields count as absent). Default: every field. */
  fields?: readonly string[];
  /**
   * Treat strings that are plain decimal numbers ("10.5000", "1e3") as the numbers they spell,
   * for systems that send numbers as text. Off by default: it would make "007" equal 7.
   */
  numericStrings?: boolean;
}

const DECIMAL = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function canonicalNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) throw new HashInputError(path, `${value} is not a finite number`);
  // Object.is(-0, 0) is false but -0 and 0 describe the same quantity.
  return JSON.stringify(value === 0 ? 0 : value);
}

function canonical(
  value: unknown,
  path: string,
  options: ContentHashOptions,
  seen: Set<object>,
): string {
  switch (typeof value) {
    case 'string':
      if (options.numericStrings && DECIMAL.test(value))
        return canonicalNumber(Number(value), path);
      return JSON.stringify(value);
    case 'number':
      return canonicalNumber(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new HashInputError(path, 'the Date is invalid');
        return JSON.stringify(value.toISOString());
      }
      if (value instanceof Map || value instanceof Set) {
        throw new HashInputError(
          path,
          'a Map or Set has no stable content here; convert it to an object or array first',
        );
      }
      if (seen.has(value)) throw new HashInputError(path, 'the value contains a cycle');
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          return `[${value.map((item, index) => canonical(item, `${path}[${index}]`, options, seen)).join(',')}]`;
        }
        const record = value as Record<string, unknown>;
        const keys = Object.keys(record)
          .filter((key) => record[key] !== undefined)
          .sort();
        const body = keys.map(
          (key) =>
            `${JSON.stringify(key)}:${canonical(record[key], `${path}.${key}`, options, seen)}`,
        );
        return `{${body.join(',')}}`;
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw new HashInputError(path, `a ${typeof value} has no content to hash`);
  }
}

function pick(value: unknown, fields: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HashInputError('$', 'the "fields" option needs a plain object to pick fields from');
  }
  const record = value as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (Object.hasOwn(record, field)) picked[field] = record[field];
  return picked;
}

/**
 * A canonical JSON text of `value`: object keys sorted, `undefined` properties dropped, `-0` as
 * `0`, numbers in their shortest form (so 1, 1.0 and 1e0 agree), dates as ISO-8601 UTC strings.
 */
export function canonicalJson(value: unknown, options: ContentHashOptions = {}): string {
  const subject = options.fields === undefined ? value : pick(value, options.fields);
  return canonical(subject, '$', options, new Set());
}

/**
 * A stable SHA-256 (hex) of a value's content: independent of key order and number formatting,
 * optionally over chosen fields only. Equal content gives an equal hash across processes.
 */
export function contentHash(value: unknown, options: ContentHashOptions = {}): string {
  return createHash('sha256').update(canonicalJson(value, options)).digest('hex');
}

/** Whether two values have the same content under `canonicalJson`. */
export function sameContent(
  left: unknown,
  right: unknown,
  options: ContentHashOptions = {},
): boolean {
  return canonicalJson(left, options) === canonicalJson(right, options);
}
