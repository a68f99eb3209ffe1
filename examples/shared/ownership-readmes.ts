// The examples that define an ownership map, and the script that writes their READMEs'
// matrices: `pnpm --filter @plumbline/examples ownership:write`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownership as companyHierarchy } from '../company-hierarchy/index.js';
import { ownership as customerMaster } from '../customer-master/index.js';
import { isMain } from './cli.js';
import { type ExampleOwnership, writeMatrix } from './ownership-matrix.js';

/** Every example that defines an ownership map (a test fails when one is missing here). */
export const EXAMPLE_OWNERSHIP: readonly ExampleOwnership[] = [
  { example: 'customer-master', ownership: customerMaster },
  { example: 'company-hierarchy', ownership: companyHierarchy },
];

export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

export const readmePath = (example: string): string => join(EXAMPLES_DIR, example, 'README.md');

if (isMain(import.meta.url)) {
  for (const entry of EXAMPLE_OWNERSHIP) {
    const path = readmePath(entry.example);
    const before = readFileSync(path, 'utf8');
    const after = writeMatrix(entry, before);
    if (after !== before) writeFileSync(path, after);
    console.log(
      `${entry.example}/README.md: ${after === before ? 'up to date' : 'matrix written'}`,
    );
  }
}
