import { ConfigError } from '@plumbline/client-core';
import type { SalesforceClient } from './client.js';
import { SalesforceApiError, WindowOutOfReachError } from './errors.js';
import { pathSegment } from './path.js';
import { queryPages } from './query.js';
import { parseRecord, type RecordSchema } from './record-schema.js';
import { soql, soqlDateTime, soqlIdentifier } from './soql.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** How far back Salesforce answers getUpdated (30 days) and getDeleted (15 days). */
export const REPLICATION_REACH_DAYS = { updated: 30, deleted: 15 } as const;

export interface ReplicationWindowOptions {
  start: Date;
  /** Default: now. */
  end?: Date;
  /** Pre-split the range into windows of at most this many ms (they are split further on EXCEEDED_ID_LIMIT). */
  windowMs?: number;
  /** Clock used for the reach check. Default Date.now. */
  now?: () => number;
  signal?: AbortSignal;
}

export interface UpdatedIds {
  ids: string[];
  latestDateCovered: string;
  /** Requests it took (more than one when the range was split). */
  windows: number;
}

export interface DeletedIds {
  deletedRecords: { id: string; deletedDate: string }[];
  earliestDateAvailable: string;
  latestDateCovered: string;
  windows: number;
}

/** Salesforce wants `YYYY-MM-DDThh:mm:ss+00:00` and ignores seconds. */
const wire = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;

function checkRange(
  kind: 'updated' | 'deleted',
  sobject: string,
  options: ReplicationWindowOptions,
) {
  if (!NAME.test(sobject ?? ''))
    throw new ConfigError(
      'sobject',
      `expected an sObject API name, got ${JSON.stringify(sobject)}`,
    );
  const now = (options.now ?? Date.now)();
  const start = options.start;
  const end = options.end ?? new Date(now);
  if (!(start instanceof Date) || Number.isNaN(start.getTime()))
    throw new ConfigError('start', 'expected a valid Date');
  if (!(end instanceof Date) || Number.isNaN(end.getTime()))
    throw new ConfigError('end', 'expected a valid Date');
  if (end.getTime() < start.getTime()) {
    throw new ConfigError(
      'end',
      `must not be before start (${start.toISOString()} > ${end.toISOString()})`,
    );
  }
  if (options.windowMs !== undefined && !(options.windowMs >= MINUTE)) {
    throw new ConfigError(
      'windowMs',
      `expected at least 60000 (Salesforce ignores seconds), got ${String(options.windowMs)}`,
    );
  }
  const maxDays = REPLICATION_REACH_DAYS[kind];
  const earliest = new Date(now - maxDays * DAY);
  if (start.getTime() < earliest.getTime())
    throw new WindowOutOfReachError(kind, start, earliest, maxDays);
  return { start: start.getTime(), end: end.getTime(), earliest, maxDays };
}

function initialWindows(start: number, end: number, windowMs?: number): [number, number][] {
  if (!windowMs) return [[start, end]];
  const out: [number, number][] = [];
  for (let s = start; s < end; s += windowMs) out.push([s, Math.min(end, s + windowMs)]);
  return out.length > 0 ? out : [[start, end]];
}

/**
 * Walks [start, end] window by window; a window Salesforce refuses with EXCEEDED_ID_LIMIT
 * (more than 600,000 ids) is halved on a minute boundary and retried.
 */
async function walk<T>(
  kind: 'updated' | 'deleted',
  client: SalesforceClient,
  sobject: string,
  options: ReplicationWindowOptions,
  onPage: (body: T) => void,
): Promise<number> {
  const { start, end, earliest, maxDays } = checkRange(kind, sobject, options);
  const stack = initialWindows(start, end, options.windowMs).reverse();
  let requests = 0;
  while (stack.length > 0) {
    const [s, e] = stack.pop() as [number, number];
    const path = `sobjects/${pathSegment('sobject', sobject)}/${kind}?start=${encodeURIComponent(wire(s))}&end=${encodeURIComponent(wire(e))}`;
    try {
      requests++;
      const response = await client.raw(path, options.signal ? { signal: options.signal } : {});
      onPage((await response.json()) as T);
    } catch (error) {
      if (error instanceof SalesforceApiError && error.errorCode === 'EXCEEDED_ID_LIMIT') {
        const mid = Math.floor((s + (e - s) / 2) / MINUTE) * MINUTE;
        if (mid <= s || mid >= e) throw error;
        stack.push([mid, e], [s, mid]);
        continue;
      }
      if (
        error instanceof SalesforceApiError &&
        error.errorCode === 'INVALID_REPLICATION_DATE' &&
        /days ago|too far/i.test(error.vendorMessage ?? '')
      ) {
        throw new WindowOutOfReachError(kind, new Date(s), earliest, maxDays);
      }
      throw error;
    }
  }
  return requests;
}

/** Ids of records created or updated in [start, end] (at most 30 days back), across as many windows as needed. */
export async function getUpdated(
  client: SalesforceClient,
  sobject: string,
  options: ReplicationWindowOptions,
): Promise<UpdatedIds> {
  const ids = new Set<string>();
  let latest = '';
  const windows = await walk<{ ids: string[]; latestDateCovered: string }>(
    'updated',
    client,
    sobject,
    options,
    (body) => {
      for (const id of body.ids) ids.add(id);
      if (body.latestDateCovered > latest) latest = body.latestDateCovered;
    },
  );
  return { ids: [...ids], latestDateCovered: latest, windows };
}

/** Records deleted in [start, end] (at most 15 days back), across as many windows as needed. */
export async function getDeleted(
  client: SalesforceClient,
  sobject: string,
  options: ReplicationWindowOptions,
): Promise<DeletedIds> {
  const byId = new Map<string, { id: string; deletedDate: string }>();
  let latest = '';
  let earliestAvailable = '';
  const windows = await walk<{
    deletedRecords: { id: string; deletedDate: string }[];
    earliestDateAvailable: string;
    latestDateCovered: string;
  }>('deleted', client, sobject, options, (body) => {
    for (const d of body.deletedRecords) byId.set(d.id, d);
    if (body.latestDateCovered > latest) latest = body.latestDateCovered;
    earliestAvailable = body.earliestDateAvailable;
  });
  return {
    deletedRecords: [...byId.values()],
    earliestDateAvailable: earliestAvailable,
    latestDateCovered: latest,
    windows,
  };
}

/** Position after a record: its SystemModstamp and Id (the tie-break for equal stamps). */
export interface ModstampCursor {
  systemModstamp: string;
  id: string;
}

export interface ModstampQueryOptions<T> {
  sobject: string;
  /** Fields to select (Id and SystemModstamp are always added). */
  fields: string[];
  /** Extra filter, a SOQL condition (build it with `soql`). */
  where?: string;
  /** Resume after this position; omit to start from the beginning. */
  after?: ModstampCursor;
  /** Rows per query (LIMIT). Default 2000. */
  pageSize?: number;
  /** Include deleted rows (queryAll). */
  all?: boolean;
  schema?: RecordSchema<T>;
  signal?: AbortSignal;
}

/**
 * Records changed since a cursor, oldest first, ordered by (SystemModstamp, Id), with the
 * cursor after each record. Safe for stamps shared by many records: each page resumes strictly
 * after the last (stamp, id) pair. Commit the cursor only after the record is durably handled.
 */
export async function* modstampQuery<T = Record<string, unknown>>(
  client: SalesforceClient,
  options: ModstampQueryOptions<T>,
): AsyncGenerator<{ record: T; cursor: ModstampCursor }> {
  const object = soqlIdentifier(options.sobject);
  const pageSize = options.pageSize ?? 2000;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 50_000) {
    throw new ConfigError(
      'pageSize',
      `expected an integer from 1 to 50000, got ${String(pageSize)}`,
    );
  }
  const names = [
    'Id',
    'SystemModstamp',
    ...options.fields.filter((f) => !/^(Id|SystemModstamp)$/i.test(f)),
  ];
  const select = names.map((f) => soqlIdentifier(f).name).join(', ');
  let after = options.after;
  let index = 0;
  for (;;) {
    const conditions: string[] = [];
    if (options.where) conditions.push(`(${options.where})`);
    if (after) {
      const stamp = new Date(after.systemModstamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isNaN(stamp.getTime()))
        throw new ConfigError(
          'after.systemModstamp',
          `is not a datetime: ${JSON.stringify(after.systemModstamp)}`,
        );
      const ts = soqlDateTime(stamp);
      conditions.push(
        `(SystemModstamp > ${ts} OR (SystemModstamp = ${ts} AND Id > ${soql`${after.id}`}))`,
      );
    }
    const text =
      `SELECT ${select} FROM ${object.name}` +
      (conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '') +
      ` ORDER BY SystemModstamp ASC, Id ASC LIMIT ${pageSize}`;
    let count = 0;
    for await (const page of queryPages(client, text, {
      ...(options.all ? { all: true } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      for (const raw of page.records as Array<Record<string, unknown>>) {
        count++;
        const cursor = { systemModstamp: String(raw.SystemModstamp), id: String(raw.Id) };
        after = cursor;
        const record = options.schema
          ? parseRecord(options.schema, raw, index, 'Modstamp record')
          : (raw as T);
        index++;
        yield { record, cursor };
      }
    }
    if (count < pageSize) return;
  }
}
