import type { BaseStore } from '../conflict/base-store.js';
import type { ConflictResolver } from '../conflict/resolver.js';
import type { CheckpointStore } from '../cursor/checkpoint-store.js';
import type { CursorWindow, DeltaCursor, DeltaCursorOptions } from '../cursor/delta-cursor.js';
import { failureCode } from '../dead-letter/dead-letter-list.js';
import type { EchoGuard } from '../echo/echo-guard.js';
import { InvalidOptionError, RunnerSinkError, UnknownEntityError } from '../errors.js';
import type { HashStore } from '../hash/hash-store.js';
import type { Ownership } from '../ownership/ownership.js';
import { ATTR } from '../telemetry/names.js';
import { syncTelemetry } from '../telemetry/sync-telemetry.js';
import type { DeadLetterTarget, FailureStage, ParkReason } from './dead-letter.js';

type Awaitable<T> = T | Promise<T>;

/** The part of the Standard Schema v1 interface (standardschema.dev) the runner uses. */
export interface StandardSchemaLike {
  readonly '~standard': {
    readonly version: 1;
    validate(value: unknown): Awaitable<
      | { readonly value: unknown; readonly issues?: undefined }
      | {
          readonly issues: readonly {
            readonly message: string;
            readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[];
          }[];
        }
    >;
  };
}

function isStandardSchema(value: unknown): value is StandardSchemaLike {
  return typeof value === 'object' && value !== null && '~standard' in value;
}

/** Validates with a function or a Standard Schema; returns the rejection reason, if any. */
async function rejection<In>(
  validate: NonNullable<RunnerOptions<In, unknown>['validate']>,
  record: In,
): Promise<string | undefined> {
  if (!isStandardSchema(validate)) {
    const reason = await validate(record);
    return typeof reason === 'string' ? reason : undefined;
  }
  const result = await validate['~standard'].validate(record);
  if (!result.issues) return undefined;
  return result.issues
    .map((issue) => {
      const path = (issue.path ?? [])
        .map((part) => String(typeof part === 'object' ? part.key : part))
        .join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
type Fields = Record<string, unknown>;

/** A sink may report per-record failures (by index in the batch) instead of throwing. */
export interface SinkResult {
  failed?: { index: number; reason: string }[];
}

export interface RunnerProgress {
  /** Records written (or, in a dry run, that would be written). */
  done: number;
  /** Records parked in the dead-letter target. */
  failed: number;
  /**
   * Records dropped on purpose: echoes of the integration's own writes, unchanged content, nothing
   * left after ownership, or transform returned undefined.
   */
  skipped: number;
  /** Of `skipped`: source records recognised as echoes of the integration's own writes. */
  echoes: number;
  /** Fields the ownership map refused (the records themselves went on). */
  refusedFields: number;
  batches: number;
  elapsedMs: number;
  /** Records handled per second so far. */
  rate: number;
  /** The expected record count, when the `total` option gave one. */
  total?: number;
  /** Estimated time left, when `total` is known and the rate is positive. */
  etaMs?: number;
}

export interface RunnerOptions<In, Out> {
  /** The runner's name on its metrics (`plumbline.runner`); default the cursor's name, else 'runner'. */
  name?: string;
  /**
   * Yields records (or arrays of records), or returns a promise of them (`Promise<Item[]>`). With
   * a cursor, query rows with updatedAt >= window.since.
   */
  source: (context: {
    window: CursorWindow | undefined;
    signal: AbortSignal;
  }) => Awaitable<AsyncIterable<In | In[]> | Iterable<In | In[]>>;
  /**
   * Rejects bad records (parked at stage `validate`): a function returning a reason (or nothing
   * to accept), or any Standard Schema validator (zod, valibot, arktype...), whose issues become
   * the reason, each prefixed with its field path.
   */
  validate?:
    | ((record: In) => Awaitable<string | undefined>)
    | ((record: In) => Awaitable<void>)
    | StandardSchemaLike;
  /** Maps a source record to the sink's shape; return undefined to skip it; a throw parks it. */
  transform?: (record: In) => Awaitable<Out | undefined>;
  /** Writes a batch. A throw fails the whole batch (see `sinkErrors`); a result can fail single records. */
  sink:
    | ((batch: Out[], context: { signal: AbortSignal }) => Awaitable<SinkResult | undefined>)
    | ((batch: Out[], context: { signal: AbortSignal }) => Awaitable<void>);
  batchSize: number;
  /** Batches in flight at once. Checkpoints still advance in source order. */
  concurrency: number;
  /** Resume from and commit to a checkpoint; each batch is committed only after its sink confirmed it. */
  cursor?: { checkpoints: CheckpointStore; name: string; options?: DeltaCursorOptions<In> };
  /** Drops the fields of each output record that `source` does not own. */
  ownership?: {
    ownership: Ownership<string, Record<string, object>>;
    source: string;
    entity: string;
    target?: string;
  };
  /** Merges each output record with the target's current version under a conflict policy. */
  conflict?: {
    resolver: ConflictResolver;
    entity: string;
    source: string;
    target: string;
    key: (record: Out) => string;
    /** The target's current version; undefined means no conflict (a create). */
    current: (record: Out) => Awaitable<Fields | undefined>;
    /** The last synced version, for three-way merges. */
    base?: (record: Out) => Awaitable<Fields | undefined>;
    /**
     * Keeps the last synced versions: read as the base when `base` is not given, and updated
     * with each written record (merged over the previous base) after the sink confirmed it.
     */
    bases?: BaseStore;
  };
  /**
   * Echo suppression with an echo guard, for bidirectional syncs. `skip`: source records that
   * are echoes of the integration's own writes to `skip.system` (the system this runner reads)
   * are dropped before validation. `remember`: every record about to be written to
   * `remember.system` (the system this runner writes) is remembered first, so the reverse sync's
   * `skip` recognises the change event the write causes. Skipped in a dry run.
   */
  echo?: {
    guard: EchoGuard;
    entity: string;
    skip?: { system: string; key: (record: In) => string };
    remember?: { system: string; key: (record: Out) => string };
  };
  /** Skips records whose content did not change since last written; records hashes after the sink. */
  changes?: {
    hashes: HashStore;
    entity: string;
    key: (record: Out) => string;
    /**
     * `record` (default): a record whose content equals the last written one is skipped, a changed
     * one is written whole. `fields`: only the fields whose value changed since they were last
     * written are sent, with the `identity` fields (always sent, e.g. the SKU); a record with no
     * changed field is skipped. Per-field hashes are kept in `hashes` under `[key, field]`.
     */
    diff?: 'record' | 'fields';
    /** With `diff: 'fields'`: fields sent with every changed record (the target's key). */
    identity?: readonly string[];
  };
  /**
   * Where records that cannot be processed are parked, with their reason; `park` must return only
   * once the record is stored (the checkpoint moves past it right after). Use
   * `createDeadLetterList` on the checkpoint's store for a durable one. Not an inference site for
   * the record type: the source decides it.
   */
  deadLetter: DeadLetterTarget<NoInfer<In>>;
  /** What to do when the sink throws: park the batch's records and go on (default), or stop the run. */
  sinkErrors?: 'dead-letter' | 'fail';
  /** No sink writes, no checkpoint or hash commits, nothing parked: the summary says what would happen. */
  dryRun?: boolean;
  /** The expected record count, for the ETA. */
  total?: number;
  onProgress?: (progress: RunnerProgress) => void;
  /** The clock for rates (epoch ms); default `Date.now`. */
  now?: () => number;
}

export interface RunSummary<In, Out> extends RunnerProgress {
  /** `aborted` when the signal fired: the checkpoint stays at the last confirmed batch. */
  status: 'completed' | 'aborted';
  /** Dry run: the first 1,000 records that would be written. */
  wouldWrite: Out[];
  /** Dry run: the first 1,000 records that would be parked, with reasons. */
  wouldPark: { record: In; reason: ParkReason }[];
}

export interface Runner<In, Out> {
  run(options?: { signal?: AbortSignal }): Promise<RunSummary<In, Out>>;
}

const SAMPLE_LIMIT = 1_000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface Batch<In, Out> {
  rows: In[];
  done: boolean;
  ok: boolean;
  work: { input: In; output: Out }[];
}

/**
 * Composes source -> echo check -> validate -> transform -> ownership -> conflict -> change
 * detection -> sink,
 * with batching, bounded concurrency, commit-after-sink checkpoints, dead-lettering, dry runs
 * and progress events.
 */
export function createRunner<In, Out = In>(options: RunnerOptions<In, Out>): Runner<In, Out> {
  if (!(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
    throw new InvalidOptionError(
      'batchSize',
      `must be a positive integer, got ${options.batchSize}`,
    );
  }
  if (!(Number.isInteger(options.concurrency) && options.concurrency > 0)) {
    throw new InvalidOptionError(
      'concurrency',
      `must be a positive integer, got ${options.concurrency}`,
    );
  }
  if (options.echo && typeof options.echo.guard?.isEcho !== 'function') {
    throw new InvalidOptionError('echo.guard', 'must be an echo guard (see createEchoGuard)');
  }
  if (options.echo && !options.echo.skip && !options.echo.remember) {
    throw new InvalidOptionError('echo', 'needs `skip`, `remember` or both');
  }
  if (typeof options.deadLetter?.park !== 'function') {
    throw new InvalidOptionError('deadLetter', 'must have a park(record, reason) method');
  }
  const owned = options.ownership;
  if (owned && !owned.ownership.entities.includes(owned.entity)) {
    throw new UnknownEntityError(owned.entity, owned.ownership.entities);
  }
  const now = options.now ?? Date.now;
  const dryRun = options.dryRun === true;
  const runnerName = options.name ?? options.cursor?.name ?? 'runner';
  /** Counts records by outcome on the runner metric (never in a dry run). */
  const count = (outcome: 'written' | 'failed' | 'skipped', n = 1) => {
    if (!dryRun && n > 0)
      syncTelemetry()?.runnerRecords.add(n, {
        [ATTR.runner]: runnerName,
        [ATTR.recordOutcome]: outcome,
      });
  };

  return {
    async run(runOptions = {}) {
      const controller = new AbortController();
      const outer = runOptions.signal;
      const onAbort = () => controller.abort(outer?.reason);
      if (outer?.aborted) controller.abort(outer.reason);
      outer?.addEventListener('abort', onAbort, { once: true });
      const signal = controller.signal;
      const started = now();
      const summary: RunSummary<In, Out> = {
        status: 'completed',
        done: 0,
        failed: 0,
        skipped: 0,
        echoes: 0,
        refusedFields: 0,
        batches: 0,
        elapsedMs: 0,
        rate: 0,
        total: options.total,
        wouldWrite: [],
        wouldPark: [],
      };
      const progress = (): RunnerProgress => {
        const elapsedMs = now() - started;
        const handled = summary.done + summary.failed + summary.skipped;
        const rate = elapsedMs > 0 ? (handled * 1000) / elapsedMs : 0;
        Object.assign(summary, { elapsedMs, rate });
        const etaMs =
          options.total !== undefined && rate > 0
            ? Math.max(0, ((options.total - handled) / rate) * 1000)
            : undefined;
        const { wouldWrite: _w, wouldPark: _p, status: _s, ...numbers } = summary;
        return { ...numbers, elapsedMs, rate, etaMs };
      };

      const park = async (record: In, stage: FailureStage, reason: string, error?: unknown) => {
        const parked: ParkReason = {
          stage,
          message: reason,
          code: failureCode(stage, error),
          ...(error === undefined ? {} : { error }),
        };
        if (dryRun) {
          if (summary.wouldPark.length < SAMPLE_LIMIT)
            summary.wouldPark.push({ record, reason: parked });
        } else {
          await options.deadLetter.park(record, parked);
        }
        summary.failed += 1;
        count('failed');
      };

      // Prepares one record; returns the output to write, or undefined when parked or skipped.
      type Outcome =
        | { kind: 'write'; output: Out }
        | { kind: 'skip' }
        | { kind: 'park'; stage: FailureStage; reason: string; error?: unknown };

      const ownedBySource = (field: string): boolean => {
        if (!options.ownership) return false;
        const { ownership, source, entity, target } = options.ownership;
        return ownership.ownerOf(entity, field as never, { target }) === source;
      };

      // Merges the record with the target's current version under the conflict policy (every
      // decision logged); undefined when the target has no version (a create). With an ownership
      // map, fields the source owns are decided by ownership, never by the policy.
      const resolveConflicts = async (output: Out): Promise<Fields | undefined> => {
        const conflict = options.conflict as NonNullable<typeof options.conflict>;
        const current = await conflict.current(output);
        if (current === undefined) return undefined;
        const base = conflict.base
          ? await conflict.base(output)
          : await conflict.bases?.get(conflict.entity, conflict.key(output));
        const { merged } = await conflict.resolver.resolve({
          entity: conflict.entity,
          key: conflict.key(output),
          left: { system: conflict.source, record: output as Fields },
          right: { system: conflict.target, record: current },
          base,
          ...(options.ownership ? { ownedByLeft: ownedBySource } : {}),
        });
        return merged;
      };

      // Of the resolved record, keeps the fields the source owns and sent: the target's own
      // values (stale or not) are never sent back to it. `refused` counts the fields the source
      // sent but does not own.
      const keepOwned = (sent: Fields, resolved: Fields): { accepted: Fields; refused: number } => {
        const { ownership, source, entity, target } = options.ownership as NonNullable<
          typeof options.ownership
        >;
        const { accepted } = ownership.accept(source, entity, resolved, { target });
        const kept: Fields = {};
        for (const [field, value] of Object.entries(accepted as Fields))
          if (Object.hasOwn(sent, field)) kept[field] = value;
        const refused = Object.keys(sent).filter((field) => !ownedBySource(field)).length;
        return { accepted: kept, refused };
      };

      // The whole record behind a field diff's part (the part may leave out the key's fields).
      const wholeOf = new WeakMap<object, Out>();
      const whole = (output: Out): Out => wholeOf.get(output as object) ?? output;
      const fieldHashKey = (id: string, field: string) => JSON.stringify([id, field]);

      // Diffs the record against what was last written: undefined when nothing changed, else the
      // record (diff `record`) or its changed fields with the identity fields (diff `fields`).
      const changedPart = async (output: Out): Promise<Out | undefined> => {
        const {
          hashes,
          entity,
          key,
          diff = 'record',
        } = options.changes as NonNullable<typeof options.changes>;
        const id = key(output);
        if (diff === 'record') {
          if (!(await hashes.changed(entity, id, output))) return undefined;
          return output;
        }
        const identity = new Set(options.changes?.identity ?? []);
        const part: Fields = {};
        let changed = 0;
        for (const [field, value] of Object.entries(output as Fields)) {
          if (identity.has(field)) part[field] = value;
          else if (await hashes.changed(entity, fieldHashKey(id, field), { [field]: value })) {
            part[field] = value;
            changed += 1;
          }
        }
        if (changed === 0) return undefined;
        wholeOf.set(part, output);
        return part as Out;
      };

      // After the sink confirmed a record: remembers what was written, for the next diff.
      const recordWritten = async (output: Out): Promise<void> => {
        const {
          hashes,
          entity,
          key,
          diff = 'record',
        } = options.changes as NonNullable<typeof options.changes>;
        if (diff === 'record') {
          await hashes.record(entity, key(output), output);
          return;
        }
        const id = key(whole(output));
        const identity = new Set(options.changes?.identity ?? []);
        for (const [field, value] of Object.entries(output as Fields))
          if (!identity.has(field))
            await hashes.record(entity, fieldHashKey(id, field), { [field]: value });
      };

      // Runs one record through the steps before the sink; never throws.
      const pipeline = async (input: In): Promise<Outcome> => {
        let stage: FailureStage = 'echo';
        try {
          const skipEcho = options.echo?.skip;
          if (skipEcho && options.echo) {
            const { guard, entity } = options.echo;
            const event = input as unknown as Fields;
            // A dry run only looks: consuming the match would sync the echo on the real run.
            const consume = !dryRun;
            if (
              await guard.isEcho(skipEcho.system, entity, skipEcho.key(input), event, { consume })
            ) {
              summary.echoes += 1;
              return { kind: 'skip' };
            }
          }
          stage = 'validate';
          const rejected = options.validate ? await rejection(options.validate, input) : undefined;
          if (rejected !== undefined) return { kind: 'park', stage, reason: rejected };
          stage = 'transform';
          let output = options.transform
            ? await options.transform(input)
            : (input as unknown as Out);
          if (output === undefined) return { kind: 'skip' };
          let resolved = output as Fields;
          if (options.conflict) {
            stage = 'conflict';
            resolved = (await resolveConflicts(output)) ?? resolved;
          }
          if (options.ownership) {
            stage = 'ownership';
            const { accepted, refused } = keepOwned(output as Fields, resolved);
            summary.refusedFields += refused;
            if (Object.keys(accepted).length === 0) return { kind: 'skip' };
            output = accepted as Out;
          } else {
            output = resolved as Out;
          }
          if (options.changes) {
            stage = 'changes';
            const changed = await changedPart(output);
            if (changed === undefined) return { kind: 'skip' };
            output = changed;
          }
          return { kind: 'write', output };
        } catch (error) {
          return { kind: 'park', stage, reason: message(error), error };
        }
      };

      // Returns the output to write, or undefined when skipped or parked. A failing dead-letter
      // target throws (fatal: the batch is not confirmed, so its checkpoint is not committed).
      const prepare = async (input: In): Promise<Out | undefined> => {
        const outcome = await pipeline(input);
        if (outcome.kind === 'write') return outcome.output;
        if (outcome.kind === 'skip') {
          summary.skipped += 1;
          count('skipped');
        } else await park(input, outcome.stage, outcome.reason, outcome.error);
        return undefined;
      };

      let fatal: unknown;
      const processBatch = async (batch: Batch<In, Out>): Promise<void> => {
        for (const input of batch.rows) {
          if (signal.aborted) return;
          const output = await prepare(input);
          if (output !== undefined) batch.work.push({ input, output });
        }
        if (signal.aborted) return;
        const outputs = batch.work.map((item) => item.output);
        if (dryRun) {
          for (const output of outputs)
            if (summary.wouldWrite.length < SAMPLE_LIMIT) summary.wouldWrite.push(output);
          summary.done += outputs.length;
          batch.ok = true;
          return;
        }
        if (outputs.length > 0) {
          const remember = options.echo?.remember;
          if (remember && options.echo) {
            // Before the write, so its change event can never arrive first. A failing guard
            // store is fatal: the batch is not written and its checkpoint is not committed.
            const { guard, entity } = options.echo;
            for (const output of outputs)
              await guard.remember(
                remember.system,
                entity,
                remember.key(whole(output)),
                output as Fields,
              );
          }
          let result: SinkResult | undefined;
          try {
            result = (await options.sink(outputs, { signal })) ?? undefined;
          } catch (error) {
            if (signal.aborted) return;
            if (options.sinkErrors === 'fail') {
              fatal ??= new RunnerSinkError(error);
              controller.abort(fatal);
              return;
            }
            for (const item of batch.work) await park(item.input, 'sink', message(error), error);
            batch.ok = true;
            return;
          }
          const failed = new Map(
            (result?.failed ?? []).map((failure) => [failure.index, failure.reason]),
          );
          for (const [index, item] of batch.work.entries()) {
            const reason = failed.get(index);
            if (reason !== undefined) {
              await park(item.input, 'sink', reason);
              continue;
            }
            summary.done += 1;
            count('written');
            if (options.changes) await recordWritten(item.output);
            const bases = options.conflict?.bases;
            if (bases && options.conflict) {
              const { entity, key } = options.conflict;
              const id = key(whole(item.output));
              const previous = await bases.get(entity, id);
              await bases.set(entity, id, { ...previous, ...(item.output as Fields) });
            }
          }
        }
        batch.ok = true;
      };

      const cursorConfig = options.cursor;
      let committed: DeltaCursor<In> | undefined = cursorConfig
        ? await cursorConfig.checkpoints.load<In>(cursorConfig.name, cursorConfig.options)
        : undefined;
      let dispatched = committed;
      const batches: Batch<In, Out>[] = [];
      const inFlight = new Set<Promise<void>>();
      let commitChain = Promise.resolve();

      // Commits, in source order, every leading batch whose sink confirmed it.
      const commitConfirmed = () => {
        commitChain = commitChain.then(async () => {
          while (batches.length > 0 && batches[0]?.done && batches[0].ok) {
            const batch = batches.shift() as Batch<In, Out>;
            if (cursorConfig && committed && !dryRun) {
              committed = committed.advance(batch.rows);
              await cursorConfig.checkpoints.commit(cursorConfig.name, committed);
              const watermark = committed.window().after?.updatedAt;
              if (watermark !== undefined)
                syncTelemetry()?.cursorCommitted(runnerName, watermark.getTime());
            }
          }
        });
        return commitChain;
      };

      const dispatch = async (rows: In[]) => {
        let chunk = rows;
        if (dispatched) {
          chunk = dispatched.filter(rows);
          dispatched = dispatched.advance(chunk);
        }
        if (chunk.length === 0) return;
        const batch: Batch<In, Out> = { rows: chunk, done: false, ok: false, work: [] };
        batches.push(batch);
        const running = processBatch(batch)
          .catch((error: unknown) => {
            fatal ??= error;
            controller.abort(error);
          })
          .finally(async () => {
            batch.done = true;
            summary.batches += batch.ok ? 1 : 0;
            await commitConfirmed();
            options.onProgress?.(progress());
          });
        const tracked = running.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        while (inFlight.size >= options.concurrency) await Promise.race(inFlight);
      };

      try {
        let buffer: In[] = [];
        const source = await options.source({ window: committed?.window(), signal });
        for await (const item of source as AsyncIterable<In | In[]>) {
          if (signal.aborted) break;
          if (Array.isArray(item)) buffer.push(...item);
          else buffer.push(item);
          while (buffer.length >= options.batchSize && !signal.aborted) {
            const rows = buffer.slice(0, options.batchSize);
            buffer = buffer.slice(options.batchSize);
            await dispatch(rows);
          }
        }
        if (buffer.length > 0 && !signal.aborted) await dispatch(buffer);
      } catch (error) {
        if (!signal.aborted) {
          fatal ??= error;
          controller.abort(error);
        }
      } finally {
        await Promise.allSettled(inFlight);
        await commitChain;
        outer?.removeEventListener('abort', onAbort);
      }
      const ended = (status: string) =>
        syncTelemetry()?.runnerRuns.add(1, { [ATTR.runner]: runnerName, [ATTR.runStatus]: status });
      if (fatal !== undefined) {
        ended('failed');
        throw fatal;
      }
      if (signal.aborted) summary.status = 'aborted';
      ended(summary.status);
      Object.assign(summary, progress());
      return summary;
    },
  };
}
