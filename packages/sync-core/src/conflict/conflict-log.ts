import { randomBytes } from 'node:crypto';
import { parseStoreKey, storeKey, storePrefix } from '../internal/store-key.js';
import type { KeyValueStore } from '../kv.js';

/** One conflict decision: which value of which field won, by which rule, and when. */
export interface ConflictLogEntry {
  entity: string;
  key: string;
  field: string;
  left: { system: string; value: unknown };
  right: { system: string; value: unknown };
  /** The winning system, or `merged` when a custom rule produced a new value. */
  winner: string;
  /** The value that was kept. */
  value: unknown;
  /** The rule that decided, e.g. `last-writer-wins` or `three-way/prefer-system`. */
  rule: string;
  /** When the decision was made (ISO-8601 UTC). */
  at: string;
}

export interface ConflictLogQuery {
  entity: string;
  /** Only this record's decisions. */
  key?: string;
  /** Only decisions at or after this time. */
  from?: Date;
  /** Only decisions before this time. */
  to?: Date;
  /** At most this many entries (oldest first); default: all. */
  limit?: number;
}

/** Where conflict decisions are written and queried. */
export interface ConflictLog {
  write(entry: ConflictLogEntry): Promise<void>;
  /** Decisions for an entity (optionally one key) in a time range, oldest first. */
  query(query: ConflictLogQuery): Promise<ConflictLogEntry[]>;
  /**
   * Removes decisions made before `olderThan` (default: now minus `ttlMs`, when the log has one)
   * and purges expired entries from the store. Optional for a log you write yourself.
   */
  sweep?(options?: ConflictLogSweepOptions): Promise<ConflictLogSweepResult>;
}

export interface ConflictLogSweepOptions {
  /** Remove decisions whose `at` is before this time. */
  olderThan?: Date;
}

export interface ConflictLogSweepResult {
  /** Decisions removed because they were older than the cutoff. */
  removed: number;
  /** Expired store entries (past `ttlMs`) purged from storage (two per decision). */
  purged: number;
}

export interface ConflictLogOptions {
  store: KeyValueStore;
  /** Key namespace; default `conflict`. */
  namespace?: string;
  /** Keep entries this long (ms); default: forever. Expired ones vanish from queries at once. */
  ttlMs?: number;
  /** The clock for `sweep`'s default cutoff (epoch ms); default `Date.now`. */
  now?: () => number;
}

/**
 * A conflict log on any KeyValueStore. Each entry is written under two keys so `list(prefix)`
 * answers both questions in time order:
 * `<ns>/by-key/<entity>/<key>/<at>/<seq>` (one record's history) and
 * `<ns>/by-time/<entity>/<at>/<key>/<seq>` (an entity's decisions over a time range).
 */
export function createConflictLog(options: ConflictLogOptions): ConflictLog {
  const { store, namespace = 'conflict', ttlMs } = options;
  const now = options.now ?? Date.now;
  let sequence = 0;
  const suffix = randomBytes(4).toString('hex');
  const setOptions = ttlMs === undefined ? undefined : { ttlMs };
  // The entities this log has decisions for, so `sweep` walks each entity's time index from its
  // oldest decision and stops at the cutoff. Written once per entity per process.
  const known = new Set<string>();
  const registerEntity = async (entity: string) => {
    if (known.has(entity)) return;
    await store.set(storeKey(namespace, 'entities', entity), '1');
    known.add(entity);
  };

  /** Removes the decisions of `entity` made before `cutoff` (ISO time); how many. */
  const removeOlder = async (entity: string, cutoff: string): Promise<number> => {
    const old: string[] = [];
    for await (const [key, value] of store.list(storePrefix(namespace, 'by-time', entity))) {
      if ((JSON.parse(value) as ConflictLogEntry).at >= cutoff) break;
      old.push(key);
    }
    for (const key of old) {
      // <ns>/by-time/<entity>/<at>/<key>/<seq> -> <ns>/by-key/<entity>/<key>/<at>/<seq>
      const [, , , at, recordKey, seq] = parseStoreKey(key) as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      await store.delete(storeKey(namespace, 'by-key', entity, recordKey, at, seq));
      await store.delete(key);
    }
    return old.length;
  };

  return {
    async sweep(sweepOptions = {}) {
      const cutoff =
        sweepOptions.olderThan ?? (ttlMs === undefined ? undefined : new Date(now() - ttlMs));
      // Purge expired entries first, so the walk below meets only live ones.
      const purged = store.sweep ? await store.sweep({ prefix: storePrefix(namespace) }) : 0;
      let removed = 0;
      if (cutoff !== undefined) {
        const entities: string[] = [];
        for await (const [key] of store.list(storePrefix(namespace, 'entities')))
          entities.push(parseStoreKey(key).at(-1) as string);
        for (const entity of entities) removed += await removeOlder(entity, cutoff.toISOString());
      }
      return { removed, purged };
    },
    async write(entry) {
      await registerEntity(entry.entity);
      sequence += 1;
      const seq = `${String(sequence).padStart(10, '0')}-${suffix}`;
      const value = JSON.stringify(entry);
      await store.set(
        storeKey(namespace, 'by-key', entry.entity, entry.key, entry.at, seq),
        value,
        setOptions,
      );
      await store.set(
        storeKey(namespace, 'by-time', entry.entity, entry.at, entry.key, seq),
        value,
        setOptions,
      );
    },
    async query(query) {
      const prefix =
        query.key === undefined
          ? storePrefix(namespace, 'by-time', query.entity)
          : storePrefix(namespace, 'by-key', query.entity, query.key);
      const from = query.from?.toISOString();
      const to = query.to?.toISOString();
      const limit = query.limit ?? Number.POSITIVE_INFINITY;
      const out: ConflictLogEntry[] = [];
      for await (const [, value] of store.list(prefix)) {
        const entry = JSON.parse(value) as ConflictLogEntry;
        if (from !== undefined && entry.at < from) continue;
        if (to !== undefined && entry.at >= to) break;
        out.push(entry);
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}

/** A conflict log kept in an array (for tests and dry runs). */
export function memoryConflictLog(): ConflictLog & { readonly entries: ConflictLogEntry[] } {
  const entries: ConflictLogEntry[] = [];
  return {
    entries,
    async sweep(sweepOptions = {}) {
      const cutoff = sweepOptions.olderThan?.toISOString();
      if (cutoff === undefined) return { removed: 0, purged: 0 };
      const kept = entries.filter((entry) => entry.at >= cutoff);
      const removed = entries.length - kept.length;
      entries.splice(0, entries.length, ...kept);
      return { removed, purged: 0 };
    },
    async write(entry) {
      entries.push(entry);
    },
    async query(query) {
      const from = query.from?.toISOString();
      const to = query.to?.toISOString();
      const matching = entries
        .filter(
          (entry) =>
            entry.entity === query.entity &&
            (query.key === undefined || entry.key === query.key) &&
            (from === undefined || entry.at >= from) &&
            (to === undefined || entry.at < to),
        )
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      return matching.slice(0, query.limit ?? matching.length);
    },
  };
}
