import { z } from 'zod';

/**
 * zod 4 schemas of Salesforce's wire shapes. Objects are loose: fields we do not list (custom
 * `__c` fields, newer API fields) pass through untouched.
 */

const str = z.string();
const nullableString = z.string().nullable().optional();
const nullableNumber = z.number().nullable().optional();

/** One entry of the REST error body. */
export const error = z.looseObject({
  message: str,
  errorCode: str,
  fields: z.array(str).optional(),
});
/** The REST error body: an array of errors. */
export const errorBody = z.array(error);
/** A per-record error in save results (statusCode, not errorCode). */
export const recordError = z.looseObject({
  statusCode: str,
  message: str,
  fields: z.array(str).optional(),
});

export const attributes = z.looseObject({ type: str, url: str.optional() });

/** Any sObject record as the REST API returns it. */
export const sobject = z.looseObject({ attributes: attributes.optional(), Id: str.optional() });

/** `{ totalSize, done, nextRecordsUrl?, records }` with records validated by `record`. */
export function queryResult<T extends z.ZodType>(record: T) {
  return z.looseObject({
    totalSize: z.number().int(),
    done: z.boolean(),
    nextRecordsUrl: str.optional(),
    records: z.array(record),
  });
}

/**
 * A parent-to-child subquery's value inside a record (`Contacts` of an Account): a nested query
 * result, or null when the parent has no matching children.
 */
export function childRecords<T extends z.ZodType>(record: T) {
  return queryResult(record).nullable();
}

export const saveResult = z.looseObject({
  id: str,
  success: z.boolean(),
  errors: z.array(recordError),
});
/**
 * An upsert by external id answers `{id, success, errors, created}` from API 46.0; older versions
 * answer a create (201) without `created` and an update with 204 and no body.
 */
export const upsertResult = saveResult.extend({ created: z.boolean().optional() });
export const collectionResult = z.looseObject({
  id: str.nullable().optional(),
  success: z.boolean(),
  created: z.boolean().optional(),
  errors: z.array(recordError),
});

/** One subrequest's answer in a composite response; `body` is whatever that call returns. */
export const compositeSubresponse = z.looseObject({
  body: z.unknown(),
  httpHeaders: z.record(str, str),
  httpStatusCode: z.number().int(),
  referenceId: str,
});
export const compositeResponse = z.looseObject({
  compositeResponse: z.array(compositeSubresponse),
});

export const bulkJobState = z.enum([
  'Open',
  'UploadComplete',
  'InProgress',
  'JobComplete',
  'Aborted',
  'Failed',
]);
export const bulkJob = z.looseObject({
  id: str,
  operation: str,
  object: str,
  state: bulkJobState,
  createdById: str.optional(),
  createdDate: str.optional(),
  systemModstamp: str.optional(),
  externalIdFieldName: str.optional(),
  concurrencyMode: str.optional(),
  contentType: str.optional(),
  apiVersion: z.number().optional(),
  contentUrl: str.optional(),
  lineEnding: str.optional(),
  columnDelimiter: str.optional(),
  numberRecordsProcessed: z.number().optional(),
  numberRecordsFailed: z.number().optional(),
  retries: z.number().optional(),
  totalProcessingTime: z.number().optional(),
  jobType: str.optional(),
  apiActiveProcessingTime: z.number().optional(),
  apexProcessingTime: z.number().optional(),
  isPkChunkingSupported: z.boolean().optional(),
  errorMessage: str.optional(),
});
/** GET /jobs/ingest or /jobs/query: a page of job infos. */
export const bulkJobList = z.looseObject({
  done: z.boolean(),
  records: z.array(bulkJob),
  nextRecordsUrl: str.nullable().optional(),
});

export const describeField = z.looseObject({
  name: str,
  type: str,
  label: str.optional(),
  length: z.number().optional(),
  nillable: z.boolean().optional(),
  createable: z.boolean().optional(),
  updateable: z.boolean().optional(),
  defaultedOnCreate: z.boolean().optional(),
  externalId: z.boolean().optional(),
  unique: z.boolean().optional(),
  custom: z.boolean().optional(),
  referenceTo: z.array(str).optional(),
  relationshipName: str.nullable().optional(),
  picklistValues: z
    .array(
      z.looseObject({
        value: str,
        label: str.nullable().optional(),
        active: z.boolean().optional(),
      }),
    )
    .optional(),
});
export const childRelationship = z.looseObject({
  childSObject: str,
  field: str,
  relationshipName: str.nullable(),
  cascadeDelete: z.boolean().optional(),
});
export const describe = z.looseObject({
  name: str,
  label: str.optional(),
  labelPlural: str.optional(),
  keyPrefix: str.nullable().optional(),
  custom: z.boolean().optional(),
  fields: z.array(describeField),
  childRelationships: z.array(childRelationship).optional(),
  urls: z.record(str, str).optional(),
});

export const limits = z.record(str, z.looseObject({ Max: z.number(), Remaining: z.number() }));
export const updatedResult = z.looseObject({ ids: z.array(str), latestDateCovered: str });
export const deletedResult = z.looseObject({
  deletedRecords: z.array(z.looseObject({ id: str, deletedDate: str })),
  earliestDateAvailable: str,
  latestDateCovered: str,
});
export const tokenResponse = z.looseObject({
  access_token: str,
  instance_url: str,
  token_type: str,
  id: str.optional(),
  issued_at: str.optional(),
  scope: str.optional(),
  signature: str.optional(),
  refresh_token: str.optional(),
});
/** The token endpoint's error body (RFC 6749): `{ error: 'invalid_grant', error_description }`. */
export const oauthError = z.looseObject({ error: str, error_description: str.optional() });

const system = {
  attributes: attributes.optional(),
  Id: str.optional(),
  IsDeleted: z.boolean().optional(),
  CreatedDate: str.optional(),
  LastModifiedDate: str.optional(),
  SystemModstamp: str.optional(),
};

export const account = z.looseObject({
  ...system,
  Name: str.optional(),
  AccountNumber: nullableString,
  Type: nullableString,
  Industry: nullableString,
  AnnualRevenue: nullableNumber,
  NumberOfEmployees: nullableNumber,
  Phone: nullableString,
  Website: nullableString,
  BillingStreet: nullableString,
  BillingCity: nullableString,
  BillingPostalCode: nullableString,
  BillingCountry: nullableString,
  Description: nullableString,
});

export const contact = z.looseObject({
  ...system,
  AccountId: nullableString,
  FirstName: nullableString,
  LastName: str.optional(),
  Name: str.optional(),
  Email: nullableString,
  Phone: nullableString,
  Title: nullableString,
  Birthdate: nullableString,
  HasOptedOutOfEmail: z.boolean().optional(),
});

export const opportunity = z.looseObject({
  ...system,
  AccountId: nullableString,
  Name: str.optional(),
  StageName: str.optional(),
  CloseDate: str.optional(),
  Amount: nullableNumber,
  Probability: nullableNumber,
  IsClosed: z.boolean().optional(),
});

/**
 * An order (Object Reference: Order): the account it belongs to, its dates and status (`Draft`
 * or `Activated`), its price book, the auto-numbered `OrderNumber` and the `TotalAmount` rolled
 * up from its products.
 */
export const order = z.looseObject({
  ...system,
  AccountId: str.optional(),
  EffectiveDate: str.optional(),
  Status: str.optional(),
  Pricebook2Id: nullableString,
  OrderNumber: str.optional(),
  TotalAmount: nullableNumber,
  Name: nullableString,
  OrderReferenceNumber: nullableString,
  ActivatedDate: nullableString,
  OwnerId: str.optional(),
});

/** An order product (Object Reference: OrderItem): one line of an order, priced from its entry. */
export const orderItem = z.looseObject({
  ...system,
  OrderId: str.optional(),
  PricebookEntryId: str.optional(),
  Product2Id: nullableString,
  Quantity: nullableNumber,
  UnitPrice: nullableNumber,
  ListPrice: nullableNumber,
  TotalPrice: nullableNumber,
  OrderItemNumber: str.optional(),
  Description: nullableString,
});

export type SalesforceError = z.infer<typeof error>;
export type SaveResult = z.infer<typeof saveResult>;
export type UpsertResultBody = z.infer<typeof upsertResult>;
export type CollectionResult = z.infer<typeof collectionResult>;
export type BulkJob = z.infer<typeof bulkJob>;
export type CompositeResponse = z.infer<typeof compositeResponse>;
export type Describe = z.infer<typeof describe>;
export type DescribeField = z.infer<typeof describeField>;
export type Limits = z.infer<typeof limits>;
export type Account = z.infer<typeof account>;
export type Contact = z.infer<typeof contact>;
export type Opportunity = z.infer<typeof opportunity>;
export type Order = z.infer<typeof order>;
export type OrderItem = z.infer<typeof orderItem>;
