import { createHash } from 'node:crypto';
import { PlumblineError } from '../errors.js';

/**
 * A snapshot an emulator cannot restore: another version, another emulator's, or malformed. The
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
 * Secrets (issued tokens, passwords) enter a snapshot only as this digest: a restored emulator
 * still accepts them, and the file never holds one.
 */
export function secretDigest(value: string, salt = ''): string {
  return createHash('sha256').update(`${salt}\u0000${value}`).digest('hex');
}

/**
 * Checks the envelope every emulator snapshot shares (`{ version, emulator, … }`) and that the
 * named fields are arrays; returns the snapshot as a record.
 */
export function checkSnapshot(
  input: unknown,
  expected: { emulator: string; version: number; arrays: readonly string[] },
): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new EmulatorSnapshotError('snapshot', 'must be an object');
  }
  const snap = input as Record<string, unknown>;
  if (snap.version !== expected.version) {
    throw new EmulatorSnapshotError(
      'version',
      `is ${JSON.stringify(snap.version)}; this emulator reads version ${expected.version}`,
    );
  }
  if (snap.emulator !== expected.emulator) {
    throw new EmulatorSnapshotError(
      'emulator',
      `is ${JSON.stringify(snap.emulator)}; expected "${expected.emulator}"`,
    );
  }
  for (const name of expected.arrays) {
    if (!Array.isArray(snap[name])) throw new EmulatorSnapshotError(name, 'must be an array');
  }
  return snap;
}
