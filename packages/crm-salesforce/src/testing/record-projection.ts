import type { EmulatorField, ObjectModel } from './objects.js';
import type { StoredRecord } from './store.js';

/**
 * The fields a caller named (any case), as the object's fields; or the first name that is no
 * field of the object, which Salesforce refuses with 400 INVALID_FIELD.
 */
export function namedFields(
  model: ObjectModel,
  names: string[],
): { fields: EmulatorField[] } | { unknown: string } {
  const fields: EmulatorField[] = [];
  for (const name of names) {
    const field = model.fields.get(name.toLowerCase());
    if (!field) return { unknown: name };
    fields.push(field);
  }
  return { fields };
}

/** The message Salesforce gives for a field the object does not have. */
export const noSuchColumn = (model: ObjectModel, name: string) =>
  `No such column '${name}' on sobject of type ${model.name}`;

/** A record's `attributes`: its type and the URL REST reads it at. */
export function recordAttributes(model: ObjectModel, record: StoredRecord, version: string) {
  return {
    type: model.name,
    url: `/services/data/v${version}/sobjects/${model.name}/${record.Id}`,
  };
}

/** A record as REST answers it: `attributes {type, url}` then the fields, by their API names. */
export function projectRecord(
  model: ObjectModel,
  record: StoredRecord,
  fields: EmulatorField[],
  version: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: recordAttributes(model, record, version) };
  for (const field of fields) out[field.name] = record[field.name] ?? null;
  return out;
}
