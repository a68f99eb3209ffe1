import { InvalidIdError } from './errors.js';

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

/**
 * The 3-character case-safe suffix Salesforce appends to a 15-character id: for each
 * 5-character chunk, a bit per uppercase letter (first character = lowest bit), mapped to
 * A–Z then 0–5.
 */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/** Returns the 18-character case-safe form of a 15- or 18-character id (checks the suffix). */
export function toCaseSafeId(id: string): string {
  if (ID15.test(id)) return id + idChecksum(id);
  if (ID18.test(id) && id.slice(15).toUpperCase() === idChecksum(id.slice(0, 15))) {
    return id.slice(0, 15) + id.slice(15).toUpperCase();
  }
  throw new InvalidIdError(id);
}

/** True for a well-formed 15-character id or an 18-character id whose suffix matches. */
export function isSalesforceId(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  if (ID15.test(id)) return true;
  return ID18.test(id) && id.slice(15).toUpperCase() === idChecksum(id.slice(0, 15));
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 15-character form of an id as a base-62 number (0-9, A-Z, a-z: its sort order). */
export function idToNumber(id: string): bigint {
  const id15 = id.slice(0, 15);
  let n = 0n;
  for (const c of id15) {
    const digit = BASE62.indexOf(c);
    if (digit === -1) throw new InvalidIdError(id);
    n = n * 62n + BigInt(digit);
  }
  return n;
}

/** The 15-character id of a base-62 number (a range boundary between two real ids). */
export function numberToId(n: bigint): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < 15; i++) {
    out = BASE62[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out;
}
