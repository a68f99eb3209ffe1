import { InvalidOptionError } from '../errors.js';
import { InvalidInputError, StoreConfigError } from './errors.js';

/** A surrogate without its partner, or NUL: text that not every store can hold as it is. */
const UNSTORABLE = /\p{Surrogate}|\0/u;

/**
 * A key, id or name: non-empty, well-formed text without NUL. Stores encode text as UTF-8, which
 * turns every lone surrogate into U+FFFD (so two keys would become one), and PostgreSQL text
 * cannot hold NUL; refusing both here keeps a key meaning the same on every store.
 */
export function requireText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidInputError(field, `must be a non-empty string, got ${describe(value)}`);
  }
  if (UNSTORABLE.test(value)) {
    throw new InvalidInputError(
      field,
      'must be well-formed Unicode without NUL characters (it holds a lone surrogate or a NUL)',
    );
  }
  return value;
}

/**
 * A KeyValueStore value: any string every store can hold as it is, so a value reads back the same
 * on every store. PostgreSQL text cannot hold NUL and UTF-8 turns a lone surrogate into U+FFFD,
 * so both are refused before anything is written. JSON text (what callers store) never has
 * either: `JSON.stringify` escapes them.
 */
export function requireStorableValue(value: string): void {
  if (typeof value !== 'string') {
    throw new InvalidInputError('value', `must be a string, got ${describe(value)}`);
  }
  if (UNSTORABLE.test(value)) {
    throw new InvalidInputError(
      'value',
      'must be well-formed Unicode without NUL characters (it holds a lone surrogate or a NUL); store JSON text, which escapes both',
    );
  }
}

/**
 * A KeyValueStore key: a string every store can hold as it is. UTF-8 turns a lone surrogate into
 * U+FFFD (two keys would share one entry) and PostgreSQL text cannot hold NUL, so both are refused
 * on every store and every operation, before anything is read or written.
 */
export function requireStorableKey(key: string): void {
  if (typeof key !== 'string') {
    throw new InvalidInputError('key', `must be a string, got ${describe(key)}`);
  }
  if (UNSTORABLE.test(key)) {
    throw new InvalidInputError(
      'key',
      'must be well-formed Unicode without NUL characters (it holds a lone surrogate or a NUL)',
    );
  }
}

/**
 * Error text as every store can hold it: NUL (PostgreSQL text refuses it) and lone surrogates
 * (UTF-8 has none) become U+FFFD, so recording a failure can never fail on its message.
 */
export function storableText(text: string): string {
  return text.replace(/\p{Surrogate}|\0/gu, '\uFFFD');
}

export function requirePositiveInt(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidInputError(field, `must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

export function requireNonNegativeInt(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError(field, `must be a whole number >= 0, got ${describe(value)}`);
  }
  return value;
}

/** Table and key prefixes end up inside SQL identifiers, so only a safe alphabet is allowed. */
export function requirePrefix(value: unknown, fallback: string): string {
  const prefix = value === undefined ? fallback : value;
  if (typeof prefix !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(prefix)) {
    throw new StoreConfigError(
      'prefix',
      `must start with a letter or underscore and hold only letters, digits and underscores (at most 41), got ${describe(prefix)}`,
    );
  }
  return prefix;
}

export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'undefined') {
    return String(value);
  }
  return typeof value;
}

/** KeyValueStore TTLs follow the memory store: a positive number of milliseconds. */
/**
 * The longest TTL (2^52 ms, some 140,000 years): the store's clock plus it stays a safe integer
 * and fits PostgreSQL and MySQL BIGINT and Redis PX (omit the TTL for an entry that never expires).
 */
const MAX_TTL_MS = 2 ** 52;

export function checkTtl(ttlMs: number | undefined): void {
  if (ttlMs !== undefined && !(Number.isFinite(ttlMs) && ttlMs > 0 && ttlMs <= MAX_TTL_MS)) {
    throw new InvalidOptionError(
      'ttlMs',
      `must be a positive number of milliseconds up to 2^52, got ${ttlMs}`,
    );
  }
}
