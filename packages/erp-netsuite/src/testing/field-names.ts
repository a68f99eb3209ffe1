import * as recordSchemas from '../schemas/records.js';
import type { RecordData } from './store.js';

/**
 * NetSuite reads body field names without regard to case: Oracle's own examples send `entityid`
 * and `companyname` and the record answers `entityId` and `companyName`, the names of the
 * record's metadata. The emulator keeps every field under that one name: the name our record
 * schemas give it, else the name the stored record already uses, else the name as sent (custom
 * fields such as `custentity_tier` are lower case anyway).
 */
const KNOWN = new Map<string, Map<string, string>>();

function knownNames(type: string): Map<string, string> {
  let names = KNOWN.get(type);
  if (names === undefined) {
    names = new Map();
    const schema = (recordSchemas as Record<string, unknown>)[type] as
      | { shape?: Record<string, unknown> }
      | undefined;
    for (const name of Object.keys(schema?.shape ?? {})) names.set(name.toLowerCase(), name);
    KNOWN.set(type, names);
  }
  return names;
}

/** The name a body field is kept under for this record type (and stored record, if any). */
export function canonicalFieldName(type: string, field: string, stored?: RecordData): string {
  const lower = field.toLowerCase();
  const known = knownNames(type).get(lower);
  if (known !== undefined) return known;
  if (stored !== undefined && !Object.hasOwn(stored, field)) {
    const existing = Object.keys(stored).find((key) => key.toLowerCase() === lower);
    if (existing !== undefined) return existing;
  }
  return field;
}

/**
 * A request body with its field names made canonical. When a body names one field twice in
 * different cases, the later one wins, as it would in a JSON object with one key.
 */
export function withCanonicalFieldNames(
  type: string,
  body: Record<string, unknown>,
  stored?: RecordData,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    out[canonicalFieldName(type, field, stored)] = value;
  }
  const items = (out.item as { items?: unknown } | undefined)?.items;
  if (Array.isArray(items)) out.item = { ...(out.item as object), items: items.map(lineNames) };
  return out;
}

/**
 * Line fields of the `item` sublist are read without regard to case too: Oracle's example closes
 * a line with `{ "line": 1, "isclosed": true }` (section_159795512874), kept as `isClosed`.
 */
const LINE_NAMES = new Map(
  [...Object.keys(recordSchemas.itemLine.shape), 'itemReceive'].map((name) => [
    name.toLowerCase(),
    name,
  ]),
);

function lineNames(line: unknown): unknown {
  if (!line || typeof line !== 'object' || Array.isArray(line)) return line;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(line)) {
    out[LINE_NAMES.get(field.toLowerCase()) ?? field] = value;
  }
  return out;
}
