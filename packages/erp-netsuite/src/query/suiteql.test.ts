import { describe, expect, it } from 'vitest';
import { SuiteqlValueError } from '../errors.js';
import { isSuiteqlQuery, suiteql } from './suiteql.js';

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

describe('suiteql fragments cannot be forged', () => {
  const real = suiteql`id = ${1}`;
  const forgeries: [string, () => unknown][] = [
    [
      'a Symbol.for brand',
      () => ({ q: '1=1 --', [Symbol.for('plumbline.netsuite.suiteql')]: true }),
    ],
    ['an object with q', () => ({ q: '1=1 --' })],
    [
      'Object.create with the prototype',
      () => Object.assign(Object.create(Object.getPrototypeOf(real)), { q: '1=1 --' }),
    ],
    ['a spread copy', () => ({ ...real })],
    ['Object.assign copy', () => Object.assign({}, real)],
    ['structuredClone', () => structuredClone(real)],
    ['a JSON round trip', () => JSON.parse(JSON.stringify(real))],
    ['a Proxy of a real fragment', () => new Proxy(real, {})],
    [
      'a copy with every own symbol',
      () => {
        const copy: Record<PropertyKey, unknown> = { q: '1=1 --' };
        for (const key of Object.getOwnPropertySymbols(real)) copy[key] = (real as never)[key];
        return copy;
      },
    ],
  ];

  it.each(forgeries)('refuses %s with SuiteqlValueError', (_name, forge) => {
    const forged = forge();
    expect(isSuiteqlQuery(forged)).toBe(false);
    let error: unknown;
    try {
      suiteql`SELECT id FROM customer WHERE ${forged as never}`;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SuiteqlValueError);
    expect(error).toMatchObject({ code: 'SUITEQL_INVALID_VALUE', index: 0 });
    expect((error as Error).message).toMatch(/value #1: /);
  });

  it('trusts only what suiteql, suiteql.identifier, suiteql.date and suiteql.raw made', () => {
    expect(isSuiteqlQuery(real)).toBe(true);
    expect(Object.isFrozen(real)).toBe(true);
    expect(Object.getOwnPropertySymbols(real)).toEqual([]);
    expect(suiteql`SELECT id FROM customer WHERE ${real}`.q).toBe(
      'SELECT id FROM customer WHERE id = 1',
    );
    expect(isSuiteqlQuery(suiteql.identifier('c.email'))).toBe(true);
    expect(isSuiteqlQuery(suiteql.date('2024-02-29'))).toBe(true);
    expect(suiteql.raw('SELECT id FROM customer').q).toBe('SELECT id FROM customer');
    expect(() => suiteql(['SELECT 1'] as never)).toThrow(SuiteqlValueError);
    expect(() => suiteql.raw(42 as never)).toThrow(SuiteqlValueError);
  });
});

describe('suiteql number and date literals', () => {
  it('writes numbers in plain decimal, never with an exponent', () => {
    const cases: [number | bigint, string][] = [
      [1e21, '1000000000000000000000'],
      [1e-7, '0.0000001'],
      [-1.5e-7, '-0.00000015'],
      [1.2345e25, '12345000000000000000000000'],
      [123.456, '123.456'],
      [-0, '0'],
      [2 ** 53 + 2, '9007199254740994'],
      [1e125, `1${'0'.repeat(125)}`],
      [1e-130, `0.${'0'.repeat(129)}1`],
      [12345678901234567890123456789n, '12345678901234567890123456789'],
    ];
    for (const [value, text] of cases) {
      expect(suiteql`${value}`.q, String(value)).toBe(text);
      expect(suiteql`${value}`.q).not.toMatch(/e/i);
    }
    expect(suiteql`${[1e21, 1e-7]}`.q).toBe('(1000000000000000000000, 0.0000001)');
  });

  it("refuses NaN, Infinity and numbers outside Oracle's NUMBER range", () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => suiteql`${value}`).toThrow(/not finite/);
    }
    for (const value of [1e126, -1e200, Number.MAX_VALUE, 5e-324, -1e-131, 10n ** 126n]) {
      expect(() => suiteql`${value}`, String(value)).toThrow(/outside SuiteQL's NUMBER range/);
    }
  });

  it('refuses dates that do not exist and years outside 0001 to 9999', () => {
    for (const text of [
      '2024-02-30',
      '2023-02-29',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '0000-01-01',
      '10000-01-01',
      '2024-2-1',
      '2024-02-11T00:00:00Z',
      '',
    ]) {
      expect(() => suiteql.date(text), text).toThrow(SuiteqlValueError);
    }
    expect(suiteql.date('2024-02-29').q).toBe("TO_DATE('2024-02-29', 'YYYY-MM-DD')");
    expect(suiteql.date('2000-02-29').q).toBe("TO_DATE('2000-02-29', 'YYYY-MM-DD')");
    expect(() => suiteql.date('1900-02-29')).toThrow(/has 28 days/);
    expect(suiteql.date(new Date(Date.UTC(2024, 1, 11, 23, 59))).q).toBe(
      "TO_DATE('2024-02-11', 'YYYY-MM-DD')",
    );
    const far = new Date(Date.UTC(10000, 0, 1));
    const early = new Date(Date.UTC(0, 0, 1));
    early.setUTCFullYear(0);
    const negative = new Date(Date.UTC(-1, 0, 1));
    for (const date of [far, early, negative]) {
      expect(() => suiteql`${date}`, date.toISOString()).toThrow(/year/);
      expect(() => suiteql.date(date), date.toISOString()).toThrow(/year/);
    }
    expect(suiteql`${new Date(Date.UTC(9999, 11, 31, 23, 59, 59))}`.q).toBe(
      "TO_DATE('9999-12-31 23:59:59', 'YYYY-MM-DD HH24:MI:SS')",
    );
  });
});
