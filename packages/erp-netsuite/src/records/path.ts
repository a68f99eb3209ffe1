import { NetSuiteArgumentError } from '../errors.js';

// A lone UTF-16 surrogate has no UTF-8 form, so it has no percent-encoding either.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The text of a path parameter: a non-empty string (a whole number is accepted for ids). */
export function parameterText(value: unknown, name: string, what: string): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new NetSuiteArgumentError(
      name,
      `${JSON.stringify(value) ?? String(value)} is not ${what} (a non-empty string)`,
    );
  }
  if (LONE_SURROGATE.test(text)) {
    throw new NetSuiteArgumentError(
      name,
      `${JSON.stringify(text)} is not ${what}: it holds a lone UTF-16 surrogate, which no URL can carry`,
    );
  }
  return text;
}

/**
 * One percent-encoded path segment. `.` and `..` are refused: URL parsers resolve them (and their
 * `%2e` spellings) as "this" and "parent" segments, so `…/customer/..` would become `…/record/v1/`.
 */
export function pathSegment(value: unknown, name: string, what: string): string {
  const text = parameterText(value, name, what);
  if (text === '.' || text === '..') {
    throw new NetSuiteArgumentError(
      name,
      `"${text}" is not ${what}: a dot segment would leave its place in the URL path`,
    );
  }
  return encodeURIComponent(text);
}

/** The `eid:<external id>` segment; the external id is percent-encoded after the prefix. */
export function externalIdSegment(externalId: unknown, name = 'externalId'): string {
  return `eid:${encodeURIComponent(parameterText(externalId, name, 'an external id'))}`;
}

/** A record type (`salesOrder`, `customrecord_x`) or sublist name: letters, digits and `_`. */
export function checkName(value: unknown, name: string, what: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new NetSuiteArgumentError(
      name,
      `${JSON.stringify(value) ?? String(value)} is not ${what} (letters, digits and "_", starting with a letter)`,
    );
  }
  return value;
}
