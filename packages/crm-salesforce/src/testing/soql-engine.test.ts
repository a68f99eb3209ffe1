import { describe, expect, it } from 'vitest';
import { SoqlEngine, type SoqlEngineError } from './soql-engine.js';
import { SObjectStore } from './store.js';

const NOW = Date.parse('2024-06-15T12:00:00Z');

function setup() {
  let now = NOW;
  const store = new SObjectStore(
    [
      {
        name: 'Invoice__c',
        fields: [
          {
            name: 'Number__c',
            type: 'string',
            externalId: true,
            unique: true,
            nillable: false,
            createable: true,
            updateable: true,
          },
          {
            name: 'Total__c',
            type: 'currency',
            nillable: true,
            createable: true,
            updateable: true,
          },
          {
            name: 'Account__c',
            type: 'reference',
            referenceTo: ['Account'],
            relationshipName: 'Account__r',
            nillable: true,
            createable: true,
            updateable: true,
          },
        ],
      },
    ],
    () => now,
  );
  const id = (o: ReturnType<SObjectStore['create']>) => {
    if (!o.ok) throw new Error(JSON.stringify(o.errors));
    return o.id;
  };
  const acme = id(
    store.create('Account', { Name: 'Acme', Industry: 'Retail', NumberOfEmployees: 50 }),
  );
  now += 1000;
  const globex = id(
    store.create('Account', { Name: 'Globex 50%_off', Industry: 'Energy', NumberOfEmployees: 10 }),
  );
  now += 1000;
  id(store.create('Account', { Name: 'Initech', NumberOfEmployees: 200 }));
  id(
    store.create('Contact', {
      LastName: 'Smith',
      FirstName: 'Ann',
      AccountId: acme,
      Birthdate: '1990-01-31',
    }),
  );
  id(store.create('Contact', { LastName: 'Jones', AccountId: globex, Birthdate: '1985-07-04' }));
  id(store.create('Invoice__c', { Number__c: 'INV-1', Total__c: 10, Account__c: acme }));
  return { store, engine: new SoqlEngine(store) };
}

const names = (rows: Record<string, unknown>[]) => rows.map((r) => r.Name);

describe('emulator SOQL engine', () => {
  it('filters with comparisons, AND/OR, parentheses, NOT, IN and LIKE', () => {
    const { engine } = setup();
    const run = (q: string) => engine.run(q, { now: NOW }).rows;
    expect(
      names(run('SELECT Name FROM Account WHERE NumberOfEmployees >= 50 ORDER BY Name')),
    ).toEqual(['Acme', 'Initech']);
    expect(
      names(
        run(
          "SELECT Name FROM Account WHERE (Industry = 'retail' OR Industry = 'Energy') AND NumberOfEmployees < 100 ORDER BY Name DESC",
        ),
      ),
    ).toEqual(['Globex 50%_off', 'Acme']);
    expect(
      names(run("SELECT Name FROM Account WHERE Industry IN ('Energy', 'Retail') ORDER BY Name")),
    ).toEqual(['Acme', 'Globex 50%_off']);
    expect(
      names(run("SELECT Name FROM Account WHERE Industry NOT IN ('Energy') ORDER BY Name")),
    ).toEqual(['Acme', 'Initech']);
    expect(names(run('SELECT Name FROM Account WHERE Industry = null'))).toEqual(['Initech']);
    expect(names(run("SELECT Name FROM Account WHERE NOT Name LIKE 'a%' ORDER BY Name"))).toEqual([
      'Globex 50%_off',
      'Initech',
    ]);
    expect(names(run("SELECT Name FROM Account WHERE Name LIKE '%50\\%\\_off'"))).toEqual([
      'Globex 50%_off',
    ]);
    expect(names(run("SELECT Name FROM Account WHERE Name LIKE '%5_\\%%'"))).toEqual([
      'Globex 50%_off',
    ]);
  });

  it('reads \\\\ in a LIKE pattern as one backslash, so \\\\% is a backslash then a wildcard', () => {
    const { engine, store } = setup();
    store.create('Account', { Name: 'C:\\temp' });
    store.create('Account', { Name: 'C:%' });
    store.create('Account', { Name: 'C:\\%' });
    const run = (q: string) => names(engine.run(q, { now: NOW }).rows).sort();
    // SOQL text  LIKE 'C:\\%'  : "C:" + backslash + anything
    expect(run("SELECT Name FROM Account WHERE Name LIKE 'C:\\\\%'")).toEqual([
      'C:\\%',
      'C:\\temp',
    ]);
    // SOQL text  LIKE 'C:\%'  : exactly "C:%"
    expect(run("SELECT Name FROM Account WHERE Name LIKE 'C:\\%'")).toEqual(['C:%']);
    // SOQL text  LIKE 'C:\\\%'  : exactly "C:" + backslash + "%"
    expect(run("SELECT Name FROM Account WHERE Name LIKE 'C:\\\\\\%'")).toEqual(['C:\\%']);
    // an escaped backslash compares as one backslash with =
    expect(run("SELECT Name FROM Account WHERE Name = 'C:\\\\temp'")).toEqual(['C:\\temp']);
    // \% outside LIKE is refused
    expect(() =>
      engine.run("SELECT Name FROM Account WHERE Name = 'C:\\%'", { now: NOW }),
    ).toThrow();
    // escape letters in either case (\T is a tab, as \t)
    store.create('Account', { Name: 'a\tb' });
    expect(run("SELECT Name FROM Account WHERE Name = 'a\\Tb'")).toEqual(['a\tb']);
  });

  it('refuses date literals that are not on the calendar', () => {
    const { engine } = setup();
    for (const q of [
      'SELECT Name FROM Account WHERE CreatedDate > 2024-02-30T00:00:00Z',
      'SELECT LastName FROM Contact WHERE Birthdate = 2023-02-29',
      'SELECT LastName FROM Contact WHERE Birthdate = 2024-04-31',
    ])
      expect(() => engine.run(q, { now: NOW })).toThrow(/invalid date/);
    expect(
      engine.run('SELECT LastName FROM Contact WHERE Birthdate < 2024-02-29', { now: NOW }).rows,
    ).toHaveLength(2);
  });

  it('follows parent relationships in SELECT, WHERE and ORDER BY, nesting the parent in results', () => {
    const { engine } = setup();
    const plan = engine.run(
      "SELECT Id, LastName, Account.Name FROM Contact WHERE Account.Industry = 'Retail'",
      { now: NOW },
    );
    expect(plan.rows).toHaveLength(1);
    const projected = engine.project(plan, plan.rows[0]!, '62.0') as any;
    expect(projected.attributes.type).toBe('Contact');
    expect(projected.Account.Name).toBe('Acme');
    expect(projected.Account.attributes.type).toBe('Account');
    const custom = engine.run(
      'SELECT Number__c, Account__r.Name FROM Invoice__c ORDER BY Account__r.Name',
      { now: NOW },
    );
    expect((engine.project(custom, custom.rows[0]!, '62.0') as any).Account__r.Name).toBe('Acme');
    expect(engine.flat(custom, custom.rows[0]!)).toEqual(['INV-1', 'Acme']);
  });

  it('runs parent-to-child subqueries with WHERE, ORDER BY and LIMIT, null when no children', () => {
    const { engine, store } = setup();
    const acme = store.all('Account').find((a) => a.Name === 'Acme')!.Id;
    store.create('Contact', { LastName: 'Adams', AccountId: acme });
    store.create('Contact', { LastName: 'Zed', AccountId: acme });
    const plan = engine.run(
      "SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'Zed' ORDER BY LastName LIMIT 5), (SELECT Number__c FROM Invoices__r) FROM Account ORDER BY Name",
      { now: NOW },
    );
    const [acmeRow, globexRow, initechRow] = plan.rows.map(
      (r) => engine.project(plan, r, '62.0') as any,
    );
    expect(acmeRow.Contacts).toMatchObject({ totalSize: 2, done: true });
    expect(acmeRow.Contacts.records.map((c: any) => c.LastName)).toEqual(['Adams', 'Smith']);
    expect(acmeRow.Contacts.records[0].attributes.type).toBe('Contact');
    expect(acmeRow.Invoices__r.records[0].Number__c).toBe('INV-1');
    expect(globexRow.Contacts.totalSize).toBe(1);
    expect(globexRow.Invoices__r).toBeNull();
    expect(initechRow.Contacts).toBeNull();
    const code = (q: string) => {
      try {
        engine.run(q, { now: NOW });
        return undefined;
      } catch (error) {
        return (error as SoqlEngineError).errorCode;
      }
    };
    expect(code('SELECT Id, (SELECT Id FROM Contactz) FROM Account')).toBe('INVALID_TYPE');
    expect(code('SELECT Id, (SELECT Nope FROM Contacts) FROM Account')).toBe('INVALID_FIELD');
    expect(
      code('SELECT Id, (SELECT Id, (SELECT Id FROM Contacts) FROM Contacts) FROM Account'),
    ).toBe('MALFORMED_QUERY');
  });

  it('answers aggregate queries as AggregateResult rows: GROUP BY, aliases, expr0…, ORDER BY', () => {
    const { engine } = setup();
    const rows = (q: string) => {
      const plan = engine.run(q, { now: NOW });
      return plan.rows.map((r) => engine.project(plan, r, '62.0'));
    };
    expect(rows('SELECT COUNT(Id) FROM Account')).toEqual([
      { attributes: { type: 'AggregateResult' }, expr0: 3 },
    ]);
    expect(
      rows(
        'SELECT Industry, COUNT(Id) n, SUM(NumberOfEmployees), MAX(Name) FROM Account GROUP BY Industry ORDER BY Industry NULLS LAST',
      ),
    ).toEqual([
      {
        attributes: { type: 'AggregateResult' },
        Industry: 'Energy',
        n: 1,
        expr0: 10,
        expr1: 'Globex 50%_off',
      },
      {
        attributes: { type: 'AggregateResult' },
        Industry: 'Retail',
        n: 1,
        expr0: 50,
        expr1: 'Acme',
      },
      {
        attributes: { type: 'AggregateResult' },
        Industry: null,
        n: 1,
        expr0: 200,
        expr1: 'Initech',
      },
    ]);
    expect(
      rows("SELECT COUNT(Id), AVG(NumberOfEmployees) FROM Account WHERE Name = 'none'"),
    ).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 0, expr1: null }]);
    expect(
      rows('SELECT Industry, COUNT(Id) c FROM Account GROUP BY Industry ORDER BY c DESC LIMIT 1'),
    ).toHaveLength(1);
    const code = (q: string) => {
      try {
        engine.run(q, { now: NOW });
        return undefined;
      } catch (error) {
        return (error as SoqlEngineError).errorCode;
      }
    };
    expect(code('SELECT Name, COUNT(Id) FROM Account GROUP BY Industry')).toBe('MALFORMED_QUERY');
    expect(code('SELECT SUM(Name) FROM Account')).toBe('MALFORMED_QUERY');
    expect(code('SELECT COUNT(Nope) FROM Account')).toBe('INVALID_FIELD');
  });

  it('compares date and datetime fields with date literals, datetimes and relative literals', () => {
    const { engine } = setup();
    const run = (q: string) => engine.run(q, { now: NOW }).rows;
    expect(run('SELECT Id FROM Contact WHERE Birthdate > 1989-12-31')).toHaveLength(1);
    expect(run('SELECT Id FROM Contact WHERE Birthdate = 1985-07-04')).toHaveLength(1);
    expect(run('SELECT Id FROM Account WHERE CreatedDate > 2024-06-15T12:00:00Z')).toHaveLength(2);
    expect(
      run('SELECT Id FROM Account WHERE CreatedDate >= 2024-06-15T14:00:01+02:00'),
    ).toHaveLength(2);
    expect(run('SELECT Id FROM Account WHERE CreatedDate = TODAY')).toHaveLength(3);
    expect(run('SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:3')).toHaveLength(3);
    expect(run('SELECT Id FROM Account WHERE CreatedDate < YESTERDAY')).toHaveLength(0);
    expect(run('SELECT Id FROM Account WHERE CreatedDate = 2024-06-15')).toHaveLength(3);
  });

  it('applies ORDER BY with NULLS, LIMIT and OFFSET', () => {
    const { engine } = setup();
    const run = (q: string) => names(engine.run(q, { now: NOW }).rows);
    expect(run('SELECT Name FROM Account ORDER BY Industry NULLS FIRST, Name')).toEqual([
      'Initech',
      'Globex 50%_off',
      'Acme',
    ]);
    expect(run('SELECT Name FROM Account ORDER BY Industry ASC NULLS LAST')).toEqual([
      'Globex 50%_off',
      'Acme',
      'Initech',
    ]);
    expect(run('SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1')).toEqual([
      'Globex 50%_off',
      'Initech',
    ]);
    expect(
      engine.run('SELECT COUNT() FROM Account WHERE NumberOfEmployees > 5', { now: NOW }).totalSize,
    ).toBe(3);
  });

  it('reports malformed queries, unknown fields and unknown objects in Salesforce terms', () => {
    const { engine } = setup();
    const code = (q: string) => {
      try {
        engine.run(q, { now: NOW });
        return 'no error';
      } catch (error) {
        return (error as SoqlEngineError).errorCode;
      }
    };
    expect(code('SELECT FROM Account')).toBe('MALFORMED_QUERY');
    expect(code("SELECT Id FROM Account WHERE Name = 'x")).toBe('MALFORMED_QUERY');
    expect(code("SELECT Id FROM Account WHERE Name = 'x' OR")).toBe('MALFORMED_QUERY');
    expect(code("SELECT Id FROM Account WHERE Name = 'a\\qb'")).toBe('MALFORMED_QUERY');
    expect(code('SELECT Id FROM Account LIMIT -1')).toBe('MALFORMED_QUERY');
    expect(code('SELECT Nope FROM Account')).toBe('INVALID_FIELD');
    expect(code('SELECT Ownerz.Name FROM Account')).toBe('INVALID_FIELD');
    expect(code('SELECT Owner.Name, Owner.Email FROM Account')).toBe('no error');
    expect(code("SELECT Id FROM Account WHERE CreatedDate = '2024-01-01'")).toBe('INVALID_FIELD');
    expect(code('SELECT Id FROM Nope__c')).toBe('INVALID_TYPE');
  });
});

describe('emulator store', () => {
  it('gives 18-character ids with the case-safe suffix and enforces required and unique fields', () => {
    const { store } = setup();
    const created = store.create('Invoice__c', { Number__c: 'INV-2' });
    expect(created.ok && created.id).toMatch(/^a0A[A-Za-z0-9]{15}$/);
    const missing = store.create('Contact', { FirstName: 'x' });
    expect(missing).toMatchObject({
      ok: false,
      errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }],
    });
    const dup = store.create('Invoice__c', { Number__c: 'inv-1' });
    expect(dup).toMatchObject({ ok: false, errors: [{ statusCode: 'DUPLICATE_VALUE' }] });
    const badEmail = store.create('Contact', { LastName: 'x', Email: 'not-an-email' });
    expect(badEmail).toMatchObject({
      ok: false,
      errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'] }],
    });
    const unknown = store.create('Account', { Name: 'x', Bogus__c: 1 });
    expect(unknown).toMatchObject({
      ok: false,
      errors: [{ statusCode: 'INVALID_FIELD', fields: ['Bogus__c'] }],
    });
  });

  it('rolls back every change of a failed transaction', () => {
    const { store } = setup();
    const before = store.all('Account').length;
    store.transaction(() => {
      store.create('Account', { Name: 'temp' });
      const first = store.all('Account')[0]!;
      store.update('Account', first.Id, { Name: 'renamed' });
      return { commit: false, value: undefined };
    });
    expect(store.all('Account')).toHaveLength(before);
    expect(store.all('Account')[0]!.Name).toBe('Acme');
  });
});
