import { NetSuiteProtocolError } from '../errors.js';

/** The last path segment of a Location header: the new record's or job's id. */
export function idFromLocation(response: Response, what: string): { id: string; location: string } {
  const location = response.headers.get('location');
  if (!location) {
    throw new NetSuiteProtocolError(
      `NetSuite answered ${what} with ${response.status} but no Location header, so the new id is unknown; look the record up by external id before retrying`,
    );
  }
  const path = new URL(location, 'https://netsuite.invalid').pathname.replace(/\/+$/, '');
  const id = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  if (!id) {
    throw new NetSuiteProtocolError(`NetSuite's Location header "${location}" names no id`);
  }
  return { id, location };
}
