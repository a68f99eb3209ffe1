import { readFileSync } from 'node:fs';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { expect, it } from 'vitest';

it('the committed schema.ts is what openapi-typescript generates from spec/openapi.yaml', async () => {
  const ast = await openapiTS(new URL('../../spec/openapi.yaml', import.meta.url));
  const generated = COMMENT_HEADER + astToString(ast);
  const committed = readFileSync(new URL('./schema.ts', import.meta.url), 'utf8');
  expect(committed).toBe(generated);
}, 20_000);
