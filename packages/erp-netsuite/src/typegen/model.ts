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
  | { kind: 'enum'; values: string[] }
  | { kind: 'sublist'; line: FieldModel[] }
  | { kind: 'unknown' };

export type FieldModel = FieldKind & {
  name: string;
  title?: string;
  nullable: boolean;
  readOnly: boolean;
  filterable: boolean;
  /** A custom field (`custentity_`, `custbody_`, `custcol_`, `custitem_`, `custrecord_`, `custevent_`). */
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

/** Reads an account's metadata catalog (OpenAPI 3.0.1 with nsLink/nsResource/x-ns-filterable). */
export function readMetadataCatalog(doc: unknown, records: string[]): RecordModel[] {
  if (!doc || typeof doc !== 'object')
    throw new TypegenError('the metadata catalog is not a JSON object');
  const schemas = (doc as Schema).components?.schemas as Record<string, Schema> | undefined;
  if (!schemas) {
    throw new TypegenError(
      'the metadata catalog has no components.schemas; fetch it with Accept: application/swagger+json',
    );
  }
  const field = (name: string, schema: Schema, depth: number): FieldModel => {
    const base = {
      name,
      nullable: schema.nullable === true,
      readOnly: schema.readOnly === true,
      filterable: schema['x-ns-filterable'] === true,
      custom: CUSTOM.test(name),
      ...(typeof schema.title === 'string' ? { title: schema.title } : {}),
    };
    const target = refName(schema.$ref);
    if (target) {
      const resolved = schemas[target];
      if (/Collection$/.test(target) && resolved) {
        const element = refName(resolved.properties?.items?.items?.$ref);
        const lineSchema = element ? schemas[element] : resolved.properties?.items?.items;
        const line =
          lineSchema && depth < 2
            ? Object.entries((lineSchema.properties ?? {}) as Record<string, Schema>)
                .filter(([n]) => n !== 'links')
                .map(([n, s]) => field(n, s, depth + 1))
            : [];
        return { ...base, kind: 'sublist', line };
      }
      return { ...base, kind: 'reference' };
    }
    switch (schema.type) {
      case 'string':
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
        const id = schema.properties?.id;
        if (id && Array.isArray(id.enum) && id.enum.every((v: unknown) => typeof v === 'string')) {
          return { ...base, kind: 'enum', values: id.enum as string[] };
        }
        if (id) return { ...base, kind: 'reference' };
        return { ...base, kind: 'unknown' };
      }
      default:
        return { ...base, kind: 'unknown' };
    }
  };
  return records.map((name) => {
    const schema = schemas[name];
    if (!schema) {
      const known = Object.keys(schemas).filter(
        (k) => !k.includes('-') && !k.startsWith('ns') && !k.endsWith('Collection'),
      );
      throw new TypegenError(
        `record "${name}" is not in the metadata catalog (it has: ${known.join(', ') || 'no records'}); check the --records names and the role's permissions`,
      );
    }
    const fields = Object.entries((schema.properties ?? {}) as Record<string, Schema>)
      .filter(([n]) => n !== 'links')
      .map(([n, s]) => field(n, s, 0));
    return { name, fields };
  });
}
