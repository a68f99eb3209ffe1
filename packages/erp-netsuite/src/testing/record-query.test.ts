import { describe, expect, it } from 'vitest';
import { parseRecordQuery, RecordQueryError } from './record-query.js';

const records = [
  {
    id: '1',
    companyName: 'Harbor Tools',
    email: 'ap@harbor.example',
    isInactive: false,
    balance: 120,
    lastModifiedDate: '2024-02-11T16:40:00Z',
    subsidiary: { id: '1', refName: 'Parent' },
  },
  {
    id: '2',
    companyName: 'Quay Supplies',
    isInactive: true,
    balance: 0,
    lastModifiedDate: '2024-02-12T08:00:00Z',
    subsidiary: { id: '2', refName: 'UK' },
  },
  {
    id: '3',
    companyName: 'Anchor & Co',
    email: 'buy@anchor.example',
    isInactive: false,
    balance: 45.5,
    lastModifiedDate: '2024-03-01T00:00:00Z',
    subsidiary: { id: '1', refName: 'Parent' },
  },
];

const ids = (q: string) => records.filter(parseRecordQuery(q)).map((r) => r.id);

describe('record collection filter (q)', () => {
  it('applies the operators of Oracle’s table, their _NOT forms and quoted values', () => {
    expect(ids('companyName START_WITH "harbor"')).toEqual(['1']);
    expect(ids('companyName START_WITH_NOT "harbor"')).toEqual(['2', '3']);
    expect(ids("companyName CONTAIN '&'")).toEqual(['3']);
    expect(ids('companyName END_WITH_NOT Supplies')).toEqual(['1', '3']);
    expect(ids('email EMPTY')).toEqual(['2']);
    expect(ids('email EMPTY_NOT')).toEqual(['1', '3']);
    expect(ids('isInactive IS false')).toEqual(['1', '3']);
    expect(ids('balance GREATER_NOT 45.5')).toEqual(['2', '3']);
    expect(ids('balance BETWEEN [1, 100]')).toEqual(['3']);
    expect(ids('balance BETWEEN_NOT [1, 100]')).toEqual(['1', '2']);
    expect(ids('subsidiary ANY_OF [2, 3]')).toEqual(['2']);
    expect(ids('subsidiary ANY_OF_NOT [2]')).toEqual(['1', '3']);
  });

  it('compares dates by day for date values (ISO or account format) and by instant otherwise', () => {
    expect(ids('lastModifiedDate ON "2024-02-11"')).toEqual(['1']);
    expect(ids('lastModifiedDate ON_OR_AFTER "02/12/2024"')).toEqual(['2', '3']);
    expect(ids('lastModifiedDate ON_OR_BEFORE "2024-02-12"')).toEqual(['1', '2']);
    expect(ids('lastModifiedDate BEFORE "2024-02-12T00:00:00Z"')).toEqual(['1']);
    expect(ids('lastModifiedDate AFTER_NOT "2024-02-12"')).toEqual(['1', '2']);
  });

  it('binds AND tighter than OR and honours parentheses', () => {
    expect(ids('isInactive IS true OR balance GREATER 100 AND email EMPTY_NOT')).toEqual([
      '1',
      '2',
    ]);
    expect(ids('(isInactive IS true OR balance GREATER 100) AND email EMPTY_NOT')).toEqual(['1']);
  });

  it('refuses malformed filters with a message naming the problem', () => {
    expect(() => parseRecordQuery('companyName SOUNDS_LIKE x')).toThrow(RecordQueryError);
    expect(() => parseRecordQuery('balance BETWEEN [1]')).toThrow(/two values/);
    expect(() => parseRecordQuery('(balance GREATER 1')).toThrow(/unclosed \(/);
    expect(() => parseRecordQuery('balance GREATER 1 XOR id IS 2')).toThrow(/AND or OR/);
  });
});
