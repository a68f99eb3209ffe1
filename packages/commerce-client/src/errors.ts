import { PlumblineError } from '@plumbline/client-core';
import type { BulkItemResult } from './bulk.js';

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

  constructor(bulkUuid: string, waitedMs: number, options?: { cause?: unknown }) {
    super(
      'COMMERCE_BULK_TIMEOUT',
      `Bulk ${bulkUuid} still had open operations after ${waitedMs} ms; call waitForBulk() again or raise timeoutMs.`,
      options,
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

/** One bulk request the store accepted: its uuid and the input items it carries. */
export interface AcceptedBulk {
  bulkUuid: string;
  /** Index (in your `items`) of the chunk's first item. */
  firstIndex: number;
  /** How many items the chunk carries: `items[firstIndex]` to `items[firstIndex + count - 1]`. */
  count: number;
  /** Whether every operation of the bulk had finished when runBulk stopped. */
  finished: boolean;
}

/** The chunk whose request failed. */
export interface FailedBulkChunk {
  firstIndex: number;
  count: number;
  /**
   * `refused`: the store answered 4xx, nothing of the chunk was queued. `unknown`: a 5xx, a
   * dropped connection or a timeout, so the store may have queued it: look for it in
   * `GET /V1/bulk` (operations list) before sending it again.
   */
  outcome: 'refused' | 'unknown';
}

function range(first: number, count: number): string {
  return count === 1 ? `item ${first}` : `items ${first}–${first + count - 1}`;
}

/**
 * `runBulk` stopped part-way: some chunks were accepted (and queued by the store) before a chunk
 * failed, or waiting for them failed. Nothing accepted is lost: `accepted` lists every bulk uuid
 * with the items it carries; do not send those items again. To resume: `waitForBulk(client,
 * uuid)` for each accepted bulk that is not `finished`, and pass `items.slice(resumeFrom)` to
 * `runBulk` (after checking `failedChunk` when its outcome is `unknown`).
 */
export class BulkIncompleteError<T = unknown> extends PlumblineError {
  /** `submit`: a chunk's request failed; `wait`: every chunk was accepted but waiting failed. */
  readonly stage: 'submit' | 'wait';
  readonly accepted: AcceptedBulk[];
  readonly failedChunk: FailedBulkChunk | undefined;
  /** Index of the first item that was never accepted (`items.length` when all were). */
  readonly resumeFrom: number;
  /** One result per input item as known when runBulk stopped (`open` when not known). */
  readonly results: BulkItemResult<T>[];

  constructor(init: {
    stage: 'submit' | 'wait';
    accepted: AcceptedBulk[];
    failedChunk?: FailedBulkChunk;
    resumeFrom: number;
    results: BulkItemResult<T>[];
    cause: unknown;
  }) {
    const listed = init.accepted
      .slice(0, 5)
      .map((b) => `${b.bulkUuid} (${range(b.firstIndex, b.count)})`)
      .join(', ');
    const more = init.accepted.length > 5 ? ` and ${init.accepted.length - 5} more` : '';
    const acceptedText =
      init.accepted.length === 0
        ? 'no bulk had been accepted'
        : `${init.accepted.length} bulk(s) already accepted and queued: ${listed}${more}; do not send those items again, wait for them with waitForBulk()`;
    const cause =
      init.cause instanceof Error ? ` (${(init.cause as Error).message.split('\n')[0]})` : '';
    const what =
      init.stage === 'submit' && init.failedChunk
        ? `the bulk request for ${range(init.failedChunk.firstIndex, init.failedChunk.count)} failed${cause}${init.failedChunk.outcome === 'unknown' ? '; the store may have queued it, check GET /V1/bulk before resending it' : ''}`
        : `waiting for the accepted bulks failed${cause}`;
    super(
      'COMMERCE_BULK_INCOMPLETE',
      `runBulk stopped: ${what}. ${acceptedText}; resume with items from index ${init.resumeFrom} (error.resumeFrom).`,
      { cause: init.cause },
    );
    this.stage = init.stage;
    this.accepted = init.accepted;
    this.failedChunk = init.failedChunk;
    this.resumeFrom = init.resumeFrom;
    this.results = init.results;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      stage: this.stage,
      accepted: this.accepted,
      ...(this.failedChunk ? { failedChunk: this.failedChunk } : {}),
      resumeFrom: this.resumeFrom,
    };
  }
}
