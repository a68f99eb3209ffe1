import { describe, expect, it } from 'vitest';
import { stripTrailingOrderBy } from './rows.js';

describe('stripTrailingOrderBy (wrapping a query for the keyset continuation)', () => {
  it('removes only a trailing top-level ORDER BY and a final semicolon', () => {
    expect(stripTrailingOrderBy('SELECT id FROM customer ORDER BY companyname DESC;')).toBe(
      'SELECT id FROM customer',
    );
    expect(stripTrailingOrderBy('SELECT id FROM customer')).toBe('SELECT id FROM customer');
    expect(
      stripTrailingOrderBy('SELECT * FROM (SELECT id FROM customer ORDER BY id) WHERE id > 1'),
    ).toBe('SELECT * FROM (SELECT id FROM customer ORDER BY id) WHERE id > 1');
  });

  it('ignores ORDER BY inside string literals and comments', () => {
    expect(
      stripTrailingOrderBy("SELECT id FROM customer WHERE memo = 'x order by y' ORDER BY id"),
    ).toBe("SELECT id FROM customer WHERE memo = 'x order by y'");
    expect(stripTrailingOrderBy("SELECT id FROM customer WHERE memo = 'it''s ORDER BY'")).toBe(
      "SELECT id FROM customer WHERE memo = 'it''s ORDER BY'",
    );
    expect(stripTrailingOrderBy('SELECT id FROM customer -- ORDER BY x\nWHERE id > 0')).toBe(
      'SELECT id FROM customer -- ORDER BY x\nWHERE id > 0',
    );
  });
});
