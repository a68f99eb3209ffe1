import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defineOwnership } from '@plumbline/sync-core';
import { describe, expect, it } from 'vitest';
import {
  checkMatrix,
  type ExampleOwnership,
  MATRIX_BEGIN,
  MATRIX_END,
  writeMatrix,
} from './ownership-matrix.js';
import { EXAMPLE_OWNERSHIP, EXAMPLES_DIR, readmePath } from './ownership-readmes.js';

const entry: ExampleOwnership = {
  example: 'fixture-example',
  ownership: defineOwnership({
    systems: ['commerce', 'erp'],
    entities: { company: { default: 'erp', fields: { email: 'commerce' } } },
  }),
};
const readme = `# fixture\n\nWho owns what:\n\n${MATRIX_BEGIN}\n${MATRIX_END}\n\nMore text.\n`;

describe('example README ownership matrices', () => {
  it('writes the matrix between the markers and leaves the rest of the README alone', () => {
    const written = writeMatrix(entry, readme);
    expect(written).toBe(
      `# fixture\n\nWho owns what:\n\n${MATRIX_BEGIN}\n| entity | field | owner | direction |\n| --- | --- | --- | --- |\n| company | email | commerce | commerce → erp |\n| company | *every other field* | erp | erp → commerce |\n${MATRIX_END}\n\nMore text.\n`,
    );
    expect(writeMatrix(entry, written)).toBe(written);
    expect(checkMatrix(entry, written)).toBeUndefined();
  });

  it('reports which example and what differs when a README matrix is stale', () => {
    const stale = writeMatrix(entry, readme).replace(
      '| company | email | commerce | commerce → erp |',
      '| company | email | erp | erp → commerce |',
    );
    expect(checkMatrix(entry, stale)).toBe(
      [
        "fixture-example/README.md: the ownership matrix differs from fixture-example's ownership map (run `pnpm --filter @plumbline/examples ownership:write`).",
        '  matrix line 3: README has "| company | email | erp | erp → commerce |"',
        '  the map renders "| company | email | commerce | commerce → erp |"',
      ].join('\n'),
    );
    // A row the map no longer has, and a README without its markers, are reported too.
    const extra = writeMatrix(entry, readme).replace(
      MATRIX_END,
      `| company | phone | erp | erp → commerce |\n${MATRIX_END}`,
    );
    expect(checkMatrix(entry, extra)).toMatch(
      /^fixture-example\/README\.md: .*\n {2}matrix line 5: README has "\| company \| phone/,
    );
    expect(checkMatrix(entry, '# fixture\n')).toMatch(
      /^fixture-example\/README\.md: needs exactly one "<!-- ownership:begin -->"/,
    );
    expect(() => writeMatrix(entry, '# fixture\n')).toThrow(
      /fixture-example\/README\.md: needs exactly one/,
    );
  });

  it("reports customer-master's README as stale when its map changes and the README does not", () => {
    const real = EXAMPLE_OWNERSHIP.find((e) => e.example === 'customer-master');
    if (real === undefined) throw new Error('customer-master is not registered');
    const declared = real.ownership.describe();
    const customer = declared.entities.customer;
    if (customer?.fields === undefined)
      throw new Error('customer-master declares no customer fields');
    customer.fields.street = 'commerce';
    const changed = { example: 'customer-master', ownership: { describe: () => declared } };
    const report = checkMatrix(changed, readFileSync(readmePath('customer-master'), 'utf8'));
    expect(report).toMatch(/^customer-master\/README\.md: the ownership matrix differs/);
    expect(report).toContain(
      'README has "| customer | street | netsuite | netsuite → commerce, salesforce |"',
    );
    expect(report).toContain(
      'the map renders "| customer | street | commerce | commerce → netsuite, salesforce |"',
    );
  });

  it("every example README's matrix matches its ownership map", () => {
    const problems = EXAMPLE_OWNERSHIP.map((e) =>
      checkMatrix(e, readFileSync(readmePath(e.example), 'utf8')),
    );
    expect(problems.filter((p) => p !== undefined)).toEqual([]);
    expect(EXAMPLE_OWNERSHIP.length).toBeGreaterThan(0);
  });

  it('every example that defines an ownership map has its README matrix checked', () => {
    const defining = readdirSync(EXAMPLES_DIR)
      .filter((name) => name !== 'node_modules' && statSync(join(EXAMPLES_DIR, name)).isDirectory())
      .filter((name) =>
        readdirSync(join(EXAMPLES_DIR, name))
          .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
          .some((file) =>
            /defineOwnership\s*[<(]/.test(readFileSync(join(EXAMPLES_DIR, name, file), 'utf8')),
          ),
      );
    expect(defining).toContain('customer-master');
    expect(EXAMPLE_OWNERSHIP.map((e) => e.example).sort()).toEqual(defining.sort());
  });
});
