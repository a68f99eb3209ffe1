import { InvalidOptionError, UnknownEntityError, UnknownSystemError } from '../errors.js';

/** A field-to-owner map: each listed field is owned by the named system. */
export type FieldOwners<Field extends string, System extends string> = Partial<
  Record<Field, System>
>;

/** Who owns the fields of one entity. */
export interface EntityOwnership<Field extends string, System extends string> {
  /** The system that owns every field not listed in `fields`. */
  default: System;
  /** Per-field owners that override `default`. */
  fields?: FieldOwners<Field, System>;
  /**
   * Per-direction overrides, keyed by the target system of the sync: when syncing to that
   * target, these owners apply before `fields` (e.g. `{ commerce: { price: 'erp' } }`).
   */
  directions?: Partial<Record<System, FieldOwners<Field, System>>>;
}

/** A field the ownership map refused, with its owner and a readable reason. */
export interface RefusedField<Field extends string, System extends string> {
  field: Field;
  owner: System;
  reason: string;
}

export interface AcceptResult<Record_, System extends string> {
  /** The part of the patch the source system may write. */
  accepted: Partial<Record_>;
  /** Every field the source may not write, with its owner. Empty when all was accepted. */
  refused: RefusedField<Extract<keyof Record_, string>, System>[];
}

export interface OwnershipQuery<System extends string> {
  /** The target system of the sync; selects `directions[target]` overrides. */
  target?: System;
}

/** A declared ownership map (see `defineOwnership`). */
export interface Ownership<System extends string, Entities extends Record<string, object>> {
  readonly systems: readonly System[];
  readonly entities: readonly (keyof Entities & string)[];
  /** The system that owns `field` of `entity` (for the given sync target, if any). */
  ownerOf<E extends keyof Entities & string>(
    entity: E,
    field: Extract<keyof Entities[E], string>,
    query?: OwnershipQuery<System>,
  ): System;
  /** Splits a patch from `source` into the fields it owns (accepted) and the rest (refused). */
  accept<E extends keyof Entities & string>(
    source: System,
    entity: E,
    patch: Partial<Entities[E]>,
    query?: OwnershipQuery<System>,
  ): AcceptResult<Entities[E], System>;
  /** What the map declares, as a fresh copy (what `renderOwnership` renders). */
  describe(): OwnershipDescription<System>;
}

/** The declarations of an ownership map as plain data, entities in declared order. */
export interface OwnershipDescription<System extends string> {
  systems: System[];
  entities: { [entity: string]: EntityOwnership<string, System> };
}

export interface OwnershipConfig<
  Systems extends readonly string[],
  Entities extends Record<string, object>,
> {
  /** Every system that takes part, e.g. `['commerce', 'erp', 'crm'] as const`. */
  systems: Systems;
  entities: {
    [E in keyof Entities]: EntityOwnership<Extract<keyof Entities[E], string>, Systems[number]>;
  };
}

type UntypedEntities<Config> = { [E in keyof Config]: Record<string, unknown> };

function build<System extends string, Entities extends Record<string, object>>(
  config: OwnershipConfig<readonly System[], Entities>,
): Ownership<System, Entities> {
  const systems = [...(config.systems as readonly string[])];
  if (systems.length === 0)
    throw new InvalidOptionError('systems', 'must list at least one system');
  if (new Set(systems).size !== systems.length) {
    throw new InvalidOptionError('systems', `lists a system twice: ${systems.join(', ')}`);
  }
  const entityConfigs = config.entities as Record<string, EntityOwnership<string, string>>;
  const checkSystem = (system: unknown, where: string): void => {
    if (typeof system !== 'string' || !systems.includes(system)) {
      throw new UnknownSystemError(String(system), where, systems);
    }
  };
  for (const [entity, owned] of Object.entries(entityConfigs)) {
    checkSystem(owned.default, `entities.${entity}.default`);
    for (const [field, owner] of Object.entries(owned.fields ?? {})) {
      checkSystem(owner, `entities.${entity}.fields.${field}`);
    }
    for (const [target, overrides] of Object.entries(owned.directions ?? {})) {
      checkSystem(target, `entities.${entity}.directions`);
      for (const [field, owner] of Object.entries(overrides ?? {})) {
        checkSystem(owner, `entities.${entity}.directions.${target}.${field}`);
      }
    }
  }
  const entityNames = Object.keys(entityConfigs);
  const entityOf = (entity: string): EntityOwnership<string, string> => {
    const owned = Object.hasOwn(entityConfigs, entity) ? entityConfigs[entity] : undefined;
    if (owned === undefined) throw new UnknownEntityError(entity, entityNames);
    return owned;
  };
  const ownerIn = (
    owned: EntityOwnership<string, string>,
    field: string,
    target?: string,
  ): string => {
    const directed = target === undefined ? undefined : owned.directions?.[target];
    if (directed !== undefined && Object.hasOwn(directed, field)) return directed[field] as string;
    if (owned.fields !== undefined && Object.hasOwn(owned.fields, field))
      return owned.fields[field] as string;
    return owned.default;
  };

  return {
    systems: systems as System[],
    entities: entityNames as (keyof Entities & string)[],
    ownerOf(entity, field, query) {
      const owned = entityOf(entity);
      if (query?.target !== undefined) checkSystem(query.target, 'target');
      return ownerIn(owned, field, query?.target) as System;
    },
    accept(source, entity, patch, query) {
      const owned = entityOf(entity);
      checkSystem(source, 'source');
      const target = query?.target;
      if (target !== undefined) checkSystem(target, 'target');
      const accepted: Record<string, unknown> = {};
      const refused: RefusedField<string, string>[] = [];
      for (const [field, value] of Object.entries(patch as Record<string, unknown>)) {
        const owner = ownerIn(owned, field, target);
        if (owner === source) {
          accepted[field] = value;
        } else {
          refused.push({
            field,
            owner,
            reason: `${entity}.${field} is owned by ${owner}${target === undefined ? '' : ` when syncing to ${target}`}; ${source} may not write it`,
          });
        }
      }
      return { accepted, refused } as AcceptResult<Entities[typeof entity], System>;
    },
    describe() {
      const copy = (owners: FieldOwners<string, string> | undefined) =>
        Object.fromEntries(Object.entries(owners ?? {}));
      const entities = Object.fromEntries(
        entityNames.map((name) => {
          const owned = entityConfigs[name] as EntityOwnership<string, string>;
          const directions = Object.entries(owned.directions ?? {}).map(
            ([target, overrides]) => [target, copy(overrides)] as const,
          );
          return [
            name,
            {
              default: owned.default,
              fields: copy(owned.fields),
              directions: Object.fromEntries(directions),
            },
          ] as const;
        }),
      );
      return { systems: [...systems], entities } as OwnershipDescription<System>;
    },
  };
}

/**
 * Declares which system owns each field of each entity.
 *
 * With record types (`defineOwnership<{ customer: Customer }>()({ ... })`) a misspelled field or
 * system fails to compile; without them (`defineOwnership({ ... })`) systems and entity names
 * are still checked and fields are free-form.
 */
export function defineOwnership<Entities extends Record<string, object>>(): <
  const Systems extends readonly string[],
>(
  config: OwnershipConfig<Systems, Entities>,
) => Ownership<Systems[number], Entities>;
export function defineOwnership<
  const Systems extends readonly string[],
  const Config extends Record<string, EntityOwnership<string, Systems[number]>>,
>(config: {
  systems: Systems;
  entities: Config;
}): Ownership<Systems[number], UntypedEntities<Config>>;
export function defineOwnership(config?: unknown): unknown {
  type Loose = OwnershipConfig<readonly string[], Record<string, object>>;
  if (config === undefined) return (typed: Loose) => build(typed);
  return build(config as Loose);
}
