import { randomBytes } from 'node:crypto';
import { InvalidOptionError } from '../errors.js';
import { contentHash } from '../hash/content-hash.js';
import { storePrefix } from '../internal/store-key.js';
import type { KeyValueStore } from '../kv.js';
import { ATTR } from '../telemetry/names.js';
import { syncTelemetry } from '../telemetry/sync-telemetry.js';

export interface EchoGuardOptions {
  store: KeyValueStore;
  /** How long a remembered write counts as ours (ms). Change events arriving later are synced. */
  ttlMs: number;
  /**
   * The fields the integration syncs. Only these fields of a write and of a change event are
   * compared; a change to any other field cannot be synced anyway. Default: every field.
   */
  fields?: readonly string[];
  /**
   * Fields the target sets on its own and that are never synced (timestamps, ids, versions):
   * they are not compared. Without `fields` or `ignoreFields`, every field of the change event
   * must be one the write carried, with the written value.
   */
  ignoreFields?: readonly string[];
  /**
   * A custom fingerprint (replaces the field comparison): an event is the echo of a remembered
   * write when their fingerprints are equal. The rule is then yours to keep: it must change with
   * every field a user may edit.
   */
  fingerprint?: (record: Record<string, unknown>) => string;
  /** Reads the origin tag a change event carries (e.g. a custom attribute the integration sets). */
  originTag?: (record: Record<string, unknown>) => string | undefined;
  /** Key namespace inside the store; default `echo`. */
  namespace?: string;
}

/** A write to remember: the written record (fingerprinted) or an origin tag string. */
export type EchoWrite = Record<string, unknown> | string;

/**
 * Recognises the change events the integration's own writes cause, so they are not synced back.
 *
 * The rule: a change event is the echo of a remembered write when every compared field it carries
 * (see `fields` and `ignoreFields`) is a field of that write with the written value (equal
 * content, as `contentHash` compares). A field the write did not carry, or carried with another
 * value, makes the event a real change. Each remembered write answers for one event: the match is
 * consumed, atomically, so a second identical event is synced.
 */
export interface EchoGuard {
  /** Remembers a write to `target` (call before the write, so its echo cannot arrive first). */
  remember(target: string, entity: string, key: string, write: EchoWrite): Promise<void>;
  /**
   * Whether a change event from `target` is the echo of a remembered write; a match is consumed,
   * unless `consume: false` (a look that changes nothing, e.g. for a dry run).
   */
  isEcho(
    target: string,
    entity: string,
    key: string,
    event: EchoWrite,
    options?: { consume?: boolean },
  ): Promise<boolean>;
  /** Forgets every remembered write for (target, entity, key). */
  forget(target: string, entity: string, key: string): Promise<void>;
  /**
   * Removes expired fingerprints from the store (they are already ignored); returns how many.
   * Stores without `sweep` purge expired entries on their own (or never): then it returns 0.
   */
  sweep(options?: { limit?: number }): Promise<number>;
}

/** What a remembered record write keeps: a content hash per compared field. */
interface Remembered {
  v: 2;
  fields: Record<string, string>;
}

/** A unique, time-ordered id, so writes remembered twice are two entries, matched oldest first. */
function entryId(): string {
  return `${Date.now().toString(36).padStart(9, '0')}-${randomBytes(6).toString('hex')}`;
}

async function take(store: KeyValueStore, key: string): Promise<boolean> {
  if (store.take) return (await store.take(key)) !== undefined;
  // A store without an atomic take: two concurrent callers may both see the entry.
  if ((await store.get(key)) === undefined) return false;
  await store.delete(key);
  return true;
}

/** Creates an echo guard on any KeyValueStore; entries expire after `ttlMs`. */
export function createEchoGuard(options: EchoGuardOptions): EchoGuard {
  const { store, ttlMs, namespace = 'echo' } = options;
  if (!(Number.isFinite(ttlMs) && ttlMs > 0)) {
    throw new InvalidOptionError(
      'ttlMs',
      `must be a positive number of milliseconds, got ${ttlMs}`,
    );
  }
  const synced = options.fields === undefined ? undefined : new Set(options.fields);
  const ignored = new Set(options.ignoreFields ?? []);
  /** The compared fields of a record, each as the content hash of its value. */
  const compared = (record: Record<string, unknown>): Record<string, string> => {
    // No prototype: a field named `__proto__` is a field like any other, not a setter.
    const hashes: Record<string, string> = Object.create(null);
    for (const [field, value] of Object.entries(record)) {
      if (value === undefined || ignored.has(field)) continue;
      if (synced !== undefined && !synced.has(field)) continue;
      hashes[field] = contentHash(value);
    }
    return hashes;
  };
  const isEchoOf = (event: Record<string, string>, write: Remembered): boolean =>
    Object.entries(event).every(
      ([field, hash]) => Object.hasOwn(write.fields, field) && write.fields[field] === hash,
    );

  /** Consumes the oldest entry under `prefix` that `matches` (only looks, unless `consuming`). */
  const consume = async (
    prefix: string,
    matches: (value: string) => boolean,
    consuming: boolean,
  ) => {
    const candidates: string[] = [];
    for await (const [stored, value] of store.list(prefix))
      if (matches(value)) candidates.push(stored);
    if (!consuming) return candidates.length > 0;
    for (const stored of candidates) if (await take(store, stored)) return true;
    return false;
  };
  const tagPrefix = (target: string, entity: string, key: string, tag: string) =>
    storePrefix(namespace, target, entity, key, 'tag', tag);
  const fingerprintPrefix = (target: string, entity: string, key: string, fp: string) =>
    storePrefix(namespace, target, entity, key, 'fp', fp);
  const writePrefix = (target: string, entity: string, key: string) =>
    storePrefix(namespace, target, entity, key, 'write');

  const detect = async (
    target: string,
    entity: string,
    key: string,
    event: EchoWrite,
    isEchoOptions: { consume?: boolean } | undefined,
  ): Promise<boolean> => {
    const consuming = isEchoOptions?.consume !== false;
    const tag = typeof event === 'string' ? event : options.originTag?.(event);
    if (
      tag !== undefined &&
      (await consume(tagPrefix(target, entity, key, tag), () => true, consuming))
    )
      return true;
    if (typeof event === 'string') return false;
    if (options.fingerprint) {
      const fp = options.fingerprint(event);
      return consume(fingerprintPrefix(target, entity, key, fp), () => true, consuming);
    }
    const fields = compared(event);
    // An event with no compared field carries no change this guard can vouch for.
    if (Object.keys(fields).length === 0) return false;
    return consume(
      writePrefix(target, entity, key),
      (value) => {
        const remembered = JSON.parse(value) as Partial<Remembered>;
        return remembered.v === 2 && isEchoOf(fields, remembered as Remembered);
      },
      consuming,
    );
  };

  return {
    async remember(target, entity, key, write) {
      if (typeof write === 'string') {
        await store.set(`${tagPrefix(target, entity, key, write)}${entryId()}`, '{}', { ttlMs });
        return;
      }
      if (options.fingerprint) {
        const fp = options.fingerprint(write);
        await store.set(`${fingerprintPrefix(target, entity, key, fp)}${entryId()}`, '{}', {
          ttlMs,
        });
        return;
      }
      const remembered: Remembered = { v: 2, fields: compared(write) };
      // A write with no compared field cannot be recognised in any event: nothing to keep.
      if (Object.keys(remembered.fields).length === 0) return;
      await store.set(
        `${writePrefix(target, entity, key)}${entryId()}`,
        JSON.stringify(remembered),
        {
          ttlMs,
        },
      );
    },
    async isEcho(target, entity, key, event, isEchoOptions) {
      const echo = await detect(target, entity, key, event, isEchoOptions);
      if (echo && isEchoOptions?.consume !== false)
        syncTelemetry()?.echoes.add(1, { [ATTR.system]: target, [ATTR.entity]: entity });
      return echo;
    },
    async forget(target, entity, key) {
      const keys: string[] = [];
      for await (const [stored] of store.list(storePrefix(namespace, target, entity, key)))
        keys.push(stored);
      for (const stored of keys) await store.delete(stored);
    },
    async sweep(sweepOptions) {
      if (!store.sweep) return 0;
      return store.sweep({ prefix: storePrefix(namespace), limit: sweepOptions?.limit });
    },
  };
}
