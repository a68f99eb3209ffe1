import { randomBytes } from 'node:crypto';
import { InvalidOptionError } from '../errors.js';
import { storeKey, storePrefix } from '../internal/store-key.js';
import type { KeyValueStore } from '../kv.js';
import type { DeadLetterTarget, FailureStage, ParkReason } from '../runner/dead-letter.js';
import { InvalidInputError } from '../stores/errors.js';
import { ATTR } from '../telemetry/names.js';
import { syncTelemetry } from '../telemetry/sync-telemetry.js';

/** A parked record as the durable list keeps it. */
export interface DeadLetterEntry<Record_> {
  /** The entry's id: the record's key (with the `key` option), else a unique time-ordered id. */
  id: string;
  /**
   * The record as parked (a JSON round trip: dates come back as ISO strings). `undefined` when
   * the record could not be encoded; `unserialisable` then says why.
   */
  record: Record_ | undefined;
  unserialisable?: string;
  /**
   * When the record has no JSON form: a best-effort copy for the operator to read and repair
   * (a BigInt as its decimal string, a cycle as `"[Circular]"`); never handed to `replay`.
   */
  lossyCopy?: unknown;
  /** Why it was parked the last time. */
  reason: { stage: FailureStage | 'replay'; message: string; code: string };
  /** How many times it was parked (a park of the same key again, or a failed replay, adds one). */
  attempts: number;
  /** When it was first parked (ISO-8601 UTC). */
  firstParkedAt: string;
  /** When it was last parked (ISO-8601 UTC). */
  parkedAt: string;
}

export interface DeadLetterPage<Record_> {
  entries: DeadLetterEntry<Record_>[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

export interface ReplayResult {
  /** Entries whose handler succeeded: discarded from the list. */
  replayed: number;
  /** Entries whose handler threw: kept, with the new reason and one more attempt. */
  failed: number;
}

/**
 * A durable dead-letter list: the runner's `deadLetter` target on any KeyValueStore (memory,
 * SQLite, PostgreSQL, Redis). `park` returns only after the entry is written, so a runner's
 * checkpoint never moves past a record that is neither written nor parked.
 */
export interface DeadLetterList<Record_> extends DeadLetterTarget<Record_> {
  park(record: Record_, reason: ParkReason): Promise<void>;
  /** The entry with this id, if parked. */
  get(id: string): Promise<DeadLetterEntry<Record_> | undefined>;
  /** A page of entries in id order (time order without the `key` option). */
  list(options?: { limit?: number; after?: string }): Promise<DeadLetterPage<Record_>>;
  /** Removes an entry; whether it was there. */
  discard(id: string): Promise<boolean>;
  /**
   * Hands each parked record (all, or those in `ids`) to `handler` — your sink, or code that
   * repairs it — in id order. An entry is discarded only after its handler succeeded; a handler
   * that throws leaves it parked with the new reason (stage `replay`) and one more attempt.
   * At-least-once: two replays running at once may hand the same record to both.
   */
  replay(
    handler: (record: Record_, entry: DeadLetterEntry<Record_>) => unknown,
    options?: { ids?: readonly string[]; limit?: number; signal?: AbortSignal },
  ): Promise<ReplayResult>;
}

export interface DeadLetterListOptions<Record_> {
  store: KeyValueStore;
  /** The list's name (e.g. the runner's checkpoint name); lists of different names are apart. */
  name: string;
  /**
   * The record's key. With it, a record parked again (e.g. re-read after a crash) replaces its
   * entry and counts one more attempt, instead of adding a second entry; `get(key)` finds it.
   * A record whose key is missing (undefined, null, ''), is not well-formed Unicode (a lone
   * surrogate), is refused by the store (too long) or whose `key` throws — often the very reason it is parked — gets a unique id
   * instead, so it never replaces another record.
   */
  key?: (record: Record_) => string | number;
  /** Key namespace; default `dead`. Keys are `<namespace>/<name>/<id>`. */
  namespace?: string;
  /** The clock for the entries' times (epoch ms); default `Date.now`. */
  now?: () => number;
}

const DEFAULT_PAGE = 100;

/** The code of a failure: the error's own `code`, else its class name, else `<STAGE>_FAILED`. */
export function failureCode(stage: string, error?: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    if (error instanceof Error && error.name !== 'Error') return error.name;
  }
  return `${stage.toUpperCase()}_FAILED`;
}

/** A JSON copy that keeps what it can: BigInts as decimal strings, cycles as "[Circular]". */
function lossyCopy(record: unknown): unknown {
  const ancestors: object[] = [];
  try {
    const text = JSON.stringify(record, function (this: unknown, _key, value: unknown) {
      if (typeof value === 'bigint') return value.toString();
      if (typeof value !== 'object' || value === null) return value;
      // `this` is the object holding `value`: drop ancestors we have left.
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(value)) return '[Circular]';
      ancestors.push(value);
      return value;
    });
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function encodeRecord(record: unknown): {
  record?: unknown;
  unserialisable?: string;
  lossyCopy?: unknown;
} {
  try {
    const text = JSON.stringify(record);
    return text === undefined
      ? { unserialisable: `a ${typeof record} has no JSON form` }
      : { record: JSON.parse(text) };
  } catch (error) {
    const copy = lossyCopy(record);
    return {
      unserialisable: error instanceof Error ? error.message : String(error),
      ...(copy === undefined ? {} : { lossyCopy: copy }),
    };
  }
}

/** A UTF-16 surrogate without its partner: no UTF-8 or percent-encoding exists for it. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** The record's own key, or undefined when it has none to give (or none a store can hold). */
function recordKey<Record_>(key: (record: Record_) => string | number, record: Record_) {
  try {
    const id = key(record) as unknown;
    if (typeof id === 'number' && Number.isFinite(id)) return String(id);
    return typeof id === 'string' && id.length > 0 && !LONE_SURROGATE.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Creates a durable dead-letter list on a KeyValueStore. */
export function createDeadLetterList<Record_ = unknown>(
  options: DeadLetterListOptions<Record_>,
): DeadLetterList<Record_> {
  const { store, name, namespace = 'dead' } = options;
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidOptionError('name', 'must be a non-empty string');
  const now = options.now ?? Date.now;
  const prefix = storePrefix(namespace, name);
  const keyOf = (id: string) => storeKey(namespace, name, id);
  const read = async (id: string) => {
    const text = await store.get(keyOf(id));
    return text === undefined ? undefined : (JSON.parse(text) as DeadLetterEntry<Record_>);
  };
  const write = (entry: DeadLetterEntry<Record_>) =>
    store.set(keyOf(entry.id), JSON.stringify(entry));

  const list: DeadLetterList<Record_> = {
    async park(record, reason) {
      const at = new Date(now()).toISOString();
      const unique = () =>
        `${now().toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
      let keyed = options.key === undefined ? undefined : recordKey(options.key, record);
      let previous: DeadLetterEntry<Record_> | undefined;
      try {
        previous = keyed === undefined ? undefined : await read(keyed);
      } catch (error) {
        // A key the store refuses (too long for MySQL's index): park under a unique id instead,
        // since a record that cannot be parked would stop the run at it every time.
        if (!(error instanceof InvalidInputError && error.field === 'key')) throw error;
        keyed = undefined;
      }
      const id = keyed ?? unique();
      const encoded = encodeRecord(record);
      await write({
        id,
        record: encoded.record as Record_ | undefined,
        ...(encoded.unserialisable === undefined ? {} : { unserialisable: encoded.unserialisable }),
        ...(encoded.lossyCopy === undefined ? {} : { lossyCopy: encoded.lossyCopy }),
        reason: {
          stage: reason.stage,
          message: reason.message,
          code: reason.code ?? failureCode(reason.stage, reason.error),
        },
        attempts: (previous?.attempts ?? 0) + 1,
        firstParkedAt: previous?.firstParkedAt ?? at,
        parkedAt: at,
      });
      syncTelemetry()?.deadLetters.add(1, { [ATTR.stage]: reason.stage });
    },
    get: read,
    async list(listOptions = {}) {
      const limit = listOptions.limit ?? DEFAULT_PAGE;
      if (!(Number.isInteger(limit) && limit > 0))
        throw new InvalidOptionError('limit', `must be a positive integer, got ${limit}`);
      const after = listOptions.after === undefined ? undefined : keyOf(listOptions.after);
      const entries: DeadLetterEntry<Record_>[] = [];
      let more = false;
      for await (const [, value] of store.list(prefix, { after })) {
        if (entries.length === limit) {
          more = true;
          break;
        }
        entries.push(JSON.parse(value) as DeadLetterEntry<Record_>);
      }
      const last = entries.at(-1);
      return more && last ? { entries, next: last.id } : { entries };
    },
    async discard(id) {
      if (store.take) return (await store.take(keyOf(id))) !== undefined;
      const present = (await store.get(keyOf(id))) !== undefined;
      await store.delete(keyOf(id));
      return present;
    },
    async replay(handler, replayOptions = {}) {
      const result: ReplayResult = { replayed: 0, failed: 0 };
      const limit = replayOptions.limit ?? Number.POSITIVE_INFINITY;
      // Whether the stored entry is still the one handed out (not parked again meanwhile).
      const unchanged = async (entry: DeadLetterEntry<Record_>) => {
        const stored = await read(entry.id);
        return stored?.attempts === entry.attempts && stored.parkedAt === entry.parkedAt;
      };
      const attempt = async (entry: DeadLetterEntry<Record_>) => {
        try {
          if (entry.unserialisable !== undefined)
            throw new InvalidOptionError('record', `was not kept: ${entry.unserialisable}`);
          await handler(entry.record as Record_, entry);
        } catch (error) {
          result.failed += 1;
          // A newer park of the same key keeps its own record and reason.
          if (!(await unchanged(entry))) return;
          await write({
            ...entry,
            reason: {
              stage: 'replay',
              message: error instanceof Error ? error.message : String(error),
              code: failureCode('replay', error),
            },
            attempts: entry.attempts + 1,
            parkedAt: new Date(now()).toISOString(),
          });
          return;
        }
        // A newer version parked while the handler ran stays parked (it was not replayed).
        if (await unchanged(entry)) await list.discard(entry.id);
        result.replayed += 1;
      };
      const done = () => result.replayed + result.failed >= limit || replayOptions.signal?.aborted;
      if (replayOptions.ids !== undefined) {
        for (const id of replayOptions.ids) {
          if (done()) break;
          const entry = await read(id);
          if (entry) await attempt(entry);
        }
        return result;
      }
      let after: string | undefined;
      for (;;) {
        const page = await list.list({ after, limit: DEFAULT_PAGE });
        for (const entry of page.entries) {
          if (done()) return result;
          await attempt(entry);
        }
        if (page.next === undefined) return result;
        after = page.next;
      }
    },
  };
  return list;
}
