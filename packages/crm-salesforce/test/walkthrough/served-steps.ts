import { expect } from 'vitest';
import { shapeDiff } from '../shape.js';
import { FIRST_VERSION } from './postman-collection.js';

/**
 * The GETs of Salesforce's Postman collection that the emulator serves: for each, the vendor page
 * that documents the answer and a check of that answer (used by postman-gets.test.ts).
 */

/** What the replay knows: ids and jobs made before the GETs run. */
export interface World {
  version: string;
  ids: [string, string];
  deletedId: string;
  /** An id of the right shape that names no record. */
  missingId: string;
  /** Live Accounts once set up (the Bulk job adds one). */
  live: number;
  /** The integration user, every record's default owner. */
  ownerId: string;
  /** A completed Bulk API 2.0 ingest job (one row failed) and query job. */
  ingestJobId: string;
  queryJobId: string;
  /** getUpdated/getDeleted window around the set-up. */
  window: { start: string; end: string };
}

export interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface Step {
  /** The vendor page that documents the answer. */
  doc: string;
  /** Values for query parameters the collection leaves empty. */
  params?: (world: World) => Record<string, string>;
  /** Collection variables this request needs beyond the common ones (`_jobId`). */
  variables?: (world: World) => Record<string, string>;
  /** Throws (expect) when the answer is not the documented one. */
  check: (answer: Answer, world: World) => void;
}

export const obj = (value: unknown) => value as Record<string, any>;
const noDiff = (actual: unknown, expected: unknown, extraOk = false) =>
  expect(shapeDiff(actual, expected, { extraOk })).toEqual([]);

/** A record as REST answers it: attributes {type, url} then the fields asked for. */
const recordShape = (world: World, id: string, fields: Record<string, unknown>) => ({
  attributes: { type: 'Account', url: `/services/data/v${world.version}/sobjects/Account/${id}` },
  ...fields,
});

/**
 * The properties of a describeGlobal entry (DescribeGlobalSObjectResult), with `urls`
 * {sobject, describe, rowTemplate} as the REST example shows them.
 */
const globalEntryShape = (version: string) => ({
  activateable: false,
  associateEntityType: null,
  associateParentEntity: null,
  createable: true,
  custom: false,
  customSetting: false,
  deepCloneable: false,
  deletable: true,
  deprecatedAndHidden: false,
  feedEnabled: true,
  hasSubtypes: false,
  isInterface: false,
  isSubtype: false,
  keyPrefix: '001',
  label: 'Account',
  labelPlural: 'Accounts',
  layoutable: true,
  mergeable: true,
  mruEnabled: true,
  name: 'Account',
  queryable: true,
  replicateable: true,
  retrieveable: true,
  searchable: true,
  triggerable: true,
  undeletable: true,
  updateable: true,
  urls: {
    sobject: `/services/data/v${version}/sobjects/Account`,
    describe: `/services/data/v${version}/sobjects/Account/describe`,
    rowTemplate: `/services/data/v${version}/sobjects/Account/{ID}`,
  },
});

const checkGlobalEntry = (entry: unknown, version: string) => {
  noDiff(entry, globalEntryShape(version));
  const e = obj(entry);
  for (const flag of ['createable', 'updateable', 'deletable', 'queryable', 'retrieveable'])
    expect(e[flag], flag).toBe(true);
  expect(e.urls).toEqual(globalEntryShape(version).urls);
  expect([e.name, e.label, e.labelPlural, e.keyPrefix]).toEqual([
    'Account',
    'Account',
    'Accounts',
    '001',
  ]);
};

const jobList = (answer: Answer, jobType: string, id: string) => {
  expect(answer.status).toBe(200);
  // done, records (each job as its info), nextRecordsUrl while not done
  noDiff(answer.json, { done: true, records: [{}], nextRecordsUrl: null }, true);
  const records = obj(answer.json).records as Record<string, unknown>[];
  expect(records.find((j) => j.id === id)?.jobType).toBe(jobType);
};

const csvHeader = (answer: Answer) => {
  expect(answer.status).toBe(200);
  expect(answer.contentType).toMatch(/^text\/csv/);
  return answer.text.split(/\r?\n/)[0];
};

/** The GETs of the collection the emulator serves, each with its page and documented answer. */
export const SERVED: Record<string, Step> = {
  'rest/versions': {
    // https://developer.salesforce.com/docs/atlas.en-us.232.0.api_rest.meta/api_rest/dome_versions.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.232.0.api_rest.meta/api_rest/dome_versions.htm',
    check: (a) => {
      expect(a.status).toBe(200);
      noDiff(a.json, [{ label: '', url: '', version: '' }]);
      expect((a.json as unknown[]).length).toBeGreaterThan(0);
    },
  },
  'rest/resources_by_version': {
    // https://developer.salesforce.com/docs/atlas.en-us.214.0.api_rest.meta/api_rest/resources_list.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.214.0.api_rest.meta/api_rest/resources_list.htm',
    check: (a, w) => {
      expect(a.status).toBe(200);
      const resources = obj(a.json);
      for (const name of ['sobjects', 'query', 'queryAll', 'limits', 'composite'])
        expect(resources[name], name).toBe(`/services/data/v${w.version}/${name}`);
    },
  },
  'rest/limit': {
    // https://developer.salesforce.com/docs/atlas.en-us.214.0.api_rest.meta/api_rest/resources_list.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.214.0.api_rest.meta/api_rest/resources_list.htm',
    check: (a) => {
      expect(a.status).toBe(200);
      for (const [name, entry] of Object.entries(obj(a.json)))
        noDiff(entry, { Max: 0, Remaining: 0 }, name === 'DailyApiRequests');
    },
  },
  'rest/describe_global': {
    // https://developer.salesforce.com/docs/atlas.en-us.194.0.api_rest.meta/api_rest/dome_describeGlobal.htm
    // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describeglobal_describeglobalresult.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.194.0.api_rest.meta/api_rest/dome_describeGlobal.htm',
    check: (a, w) => {
      expect(a.status).toBe(200);
      const body = obj(a.json);
      expect([body.encoding, body.maxBatchSize]).toEqual(['UTF-8', 200]);
      const sobjects = body.sobjects as Record<string, unknown>[];
      for (const entry of sobjects) noDiff(entry, globalEntryShape(w.version));
      checkGlobalEntry(
        sobjects.find((s) => s.name === 'Account'),
        w.version,
      );
    },
  },
  'rest/sobject_basic_information': {
    // https://developer.salesforce.com/docs/platform/api-rest/guide/resources-sobject-basic-info-get.html
    // https://developer.salesforce.com/docs/atlas.en-us.208.0.api_rest.meta/api_rest/dome_sobject_basic_info.htm
    doc: 'https://developer.salesforce.com/docs/platform/api-rest/guide/resources-sobject-basic-info-get.html',
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(a.json, { objectDescribe: {}, recentItems: [] }, true);
      checkGlobalEntry(obj(a.json).objectDescribe, w.version);
      expect(Array.isArray(obj(a.json).recentItems)).toBe(true);
      for (const item of obj(a.json).recentItems)
        noDiff(item, recordShape(w, '', { Id: '', Name: '' }));
    },
  },
  'rest/sobject_describe': {
    // https://developer.salesforce.com/docs/atlas.en-us.260.0.api_rest.meta/api/dome_sobject_describe.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.260.0.api_rest.meta/api/dome_sobject_describe.htm',
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(
        a.json,
        {
          name: '',
          fields: [{ length: 0, name: '', type: '', updateable: true, label: '' }],
          updateable: true,
          label: '',
          keyPrefix: '',
          custom: true,
          urls: { sobject: '' },
          childRelationships: [{ field: '', deprecatedAndHidden: false }],
          createable: true,
          customSetting: false,
        },
        true,
      );
      expect(obj(a.json).urls.sobject).toBe(`/services/data/v${w.version}/sobjects/Account`);
    },
  },
  'rest/sobject_rows': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/dome_get_field_values.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/dome_get_field_values.htm',
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(a.json, recordShape(w, '', { Id: '', Name: '' }), true);
      expect(obj(a.json).attributes.url).toBe(
        `/services/data/v${w.version}/sobjects/Account/${w.ids[0]}`,
      );
      expect([obj(a.json).Id, obj(a.json).Name]).toEqual([w.ids[0], 'Acme']);
    },
  },
  'rest/sobject_rows_by_external_id': {
    // https://developer.salesforce.com/docs/atlas.en-us.240.0.api_rest.meta/api/resources_sobject_upsert.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.240.0.api_rest.meta/api/resources_sobject_upsert.htm',
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(a.json, recordShape(w, '', { Id: '', Name: '', Ext__c: '' }), true);
      expect([obj(a.json).Id, obj(a.json).Ext__c]).toEqual([w.ids[0], 'E1']);
    },
  },
  'rest/sobject_relationships': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_relationships_get.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_relationships_get.htm',
    check: (a, w) => {
      // /sobjects/Account/{id}/Owner: the owning user, as sObject Rows answers a record
      expect(a.status).toBe(200);
      expect(obj(a.json).attributes).toEqual({
        type: 'User',
        url: `/services/data/v${w.version}/sobjects/User/${w.ownerId}`,
      });
      expect(obj(a.json).Id).toBe(w.ownerId);
    },
  },
  'rest/sobject_get_updated': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getupdated.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getupdated.htm',
    params: (w) => w.window,
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(a.json, { ids: [''], latestDateCovered: '' });
      expect(obj(a.json).ids).toEqual(expect.arrayContaining(w.ids));
    },
  },
  'rest/sobject_get_deleted': {
    // http://www.salesforce.com/us/developer/docs/api/Content/sforce_api_calls_getdeleted_getdeletedresult.htm
    doc: 'http://www.salesforce.com/us/developer/docs/api/Content/sforce_api_calls_getdeleted_getdeletedresult.htm',
    params: (w) => w.window,
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(a.json, {
        deletedRecords: [{ id: '', deletedDate: '' }],
        earliestDateAvailable: '',
        latestDateCovered: '',
      });
      expect(obj(a.json).deletedRecords.map((d: { id: string }) => d.id)).toEqual([w.deletedId]);
    },
  },
  'rest/query': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm',
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(a.json, { done: true, totalSize: 0, records: [recordShape(w, '', { Name: '' })] });
      expect(obj(a.json).totalSize).toBe(w.live);
    },
  },
  'rest/queryall': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm (QueryAll: the same answer, deleted rows included)
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.214.0.api_rest.meta/api_rest/resources_list.htm',
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(a.json, { done: true, totalSize: 0, records: [recordShape(w, '', { Name: '' })] });
      expect(obj(a.json).totalSize).toBe(w.live + 1);
    },
  },
  'composite/sobject_collections_retrieve': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_retrieve.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_retrieve.htm',
    params: (w) => ({ ids: [w.ids[0], w.ids[1], w.missingId].join(','), fields: 'id,name' }),
    check: (a, w) => {
      expect(a.status).toBe(200);
      // one entry per id, in the order asked, null where the id names no record
      expect(a.json).toEqual([
        recordShape(w, w.ids[0], { Id: w.ids[0], Name: 'Acme' }),
        recordShape(w, w.ids[1], { Id: w.ids[1], Name: 'Global Media' }),
        null,
      ]);
    },
  },
  'bulk_v2/get_all_jobs': {
    // https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/get_all_jobs.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/get_all_jobs.htm',
    check: (a, w) => jobList(a, 'V2Ingest', w.ingestJobId),
  },
  'bulk_v2/get_job_info': {
    // https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/reference.htm (Get Job Info)
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/reference.htm',
    variables: (w) => ({ _jobId: w.ingestJobId }),
    check: (a, w) => {
      expect(a.status).toBe(200);
      const job = obj(a.json);
      expect([job.id, job.object, job.operation, job.state, job.jobType]).toEqual([
        w.ingestJobId,
        'Account',
        'insert',
        'JobComplete',
        'V2Ingest',
      ]);
      expect([job.numberRecordsProcessed, job.numberRecordsFailed]).toEqual([2, 1]);
    },
  },
  'bulk_v2/get_job_successful_record_results': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_bulk_v2.meta/api_bulk_v2/get_job_successful_results.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_bulk_v2.meta/api_bulk_v2/get_job_successful_results.htm',
    variables: (w) => ({ _jobId: w.ingestJobId }),
    check: (a) => expect(csvHeader(a)).toBe('"sf__Id","sf__Created","Name"'),
  },
  'bulk_v2/get_job_failed_record_results': {
    // https://developer.salesforce.com/docs/atlas.en-us.264.0.api_asynch.meta/api_asynch/get_job_failed_results.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.264.0.api_asynch.meta/api_asynch/get_job_failed_results.htm',
    variables: (w) => ({ _jobId: w.ingestJobId }),
    check: (a) => expect(csvHeader(a)).toBe('"sf__Id","sf__Error","Name"'),
  },
  'bulk_v2/get_job_unprocessed_record_results': {
    // https://developer.salesforce.com/docs/atlas.en-us.264.0.api_asynch.meta/api_asynch/get_job_unprocessed_results.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.264.0.api_asynch.meta/api_asynch/get_job_unprocessed_results.htm',
    variables: (w) => ({ _jobId: w.ingestJobId }),
    check: (a) => expect(csvHeader(a)).toBe('"Name"'),
  },
  'query/get_all_query_jobs': {
    // https://developer.salesforce.com/docs/atlas.en-us.256.0.api_asynch.meta/api_asynch/query_get_all_jobs.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.256.0.api_asynch.meta/api_asynch/query_get_all_jobs.htm',
    check: (a, w) => jobList(a, 'V2Query', w.queryJobId),
  },
  'query/get_job_info_query': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm (step 2)
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm',
    variables: (w) => ({ _jobId: w.queryJobId }),
    check: (a, w) => {
      expect(a.status).toBe(200);
      const job = obj(a.json);
      expect([job.id, job.operation, job.object, job.state]).toEqual([
        w.queryJobId,
        'query',
        'Account',
        'JobComplete',
      ]);
    },
  },
  'query/get_job_query_result': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm (step 3)
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm',
    variables: (w) => ({ _jobId: w.queryJobId }),
    check: (a) => {
      expect(csvHeader(a)).toBe('"Id","Name"');
      expect(a.headers.get('sforce-locator')).toBe('null');
      expect(a.headers.get('sforce-numberofrecords')).toBe('2');
    },
  },
};

/**
 * The collection's first published version (2020-01-13, with its template environment, API
 * 46.0) names some of the same requests differently: each of its GETs the emulator serves is
 * replayed with the step of its later name; the others are in NOT_SERVED.
 */
export const FIRST_VERSION_SERVED: Record<string, string> = {
  [`${FIRST_VERSION}/Bulk V2/Get All Jobs`]: 'bulk_v2/get_all_jobs',
  [`${FIRST_VERSION}/Bulk V2/Get Job Info`]: 'bulk_v2/get_job_info',
  [`${FIRST_VERSION}/Bulk V2/Get Job Successful Record Results`]:
    'bulk_v2/get_job_successful_record_results',
  [`${FIRST_VERSION}/Bulk V2/Get Job Failed Record Results`]:
    'bulk_v2/get_job_failed_record_results',
  [`${FIRST_VERSION}/Bulk V2/Get Job Unprocessed Record Results`]:
    'bulk_v2/get_job_unprocessed_record_results',
  [`${FIRST_VERSION}/Limit`]: 'rest/limit',
  [`${FIRST_VERSION}/REST/Describe`]: 'rest/describe_global',
};
