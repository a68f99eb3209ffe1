import { describe, expect, it } from 'vitest';
import { InvalidIdError } from './errors.js';
import { idChecksum, isSalesforceId, toCaseSafeId } from './ids.js';

describe('Salesforce ids', () => {
  it('computes the documented case-safe suffix', () => {
    expect(idChecksum('001A0000006Vm9r')).toBe('IAC');
    expect(toCaseSafeId('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(toCaseSafeId('001A0000006Vm9riac')).toBe('001A0000006Vm9rIAC');
  });

  it('tells ids from non-ids', () => {
    expect(isSalesforceId('001A0000006Vm9rIAC')).toBe(true);
    expect(isSalesforceId('001A0000006Vm9rAAA')).toBe(false);
    expect(isSalesforceId("001' OR 1=1")).toBe(false);
    expect(() => toCaseSafeId('nope')).toThrow(InvalidIdError);
  });
});
