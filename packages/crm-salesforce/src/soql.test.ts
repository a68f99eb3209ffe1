import { describe, expect, it } from 'vitest';
import { SoqlValueError } from './errors.js';
import { escapeSoqlString, soql, soqlDate, soqlIdentifier, soqlLike } from './soql.js';

describe('soql tagged template', () => {
  it('quotes strings with backslash escapes for every special character', () => {
    expect(escapeSoqlString('a\'b"c\\d\ne\rf\tg\bh\fi')).toBe(
      'a\\\'b\\"c\\\\d\\ne\\rf\\tg\\bh\\fi',
    );
    expect(soql`SELECT Id FROM Account WHERE Name = ${"O'Brien"}`).toBe(
      "SELECT Id FROM Account WHERE Name = 'O\\'Brien'",
    );
  });

  it('keeps an injection attempt inside one string literal', () => {
    const attack = "x' OR Name != 'y";
    const text = soql`SELECT Id FROM Account WHERE Name = ${attack}`;
    expect(text).toBe("SELECT Id FROM Account WHERE Name = 'x\\' OR Name != \\'y'");
    const backslashAttack = "x\\' OR Id != null OR Name = '";
    expect(soql`SELECT Id FROM Account WHERE Name = ${backslashAttack}`).toBe(
      "SELECT Id FROM Account WHERE Name = 'x\\\\\\' OR Id != null OR Name = \\''",
    );
  });

  it('renders dates, datetimes, numbers, booleans, null and IN lists', () => {
    const when = new Date('2024-03-05T06:07:08.900Z');
    expect(soql`X = ${when}`).toBe('X = 2024-03-05T06:07:08Z');
    expect(soql`X = ${soqlDate(when)}`).toBe('X = 2024-03-05');
    expect(soql`X = ${soqlDate('2024-02-29')}`).toBe('X = 2024-02-29');
    expect(soql`X = ${42} AND Y = ${-1.5} AND Z = ${true} AND W = ${null}`).toBe(
      'X = 42 AND Y = -1.5 AND Z = true AND W = null',
    );
    expect(soql`Id IN ${['a', "b'c", 3]}`).toBe("Id IN ('a','b\\'c',3)");
    expect(soql`Name = ${soqlIdentifier('Account.Name')}`).toBe('Name = Account.Name');
  });

  it('escapes % and _ for LIKE and adds only the wildcards asked for', () => {
    expect(soql`Name LIKE ${soqlLike('50%_off')}`).toBe("Name LIKE '50\\%\\_off'");
    expect(soql`Name LIKE ${soqlLike("a'b", 'startsWith')}`).toBe("Name LIKE 'a\\'b%'");
    expect(soql`Name LIKE ${soqlLike('x', 'contains')}`).toBe("Name LIKE '%x%'");
    expect(soql`Name LIKE ${soqlLike('x', 'endsWith')}`).toBe("Name LIKE '%x'");
  });

  it('rejects values that cannot be literals with a typed error', () => {
    expect(() => soql`X = ${undefined}`).toThrow(SoqlValueError);
    expect(() => soql`X = ${Number.NaN}`).toThrow(/finite/);
    expect(() => soql`X = ${Number.POSITIVE_INFINITY}`).toThrow(SoqlValueError);
    expect(() => soql`X IN ${[]}`).toThrow(/empty array/);
    expect(() => soql`X = ${{ a: 1 }}`).toThrow(/unsupported type object/);
    expect(() => soql`X = ${new Date('nope')}`).toThrow(SoqlValueError);
    expect(() => soqlDate('2024-13-45')).toThrow(SoqlValueError);
    expect(() => soqlIdentifier('Name; DELETE')).toThrow(SoqlValueError);
    try {
      soql`X = ${undefined}`;
    } catch (error) {
      expect((error as SoqlValueError).code).toBe('SOQL_VALUE');
    }
  });
});
