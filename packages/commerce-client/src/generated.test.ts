import { readFile } from 'node:fs/promises';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

describe('src/generated/schema.ts', () => {
  it('is what openapi-typescript generates from spec/openapi.yaml (run `pnpm run generate` after editing the spec)', async () => {
    const spec = new URL('../spec/openapi.yaml', import.meta.url);
    const committed = await readFile(new URL('./generated/schema.ts', import.meta.url), 'utf8');
    const ast = await openapiTS(spec);
    const regenerated = COMMENT_HEADER + astToString(ast);
    expect(regenerated).toBe(committed);
  }, 20_000);
});
