import { asSentences, HttpError, type HttpErrorInit, PlumblineError } from '@plumbline/client-core';
import type { CollectionOperation, CollectionOutcome } from './writes/collections.js';

/** One entry of Salesforce's REST error body `[{ message, errorCode, fields }]`. */
export interface SalesforceErrorEntry {
  message: string;
  errorCode: string;
  fields?: string[];
}

/**
 * A non-2xx answer from Salesforce with its first error entry lifted up:
 * `errorCode` (e.g. `MALFORMED_QUERY`), `fields` and Salesforce's own `message` text in
 * `vendorMessage`. `errors` keeps every entry of the body.
 */
export class SalesforceApiError extends HttpError {
  readonly errorCode: string;
  readonly fields: string[];
  readonly errors: SalesforceErrorEntry[];

  constructor(init: HttpErrorInit & { errors?: SalesforceErrorEntry[] }) {
    super(init, 'SALESFORCE_API_ERROR');
    this.errors = init.errors ?? [];
    this.errorCode = init.vendorCode ?? this.errors[0]?.errorCode ?? `HTTP_${init.status}`;
    this.fields = this.errors[0]?.fields ?? [];
  }

  /** Rebuilds a transport HttpError as a SalesforceApiError (same status, url and body facts). */
  static from(error: HttpError): SalesforceApiError {
    const errors = (error.details ?? []).filter(isErrorEntry);
    const init: HttpErrorInit & { errors?: SalesforceErrorEntry[] } = {
      status: error.status,
      statusText: error.statusText,
      method: error.method,
      url: error.url,
      attempts: error.attempts,
      message: error.message,
      errors,
    };
    if (error.vendorCode !== undefined) init.vendorCode = error.vendorCode;
    if (error.vendorMessage !== undefined) init.vendorMessage = error.vendorMessage;
    if (error.requestId !== undefined) init.requestId = error.requestId;
    if (error.details !== undefined) init.details = error.details;
    if (error.bodyExcerpt !== undefined) init.bodyExcerpt = error.bodyExcerpt;
    if (error.response !== undefined) init.response = error.response;
    const converted = new SalesforceApiError(init);
    if (error.stack) converted.stack = error.stack;
    return converted;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), errorCode: this.errorCode, fields: this.fields };
  }
}

function isErrorEntry(value: unknown): value is SalesforceErrorEntry {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { errorCode?: unknown }).errorCode === 'string'
  );
}

/** A value interpolated into `soql` cannot become a literal (undefined, NaN, an object…). */
export class SoqlValueError extends PlumblineError {
  constructor(message: string) {
    super('SOQL_VALUE', message);
  }
}

/** Upsert by external id matched several records (HTTP 300). */
export class UpsertMultipleMatchesError extends PlumblineError {
  readonly errorCode = 'MULTIPLE_CHOICES';
  readonly fields: string[];
  constructor(
    readonly sobject: string,
    readonly externalIdField: string,
    readonly externalIdValue: string,
    readonly matches: string[],
  ) {
    super(
      'UPSERT_MULTIPLE_MATCHES',
      `Upsert of ${sobject} by ${externalIdField} = ${JSON.stringify(externalIdValue)} matched ${matches.length} records; make ${externalIdField} unique or update by Id.`,
    );
    this.fields = [externalIdField];
  }
}

/** The org's API usage reached the configured threshold and the client was told to reject new work. */
export class ApiLimitThresholdError extends PlumblineError {
  readonly errorCode = 'API_LIMIT_THRESHOLD';
  readonly fields: string[] = [];
  constructor(
    readonly used: number,
    readonly max: number,
    readonly threshold: number,
  ) {
    super(
      'API_LIMIT_THRESHOLD',
      `The org has used ${used} of ${max} daily API requests, at or above the threshold of ${Math.round(threshold * 100)}% set in limits.threshold; new work is rejected until usage drops. Raise the threshold or wait.`,
    );
  }
}

/** A getUpdated/getDeleted window reaches further back than Salesforce keeps the data. */
export class WindowOutOfReachError extends PlumblineError {
  readonly errorCode = 'WINDOW_OUT_OF_REACH';
  readonly fields: string[] = ['start'];
  constructor(
    readonly kind: 'updated' | 'deleted',
    readonly start: Date,
    readonly earliest: Date,
    readonly maxDays: number,
  ) {
    super(
      'WINDOW_OUT_OF_REACH',
      `get${kind === 'updated' ? 'Updated' : 'Deleted'} cannot look back to ${start.toISOString()}: Salesforce keeps ${kind} ids for ${maxDays} days, so the earliest reachable start is ${earliest.toISOString()}. Fall back to a full query (e.g. a SystemModstamp cursor or queryAll) for older changes.`,
    );
  }
}

/** The step of a Bulk API 2.0 job that failed on the client's side. */
export type BulkJobStage = 'upload' | 'close' | 'poll';

/**
 * A Bulk API 2.0 job ended Failed or Aborted, or a step of it failed (`stage`: upload, close or
 * poll). When a step failed, the client aborted the job (`jobAborted` says whether that worked)
 * and `cause` is the step's error.
 */
export class BulkJobError extends PlumblineError {
  readonly errorCode: string;
  readonly fields: string[] = [];
  readonly stage?: BulkJobStage;
  readonly jobAborted?: boolean;
  constructor(
    readonly jobId: string | undefined,
    readonly state: string,
    message: string,
    options: { stage?: BulkJobStage; jobAborted?: boolean; cause?: unknown } = {},
  ) {
    super(
      'BULK_JOB_FAILED',
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.errorCode = state === 'Aborted' ? 'JOB_ABORTED' : 'JOB_FAILED';
    if (options.stage !== undefined) this.stage = options.stage;
    if (options.jobAborted !== undefined) this.jobAborted = options.jobAborted;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      jobId: this.jobId,
      state: this.state,
      ...(this.stage === undefined ? {} : { stage: this.stage, jobAborted: this.jobAborted }),
    };
  }
}

/** A record (or row) does not match what the caller declared: a zod schema or the bulk columns. */
export class RecordShapeError extends PlumblineError {
  readonly errorCode = 'RECORD_SHAPE';
  constructor(
    message: string,
    readonly fields: string[],
    readonly index?: number,
  ) {
    super('RECORD_SHAPE', message);
  }
}

/** A string that is not a 15- or 18-character Salesforce id. */
export class InvalidIdError extends PlumblineError {
  readonly errorCode = 'MALFORMED_ID';
  readonly fields: string[] = ['Id'];
  constructor(readonly value: string) {
    super(
      'INVALID_ID',
      `${JSON.stringify(value)} is not a Salesforce id: expected 15 letters and digits, or 18 with a valid case-safe suffix.`,
    );
  }
}

/**
 * Salesforce answered 2xx with a body that breaks its own contract (not JSON, or a result list
 * whose length differs from the records sent), so the answer cannot be tied to the inputs.
 */
export class SalesforceResponseError extends PlumblineError {
  readonly errorCode = 'UNEXPECTED_RESPONSE';
  readonly fields: string[] = [];
  constructor(
    readonly status: number,
    readonly path: string,
    message: string,
  ) {
    super('SALESFORCE_UNEXPECTED_RESPONSE', message);
  }
}

/**
 * `collections()` stopped on an error it cannot pin on single records (a 5xx, a dropped
 * connection, a rate limit, an expired session, an unusable answer, an abort). Nothing was sent
 * after the error; requests already in flight were awaited. `outcomes[i]` is the outcome of
 * `records[i]` wherever Salesforce answered it (ids of written records included); `unanswered`
 * lists the records whose request got no usable answer (they may or may not be written);
 * `notSent` the records never sent. `cause` is the error that stopped the call.
 */
export class CollectionsHaltedError extends PlumblineError {
  readonly errorCode = 'COLLECTIONS_HALTED';
  readonly fields: string[] = [];
  constructor(
    readonly operation: CollectionOperation,
    readonly outcomes: ReadonlyArray<CollectionOutcome | undefined>,
    readonly unanswered: number[],
    readonly notSent: number[],
    override readonly cause: unknown,
  ) {
    const answered = outcomes.filter((o) => o !== undefined);
    const written = answered.filter((o) => o.success).length;
    const reason = asSentences(cause instanceof Error ? cause.message : String(cause));
    super(
      'COLLECTIONS_HALTED',
      `collections ${operation} stopped: ${reason} ` +
        `${answered.length} records were answered (${written} written, ids in error.outcomes), ` +
        `${unanswered.length} were sent without a usable answer (error.unanswered: they may or may not be written), ` +
        `${notSent.length} were not sent (error.notSent). Resume with the unanswered and notSent records; ` +
        'for creates, look the unanswered ones up first.',
      { cause },
    );
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      operation: this.operation,
      answered: this.outcomes.filter((o) => o !== undefined).length,
      unanswered: this.unanswered.length,
      notSent: this.notSent.length,
    };
  }
}
