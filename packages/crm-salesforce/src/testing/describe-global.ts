import { describeObject, type ObjectModel } from './objects.js';
import type { SObjectStore } from './store.js';

/**
 * The properties of one object in Describe Global (SOAP's DescribeGlobalSObjectResult, which
 * the REST resource answers as JSON), in Salesforce's order:
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describeglobal_describeglobalresult.htm
 */
const GLOBAL_PROPERTIES = [
  'activateable',
  'associateEntityType',
  'associateParentEntity',
  'createable',
  'custom',
  'customSetting',
  'deepCloneable',
  'deletable',
  'deprecatedAndHidden',
  'feedEnabled',
  'hasSubtypes',
  'isInterface',
  'isSubtype',
  'keyPrefix',
  'label',
  'labelPlural',
  'layoutable',
  'mergeable',
  'mruEnabled',
  'name',
  'queryable',
  'replicateable',
  'retrieveable',
  'searchable',
  'triggerable',
  'undeletable',
  'updateable',
] as const;

/**
 * An object's Describe Global entry: the object-level flags and labels of its full describe
 * (so the two never disagree) and `urls` {sobject, describe, rowTemplate}, as in
 * https://developer.salesforce.com/docs/atlas.en-us.194.0.api_rest.meta/api_rest/dome_describeGlobal.htm
 */
export function describeGlobalEntry(model: ObjectModel, version: string): Record<string, unknown> {
  const full = describeObject(model, version);
  const urls = full.urls as Record<string, string>;
  return {
    ...Object.fromEntries(GLOBAL_PROPERTIES.map((name) => [name, full[name]])),
    urls: { sobject: urls.sobject, describe: urls.describe, rowTemplate: urls.rowTemplate },
  };
}

/** `GET /sobjects/`: the org's encoding, batch size and every object's entry. */
export function describeGlobal(store: SObjectStore, version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...store.models.values()].map((model) => describeGlobalEntry(model, version)),
  };
}

/**
 * `GET /sobjects/{sObject}` (sObject Basic Information): the object's entry as `objectDescribe`
 * and the user's recently viewed records of it as `recentItems`,
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-sobject-basic-info-get.html
 * Salesforce fills recent items from what the user views in its UI (and SOQL `FOR VIEW`); the
 * emulator has neither, so the list is empty.
 */
export function sobjectBasicInfo(model: ObjectModel, version: string): Record<string, unknown> {
  return { objectDescribe: describeGlobalEntry(model, version), recentItems: [] };
}
