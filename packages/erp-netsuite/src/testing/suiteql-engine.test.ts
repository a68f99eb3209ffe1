import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suiteql } from '../query/suiteql.js';
import { RecordStore } from './store.js';
import { runSuiteql, SuiteqlSyntaxError } from './suiteql-engine.js';

function store() {
  const s = new RecordStore(() => Date.UTC(2024, 0, 1));
  const rows = [
    { companyName: 'Acme', email: 'a@acme.test', isInactive: false, balance: 10 },
    { companyName: 'Beta', email: 'b@beta.test', isInactive: true, balance: 5 },
    { companyName: "O'Hare", isInactive: false, balance: 30 },
    { companyName: 'acme lower', email: 'x@acme.test', isInactive: false, balance: 20 },
  ];
  for (const r of rows) s.create('customer', r);
  return s;
}

const run = (q: string, page = { limit: 1000, offset: 0 }) =>
  runSuiteql(q, (name) => store().table(name), page);
const ids = (q: string) => run(q).items.map((i) => i.id);

describe('emulator SuiteQL engine', () => {
  it('selects columns (aliases, qualifiers) and omits NULL columns like NetSuite', () => {
    const r = run('SELECT c.id, c.companyname AS name, email FROM customer c WHERE id = 3');
    expect(r.items).toEqual([{ links: [], id: '3', name: "O'Hare" }]);
    expect(r.totalResults).toBe(1);
  });

  it('renders TO_CHAR dates, and plain dates in the account format when asked', () => {
    const r = run(
      `SELECT id, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD"T"HH24:MI:SS') AS changed,
         TO_CHAR(datecreated, 'MM/DD/YYYY HH:MI'), datecreated FROM customer WHERE id = 1`,
    );
    expect(r.items).toEqual([
      {
        links: [],
        id: '1',
        changed: '2024-01-01T00:00:00',
        expr1: '01/01/2024 12:00',
        datecreated: '2024-01-01T00:00:00Z',
      },
    ]);
    const account = runSuiteql(
      "SELECT id, datecreated, TO_CHAR(datecreated, 'YYYY-MM-DD') AS iso FROM customer WHERE id = 1",
      (name) => store().table(name),
      { limit: 10, offset: 0 },
      'account',
    );
    expect(account.items).toEqual([
      { links: [], id: '1', datecreated: '1/1/2024', iso: '2024-01-01' },
    ]);
    // Through a subquery the format follows the alias.
    expect(
      run(
        "SELECT changed FROM (SELECT id, TO_CHAR(datecreated, 'YYYY') AS changed FROM customer) WHERE id = 2",
      ).items,
    ).toEqual([{ links: [], changed: '2024' }]);
  });

  it('filters with comparisons, AND/OR/NOT, parentheses, IN, LIKE, IS [NOT] NULL, BETWEEN', () => {
    expect(ids("SELECT id FROM customer WHERE isinactive = 'F' AND balance >= 20")).toEqual([
      '3',
      '4',
    ]);
    expect(
      ids("SELECT id FROM customer WHERE (id = 1 OR id = 2) AND NOT isinactive = 'T'"),
    ).toEqual(['1']);
    expect(ids('SELECT id FROM customer WHERE id IN (2, 4, 9)')).toEqual(['2', '4']);
    expect(ids("SELECT id FROM customer WHERE email LIKE '%@acme.test'")).toEqual(['1', '4']);
    expect(ids("SELECT id FROM customer WHERE companyname NOT LIKE 'A%'")).toEqual(['2', '3', '4']);
    expect(ids('SELECT id FROM customer WHERE email IS NULL')).toEqual(['3']);
    expect(ids('SELECT id FROM customer WHERE email IS NOT NULL AND id <> 1')).toEqual(['2', '4']);
    expect(ids('SELECT id FROM customer WHERE balance BETWEEN 6 AND 25')).toEqual(['1', '4']);
    expect(ids("SELECT id FROM customer WHERE companyname = 'O''Hare'")).toEqual(['3']);
    expect(
      ids(
        "SELECT id FROM customer WHERE datecreated >= TO_DATE('2024-01-01 00:00:00', 'YYYY-MM-DD HH24:MI:SS')",
      ),
    ).toHaveLength(4);
    // A NULL never equals anything, and NOT of unknown stays unknown.
    expect(ids("SELECT id FROM customer WHERE NOT email = 'zzz'")).toEqual(['1', '2', '4']);
  });

  it('orders by any column (NULLS LAST ascending) and pages with limit/offset', () => {
    expect(ids('SELECT id FROM customer ORDER BY balance DESC')).toEqual(['3', '4', '1', '2']);
    expect(ids('SELECT id FROM customer ORDER BY email')).toEqual(['1', '2', '4', '3']);
    expect(ids('SELECT id FROM customer ORDER BY id DESC')).toEqual(['4', '3', '2', '1']);
    const page = run('SELECT id FROM customer ORDER BY id', { limit: 2, offset: 2 });
    expect(page.items.map((i) => i.id)).toEqual(['3', '4']);
    expect(page.totalResults).toBe(4);
  });

  it('flattens SELECT * FROM (subquery) WHERE id > n ORDER BY id (the keyset continuation)', () => {
    expect(
      ids(
        "SELECT * FROM (SELECT id, companyname FROM customer WHERE isinactive = 'F') WHERE id > 1 ORDER BY id",
      ),
    ).toEqual(['3', '4']);
  });

  it('refuses what it does not support with NetSuite invalid-search wording', () => {
    const bad = [
      'SELECT id FROM customer JOIN transaction ON 1 = 1',
      'SELECT MAX(id) FROM customer',
      'SELECT DISTINCT email FROM customer',
      // Grouping is not flattened through subqueries.
      'SELECT * FROM (SELECT email, COUNT(*) AS n FROM customer GROUP BY email)',
      'SELECT email, COUNT(*) FROM (SELECT email FROM customer) GROUP BY email',
      'DELETE FROM customer',
      "SELECT id FROM customer WHERE companyname = 'unterminated",
    ];
    for (const q of bad) expect(() => run(q), q).toThrow(SuiteqlSyntaxError);
    expect(() => run('SELECT id FROM nosuchtable')).toThrow('Invalid search type: nosuchtable.');
    expect(() => run('SELECT nosuchcolumn FROM customer')).toThrow(
      "Search error occurred: Unknown identifier 'nosuchcolumn'",
    );
  });

  it('groups with GROUP BY and counts with COUNT(*) and COUNT(column), NULL a group of its own', () => {
    const byInactive = run(
      'SELECT isinactive, COUNT(*) AS n, COUNT(email) FROM customer GROUP BY isinactive ORDER BY n DESC',
    );
    expect(byInactive.items).toEqual([
      { links: [], isinactive: 'F', n: '3', expr1: '2' },
      { links: [], isinactive: 'T', n: '1', expr1: '1' },
    ]);
    expect(byInactive.totalResults).toBe(2);
    const byEmail = run('SELECT email, COUNT(*) AS n FROM customer GROUP BY email ORDER BY email');
    // Oracle orders NULL last ascending; the NULL group leaves its column out, as NetSuite does.
    expect(byEmail.items.at(-1)).toEqual({ links: [], n: '1' });
    expect(byEmail.totalResults).toBe(4);
    expect(run("SELECT COUNT(*) FROM customer WHERE companyname LIKE 'A%'").items).toEqual([
      { links: [], expr1: '1' },
    ]);
    expect(run('SELECT COUNT(*) AS n FROM customer WHERE id > 99').items).toEqual([
      { links: [], n: '0' },
    ]);
    // Paging applies to the groups.
    const second = run('SELECT id, COUNT(*) AS n FROM customer GROUP BY id ORDER BY id', {
      limit: 2,
      offset: 2,
    });
    expect(second.items.map((i) => i.id)).toEqual(['3', '4']);
    expect(second.totalResults).toBe(4);
  });

  it('refuses a selected column that is not grouped, and an unknown ORDER BY name', () => {
    expect(() => run('SELECT email, COUNT(*) FROM customer GROUP BY isinactive')).toThrow(
      'ORA-00979: not a GROUP BY expression',
    );
    expect(() => run('SELECT email, COUNT(*) FROM customer')).toThrow('ORA-00979');
    expect(() =>
      run('SELECT email, COUNT(*) AS n FROM customer GROUP BY email ORDER BY balance'),
    ).toThrow("Unknown identifier 'balance'");
    expect(() => run('SELECT nosuch, COUNT(*) FROM customer GROUP BY nosuch')).toThrow(
      "Unknown identifier 'nosuch'",
    );
  });

  it('treats -- inside a string literal as data and outside as a comment', () => {
    expect(ids("SELECT id FROM customer WHERE companyname = 'x'' OR 1=1 --'")).toEqual([]);
    expect(ids('SELECT id FROM customer -- WHERE id = 1\nWHERE id = 2')).toEqual(['2']);
  });

  it('compares an integer id with a fraction numerically: id = 1.5 matches no row', () => {
    for (const v of ['0.5', '1.5', '1e-7', '0.0000001', "'1.5'", '3.999999']) {
      expect(ids(`SELECT id FROM customer WHERE id = ${v}`), v).toEqual([]);
      expect(ids(`SELECT id FROM customer WHERE id IN (${v})`), v).toEqual([]);
      expect(ids(`SELECT * FROM (SELECT id FROM customer) WHERE id = ${v} ORDER BY id`), v).toEqual(
        [],
      );
    }
    // The other comparisons keep their numeric meaning around a fraction.
    expect(ids('SELECT id FROM customer WHERE id > 1.5')).toEqual(['2', '3', '4']);
    expect(ids('SELECT id FROM customer WHERE id >= 1.5')).toEqual(['2', '3', '4']);
    expect(ids('SELECT id FROM customer WHERE id < 2.5')).toEqual(['1', '2']);
    expect(ids('SELECT id FROM customer WHERE id <= 2.5')).toEqual(['1', '2']);
    expect(ids('SELECT id FROM customer WHERE id <> 1.5')).toEqual(['1', '2', '3', '4']);
    expect(ids('SELECT id FROM customer WHERE id BETWEEN 1.5 AND 3.5')).toEqual(['2', '3']);
    expect(ids('SELECT id FROM customer WHERE id = 2.0')).toEqual(['2']);
  });

  it('reads every number suiteql renders back as the same double (property, 1,000 values)', () => {
    const s = new RecordStore(() => Date.UTC(2024, 0, 1));
    const representable = fc
      .oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: -130, max: 125 }).map((e) => 10 ** e),
        fc.double({ min: -1e-5, max: 1e-5, noNaN: true }),
        fc.integer().map((n) => n / 7),
      )
      .filter((x) => x === 0 || (Math.abs(x) >= 1e-130 && Math.abs(x) < 1e126));
    fc.assert(
      fc.property(representable, (x) => {
        const { id } = s.create('customer', { companyName: 'N', balance: x });
        const q = (op: string) =>
          runSuiteql(
            suiteql`SELECT id FROM customer WHERE id = ${Number(id)} AND balance ${suiteql.raw(op)} ${x}`
              .q,
            (name) => s.table(name),
            { limit: 10, offset: 0 },
          ).items.map((i) => i.id);
        expect(q('=')).toEqual([id]);
        expect(q('<>')).toEqual([]);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
