import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SoqlValueError } from './errors.js';
import {
  escapeSoqlString,
  SoqlDate,
  SoqlIdentifier,
  SoqlLike,
  SoqlRaw,
  soql,
  soqlDate,
  soqlDateTime,
  soqlIdentifier,
  soqlLike,
  soqlLiteral,
  soqlRaw,
} from './soql.js';
import { parseSoql } from './testing/soql-parser.js';

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

describe('trusted fragments cannot be forged', () => {
  const forged = (value: unknown) => () => soql`SELECT Id FROM Account WHERE Name = ${value}`;

  it('refuses constructing a fragment class, with or without a guessed key', () => {
    const Identifier = SoqlIdentifier as unknown as new (...args: unknown[]) => unknown;
    const Like = SoqlLike as unknown as new (...args: unknown[]) => unknown;
    const DateFragment = SoqlDate as unknown as new (...args: unknown[]) => unknown;
    expect(() => new Identifier('Id FROM User --')).toThrow(SoqlValueError);
    expect(() => new Like("'' OR Name != ''")).toThrow(/cannot be constructed directly/);
    expect(() => new DateFragment('2024-01-01) OR (Id != null')).toThrow(SoqlValueError);
    expect(() => new Identifier(Symbol('SoqlFragment'), 'Id FROM User --')).toThrow(SoqlValueError);
    expect(() => new Identifier(Symbol.for('SoqlFragment'), 'x')).toThrow(SoqlValueError);
    class Evil extends (SoqlRaw as unknown as new (...args: unknown[]) => object) {
      constructor() {
        super(Symbol('SoqlFragment'), "x' OR Id != null");
      }
    }
    expect(() => new Evil()).toThrow(SoqlValueError);
  });

  it('refuses objects made from the prototype and structural copies with a typed error', () => {
    const viaPrototype = Object.create(SoqlIdentifier.prototype);
    expect(forged(viaPrototype)).toThrow(SoqlValueError);
    expect(forged(viaPrototype)).toThrow(/not built by this library/);
    const reprototyped = Object.setPrototypeOf(
      { literal: "'' OR Name != ''" },
      SoqlLike.prototype,
    ) as unknown;
    expect(forged(reprototyped)).toThrow(/not built by this library/);
    for (const copy of [
      { ...soqlLike('x') },
      { literal: "'' OR Name != ''" },
      { name: 'Id FROM User --' },
      structuredClone(soqlIdentifier('Name')),
      JSON.parse(JSON.stringify(soqlDate('2024-01-01'))),
    ]) {
      const error = (() => {
        try {
          forged(copy)();
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(SoqlValueError);
      expect((error as SoqlValueError).code).toBe('SOQL_VALUE');
    }
  });

  it('splices genuine fragments and explicitly raw text only', () => {
    expect(
      soql`SELECT ${soqlIdentifier('Name')} FROM Account WHERE ${soqlRaw('IsDeleted = false')}`,
    ).toBe('SELECT Name FROM Account WHERE IsDeleted = false');
    expect(soqlIdentifier('Account.Name').name).toBe('Account.Name');
    expect(soqlDate('2024-02-29').literal).toBe('2024-02-29');
    expect(() => soqlRaw(42 as unknown as string)).toThrow(SoqlValueError);
  });
});

describe('literals SOQL can read', () => {
  it('renders numbers without exponents', () => {
    expect(soqlLiteral(1e21)).toBe('1000000000000000000000');
    expect(soqlLiteral(1e-7)).toBe('0.0000001');
    expect(soqlLiteral(-1.5e-10)).toBe('-0.00000000015');
    expect(soqlLiteral(1.2345e25)).toBe('12345000000000000000000000');
    expect(soqlLiteral(-0)).toBe('0');
    expect(soqlLiteral(5e-324)).toBe(`0.${'0'.repeat(323)}5`);
    expect(soqlLiteral(Number.MAX_VALUE)).toMatch(/^17976931348623157\d{292}$/);
    expect(soqlLiteral(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('refuses NaN and infinities', () => {
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(() => soqlLiteral(n)).toThrow(SoqlValueError);
  });

  it('refuses dates that are not on the calendar and years outside 0000-9999', () => {
    expect(() => soqlDate('2024-02-30')).toThrow(/not a calendar date/);
    expect(() => soqlDate('2023-02-29')).toThrow(SoqlValueError);
    expect(() => soqlDate('1900-02-29')).toThrow(SoqlValueError);
    expect(() => soqlDate('2024-04-31')).toThrow(SoqlValueError);
    expect(() => soqlDate('2024-00-10')).toThrow(SoqlValueError);
    expect(() => soqlDate('2024-01-00')).toThrow(SoqlValueError);
    expect(soqlDate('2000-02-29').literal).toBe('2000-02-29');
    expect(soqlDate('0000-01-01').literal).toBe('0000-01-01');
    expect(soqlDate('9999-12-31').literal).toBe('9999-12-31');
    const y10000 = new Date(Date.UTC(10000, 0, 1));
    const yMinus1 = new Date(Date.UTC(-1, 0, 1));
    expect(() => soqlDate(y10000)).toThrow(/0000-9999/);
    expect(() => soqlDate(yMinus1)).toThrow(/0000-9999/);
    expect(() => soqlDateTime(y10000)).toThrow(/0000-9999/);
    expect(() => soql`X > ${yMinus1}`).toThrow(SoqlValueError);
    expect(() => soqlDate(42 as unknown as string)).toThrow(SoqlValueError);
  });

  it('every rendered number reads back as the same value in the emulator’s SOQL parser', () => {
    const readBack = (n: number) => {
      const query = parseSoql(soql`SELECT Id FROM Account WHERE Amount = ${n}`);
      const where = query.where as { type: 'cmp'; value: { kind: string; value: number } };
      expect(where.value.kind).toBe('number');
      return where.value.value;
    };
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(readBack(n)).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), (n) => {
        expect(readBack(n)).toBe(n === 0 ? 0 : n);
      }),
    );
    for (const n of [
      1e21,
      1e-7,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      -Number.MAX_VALUE,
      2 ** 53 + 2,
    ])
      expect(readBack(n)).toBe(n);
  });
});
