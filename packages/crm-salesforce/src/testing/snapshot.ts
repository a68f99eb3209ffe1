import { createHash } from 'node:crypto';
import { PlumblineError } from '@plumbline/client-core';

/** The snapshot format this emulator writes and reads. */
export const SALESFORCE_SNAPSHOT_VERSION = 1;

/**
 * A snapshot that cannot be restored: another version, another emulator's, or malformed. The
 * message names the field and the problem.
 */
export class EmulatorSnapshotError extends PlumblineError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super('EMULATOR_SNAPSHOT_INVALID', `emulator snapshot: ${field} ${problem}`);
  }
}

/**
 * Secrets (issued session ids) enter a snapshot only as this digest: a restored
 * emulator still accepts them, and the file never holds one.
 */
export function secretDigest(value: string, salt = ''): string {
  return createHash('sha256').update(`${salt}\u0000${value}`).digest('hex');
}

/** Checks the envelope every snapshot shares and that the named fields are arrays/objects. */
export function checkSnapshot(
  input: unknown,
  emulator: string,
  arrays: readonly string[],
): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new EmulatorSnapshotError('snapshot', 'must be an object');
  }
  const snap = input as Record<string, unknown>;
  if (snap.version !== SALESFORCE_SNAPSHOT_VERSION) {
    throw new EmulatorSnapshotError(
      'version',
      `is ${JSON.stringify(snap.version)}; this emulator reads version ${SALESFORCE_SNAPSHOT_VERSION}`,
    );
  }
  if (snap.emulator !== emulator) {
    throw new EmulatorSnapshotError(
      'emulator',
      `is ${JSON.stringify(snap.emulator)}; expected "${emulator}"`,
    );
  }
  for (const name of arrays) {
    if (!Array.isArray(snap[name])) throw new EmulatorSnapshotError(name, 'must be an array');
  }
  return snap;
}
