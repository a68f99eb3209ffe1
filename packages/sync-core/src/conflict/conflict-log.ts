import { randomBytes } from 'node:crypto';
import { storeKey, storePrefix } from '../internal/store-key.js';
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
}

export interface ConflictLogOptions {
  store: KeyValueStore;
  /** Key namespace; default `conflict`. */
  namespace?: string;
  /** Keep entries this long (ms); default: forever. */
  ttlMs?: number;
}

/**
 * A conflict log on any KeyValueStore. Each entry is written under two keys so `list(prefix)`
 * answers both questions in time order:
 * `<ns>/by-key/<entity>/<key>/<at>/<seq>` (one record's history) and
 * `<ns>/by-time/<entity>/<at>/<key>/<seq>` (an entity's decisions over a time range).
 */
export function createConflictLog(options: ConflictLogOptions): ConflictLog {
  const { store, namespace = 'conflict', ttlMs } = options;
  let sequence = 0;
  const suffix = randomBytes(4).toString('hex');
  const setOptions = ttlMs === undefined ? undefined : { ttlMs };
  return {
    async write(entry) {
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
