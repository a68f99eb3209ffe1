import { InvalidOptionError } from '../errors.js';
import { contentHash, sameContent } from '../hash/content-hash.js';
import type { Ownership } from '../ownership/ownership.js';

/** One side of a conflict: a system and its version of the record. */
export interface ConflictSide {
  system: string;
  record: Record<string, unknown>;
}

/** Everything a policy sees about one field whose two values differ. */
export interface FieldConflict {
  entity: string;
  key: string;
  field: string;
  left: ConflictSide & { value: unknown };
  right: ConflictSide & { value: unknown };
  /** The last synced version, when known (three-way merge). */
  base?: { record: Record<string, unknown>; value: unknown };
}

/** A policy's verdict: a side wins, or (custom rules) a new value. `rule` names the deciding rule. */
export type FieldDecision =
  | { winner: 'left' | 'right'; rule: string }
  | { value: unknown; rule: string };

/** Decides one field conflict. Must be deterministic: the same inputs give the same verdict. */
export interface ConflictPolicy {
  readonly rule: string;
  decide(conflict: FieldConflict): FieldDecision;
}

type Timestamp = Date | number | string | null | undefined;

function toMs(value: Timestamp): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Date.parse(value);
  return Number.NaN;
}

/**
 * Last writer wins on a timestamp field of each side's record. Ties (equal or missing
 * timestamps) go to the system listed first in `priority`, then to the greater content hash
 * of the two values, so every process picks the same winner.
 */
export function lastWriterWins(options: {
  timestamp: string | ((record: Record<string, unknown>) => Timestamp);
  priority?: readonly string[];
}): ConflictPolicy {
  const read =
    typeof options.timestamp === 'string'
      ? (record: Record<string, unknown>) => record[options.timestamp as string] as Timestamp
      : options.timestamp;
  const rank = (system: string) => {
    const index = options.priority?.indexOf(system) ?? -1;
    return index === -1 ? Number.POSITIVE_INFINITY : index;
  };
  const rule = 'last-writer-wins';
  return {
    rule,
    decide({ left, right }) {
      const l = toMs(read(left.record));
      const r = toMs(read(right.record));
      const lt = Number.isFinite(l) ? l : Number.NEGATIVE_INFINITY;
      const rt = Number.isFinite(r) ? r : Number.NEGATIVE_INFINITY;
      if (lt !== rt) return { winner: lt > rt ? 'left' : 'right', rule };
      if (rank(left.system) !== rank(right.system)) {
        return {
          winner: rank(left.system) < rank(right.system) ? 'left' : 'right',
          rule: `${rule}/priority`,
        };
      }
      return {
        winner: contentHash(left.value) >= contentHash(right.value) ? 'left' : 'right',
        rule: `${rule}/hash`,
      };
    },
  };
}

/** The named system's value wins whenever it is one of the two sides. */
export function preferSystem(system: string, otherwise?: ConflictPolicy): ConflictPolicy {
  const rule = 'prefer-system';
  return {
    rule,
    decide(conflict) {
      if (conflict.left.system === system) return { winner: 'left', rule };
      if (conflict.right.system === system) return { winner: 'right', rule };
      if (otherwise) return otherwise.decide(conflict);
      throw new InvalidOptionError(
        'preferSystem',
        `names "${system}", which is neither side (${conflict.left.system}, ${conflict.right.system}); pass an "otherwise" policy`,
      );
    },
  };
}

/**
 * The owner of the field (from the ownership map, for the sync `target` if given) wins. When
 * neither side owns it, `otherwise` decides; without it the right side (the target's current
 * value) is kept.
 */
export function ownerWins(
  ownership: Ownership<string, Record<string, object>>,
  options: { target?: string; otherwise?: ConflictPolicy } = {},
): ConflictPolicy {
  const rule = 'owner-wins';
  return {
    rule,
    decide(conflict) {
      const owner = ownership.ownerOf(conflict.entity, conflict.field as never, {
        target: options.target,
      });
      if (owner === conflict.left.system) return { winner: 'left', rule };
      if (owner === conflict.right.system) return { winner: 'right', rule };
      if (options.otherwise) return options.otherwise.decide(conflict);
      return { winner: 'right', rule: `${rule}/unowned` };
    },
  };
}

/**
 * Field-level three-way merge against the last synced base: a field changed on one side only
 * takes that change; a field changed on both sides goes to `onBoth`. Without a base every
 * differing field counts as changed on both sides.
 */
export function threeWayMerge(options: { onBoth: ConflictPolicy }): ConflictPolicy {
  const rule = 'three-way';
  return {
    rule,
    decide(conflict) {
      if (conflict.base !== undefined) {
        if (sameContent(conflict.left.value, conflict.base.value)) return { winner: 'right', rule };
        if (sameContent(conflict.right.value, conflict.base.value)) return { winner: 'left', rule };
      }
      const decision = options.onBoth.decide(conflict);
      return { ...decision, rule: `${rule}/${decision.rule}` };
    },
  };
}

/** A policy from a function: return 'left', 'right' or `{ value }` for a merged value. */
export function customPolicy(
  name: string,
  decide: (conflict: FieldConflict) => 'left' | 'right' | { value: unknown },
): ConflictPolicy {
  return {
    rule: name,
    decide(conflict) {
      const verdict = decide(conflict);
      if (verdict === 'left' || verdict === 'right') return { winner: verdict, rule: name };
      if (typeof verdict === 'object' && verdict !== null && 'value' in verdict)
        return { value: verdict.value, rule: name };
      throw new InvalidOptionError(
        'customPolicy',
        `"${name}" returned ${JSON.stringify(verdict)}; return 'left', 'right' or { value }`,
      );
    },
  };
}
