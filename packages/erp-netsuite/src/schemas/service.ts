import { z } from 'zod';
import { links } from './common.js';

/**
 * Paging fields of every collection NetSuite answers (records, SuiteQL, async tasks). Full answers
 * carry all of them; shortened ones (Oracle's own list example) only `links`, `items` and
 * `totalResults`.
 */
const paging = {
  links: links.optional(),
  count: z.number().optional(),
  hasMore: z.boolean().optional(),
  offset: z.number().optional(),
  totalResults: z.number().optional(),
};

/** One page of the query service. Rows are lower-case columns with string values and `links: []`. */
export const suiteqlPage = z.looseObject({
  ...paging,
  items: z.array(z.looseObject({ links: links.optional() })),
});
export type SuiteqlPage = z.infer<typeof suiteqlPage>;

/** A record list page: ids and links. */
export const recordList = z.looseObject({
  ...paging,
  items: z.array(z.looseObject({ id: z.string(), links: links.optional() })),
});
export type RecordList = z.infer<typeof recordList>;

/**
 * An asynchronous job (`GET /async/v1/job/{id}`): `progress` is `pending` until the job ran, then
 * `succeeded` or `failed`; `task.links` points at its tasks.
 */
export const asyncJob = z.looseObject({
  id: z.string(),
  links: links.optional(),
  completed: z.boolean().optional(),
  progress: z.string().optional(),
  task: z.looseObject({ links: links.optional() }).optional(),
  createdTime: z.string().optional(),
  lastModifiedTime: z.string().optional(),
});
export type AsyncJob = z.infer<typeof asyncJob>;

/** The tasks of a job (`GET /async/v1/job/{id}/task`): items carry their `self` link. */
export const asyncTaskList = z.looseObject({
  ...paging,
  items: z.array(z.looseObject({ id: z.string().optional(), links: links.optional() })),
});
export type AsyncTaskList = z.infer<typeof asyncTaskList>;

/**
 * One task (`GET /async/v1/job/{id}/task/{taskId}`): `links` has `self` and `related` (the result),
 * with `startTime` and, once done, `endTime`.
 */
export const asyncTask = z.looseObject({
  id: z.string(),
  links: links.optional(),
  completed: z.boolean().optional(),
  progress: z.string().optional(),
  startTime: z.string().optional(),
  endTime: z.string().optional(),
});
export type AsyncTask = z.infer<typeof asyncTask>;

/** `GET /system/v1/governanceLimits`. */
export const governanceLimits = z.looseObject({
  accountConcurrencyLimit: z.number(),
  accountUnallocatedConcurrencyLimit: z.number().optional(),
  integrationConcurrencyLimit: z.number().optional(),
  integrationLimitType: z.string(),
});

/**
 * The metadata catalog's record list (`GET /record/v1/metadata-catalog` without a swagger or schema
 * Accept header): one item per record type with `canonical` and `alternate` links.
 */
export const metadataCatalogList = z.looseObject({
  items: z.array(
    z.looseObject({
      name: z.string(),
      links: z.array(
        z.looseObject({ rel: z.string(), href: z.string(), mediaType: z.string().optional() }),
      ),
    }),
  ),
});

/**
 * One entry of `o:errorDetails`. NetSuite names the failing part: `o:errorPath` (a body field),
 * `o:errorUrl` (the URL path; Oracle's help calls it `o:urlPath`), `o:errorQueryParam`,
 * `o:errorHeader`.
 */
export const errorDetail = z.looseObject({
  detail: z.string(),
  'o:errorCode': z.string().optional(),
  'o:errorPath': z.string().optional(),
  'o:errorQueryParam': z.string().optional(),
  'o:errorHeader': z.string().optional(),
  'o:errorUrl': z.string().optional(),
  'o:urlPath': z.string().optional(),
});

/** NetSuite's error body. */
export const error = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  'o:errorDetails': z.array(errorDetail),
});
export type NetSuiteErrorBody = z.infer<typeof error>;
