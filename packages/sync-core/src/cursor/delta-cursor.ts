import { CursorRowError, CursorTokenError, InvalidOptionError } from '../errors.js';

/** A row id: a string or a number (numbers compare numerically, strings by code unit). */
export type RowId = string | number;

export interface DeltaCursorOptions<Row> {
  /**
   * How far behind the watermark to look again on every run (ms), for clock skew between
   * writers and transactions that commit after rows with a later `updatedAt`. Rows seen inside
   * this window are remembered in the token, so the overlap is never delivered twice. Default 0
   * (rows sharing the watermark's timestamp are still remembered, so none is skipped).
   */
  lookBackMs?: number;
  /** Reads a row's modification time (Date, epoch ms, or ISO-8601 text). Default: `row.updatedAt`. */
  updatedAt?: (row: Row) => Date | number | string;
  /** Reads a row's id. Default: `row.id`. */
  id?: (row: Row) => RowId;
  /**
   * The most row ids the token remembers (default 10,000). When the look-back window holds more,
   * the oldest timestamps are forgotten and the window shrinks accordingly (those rows are then
   * out of reach for late commits). Ids sharing the watermark's timestamp are always kept.
   */
  maxSeen?: number;
}

/** The plain data a cursor token carries. */
export interface CursorState {
  /** The watermark: the greatest (updatedAt, id) delivered so far; undefined before the first batch. */
  watermark: { updatedAt: number; id: RowId } | undefined;
  /** Rows older than this (epoch ms) are out of the window; undefined before the first batch. */
  floor: number | undefined;
  /** Ids delivered at or after `floor`, grouped by their updatedAt (epoch ms), ascending. */
  seen: [updatedAt: number, ids: RowId[]][];
}

/** What to ask the source for: every row with updatedAt >= since (all rows when undefined). */
export interface CursorWindow {
  since: Date | undefined;
  /** The watermark, for sources that page by (updatedAt, id) > after beyond the window. */
  after: { updatedAt: Date; id: RowId } | undefined;
}

const TOKEN_VERSION = 1;

function compareIds(a: RowId, b: RowId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The smallest number greater than `value`: the tightest floor that excludes `value`. */
function nextAbove(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([value]).buffer);
  bits[0] = (bits[0] as bigint) + (value > 0 ? 1n : -1n);
  return new Float64Array(bits.buffer)[0] as number;
}

function idKey(id: RowId): string {
  return `${typeof id === 'number' ? 'n' : 's'}:${id}`;
}

function isRowId(value: unknown): value is RowId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * An immutable delta cursor over rows ordered by the composite watermark (updatedAt, id).
 *
 * Per batch: `const batch = cursor.filter(rows); await sink(batch); cursor = cursor.advance(batch)`
 * and persist `cursor` (see `createCheckpointStore`) only after the sink confirmed the batch.
 */
export class DeltaCursor<Row = { updatedAt: Date | number | string; id: RowId }> {
  readonly state: CursorState;
  readonly #lookBackMs: number;
  readonly #maxSeen: number;
  readonly #updatedAt: (row: Row) => Date | number | string;
  readonly #id: (row: Row) => RowId;
  readonly #seen: Map<number, Set<string>>;

  constructor(options: DeltaCursorOptions<Row> = {}, state?: CursorState) {
    const lookBackMs = options.lookBackMs ?? 0;
    if (!(Number.isFinite(lookBackMs) && lookBackMs >= 0)) {
      throw new InvalidOptionError(
        'lookBackMs',
        `must be a non-negative number of ms, got ${lookBackMs}`,
      );
    }
    const maxSeen = options.maxSeen ?? 10_000;
    if (!(Number.isInteger(maxSeen) && maxSeen > 0)) {
      throw new InvalidOptionError('maxSeen', `must be a positive integer, got ${maxSeen}`);
    }
    this.#lookBackMs = lookBackMs;
    this.#maxSeen = maxSeen;
    this.#updatedAt =
      options.updatedAt ?? ((row) => (row as { updatedAt: Date | number | string }).updatedAt);
    this.#id = options.id ?? ((row) => (row as { id: RowId }).id);
    this.state = state ?? { watermark: undefined, floor: undefined, seen: [] };
    this.#seen = new Map(this.state.seen.map(([ts, ids]) => [ts, new Set(ids.map(idKey))]));
  }

  /** The options this cursor was created with, for making a cursor from a stored token. */
  get options(): DeltaCursorOptions<Row> {
    return {
      lookBackMs: this.#lookBackMs,
      maxSeen: this.#maxSeen,
      updatedAt: this.#updatedAt,
      id: this.#id,
    };
  }

  /** The query window for the source. */
  window(): CursorWindow {
    const { watermark, floor } = this.state;
    return {
      since: floor === undefined ? undefined : new Date(floor),
      after:
        watermark === undefined
          ? undefined
          : { updatedAt: new Date(watermark.updatedAt), id: watermark.id },
    };
  }

  #read(row: Row): { updatedAt: number; id: RowId } {
    const raw = this.#updatedAt(row);
    const updatedAt =
      raw instanceof Date
        ? raw.getTime()
        : typeof raw === 'number'
          ? raw
          : typeof raw === 'string'
            ? Date.parse(raw)
            : Number.NaN;
    if (!Number.isFinite(updatedAt)) {
      throw new CursorRowError(
        'updatedAt',
        `must be a Date, epoch ms or ISO-8601 text, got ${JSON.stringify(raw)}`,
      );
    }
    const id = this.#id(row);
    if (!isRowId(id))
      throw new CursorRowError(
        'id',
        `must be a string or a finite number, got ${JSON.stringify(id)}`,
      );
    return { updatedAt, id };
  }

  /**
   * The rows not delivered yet, in (updatedAt, id) order: drops rows already delivered inside the
   * window, rows older than the window, and duplicates within `rows`.
   */
  filter(rows: Iterable<Row>): Row[] {
    const fresh: { row: Row; updatedAt: number; id: RowId }[] = [];
    const inBatch = new Set<string>();
    for (const row of rows) {
      const { updatedAt, id } = this.#read(row);
      if (this.state.floor !== undefined && updatedAt < this.state.floor) continue;
      const key = `${updatedAt}|${idKey(id)}`;
      if (this.#seen.get(updatedAt)?.has(idKey(id)) || inBatch.has(key)) continue;
      inBatch.add(key);
      fresh.push({ row, updatedAt, id });
    }
    fresh.sort((a, b) => a.updatedAt - b.updatedAt || compareIds(a.id, b.id));
    return fresh.map((entry) => entry.row);
  }

  /** A new cursor that counts `batch` (rows returned by `filter`) as delivered. */
  advance(batch: Iterable<Row>): DeltaCursor<Row> {
    let watermark = this.state.watermark;
    const seen = new Map<number, Map<string, RowId>>();
    for (const [ts, ids] of this.state.seen)
      seen.set(ts, new Map(ids.map((id) => [idKey(id), id])));
    for (const row of batch) {
      const { updatedAt, id } = this.#read(row);
      if (this.state.floor !== undefined && updatedAt < this.state.floor) continue;
      let group = seen.get(updatedAt);
      if (group === undefined) {
        group = new Map();
        seen.set(updatedAt, group);
      }
      group.set(idKey(id), id);
      if (
        watermark === undefined ||
        updatedAt > watermark.updatedAt ||
        (updatedAt === watermark.updatedAt && compareIds(id, watermark.id) > 0)
      ) {
        watermark = { updatedAt, id };
      }
    }
    if (watermark === undefined) return this;
    let floor = Math.max(
      this.state.floor ?? Number.NEGATIVE_INFINITY,
      watermark.updatedAt - this.#lookBackMs,
    );
    const times = [...seen.keys()].filter((ts) => ts >= floor).sort((a, b) => a - b);
    let count = times.reduce((sum, ts) => sum + (seen.get(ts)?.size ?? 0), 0);
    // Over the bound: forget whole timestamps, oldest first, and raise the floor past them.
    while (count > this.#maxSeen && times.length > 1) {
      const oldest = times.shift() as number;
      count -= seen.get(oldest)?.size ?? 0;
      floor = nextAbove(oldest);
    }
    const kept: CursorState['seen'] = times.map((ts) => [
      ts,
      [...(seen.get(ts) as Map<string, RowId>).values()].sort(compareIds),
    ]);
    return new DeltaCursor(this.options, { watermark, floor, seen: kept });
  }

  /** The cursor as a URL-safe string token (see `decodeCursor`). */
  encode(): string {
    const { watermark, floor, seen } = this.state;
    const payload = {
      v: TOKEN_VERSION,
      w: watermark ? [watermark.updatedAt, watermark.id] : null,
      f: floor ?? null,
      s: seen,
    };
    return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  }
}

/** Decodes a token from `DeltaCursor.encode()`; throws `CursorTokenError` when it is malformed. */
export function decodeCursor(token: string): CursorState {
  if (typeof token !== 'string' || token.length === 0)
    throw new CursorTokenError('the token is empty or not a string');
  if (!/^[A-Za-z0-9_-]+$/.test(token))
    throw new CursorTokenError('the token contains characters outside base64url');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (error) {
    throw new CursorTokenError('the token does not decode to JSON', { cause: error });
  }
  if (typeof payload !== 'object' || payload === null)
    throw new CursorTokenError('the token is not an object');
  const { v, w, f, s } = payload as Record<string, unknown>;
  if (v !== TOKEN_VERSION)
    throw new CursorTokenError(`unsupported token version ${JSON.stringify(v)}`);
  let watermark: CursorState['watermark'];
  if (w !== null) {
    if (!Array.isArray(w) || w.length !== 2 || !Number.isFinite(w[0]) || !isRowId(w[1])) {
      throw new CursorTokenError('the watermark is not an [updatedAt, id] pair');
    }
    watermark = { updatedAt: w[0] as number, id: w[1] };
  }
  if (f !== null && !Number.isFinite(f)) throw new CursorTokenError('the floor is not a number');
  if ((watermark === undefined) !== (f === null))
    throw new CursorTokenError('the watermark and floor disagree');
  if (!Array.isArray(s)) throw new CursorTokenError('the seen list is not an array');
  const seen: CursorState['seen'] = [];
  for (const group of s) {
    if (
      !Array.isArray(group) ||
      group.length !== 2 ||
      !Number.isFinite(group[0]) ||
      !Array.isArray(group[1]) ||
      !group[1].every(isRowId)
    ) {
      throw new CursorTokenError('a seen entry is not an [updatedAt, ids] pair');
    }
    seen.push([group[0] as number, group[1] as RowId[]]);
  }
  return { watermark, floor: f === null ? undefined : (f as number), seen };
}

/** A cursor from a stored token (or a fresh one without a token). */
export function createDeltaCursor<Row = { updatedAt: Date | number | string; id: RowId }>(
  options: DeltaCursorOptions<Row> = {},
  token?: string,
): DeltaCursor<Row> {
  return new DeltaCursor(options, token === undefined ? undefined : decodeCursor(token));
}
