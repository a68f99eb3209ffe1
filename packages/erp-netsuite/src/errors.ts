import { PlumblineError } from '@plumbline/client-core';

/** A value interpolated into a `suiteql` template could not be turned into a safe literal. */
export class SuiteqlValueError extends PlumblineError {
  /** Zero-based position of the interpolation in the template. */
  readonly index: number;
  constructor(index: number, message: string) {
    super('SUITEQL_INVALID_VALUE', `suiteql value #${index + 1}: ${message}`);
    this.index = index;
  }
}

/** A SuiteQL scan could not continue (for example a keyset continuation without an `id` column). */
export class SuiteqlScanError extends PlumblineError {
  constructor(
    code: 'SUITEQL_KEYSET_NEEDS_ID' | 'SUITEQL_INVALID_OPTION' | 'SUITEQL_RESULT_CAP',
    message: string,
  ) {
    super(code, message);
  }
}

/** A SuiteQL row failed the caller's zod schema. Names the row (position and id) and the fields. */
export class SuiteqlRowError extends PlumblineError {
  /** Zero-based position of the row in the whole scan. */
  readonly rowIndex: number;
  readonly rowId?: string;
  /** `path: message` of each failed field. */
  readonly issues: { path: string; message: string }[];
  constructor(
    rowIndex: number,
    rowId: string | undefined,
    issues: { path: string; message: string }[],
    options?: { cause?: unknown },
  ) {
    const where = rowId === undefined ? `row ${rowIndex}` : `row ${rowIndex} (id ${rowId})`;
    // Each issue is a clause of one sentence: its own closing period would read ".;".
    const clause = (text: string) => text.trim().replace(/[.!?]+$/, '');
    const what = issues.map((i) => `field "${i.path || '(row)'}": ${clause(i.message)}`).join('; ');
    super(
      'SUITEQL_ROW_INVALID',
      `SuiteQL ${where} does not match the row schema: ${what}. Fix the query's columns or the schema.`,
      options,
    );
    this.rowIndex = rowIndex;
    if (rowId !== undefined) this.rowId = rowId;
    this.issues = issues;
  }
}

/** A NetSuite response lacked something the protocol promises (for example a Location header). */
export class NetSuiteProtocolError extends PlumblineError {
  constructor(message: string) {
    super('NETSUITE_PROTOCOL_ERROR', message);
  }
}

/** An asynchronous NetSuite job finished as failed, or did not finish in time. */
export class AsyncJobError extends PlumblineError {
  readonly jobId: string;
  readonly progress?: string;
  readonly details?: unknown[];
  constructor(
    code: 'ASYNC_JOB_FAILED' | 'ASYNC_JOB_TIMEOUT',
    jobId: string,
    message: string,
    extra?: { progress?: string; details?: unknown[] },
  ) {
    super(code, message);
    this.jobId = jobId;
    if (extra?.progress !== undefined) this.progress = extra.progress;
    if (extra?.details !== undefined) this.details = extra.details;
  }
}

/** A helper argument (record type, id, external id, body) is missing or malformed. */
export class NetSuiteArgumentError extends PlumblineError {
  readonly argument: string;
  constructor(argument: string, problem: string) {
    super('INVALID_ARGUMENT', `Invalid argument \`${argument}\`: ${problem}.`);
    this.argument = argument;
  }
}
