import { PlumblineError } from '@plumbline/client-core';

/** Bad input given to a commerce-client function: names the field and the problem. */
export class CommerceInputError extends PlumblineError {
  readonly field: string;

  constructor(field: string, problem: string, options?: { cause?: unknown }) {
    super('COMMERCE_INVALID_INPUT', `${field}: ${problem}`, options);
    this.field = field;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field };
  }
}

/** A bulk request did not finish in time: carries the bulk uuid so the caller can resume waiting. */
export class BulkTimeoutError extends PlumblineError {
  readonly bulkUuid: string;
  readonly waitedMs: number;

  constructor(bulkUuid: string, waitedMs: number) {
    super(
      'COMMERCE_BULK_TIMEOUT',
      `Bulk ${bulkUuid} still had open operations after ${waitedMs} ms; call waitForBulk() again or raise timeoutMs.`,
    );
    this.bulkUuid = bulkUuid;
    this.waitedMs = waitedMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), bulkUuid: this.bulkUuid, waitedMs: this.waitedMs };
  }
}

/** The store answered something other than what the helper needs (e.g. with `throwOnError: false`). */
export class CommerceResponseError extends PlumblineError {
  readonly status: number;

  constructor(what: string, status: number) {
    super(
      'COMMERCE_UNEXPECTED_RESPONSE',
      `${what} answered HTTP ${status} without the expected body; check the path and the credentials.`,
    );
    this.status = status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status };
  }
}
