import { z } from 'zod';
import { links } from './common.js';

/** One page of the query service. Rows are lower-case columns with (mostly) string values. */
export const suiteqlPage = z.looseObject({
  links: links.optional(),
  count: z.number().optional(),
  hasMore: z.boolean(),
  offset: z.number().optional(),
  totalResults: z.number().optional(),
  items: z.array(z.looseObject({ links: links.optional() })),
});
export type SuiteqlPage = z.infer<typeof suiteqlPage>;

/** A record list page: ids and links. */
export const recordList = z.looseObject({
  links: links.optional(),
  count: z.number().optional(),
  hasMore: z.boolean(),
  offset: z.number().optional(),
  totalResults: z.number().optional(),
  items: z.array(z.looseObject({ id: z.string(), links: links.optional() })),
});
export type RecordList = z.infer<typeof recordList>;

/** An asynchronous job. */
export const asyncJob = z.looseObject({
  id: z.string(),
  links: links.optional(),
  completed: z.boolean().optional(),
  progress: z.string().optional(),
  createdTime: z.string().optional(),
  lastModifiedTime: z.string().optional(),
});
export type AsyncJob = z.infer<typeof asyncJob>;

/** One entry of `o:errorDetails`. */
export const errorDetail = z.looseObject({
  detail: z.string(),
  'o:errorCode': z.string().optional(),
  'o:errorPath': z.string().optional(),
  'o:errorQueryParam': z.string().optional(),
  'o:errorHeader': z.string().optional(),
  'o:errorUrl': z.string().optional(),
});

/** NetSuite's error body. */
export const error = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  'o:errorDetails': z.array(errorDetail),
});
export type NetSuiteErrorBody = z.infer<typeof error>;
