import type { ObjectModel } from './objects.js';
import { namedFields, noSuchColumn, projectRecord } from './record-projection.js';
import type { SObjectStore } from './store.js';

/**
 * sObject Relationships (API 36.0+), GET of a child-to-parent relationship such as
 * `/sobjects/Contact/{id}/Account` or `/sobjects/Account/{id}/Owner`: the related record, as
 * sObject Rows answers it (every field, or those in `fields`).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_relationships_get.htm
 * Parent-to-child traversal (`/sobjects/Account/{id}/Contacts`) is not served.
 */

export type Traversal =
  | { found: Record<string, unknown> }
  | { refused: { status: 400 | 404; errorCode: string; message: string } };

const notFound: Traversal = {
  refused: {
    status: 404,
    errorCode: 'NOT_FOUND',
    message: 'The requested resource does not exist',
  },
};

/** Whether `name` is one of the object's parent relationships (e.g. `Account`, `Owner`, `Account__r`). */
export function isParentRelationship(model: ObjectModel, name: string): boolean {
  return model.relationships.has(name.toLowerCase());
}

export function traverseToParent(
  store: SObjectStore,
  model: ObjectModel,
  id: string,
  relationship: string,
  fields: string | null,
  version: string,
): Traversal {
  const lookup = model.relationships.get(relationship.toLowerCase());
  const record = store.get(model.name, id);
  if (!lookup || !record) return notFound;
  const parentId = record[lookup.name];
  const parent = typeof parentId === 'string' ? store.findById(parentId) : undefined;
  // no related record: 404, as documented
  if (!parent) return notFound;
  const parentModel = store.model(parent.object) as ObjectModel;
  const names = fields
    ? fields.split(',').map((f) => f.trim())
    : [...parentModel.fields.values()].map((f) => f.name);
  const named = namedFields(parentModel, names);
  if ('unknown' in named)
    return {
      refused: {
        status: 400,
        errorCode: 'INVALID_FIELD',
        message: noSuchColumn(parentModel, named.unknown),
      },
    };
  return { found: projectRecord(parentModel, parent.record, named.fields, version) };
}
