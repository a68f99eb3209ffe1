import { existsSync } from 'node:fs';
import type { RunningServer } from '@plumbline/client-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceEmulator, type SalesforceEmulator } from '../../src/testing.js';
import { shapeDiff } from '../shape.js';
import {
  COLLECTION_DIR,
  collectionVariables,
  FIRST_VERSION,
  fillUrl,
  firstVersionVariables,
  type PostmanRequest,
  readFirstVersion,
  readRequests,
} from './postman-collection.js';

/**
 * Salesforce's public Postman collection, replayed against the emulator: every GET request of
 * the collection is either replayed here over real HTTP (plain fetch, the collection's URL
 * templates and variables filled in, not our client) and its answer checked against the shape
 * Salesforce documents, or named in NOT_SERVED with the reason. A request the collection gains
 * or loses fails the first test, so nothing drops out silently.
 */

const present = existsSync(COLLECTION_DIR);
if (!present) {
  if (process.env.PLUMBLINE_REQUIRE_SERVICES === '1')
    throw new Error(`Postman collection missing at ${COLLECTION_DIR}`);
  console.warn(
    `[crm-salesforce] Postman collection not found at ${COLLECTION_DIR}; skipping the walkthrough.`,
  );
}

/** What the replay knows: ids and jobs made before the GETs run. */
interface World {
  version: string;
  ids: [string, string];
  deletedId: string;
  /** An id of the right shape that names no record. */
  missingId: string;
  /** Live Accounts once set up (the Bulk job adds one). */
  live: number;
}

interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  json: unknown;
}

interface Step {
  /** The vendor page that documents the answer. */
  doc: string;
  /** Values for query parameters the collection leaves empty. */
  params?: (world: World) => Record<string, string>;
  /** Collection variables this request needs beyond the common ones (`_jobId`). */
  variables?: () => Record<string, string>;
  /** Throws (expect) when the answer is not the documented one. */
  check: (answer: Answer, world: World) => void;
}

const obj = (value: unknown) => value as Record<string, any>;
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

let ingestJobId = '';
let queryJobId = '';

/** The GETs of the collection the emulator serves, each with its page and documented answer. */
const SERVED: Record<string, Step> = {
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
  'rest/sobject_get_updated': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getupdated.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getupdated.htm',
    params: () => timeWindow(),
    check: (a, w) => {
      expect(a.status).toBe(200);
      noDiff(a.json, { ids: [''], latestDateCovered: '' });
      expect(obj(a.json).ids).toEqual(expect.arrayContaining(w.ids));
    },
  },
  'rest/sobject_get_deleted': {
    // http://www.salesforce.com/us/developer/docs/api/Content/sforce_api_calls_getdeleted_getdeletedresult.htm
    doc: 'http://www.salesforce.com/us/developer/docs/api/Content/sforce_api_calls_getdeleted_getdeletedresult.htm',
    params: () => timeWindow(),
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
    check: (a) => jobList(a, 'V2Ingest', ingestJobId),
  },
  'bulk_v2/get_job_info': {
    // https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/reference.htm (Get Job Info)
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.244.0.api_asynch.meta/api_asynch/reference.htm',
    variables: () => ({ _jobId: ingestJobId }),
    check: (a) => {
      expect(a.status).toBe(200);
      const job = obj(a.json);
      expect([job.id, job.object, job.operation, job.state, job.jobType]).toEqual([
        ingestJobId,
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
    variables: () => ({ _jobId: ingestJobId }),
    check: (a) => expect(csvHeader(a)).toBe('"sf__Id","sf__Created","Name"'),
  },
  'bulk_v2/get_job_failed_record_results': {
    // https://developer.salesforce.com/docs/atlas.en-us.264.0.api_asynch.meta/api_asynch/get_job_failed_results.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.264.0.api_asynch.meta/api_asynch/get_job_failed_results.htm',
    variables: () => ({ _jobId: ingestJobId }),
    check: (a) => expect(csvHeader(a)).toBe('"sf__Id","sf__Error","Name"'),
  },
  'bulk_v2/get_job_unprocessed_record_results': {
    // https://developer.salesforce.com/docs/atlas.en-us.264.0.api_asynch.meta/api_asynch/get_job_unprocessed_results.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.264.0.api_asynch.meta/api_asynch/get_job_unprocessed_results.htm',
    variables: () => ({ _jobId: ingestJobId }),
    check: (a) => expect(csvHeader(a)).toBe('"Name"'),
  },
  'query/get_all_query_jobs': {
    // https://developer.salesforce.com/docs/atlas.en-us.256.0.api_asynch.meta/api_asynch/query_get_all_jobs.htm
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.256.0.api_asynch.meta/api_asynch/query_get_all_jobs.htm',
    check: (a) => jobList(a, 'V2Query', queryJobId),
  },
  'query/get_job_info_query': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm (step 2)
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm',
    variables: () => ({ _jobId: queryJobId }),
    check: (a) => {
      expect(a.status).toBe(200);
      const job = obj(a.json);
      expect([job.id, job.operation, job.object, job.state]).toEqual([
        queryJobId,
        'query',
        'Account',
        'JobComplete',
      ]);
    },
  },
  'query/get_job_query_result': {
    // https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm (step 3)
    doc: 'https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_walkthrough.htm',
    variables: () => ({ _jobId: queryJobId }),
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
const FIRST_VERSION_SERVED: Record<string, string> = {
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

/**
 * The GETs of the collection the emulator does not serve, by reason. Each one must be refused
 * with Salesforce's error body (never answered with made-up data); serving one means moving it
 * to SERVED with its documented answer.
 */
const NOT_SERVED: Record<string, string[]> = {
  'User Interface API (ui-api/…): actions, apps, favorites, list views, records, themes': [
    'actions/get_global_actions',
    'actions/get_lightning_page_actions',
    'actions/get_list_view_chart_actions',
    'actions/get_list_view_header_actions',
    'actions/get_list_view_record_actions',
    'actions/get_lookup_field_actions',
    'actions/get_mru_list_view_actions',
    'actions/get_photo_actions',
    'actions/get_record_detail_page_actions',
    'actions/get_record_edit_page_actions',
    'actions/get_related_list_actions',
    'actions/get_related_list_record_actions',
    'apps/get_all_navigation_items',
    'apps/get_an_app',
    'apps/get_apps',
    'apps/get_last_selected_app',
    'apps/get_personalized_navigation_items',
    'favorites/get_a_favorite',
    'favorites/get_favorites',
    'list_views/get_list_view_for_an_object',
    'list_views/get_list_view_metadata_per_api_name',
    'list_views/get_list_view_metadata_per_id',
    'list_views/get_list_view_records_and_metadata_api_name',
    'list_views/get_list_view_records_and_metadata_per_id',
    'list_views/get_list_view_records_per_api_name',
    'list_views/get_list_view_records_per_id',
    'list_views/get_most_recently_used_list_view_metadata',
    'list_views/get_most_recently_used_list_view_records',
    'list_views/get_most_recently_used_list_view_records_and_metadata',
    'records/get_a_batch_of_records',
    'records/get_a_directory_of_supported_objects',
    'records/get_a_record',
    'records/get_child_records',
    'records/get_default_values_to_clone_a_record',
    'records/get_default_values_to_create_a_record',
    'records/get_lookup_field_suggestions',
    'records/get_lookup_field_suggestions_for_a_specified_object',
    'records/get_object_metadata',
    'records/get_record_data_and_object_metadata',
    'records/get_record_layout_metadata',
    'records/get_values_for_a_picklist_field',
    'records/get_values_for_all_picklist_fields_of_a_record_type',
    'ui/get_active_theme',
  ],
  'Connect REST API (chatter/…, connect/…): feeds, files, groups, following': [
    'feeds_resources/news_feed_elements',
    'feeds_resources/record_feed_elements',
    'feeds_resources/user_profile_feed_elements',
    'file_resources/file_shares',
    'files_connect_repository_resources/file_content',
    'files_connect_repository_resources/file_information',
    'groups_resources/group_members_private',
    'groups_resources/list_of_groups',
    'user_resources/following',
  ],
  'Tooling API (tooling/…), sandboxes included': [
    'sandbox/get_sandbox',
    'sandbox/list_sandboxes',
    'tooling/access_records',
    'tooling/get_tooling_describe',
    'tooling/get_tooling_describe_sobject',
    'tooling/get_tooling_metadata_sobject',
    'tooling/tooling_completion',
    'tooling/tooling_executeanonymous',
    'tooling/tooling_query',
    'tooling/tooling_search',
    `${FIRST_VERSION}/Tooling/ApexCodeCoverageAggregate`,
    `${FIRST_VERSION}/Tooling/ExecuteAnonymous`,
    `${FIRST_VERSION}/Tooling/Tooling Search`,
  ],
  'Bulk API 1.0 (services/async/…); Bulk API 2.0 is served': [
    'bulk_v1/bulk_check_batch_status',
    'bulk_v1/bulk_retrieve_batch_result',
    `${FIRST_VERSION}/Bulk V1/Bulk Check Batch Status`,
    `${FIRST_VERSION}/Bulk V1/Bulk Retrieve Batch Result`,
  ],
  'OAuth and OpenID Connect endpoints other than the token endpoint (authorize, userinfo, keys, identity, discovery)':
    [
      'auth/authentication_configuration_endpoint',
      'auth/id_token',
      'auth/openid_connect_discovery_endpoint',
      'auth/salesforce_keys',
      'auth/user_agent_flow',
      'auth/user_info',
      'auth/web_server_flow_1',
      `${FIRST_VERSION}/Auth/Authentication Configuration Endpoint`,
      `${FIRST_VERSION}/Auth/ID Token`,
      `${FIRST_VERSION}/Auth/OpenID Connect Discovery Endpoint`,
      `${FIRST_VERSION}/Auth/Salesforce Keys`,
      `${FIRST_VERSION}/Auth/User Agent Flow`,
      `${FIRST_VERSION}/Auth/User Info`,
      `${FIRST_VERSION}/Auth/Web Server Flow 1`,
    ],
  'Trailhead modules (the first version’s `{{endpoint}}/{{version}}/modules`, not an org API)': [
    `${FIRST_VERSION}/Trailhead/Trailhead Module`,
  ],
  'Async SOQL (async-queries) and the CPQ quote API (a managed package’s Apex REST)': [
    'async_query/get_async_query_info',
    'quote_api/read_quote_api',
  ],
  'Layouts, list views and other UI metadata in REST (describe/layouts, compact and named layouts, approval layouts, quick actions, tabs, theme, app menu)':
    [
      'rest/appmenu',
      'rest/compact_layouts',
      'rest/describe_global_layouts',
      'rest/describe_sobject_layouts',
      'rest/describe_sobject_layouts_per_record_type',
      'rest/list_view_describe',
      'rest/list_view_results',
      'rest/list_views',
      'rest/quick_actions',
      'rest/recent_list_views',
      'rest/recently_viewed_items',
      'rest/sobject_approvallayouts',
      'rest/sobject_compactlayouts',
      'rest/sobject_named_layouts',
      'rest/sobject_quick_actions',
      'rest/tabs',
      'rest/themes',
    ],
  'Search (SOSL search, parameterized search, suggestions, search layouts and scope)': [
    'rest/parameterized_search',
    'rest/search',
    'rest/search_for_records_suggested_by_autocomplete_and_instant_results',
    'rest/search_result_layouts',
    'rest/search_scope_and_order',
    'rest/search_suggested_article_title_matches',
    'rest/search_suggested_queries',
  ],
  'Knowledge and service (articles, data categories, embedded service, knowledge settings, suggested articles)':
    [
      'rest/articles_details',
      'rest/articles_list',
      'rest/data_category_detail',
      'rest/data_category_groups',
      'rest/embedded_service_configuration_describe',
      'rest/retrieve_knowledge_language_settings',
      'rest/sobject_suggested_articles',
    ],
  'Objects the emulator does not model (Lightning usage metrics, PlatformAction, SelfServiceUser, product schedules, platform event schemas, user passwords)':
    [
      'rest/lightning_exit_by_page_metrics',
      'rest/lightning_toggle_metrics',
      'rest/lightning_usage_by_app_type',
      'rest/lightning_usage_by_browser',
      'rest/lightning_usage_by_flexipage',
      'rest/lightning_usage_by_page',
      'rest/platform_event_schema_by_event_name',
      'rest/platform_event_schema_by_schema_id',
      'rest/product_schedules',
      'rest/sobject_platformaction',
      'rest/sobject_self_service_user_password',
      'rest/sobject_user_password',
    ],
  'Processes, actions and org services (approvals, process rules, invocable actions, consent, scheduling, record counts, relevant items)':
    [
      'rest/consent',
      'rest/custom_invocable_actions',
      'rest/process_approvals',
      'rest/process_rules',
      'rest/record_count',
      'rest/relevant_items',
      'rest/scheduling',
      'rest/standard_invocable_actions',
    ],
  'sObject sub-resources: blob and rich text image bodies, relationship traversal (sobjects/X/{id}/{relationship})':
    [
      'rest/sobject_blob_retrieve',
      'rest/sobject_relationships',
      'rest/sobject_rich_text_image_retrieve',
    ],
};

let timeWindow: () => Record<string, string> = () => ({});

describe.runIf(present)("Salesforce's Postman collection: every GET, replayed over HTTP", () => {
  const requests = present
    ? [...readRequests(), ...readFirstVersion()].filter((r) => r.method === 'GET')
    : [];
  const variables = present ? collectionVariables() : {};
  const firstVariables = present ? firstVersionVariables() : {};
  const served: Record<string, Step> = {
    ...SERVED,
    ...Object.fromEntries(
      Object.entries(FIRST_VERSION_SERVED).map(([name, later]) => [name, SERVED[later] as Step]),
    ),
  };
  /** The variables a request is replayed with: its own collection's, pointed at the emulator. */
  const variablesOf = (request: PostmanRequest, step?: Step): Record<string, string> =>
    request.name.startsWith(`${FIRST_VERSION}/`)
      ? {
          ...firstVariables,
          endpoint: server.url,
          url: server.url,
          site: '',
          jobId: ingestJobId,
          ...(step?.variables?.() ?? {}),
        }
      : {
          ...variables,
          _endpoint: server.url,
          url: server.url,
          site: '',
          _jobId: ingestJobId,
          ...(step?.variables?.() ?? {}),
        };
  const notServed = new Map(
    Object.entries(NOT_SERVED).flatMap(([reason, names]) => names.map((n) => [n, reason])),
  );
  let emulator: SalesforceEmulator;
  let server: RunningServer;
  let world: World;

  const call = async (method: string, url: string, body?: string, contentType?: string) => {
    const init: RequestInit = {
      method,
      headers: {
        authorization: 'Bearer walkthrough-token',
        ...(contentType ? { 'content-type': contentType } : {}),
      },
    };
    if (body !== undefined) init.body = body;
    return fetch(url, init);
  };

  /** Polls a Bulk job (a few reads at most: each read advances the emulator's job). */
  const untilComplete = async (url: string) => {
    for (let i = 0; i < 10; i++) {
      const job = (await (await call('GET', url)).json()) as { state: string };
      if (job.state === 'JobComplete') return;
    }
    throw new Error(`job ${url} did not complete`);
  };

  beforeAll(async () => {
    emulator = createSalesforceEmulator({
      accessTokens: ['walkthrough-token'],
      objects: [
        {
          name: 'Account',
          fields: [
            {
              name: 'Ext__c',
              type: 'string',
              externalId: true,
              nillable: true,
              createable: true,
              updateable: true,
            },
          ],
        },
      ],
    });
    server = await emulator.listen();
    const version = variables.version as string;
    const base = `${server.url}/services/data/v${version}`;
    const id1 = emulator.state.insert('Account', { Name: 'Acme', Ext__c: 'E1' });
    const id2 = emulator.state.insert('Account', { Name: 'Global Media' });
    const doomed = emulator.state.insert('Account', { Name: 'Doomed' });
    expect((await call('DELETE', `${base}/sobjects/Account/${doomed}`)).status).toBe(204);
    // an id with Account's prefix that names no record
    const missingId = `${id1.slice(0, 3)}${'9'.repeat(12)}AAA`;
    world = { version, ids: [id1, id2], deletedId: doomed, missingId, live: 0 };
    const start = new Date(Date.now() - 3600_000).toISOString();
    timeWindow = () => ({ start, end: new Date(Date.now() + 60_000).toISOString() });

    // an ingest job with one row that fails, run to completion
    const ingest = (await (
      await call(
        'POST',
        `${base}/jobs/ingest`,
        JSON.stringify({ object: 'Account', operation: 'insert' }),
        'application/json',
      )
    ).json()) as { id: string };
    ingestJobId = ingest.id;
    await call(
      'PUT',
      `${base}/jobs/ingest/${ingest.id}/batches`,
      'Name\nBulk one\n""\n',
      'text/csv',
    );
    await call(
      'PATCH',
      `${base}/jobs/ingest/${ingest.id}`,
      JSON.stringify({ state: 'UploadComplete' }),
      'application/json',
    );
    await untilComplete(`${base}/jobs/ingest/${ingest.id}`);
    const queryJob = (await (
      await call(
        'POST',
        `${base}/jobs/query`,
        JSON.stringify({
          operation: 'query',
          query: `SELECT Id, Name FROM Account WHERE Id IN ('${id1}','${id2}')`,
        }),
        'application/json',
      )
    ).json()) as { id: string };
    queryJobId = queryJob.id;
    await untilComplete(`${base}/jobs/query/${queryJob.id}`);
    world.live = emulator.state.records('Account').length;
    expect(world.live).toBe(3);
  });

  afterAll(async () => {
    await server?.close();
  });

  const replay = async (request: PostmanRequest, step?: Step): Promise<Answer> => {
    const url = fillUrl(
      request,
      variablesOf(request, step),
      {
        SOBJECT_API_NAME: 'Account',
        RECORD_ID: world.ids[0],
        RECORD_IDS: world.ids.join(','),
        FIELD_NAME: 'Ext__c',
        FIELD_VALUE: 'E1',
        ID: emulator.state.store.defaultUserId,
        USER_ID: emulator.state.store.defaultUserId,
      },
      step?.params?.(world) ?? {},
    );
    const response = await call('GET', url);
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      contentType,
      headers: response.headers,
      text,
      json: contentType.includes('json') && text ? JSON.parse(text) : undefined,
    };
  };

  it('lists every GET of the collection as replayed or as not served, and nothing else', () => {
    const names = requests.map((r) => r.name);
    expect(names.length).toBeGreaterThan(100);
    expect(names.filter((n) => n.startsWith(`${FIRST_VERSION}/`)).length).toBeGreaterThan(10);
    const unlisted = names.filter((n) => !(n in served) && !notServed.has(n));
    const stale = [...Object.keys(served), ...notServed.keys()].filter((n) => !names.includes(n));
    const both = Object.keys(served).filter((n) => notServed.has(n));
    expect({ unlisted, stale, both }).toEqual({ unlisted: [], stale: [], both: [] });
  });

  for (const [name, step] of Object.entries(served)) {
    it(`${name} answers as documented (${step.doc})`, async () => {
      const request = requests.find((r) => r.name === name) as PostmanRequest;
      const answer = await replay(request, step);
      expect([404, 405, 501], `${name} answered ${answer.status}: ${answer.text}`).not.toContain(
        answer.status,
      );
      step.check(answer, { ...world, version: variablesOf(request).version as string });
    });
  }

  it('refuses each request it does not serve with an error body, never with made-up data', async () => {
    const answered: string[] = [];
    for (const request of requests.filter((r) => notServed.has(r.name))) {
      const answer = await replay(request);
      const errorBody =
        Array.isArray(answer.json) &&
        answer.json.every((e) => typeof obj(e).errorCode === 'string');
      if (answer.status < 400 || !errorBody) answered.push(`${request.name}: ${answer.status}`);
    }
    expect(answered).toEqual([]);
  });
});
