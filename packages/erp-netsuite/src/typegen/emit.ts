import type { FieldModel, RecordModel } from './model.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

function camel(name: string): string {
  const p = pascal(name);
  return p[0]!.toLowerCase() + p.slice(1);
}

function doc(field: FieldModel, indent: string): string {
  const parts = [
    field.title,
    field.custom ? 'custom field' : undefined,
    field.readOnly ? 'read-only' : undefined,
    field.filterable ? 'filterable' : undefined,
  ].filter(Boolean);
  return parts.length ? `${indent}/** ${parts.join('; ').replace(/\*\//g, '* /')} */\n` : '';
}

function tsType(field: FieldModel, lineType: string): string {
  let t: string;
  switch (field.kind) {
    case 'string':
      t = 'string';
      break;
    case 'number':
      t = 'number';
      break;
    case 'boolean':
      t = 'boolean';
      break;
    case 'reference':
      t = 'NsReference';
      break;
    case 'subrecord':
      t = 'NsSubrecord';
      break;
    case 'stringEnum':
      t = field.values.map((v) => JSON.stringify(v)).join(' | ') || 'string';
      break;
    case 'enum':
      t = `{ id: ${field.values.map((v) => JSON.stringify(v)).join(' | ') || 'string'}; refName?: string }`;
      break;
    case 'sublist':
      t = `NsSublist<${lineType}>`;
      break;
    default:
      t = 'unknown';
  }
  return field.nullable && t !== 'unknown' ? `${t} | null` : t;
}

function zodType(field: FieldModel, lineSchema: string): string {
  let z: string;
  switch (field.kind) {
    case 'string':
      z = 'z.string()';
      break;
    case 'number':
      z = field.integer ? 'z.number().int()' : 'z.number()';
      break;
    case 'boolean':
      z = 'z.boolean()';
      break;
    case 'reference':
      z = 'nsReference';
      break;
    case 'subrecord':
      z = 'nsSubrecord';
      break;
    case 'stringEnum':
      z = field.values.length
        ? `z.enum([${field.values.map((v) => JSON.stringify(v)).join(', ')}])`
        : 'z.string()';
      break;
    case 'enum':
      z = field.values.length
        ? `z.looseObject({ id: z.enum([${field.values.map((v) => JSON.stringify(v)).join(', ')}]), refName: z.string().optional() })`
        : 'nsReference';
      break;
    case 'sublist':
      z = `nsSublist(${lineSchema})`;
      break;
    default:
      z = 'z.unknown()';
  }
  return field.nullable && field.kind !== 'unknown' ? `${z}.nullable()` : z;
}

function emitRecord(record: RecordModel): string {
  const typeName = pascal(record.name);
  const schemaName = `${camel(record.name)}Schema`;
  let out = '';
  const sublists = record.fields.filter(
    (f): f is FieldModel & { kind: 'sublist' } => f.kind === 'sublist',
  );
  for (const sub of sublists) {
    const lineType = `${typeName}${pascal(sub.name)}Line`;
    const lineSchema = `${camel(record.name)}${pascal(sub.name)}LineSchema`;
    out += `/** A line of the ${record.name} ${sub.name} sublist (${record.name}-${sub.name}Element). */\n`;
    out += `export interface ${lineType} {\n`;
    for (const f of sub.line) out += `${doc(f, '  ')}  ${key(f.name)}?: ${tsType(f, 'unknown')};\n`;
    out += '  [field: string]: unknown;\n}\n\n';
    out += `export const ${lineSchema} = z.looseObject({\n`;
    for (const f of sub.line) out += `  ${key(f.name)}: ${zodType(f, 'z.unknown()')}.optional(),\n`;
    out += '});\n\n';
  }
  out += `/** The ${record.name} record of this account, custom fields included. */\n`;
  out += `export interface ${typeName} {\n  links?: NsLink[];\n`;
  for (const f of record.fields) {
    out += `${doc(f, '  ')}  ${key(f.name)}?: ${tsType(f, `${typeName}${pascal(f.name)}Line`)};\n`;
  }
  out += '  [field: string]: unknown;\n}\n\n';
  out += `/** zod schema of ${record.name}; unknown fields pass through. */\n`;
  out += `export const ${schemaName} = z.looseObject({\n  links: z.array(nsLink).optional(),\n`;
  for (const f of record.fields) {
    out += `  ${key(f.name)}: ${zodType(f, `${camel(record.name)}${pascal(f.name)}LineSchema`)}.optional(),\n`;
  }
  out += '});\n\n';
  const filterable = record.fields.filter((f) => f.filterable).map((f) => JSON.stringify(f.name));
  out += `/** Fields of ${record.name} usable in the record service's \`q\` filter. */\n`;
  out += `export const ${camel(record.name)}FilterableFields = [${filterable.join(', ')}] as const;\n\n`;
  const custom = record.fields.filter((f) => f.custom).map((f) => JSON.stringify(f.name));
  out += `/** Custom fields of ${record.name} in this account. */\n`;
  out += `export const ${camel(record.name)}CustomFields = [${custom.join(', ')}] as const;\n\n`;
  return out;
}

/** TypeScript types and zod schemas for the records, as one module's source text. */
export function emitTypes(records: RecordModel[], source: string): string {
  let out = `// Generated by plumbline-netsuite typegen from ${source.replace(/\n/g, ' ')}.\n`;
  out += "// Do not edit: run the typegen again when the account's records change.\n\n";
  out += "import { z } from 'zod';\n\n";
  out += 'export interface NsLink {\n  rel: string;\n  href: string;\n}\n\n';
  out +=
    'export interface NsReference {\n  id: string;\n  refName?: string;\n  externalId?: string;\n  links?: NsLink[];\n}\n\n';
  out +=
    '/** A subrecord (an address, for example): `{ links }` until expanded, then its fields. */\nexport interface NsSubrecord {\n  links?: NsLink[];\n  [field: string]: unknown;\n}\n\n';
  out +=
    'export interface NsSublist<Line> {\n  links?: NsLink[];\n  items?: Line[];\n  totalResults?: number;\n  count?: number;\n  hasMore?: boolean;\n  offset?: number;\n}\n\n';
  out += 'const nsLink = z.looseObject({ rel: z.string(), href: z.string() });\n';
  out +=
    'const nsReference = z.looseObject({\n  id: z.string(),\n  refName: z.string().optional(),\n  externalId: z.string().optional(),\n  links: z.array(nsLink).optional(),\n});\n';
  const usesSubrecord = records.some((r) =>
    r.fields.some(
      (f) =>
        f.kind === 'subrecord' ||
        (f.kind === 'sublist' && f.line.some((l) => l.kind === 'subrecord')),
    ),
  );
  if (usesSubrecord) {
    out += 'const nsSubrecord = z.looseObject({ links: z.array(nsLink).optional() });\n';
  }
  out +=
    'function nsSublist<T extends z.ZodType>(line: T) {\n  return z.looseObject({\n    links: z.array(nsLink).optional(),\n    items: z.array(line).optional(),\n    totalResults: z.number().optional(),\n    count: z.number().optional(),\n    hasMore: z.boolean().optional(),\n    offset: z.number().optional(),\n  });\n}\n\n';
  for (const record of records) out += emitRecord(record);
  return `${out.trimEnd()}\n`;
}
