import {
  InvalidOptionError,
  ReconcileCapacityError,
  ReconcileDuplicateKeyError,
  ReconcileOrderError,
} from '../errors.js';
import { sameContent } from '../hash/content-hash.js';
import { syncTelemetry } from '../telemetry/sync-telemetry.js';

export type ReconcileKey = string | number;

/** One field whose values differ between the two sides. */
export interface FieldDifference {
  field: string;
  left: unknown;
  right: unknown;
}

/** What reconciliation finds, one event per key that does not match. */
export type ReconcileEvent<L, R> =
  | { type: 'missing-left'; key: ReconcileKey; right: R }
  | { type: 'missing-right'; key: ReconcileKey; left: L }
  | { type: 'different'; key: ReconcileKey; left: L; right: R; differences: FieldDifference[] };

export interface ReconcileOptions<L, R> {
  /** The key of a record: a field name both sides share, a function, or one function per side. */
  key:
    | string
    | ((record: L | R) => ReconcileKey)
    | { left: (record: L) => ReconcileKey; right: (record: R) => ReconcileKey };
  /**
   * The fields to compare (after `map`). Default: every field of either side.
   * Values compare by content (key order, number format and dates normalised).
   */
  compare?: readonly string[];
  /** Maps each side to a common shape before comparing (e.g. an ERP sales order to order fields). */
  map?: {
    left?: (record: L) => Record<string, unknown>;
    right?: (record: R) => Record<string, unknown>;
  };
  /** A custom field equality; default: equal content. */
  equals?: (field: string, left: unknown, right: unknown) => boolean;
  /**
   * Both streams are sorted ascending by key (numbers numerically, strings by code unit): a
   * streaming merge-join holding one record per side. Default true. With false, the right stream
   * is held in memory (up to `maxInMemory` records) and the left one streamed against it.
   */
  sorted?: boolean;
  /** The in-memory mode's bound on held right-side records; default 100,000. */
  maxInMemory?: number;
  signal?: AbortSignal;
}

export interface ReconcileStats {
  matched: number;
  missingLeft: number;
  missingRight: number;
  different: number;
  /** The most records held in memory at once (≤ 2 in the sorted mode). */
  peakBuffered: number;
}

function keyReaders<L, R>(key: ReconcileOptions<L, R>['key']) {
  if (typeof key === 'string') {
    const read = (record: unknown) => (record as Record<string, unknown>)[key] as ReconcileKey;
    return {
      left: read as (record: L) => ReconcileKey,
      right: read as (record: R) => ReconcileKey,
    };
  }
  if (typeof key === 'function') return { left: key, right: key };
  if (
    typeof key === 'object' &&
    key !== null &&
    typeof key.left === 'function' &&
    typeof key.right === 'function'
  ) {
    return key;
  }
  throw new InvalidOptionError(
    'key',
    'must be a field name, a function, or { left, right } functions',
  );
}

function checkKey(value: unknown, side: 'left' | 'right'): ReconcileKey {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))
    return value;
  throw new InvalidOptionError(
    'key',
    `read ${JSON.stringify(value)} from a ${side} record; a key must be a string or a finite number`,
  );
}

function compareKeys(a: ReconcileKey, b: ReconcileKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Compares two keyed streams and yields each key that is missing on one side or differs.
 * `stats` on the returned iterable counts matches too and reports the peak buffer.
 */
export function compareStreams<L, R>(
  left: AsyncIterable<L> | Iterable<L>,
  right: AsyncIterable<R> | Iterable<R>,
  options: ReconcileOptions<L, R>,
): AsyncIterable<ReconcileEvent<L, R>> & { readonly stats: ReconcileStats } {
  const keys = keyReaders(options.key);
  const maxInMemory = options.maxInMemory ?? 100_000;
  if (!(Number.isInteger(maxInMemory) && maxInMemory > 0)) {
    throw new InvalidOptionError('maxInMemory', `must be a positive integer, got ${maxInMemory}`);
  }
  const mapLeft = options.map?.left ?? ((record: L) => record as Record<string, unknown>);
  const mapRight = options.map?.right ?? ((record: R) => record as Record<string, unknown>);
  const equals = options.equals ?? ((_field: string, a: unknown, b: unknown) => sameContent(a, b));
  const stats: ReconcileStats = {
    matched: 0,
    missingLeft: 0,
    missingRight: 0,
    different: 0,
    peakBuffered: 0,
  };

  const differences = (l: L, r: R): FieldDifference[] => {
    const a = mapLeft(l);
    const b = mapRight(r);
    const fields = options.compare ?? [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const out: FieldDifference[] = [];
    for (const field of fields) {
      if (!equals(field, a[field], b[field])) out.push({ field, left: a[field], right: b[field] });
    }
    return out;
  };
  const pair = (key: ReconcileKey, l: L, r: R): ReconcileEvent<L, R> | undefined => {
    const found = differences(l, r);
    if (found.length === 0) {
      stats.matched += 1;
      return undefined;
    }
    stats.different += 1;
    return { type: 'different', key, left: l, right: r, differences: found };
  };

  async function* sortedJoin(): AsyncGenerator<ReconcileEvent<L, R>> {
    const li = (
      Symbol.asyncIterator in left ? left[Symbol.asyncIterator]() : left[Symbol.iterator]()
    ) as AsyncIterator<L> | Iterator<L>;
    const ri = (
      Symbol.asyncIterator in right ? right[Symbol.asyncIterator]() : right[Symbol.iterator]()
    ) as AsyncIterator<R> | Iterator<R>;
    let lastLeft: ReconcileKey | undefined;
    let lastRight: ReconcileKey | undefined;
    const pullLeft = async (): Promise<{ record: L; key: ReconcileKey } | undefined> => {
      const step = await li.next();
      if (step.done) return undefined;
      const key = checkKey(keys.left(step.value), 'left');
      if (lastLeft !== undefined) {
        const order = compareKeys(lastLeft, key);
        if (order === 0) throw new ReconcileDuplicateKeyError('left', String(key));
        if (order > 0) throw new ReconcileOrderError('left', String(lastLeft), String(key));
      }
      lastLeft = key;
      return { record: step.value, key };
    };
    const pullRight = async (): Promise<{ record: R; key: ReconcileKey } | undefined> => {
      const step = await ri.next();
      if (step.done) return undefined;
      const key = checkKey(keys.right(step.value), 'right');
      if (lastRight !== undefined) {
        const order = compareKeys(lastRight, key);
        if (order === 0) throw new ReconcileDuplicateKeyError('right', String(key));
        if (order > 0) throw new ReconcileOrderError('right', String(lastRight), String(key));
      }
      lastRight = key;
      return { record: step.value, key };
    };
    let l = await pullLeft();
    let r = await pullRight();
    while (l !== undefined || r !== undefined) {
      options.signal?.throwIfAborted();
      stats.peakBuffered = Math.max(stats.peakBuffered, (l ? 1 : 0) + (r ? 1 : 0));
      const order = l === undefined ? 1 : r === undefined ? -1 : compareKeys(l.key, r.key);
      if (order < 0 && l !== undefined) {
        stats.missingRight += 1;
        yield { type: 'missing-right', key: l.key, left: l.record };
        l = await pullLeft();
      } else if (order > 0 && r !== undefined) {
        stats.missingLeft += 1;
        yield { type: 'missing-left', key: r.key, right: r.record };
        r = await pullRight();
      } else if (l !== undefined && r !== undefined) {
        const event = pair(l.key, l.record, r.record);
        if (event) yield event;
        l = await pullLeft();
        r = await pullRight();
      }
    }
  }

  async function* inMemory(): AsyncGenerator<ReconcileEvent<L, R>> {
    const held = new Map<string, { key: ReconcileKey; record: R }>();
    const mapKey = (key: ReconcileKey) => `${typeof key}:${key}`;
    for await (const record of right) {
      options.signal?.throwIfAborted();
      const key = checkKey(keys.right(record), 'right');
      if (held.has(mapKey(key))) throw new ReconcileDuplicateKeyError('right', String(key));
      if (held.size >= maxInMemory) throw new ReconcileCapacityError(maxInMemory);
      held.set(mapKey(key), { key, record });
      stats.peakBuffered = Math.max(stats.peakBuffered, held.size + 1);
    }
    const seenLeft = new Set<string>();
    for await (const record of left) {
      options.signal?.throwIfAborted();
      const key = checkKey(keys.left(record), 'left');
      const id = mapKey(key);
      const match = held.get(id);
      if (match === undefined) {
        if (seenLeft.has(id)) throw new ReconcileDuplicateKeyError('left', String(key));
        stats.missingRight += 1;
        yield { type: 'missing-right', key, left: record };
        continue;
      }
      held.delete(id);
      seenLeft.add(id);
      const event = pair(key, record, match.record);
      if (event) yield event;
    }
    const rest = [...held.values()].sort((a, b) => compareKeys(a.key, b.key));
    for (const { key, record } of rest) {
      stats.missingLeft += 1;
      yield { type: 'missing-left', key, right: record };
    }
  }

  return {
    stats,
    [Symbol.asyncIterator]: () => {
      Object.assign(stats, {
        matched: 0,
        missingLeft: 0,
        missingRight: 0,
        different: 0,
        peakBuffered: 0,
      });
      return options.sorted === false ? inMemory() : sortedJoin();
    },
  };
}

/** Re-drives a record missing on one side, e.g. by re-enqueueing its sync. */
export type Redrive<L, R> = (
  missing:
    | { missingFrom: 'right'; key: ReconcileKey; record: L }
    | { missingFrom: 'left'; key: ReconcileKey; record: R },
) => Promise<void> | void;

export interface ReconcileReportOptions<L, R> extends ReconcileOptions<L, R> {
  /** Called for each record missing on one side, as it is found. A throw is recorded, not fatal. */
  redrive?: Redrive<L, R>;
  /** The most items each report list keeps (the counts stay exact); default 1,000. */
  maxReported?: number;
  /** The reconciliation's name on its metrics (`plumbline.reconciliation`); default 'reconcile'. */
  name?: string;
}

export interface ReconcileReport<L, R> {
  stats: ReconcileStats;
  /** In right, missing from left (up to `maxReported`). */
  missingLeft: { key: ReconcileKey; right: R }[];
  /** In left, missing from right (up to `maxReported`). */
  missingRight: { key: ReconcileKey; left: L }[];
  different: { key: ReconcileKey; differences: FieldDifference[] }[];
  redriven: number;
  redriveFailures: { key: ReconcileKey; error: string }[];
}

/**
 * Reconciles two keyed streams (e.g. Commerce orders and ERP sales orders over a window) and
 * reports what is missing on either side and which fields differ.
 */
export async function reconcile<L, R>(
  left: AsyncIterable<L> | Iterable<L>,
  right: AsyncIterable<R> | Iterable<R>,
  options: ReconcileReportOptions<L, R>,
): Promise<ReconcileReport<L, R>> {
  const maxReported = options.maxReported ?? 1_000;
  const events = compareStreams(left, right, options);
  const report: ReconcileReport<L, R> = {
    stats: events.stats,
    missingLeft: [],
    missingRight: [],
    different: [],
    redriven: 0,
    redriveFailures: [],
  };
  const redrive = async (missing: Parameters<Redrive<L, R>>[0]) => {
    if (!options.redrive) return;
    try {
      await options.redrive(missing);
      report.redriven += 1;
    } catch (error) {
      if (report.redriveFailures.length < maxReported) {
        report.redriveFailures.push({
          key: missing.key,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  };
  for await (const event of events) {
    if (event.type === 'missing-left') {
      if (report.missingLeft.length < maxReported)
        report.missingLeft.push({ key: event.key, right: event.right });
      await redrive({ missingFrom: 'left', key: event.key, record: event.right });
    } else if (event.type === 'missing-right') {
      if (report.missingRight.length < maxReported)
        report.missingRight.push({ key: event.key, left: event.left });
      await redrive({ missingFrom: 'right', key: event.key, record: event.left });
    } else if (report.different.length < maxReported) {
      report.different.push({ key: event.key, differences: event.differences });
    }
  }
  const { missingLeft, missingRight, different } = report.stats;
  const found = missingLeft + missingRight + different;
  syncTelemetry()?.reconciled(options.name ?? 'reconcile', found, found - report.redriven);
  return report;
}
