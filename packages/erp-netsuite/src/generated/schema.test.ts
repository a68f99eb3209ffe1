import { readFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';
import { expect, it } from 'vitest';

it('the committed schema.ts is what openapi-typescript generates from spec/openapi.yaml', async () => {
  const spec = new URL('../../spec/openapi.yaml', import.meta.url);
  const committed = await readFile(new URL('./schema.ts', import.meta.url), 'utf8');
  const fresh = astToString(await openapiTS(spec));
  // Run `pnpm --filter @plumbline/erp-netsuite run generate` after changing the spec.
  expect(committed === fresh).toBe(true);
  expect(fresh).toContain('"/record/v1/salesOrder/{id}/!transform/itemFulfillment"');
  expect(fresh).toContain('"/record/v1/customer/eid:{externalId}"');
});
