import { sameContent } from '../hash/content-hash.js';
import { ATTR } from '../telemetry/names.js';
import { syncTelemetry } from '../telemetry/sync-telemetry.js';
import type { ConflictLog, ConflictLogEntry } from './conflict-log.js';
import type { ConflictPolicy, ConflictSide, FieldConflict, FieldDecision } from './policies.js';

export interface ConflictInput {
  entity: string;
  key: string;
  /** By convention the incoming change. */
  left: ConflictSide;
  /** By convention the target's current record. */
  right: ConflictSide;
  /** The last synced version of the record, for three-way merges. */
  base?: Record<string, unknown>;
  /**
   * Fields the left side's system owns (an ownership map): where they differ, the left value wins
   * with rule `ownership` and the policy is not asked. The runner passes its ownership map here.
   */
  ownedByLeft?: (field: string) => boolean;
}

export interface ConflictResult {
  /** The merged record: equal fields as they are, differing fields as decided. */
  merged: Record<string, unknown>;
  /** One entry per differing field (also written to the log). */
  decisions: ConflictLogEntry[];
}

export interface ConflictResolverOptions {
  policy: ConflictPolicy;
  /** Where decisions are written; omit to only return them. */
  log?: ConflictLog;
  /** Only these fields are merged (others are dropped from `merged`); default: every field of either side. */
  fields?: readonly string[];
  /** Clock for the decision time; default `Date.now`. */
  now?: () => number;
}

/** Merges two versions of a record field by field under a policy, logging every decision. */
export interface ConflictResolver {
  resolve(input: ConflictInput): Promise<ConflictResult>;
}

export function createConflictResolver(options: ConflictResolverOptions): ConflictResolver {
  const now = options.now ?? Date.now;
  return {
    async resolve(input) {
      const { left, right, base } = input;
      const fields =
        options.fields ??
        [...new Set([...Object.keys(left.record), ...Object.keys(right.record)])].sort();
      const merged: Record<string, unknown> = {};
      const decisions: ConflictLogEntry[] = [];
      const at = new Date(now()).toISOString();
      for (const field of fields) {
        const leftValue = left.record[field];
        const rightValue = right.record[field];
        let value: unknown;
        if (sameContent(leftValue, rightValue)) {
          value = leftValue;
        } else {
          const conflict: FieldConflict = {
            entity: input.entity,
            key: input.key,
            field,
            left: { ...left, value: leftValue },
            right: { ...right, value: rightValue },
            base: base === undefined ? undefined : { record: base, value: base[field] },
          };
          const decision: FieldDecision = input.ownedByLeft?.(field)
            ? { winner: 'left', rule: 'ownership' }
            : options.policy.decide(conflict);
          const winner =
            'winner' in decision
              ? decision.winner === 'left'
                ? left.system
                : right.system
              : 'merged';
          value =
            'winner' in decision
              ? decision.winner === 'left'
                ? leftValue
                : rightValue
              : decision.value;
          decisions.push({
            entity: input.entity,
            key: input.key,
            field,
            left: { system: left.system, value: leftValue },
            right: { system: right.system, value: rightValue },
            winner,
            value,
            rule: decision.rule,
            at,
          });
        }
        if (value !== undefined) merged[field] = value;
      }
      if (options.log) for (const entry of decisions) await options.log.write(entry);
      const telemetry = syncTelemetry();
      for (const entry of decisions)
        telemetry?.conflicts.add(1, { [ATTR.entity]: entry.entity, [ATTR.rule]: entry.rule });
      return { merged, decisions };
    },
  };
}
