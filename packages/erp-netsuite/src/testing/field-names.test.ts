import { describe, expect, it } from 'vitest';
import { canonicalFieldName, withCanonicalFieldNames } from './field-names.js';

describe('body field names, read without regard to case', () => {
  it("takes the metadata's spelling for the fields the record schemas know", () => {
    expect(
      withCanonicalFieldNames('customer', {
        entityid: 'New Customer',
        COMPANYNAME: 'My Company',
        addressbook: { items: [] },
      }),
    ).toEqual({ entityId: 'New Customer', companyName: 'My Company', addressBook: { items: [] } });
    expect(canonicalFieldName('salesOrder', 'TRANDATE')).toBe('tranDate');
  });

  it("keeps a stored record's spelling for fields the schemas do not know, and the name as sent otherwise", () => {
    const stored = { id: '1', custentity_Tier: 'gold' };
    expect(canonicalFieldName('customer', 'custentity_tier', stored)).toBe('custentity_Tier');
    expect(canonicalFieldName('customer', 'custentity_new', stored)).toBe('custentity_new');
    expect(canonicalFieldName('customrecord_x', 'Anything')).toBe('Anything');
  });

  it('a body naming one field in two cases keeps the later value, under one name', () => {
    expect(
      withCanonicalFieldNames('customer', { companyname: 'first', companyName: 'second' }),
    ).toEqual({
      companyName: 'second',
    });
  });
});
