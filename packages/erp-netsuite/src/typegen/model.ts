import { PlumblineError } from '@plumbline/client-core';

/** The metadata catalog could not be turned into types. */
export class TypegenError extends PlumblineError {
  constructor(message: string) {
    super('TYPEGEN_ERROR', message);
  }
}

export type FieldKind =
  | { kind: 'string'; format?: string }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'reference' }
  /** A subrecord (`salesorder-billingAddress`): an object of its own fields, `{ links }` unexpanded. */
  | { kind: 'subrecord' }
  | { kind: 'enum'; values: string[] }
  /** A plain string limited to listed values. */
  | { kind: 'stringEnum'; values: string[] }
  | { kind: 'sublist'; line: FieldModel[] }
  | { kind: 'unknown' };

export type FieldModel = FieldKind & {
  name: string;
  title?: string;
  nullable: boolean;
  readOnly: boolean;
  filterable: boolean;
  /**
   * A custom field: marked `x-ns-custom-field` in the catalog, or named `custentity_`, `custbody_`,
   * `custcol_`, `custitem_`, `custrecord_`, `custevent_`.
   */
  custom: boolean;
};

export interface RecordModel {
  name: string;
  fields: FieldModel[];
}

type Schema = Record<string, any>;

const CUSTOM = /^cust(entity|body|col|item|record|event|itemnumber)_/;

function refName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
  return m ? decodeURIComponent(m[1]!.replace(/~1/g, '/').replace(/~0/g, '~')) : undefined;
}

/** The catalog's schema for a record type: exact name first, else any case (`salesorder`). */
function findRecordSchema(schemas: Record<string, Schema>, name: string): Schema | undefined {
  if (Object.hasOwn(schemas, name)) return schemas[name];
  const lower = name.toLowerCase();
  const key = Object.keys(schemas).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : schemas[key];
}

/** `allOf: [{ $ref }]` and `allOf: [{...}, {...}]` wrappers, merged into one schema. */
function unwrap(schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  const { allOf, ...rest } = schema;
  const parts = allOf as Schema[];
  if (parts.length === 1) return { ...parts[0], ...rest };
  const properties = Object.assign({}, ...parts.map((p) => p.properties ?? {}));
  return { type: 'object', ...rest, properties };
}

/**
 * Reads an account's metadata catalog (OpenAPI 3.0.1 with nsLink/nsResource/x-ns-filterable).
 * Live catalogs name record types in lower case (`salesorder`, `salesorder-itemCollection`); the
 * records asked for are matched in any case and keep the caller's spelling.
 */
export function readMetadataCatalog(doc: unknown, records: string[]): RecordModel[] {
  if (!doc || typeof doc !== 'object')
    throw new TypegenError('the metadata catalog is not a JSON object');
  const schemas = (doc as Schema).components?.schemas as Record<string, Schema> | undefined;
  if (!schemas) {
    throw new TypegenError(
      'the metadata catalog has no components.schemas; fetch it with Accept: application/swagger+json',
    );
  }
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema) return undefined;
    const target = refName(schema.$ref);
    return target ? schemas[target] : schema;
  };
  const lineFields = (element: Schema | undefined, depth: number): FieldModel[] => {
    const lineSchema = element ? unwrap(element) : undefined;
    return lineSchema && depth < 2
      ? Object.entries((lineSchema.properties ?? {}) as Record<string, Schema>)
          .filter(([n]) => n !== 'links')
          .map(([n, s]) => field(n, s, depth + 1))
      : [];
  };
  const field = (name: string, raw: Schema, depth: number): FieldModel => {
    const schema = unwrap(raw);
    const base = {
      name,
      nullable: schema.nullable === true,
      readOnly: schema.readOnly === true,
      filterable: schema['x-ns-filterable'] === true,
      custom: schema['x-ns-custom-field'] === true || CUSTOM.test(name),
      ...(typeof schema.title === 'string' ? { title: schema.title } : {}),
    };
    const target = refName(schema.$ref);
    if (target) {
      const resolved = schemas[target] ? unwrap(schemas[target]) : undefined;
      // Sublists and multi-selects (`nsResourceCollection`); a collection the catalog left out
      // still arrives as `{ links, items, totalResults }`, with lines of unknown fields.
      if (/Collection$/.test(target)) {
        return {
          ...base,
          kind: 'sublist',
          line: lineFields(resolve(resolved?.properties?.items?.items), depth),
        };
      }
      // `<record>-<name>` schemas are the record's own subrecords (addresses and the like);
      // any other target (nsResource, another record type) is a reference to a record.
      if (target.includes('-')) return { ...base, kind: 'subrecord' };
      return { ...base, kind: 'reference' };
    }
    switch (schema.type) {
      case 'string':
        if (
          Array.isArray(schema.enum) &&
          schema.enum.every((v: unknown) => typeof v === 'string')
        ) {
          return { ...base, kind: 'stringEnum', values: schema.enum as string[] };
        }
        return {
          ...base,
          kind: 'string',
          ...(schema.format ? { format: String(schema.format) } : {}),
        };
      case 'integer':
        return { ...base, kind: 'number', integer: true };
      case 'number':
        return { ...base, kind: 'number', integer: false };
      case 'boolean':
        return { ...base, kind: 'boolean' };
      case 'object': {
        const props = (schema.properties ?? {}) as Record<string, Schema>;
        const id = props.id;
        if (id && Array.isArray(id.enum) && id.enum.every((v: unknown) => typeof v === 'string')) {
          return { ...base, kind: 'enum', values: id.enum as string[] };
        }
        if (id) return { ...base, kind: 'reference' };
        // A sublist written inline (the JSON Schema form): `{ links, items: { type: array } }`.
        if (props.items?.type === 'array') {
          return { ...base, kind: 'sublist', line: lineFields(resolve(props.items.items), depth) };
        }
        if (props.links) return { ...base, kind: 'subrecord' };
        return { ...base, kind: 'unknown' };
      }
      default:
        return { ...base, kind: 'unknown' };
    }
  };
  return records.map((name) => {
    const found = findRecordSchema(schemas, name);
    if (!found) {
      const known = Object.keys(schemas).filter(
        (k) => !k.includes('-') && !/^ns[A-Z]/.test(k) && !k.endsWith('Collection'),
      );
      throw new TypegenError(
        `record "${name}" is not in the metadata catalog (it has: ${known.join(', ') || 'no records'}); check the --records names and the role's permissions`,
      );
    }
    const schema = unwrap(found);
    const fields = Object.entries((schema.properties ?? {}) as Record<string, Schema>)
      .filter(([n]) => n !== 'links')
      .map(([n, s]) => field(n, s, 0));
    return { name, fields };
  });
}
