import { CommerceInputError } from './errors.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

/**
 * One path parameter as the URL segment it must stay inside. Strings are percent-encoded whole
 * (`/`, `?`, `#`, `%`, `+`, spaces, unicode); integers are written out. An empty string, `.` and
 * `..` are refused: the URL would drop or resolve the segment and the request would reach
 * another route (`DELETE /V1/products/..` is `DELETE /V1/`).
 */
export function encodePathSegment(name: string, value: unknown): string {
  const field = `path.${name}`;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new CommerceInputError(
        field,
        `${value} is not an integer id; pass ids as integers or strings`,
      );
    }
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'string') {
    throw new CommerceInputError(field, `expected a string or an integer, got ${describe(value)}`);
  }
  if (value === '') {
    throw new CommerceInputError(
      field,
      'is empty: an empty path segment would send the request to another route',
    );
  }
  if (value === '.' || value === '..') {
    throw new CommerceInputError(
      field,
      `"${value}" is a dot segment: URLs resolve it, so the request would go to another route`,
    );
  }
  return encodeURIComponent(value);
}

/**
 * openapi-fetch's `pathSerializer` for Commerce routes: fills each `{name}` after `restUrl` with
 * its encoded segment and refuses a missing, empty or dot-segment value with `CommerceInputError`
 * naming the parameter (`path.sku`).
 */
export function commercePathSerializer(
  restUrl: string,
): (url: string, params: Record<string, unknown>) => string {
  return (url, params) => {
    const at = url.startsWith(restUrl) ? restUrl.length : 0;
    const route = url.slice(at);
    if (!route.includes('{')) return url;
    return (
      url.slice(0, at) +
      route.replace(PLACEHOLDER, (_, name: string) => {
        if (!Object.hasOwn(params, name) || params[name] === undefined || params[name] === null) {
          throw new CommerceInputError(`path.${name}`, `is required by the route ${route}`);
        }
        return encodePathSegment(name, params[name]);
      })
    );
  };
}
