// Regenerates src/generated/schema.ts from spec/openapi.yaml with openapi-typescript's Node API.
// src/generated/schema.test.ts runs the same two calls in memory and fails when the committed
// file drifts from the spec.
import { writeFile } from 'node:fs/promises';
import openapiTS, { astToString } from 'openapi-typescript';

const spec = new URL('../spec/openapi.yaml', import.meta.url);
const out = new URL('../src/generated/schema.ts', import.meta.url);
const ast = await openapiTS(spec);
await writeFile(out, astToString(ast));
console.log(`wrote ${out.pathname}`);
