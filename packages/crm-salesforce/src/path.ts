import { PlumblineError } from '@plumbline/client-core';

/**
 * A value meant for one URL path segment (an sObject name, an id, an external-id field or value,
 * a job id) that is missing or would leave its segment: empty, `.` or `..` (URL resolution drops
 * or climbs over them, so `PATCH …/Account/Ext__c/..` would become `PATCH …/Account/`).
 */
export class PathParameterError extends PlumblineError {
  readonly errorCode = 'INVALID_PATH_PARAMETER';
  readonly fields: string[];
  constructor(
    readonly parameter: string,
    readonly value: unknown,
  ) {
    const shown =
      typeof value === 'string'
        ? JSON.stringify(value)
        : value === undefined
          ? 'missing'
          : typeof value;
    super(
      'INVALID_PATH_PARAMETER',
      `Path parameter ${parameter} is ${shown}; it must be a non-empty string or number other than "." and ".." (those leave their place in the URL path). Pass the real ${parameter}.`,
    );
    this.fields = [parameter];
  }
}

/** Encodes `value` as one path segment, refusing values that would not stay one. */
export function pathSegment(parameter: string, value: unknown): string {
  if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
    throw new PathParameterError(parameter, value);
  }
  const text = String(value);
  if (text === '' || text === '.' || text === '..') throw new PathParameterError(parameter, text);
  return encodeURIComponent(text);
}

const PATH_PARAM = /\{([^{}]+)\}/g;

/**
 * openapi-fetch's path serializer for the typed client: every `{name}` in the path becomes one
 * encoded segment, or the call is refused with PathParameterError before anything is sent.
 */
export function serializePath(
  pathname: string,
  params: Record<string, unknown> | undefined,
): string {
  return pathname.replace(PATH_PARAM, (_, name: string) => pathSegment(name, params?.[name]));
}
