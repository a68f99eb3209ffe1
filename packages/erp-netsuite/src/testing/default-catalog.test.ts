import { describe, expect, it } from 'vitest';
import { emitTypes } from '../typegen/emit.js';
import { readMetadataCatalog } from '../typegen/model.js';
import { defaultMetadataCatalog } from './default-catalog.js';
import { RECORD_KINDS } from './store.js';

describe("the emulator's default metadata catalog", () => {
  it('describes every record type the emulator keeps, in lower case, with list and instance paths', () => {
    const doc = defaultMetadataCatalog() as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { type?: string; properties?: object }> };
    };
    expect(doc.openapi).toBe('3.0.1');
    for (const type of Object.keys(RECORD_KINDS)) {
      const name = type.toLowerCase();
      expect(doc.components.schemas[name]?.type, name).toBe('object');
      expect(Object.keys(doc.paths[`/${name}`] ?? {}).sort(), name).toEqual(['get', 'post']);
      expect(Object.keys(doc.paths[`/${name}/{id}`] ?? {}).sort(), name).toEqual([
        'delete',
        'get',
        'patch',
        'put',
      ]);
    }
  });

  it("is read by this package's typegen: records, fields and the item sublist", () => {
    const models = readMetadataCatalog(defaultMetadataCatalog(), ['customer', 'salesOrder']);
    const source = emitTypes(models, 'the emulator default catalog');
    expect(source).toContain('export interface Customer {');
    expect(source).toMatch(/companyName\?: string \| null;/);
    expect(source).toContain('export interface SalesOrder {');
    expect(source).toMatch(/SalesOrderItemLine/);
  });
});
