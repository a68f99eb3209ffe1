import { checkSnapshot as checkEnvelope } from '@plumbline/client-core/testing';

export { EmulatorSnapshotError, secretDigest } from '@plumbline/client-core/testing';

/** The snapshot format this emulator writes and reads. */
export const SALESFORCE_SNAPSHOT_VERSION = 1;

/** Checks a snapshot's envelope against this emulator's format and that `arrays` are arrays. */
export function checkSnapshot(
  input: unknown,
  emulator: string,
  arrays: readonly string[],
): Record<string, unknown> {
  return checkEnvelope(input, { emulator, version: SALESFORCE_SNAPSHOT_VERSION, arrays });
}
