import { describe, expect, it } from 'vitest';
import { checkSnapshot, EmulatorSnapshotError, secretDigest } from '../testing.js';

const expected = { emulator: 'netsuite', version: 1, arrays: ['records'] };

describe('emulator snapshots', () => {
  it('accepts its own envelope and returns the snapshot', () => {
    const snap = { version: 1, emulator: 'netsuite', records: [] };
    expect(checkSnapshot(snap, expected)).toBe(snap);
  });

  it('names the field and the problem of a snapshot it cannot restore', () => {
    const cases: [unknown, string, string][] = [
      [null, 'snapshot', 'emulator snapshot: snapshot must be an object'],
      [{ version: 2, emulator: 'netsuite', records: [] }, 'version', 'reads version 1'],
      [{ version: 1, emulator: 'salesforce', records: [] }, 'emulator', 'expected "netsuite"'],
      [{ version: 1, emulator: 'netsuite', records: {} }, 'records', 'records must be an array'],
    ];
    for (const [input, field, text] of cases) {
      const error = (() => {
        try {
          checkSnapshot(input, expected);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(EmulatorSnapshotError);
      expect(error).toMatchObject({ code: 'EMULATOR_SNAPSHOT_INVALID', field });
      expect((error as Error).message).toContain(text);
    }
  });

  it('keeps secrets out as salted digests', () => {
    const digest = secretDigest('token-123', 'acct');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain('token-123');
    expect(digest).toBe(secretDigest('token-123', 'acct'));
    expect(digest).not.toBe(secretDigest('token-123', 'other'));
  });
});
