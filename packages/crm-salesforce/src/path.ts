import { PlumblineError } from '@plumbline/client-core';

/**
 * A value meant for one URL path segment (an sObject name, an id, an external-id field or value,
 * a job id) that would leave its segment: empty, `.` or `..` (URL resolution drops or climbs over
 * them, so `PATCH …/Account/Ext__c/..` would become `PATCH …/Account/`).
 */
export class PathParameterError extends PlumblineError {
  readonly errorCode = 'INVALID_PATH_PARAMETER';
  readonly fields: string[];
  constructor(
    readonly parameter: string,
    readonly value: string,
  ) {
    super(
      'INVALID_PATH_PARAMETER',
      `${parameter} is ${JSON.stringify(value)}, which cannot be a URL path segment (empty, "." and ".." leave their place in the path); pass the real ${parameter}.`,
    );
    this.fields = [parameter];
  }
}

/** Encodes `value` as one path segment, refusing values that would not stay one. */
export function pathSegment(parameter: string, value: string | number): string {
  const text = String(value);
  if (text.trim() === '' || text === '.' || text === '..') {
    throw new PathParameterError(parameter, text);
  }
  return encodeURIComponent(text);
}
