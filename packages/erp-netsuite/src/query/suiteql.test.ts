import { describe, expect, it } from 'vitest';
import { SuiteqlValueError } from '../errors.js';
import { suiteql } from './suiteql.js';

describe('suiteql tagged template', () => {
  it('quotes strings by doubling single quotes, so input stays data', () => {
    const name = "O'Brien' OR 1=1 --";
    expect(suiteql`SELECT id FROM customer WHERE companyname = ${name}`.q).toBe(
      "SELECT id FROM customer WHERE companyname = 'O''Brien'' OR 1=1 --'",
    );
  });

  it('writes numbers, bigints, booleans as T/F, null as NULL and dates as UTC TO_DATE literals', () => {
    const q = suiteql`SELECT id FROM transaction WHERE amount > ${12.5} AND id < ${10n}
      AND isinactive = ${false} AND memo IS ${null} AND trandate >= ${new Date(Date.UTC(2024, 0, 2, 3, 4, 5))}`;
    expect(q.q).toContain('amount > 12.5 AND id < 10');
    expect(q.q).toContain("isinactive = 'F'");
    expect(q.q).toContain('memo IS NULL');
    expect(q.q).toContain("trandate >= TO_DATE('2024-01-02 03:04:05', 'YYYY-MM-DD HH24:MI:SS')");
  });

  it('turns arrays into IN lists and inlines nested fragments and checked identifiers', () => {
    const filter = suiteql`email LIKE ${'%@example.com'}`;
    const column = suiteql.identifier('c.companyname');
    expect(
      suiteql`SELECT ${column} FROM customer c WHERE id IN ${[1, 2, "3'"]} AND ${filter}`.q,
    ).toBe(
      "SELECT c.companyname FROM customer c WHERE id IN (1, 2, '3''') AND email LIKE '%@example.com'",
    );
  });

  it('rejects values it cannot make safe, naming the value and the problem', () => {
    expect(() => suiteql`WHERE id IN ${[]}`).toThrow(SuiteqlValueError);
    expect(() => suiteql`WHERE id IN ${[]}`).toThrow(/value #1: the array is empty/);
    expect(() => suiteql`WHERE a = ${1} AND b = ${Number.NaN}`).toThrow(/value #2: the number NaN/);
    expect(() => suiteql`WHERE a = ${Number.POSITIVE_INFINITY}`).toThrow(/not finite/);
    expect(() => suiteql`WHERE a = ${'x\u0000y'}`).toThrow(
      /control character U\+0000 at position 1/,
    );
    expect(() => suiteql`WHERE a = ${new Date('nope')}`).toThrow(/invalid/);
    expect(() => suiteql`WHERE a = ${undefined as never}`).toThrow(/undefined/);
    expect(() => suiteql`WHERE a = ${{ id: 1 } as never}`).toThrow(
      /Object cannot be a SuiteQL literal/,
    );
    expect(() => suiteql.identifier('name; DROP')).toThrow(/not a SuiteQL identifier/);
    try {
      suiteql`WHERE a = ${Number.NaN}`;
    } catch (error) {
      expect((error as SuiteqlValueError).code).toBe('SUITEQL_INVALID_VALUE');
    }
  });

  it('keeps tabs and newlines in strings', () => {
    expect(suiteql`${'a\tb\nc'}`.q).toBe("'a\tb\nc'");
  });
});
