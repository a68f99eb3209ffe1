import { AbortedError, ConfigError, PartitionReadError } from './errors.js';

/** One slice of a partitioned read: a description for errors and its pages, in order. */
export interface ReadPartition<T> {
  /** What the slice covers, for errors and logs (e.g. `id > 1000 AND id <= 2000`). */
  readonly range: string;
  /** The slice's pages. Stop when `signal` aborts (another partition failed or the reader left). */
  pages(signal: AbortSignal): AsyncIterable<T[]>;
}

export interface ReadPartitionsOptions {
  /**
   * Partitions read at once: at most this many page requests are in flight. Use the cap of the
   * client's limiter (`limiter.maxConcurrent`); the transport's limiter still gates each request.
   */
  concurrency: number;
  /** `true`: pages come out in partition order (key order when the partitions are key ranges). */
  ordered?: boolean;
  /** Pages a running partition may read ahead of the consumer. Default 1. */
  readAhead?: number;
  signal?: AbortSignal;
}

function wholeNumber(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(option, `expected a whole number >= 1, got ${String(value)}`);
  }
  return value;
}

interface Lane<T> {
  readonly index: number;
  readonly buffered: T[][];
  done: boolean;
}

/**
 * Reads partitions in parallel and yields their pages as one stream with bounded memory: at most
 * `concurrency` partitions run, each holding at most `readAhead` unread pages, so no more than
 * `concurrency × (readAhead + 1)` pages are alive. Unordered (default), a page is yielded as soon
 * as it arrives; `ordered`, partition 0's pages first, then partition 1's, and so on. When a
 * partition throws, the others are aborted and the read rejects with PartitionReadError; when the
 * consumer stops early or `signal` aborts, every partition is aborted.
 */
export async function* readPartitions<T>(
  partitions: readonly ReadPartition<T>[],
  options: ReadPartitionsOptions,
): AsyncGenerator<T[]> {
  const concurrency = wholeNumber('concurrency', options.concurrency);
  const readAhead = wholeNumber('readAhead', options.readAhead ?? 1);
  const ordered = options.ordered === true;
  const stop = new AbortController();
  const outer = options.signal;
  const onOuterAbort = () => stop.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });

  const lanes: Lane<T>[] = [];
  const arrivals: Lane<T>[] = [];
  let failure: PartitionReadError | undefined;
  let started = 0;
  let running = 0;
  // One waiter each: the consumer waits for a page, a lane waits for room.
  let wakeConsumer: (() => void) | undefined;
  const roomWaiters = new Map<Lane<T>, () => void>();
  const notifyConsumer = () => {
    const wake = wakeConsumer;
    wakeConsumer = undefined;
    wake?.();
  };

  const runLane = async (lane: Lane<T>, partition: ReadPartition<T>) => {
    try {
      for await (const page of partition.pages(stop.signal)) {
        if (stop.signal.aborted) break;
        lane.buffered.push(page);
        if (!ordered) arrivals.push(lane);
        notifyConsumer();
        while (lane.buffered.length >= readAhead && !stop.signal.aborted) {
          await new Promise<void>((resolve) => roomWaiters.set(lane, resolve));
        }
      }
    } catch (error) {
      // Only the first failure counts: after an abort, the others fail because they were stopped.
      if (!stop.signal.aborted) {
        failure = new PartitionReadError(lane.index, partition.range, error);
        stop.abort(error);
        for (const wake of roomWaiters.values()) wake();
        roomWaiters.clear();
      }
    } finally {
      lane.done = true;
      running--;
      startMore();
      notifyConsumer();
    }
  };

  const startMore = () => {
    while (running < concurrency && started < partitions.length && !stop.signal.aborted) {
      const lane: Lane<T> = { index: started, buffered: [], done: false };
      lanes.push(lane);
      running++;
      void runLane(lane, partitions[started]!);
      started++;
    }
  };

  const next = (): Lane<T> | undefined => {
    if (ordered) {
      const head = lanes.find((l) => l.buffered.length > 0 || !l.done);
      return head && head.buffered.length > 0 ? head : undefined;
    }
    return arrivals[0];
  };
  const finished = () =>
    started === partitions.length && running === 0 && lanes.every((l) => l.buffered.length === 0);

  try {
    startMore();
    for (;;) {
      if (failure) throw failure;
      if (outer?.aborted) {
        throw new AbortedError({
          method: 'readPartitions',
          url: '',
          cause: outer.reason,
          message:
            "The partitioned read was aborted by the caller's signal; every partition was stopped.",
        });
      }
      const lane = next();
      if (lane) {
        const page = lane.buffered.shift()!;
        if (!ordered) arrivals.shift();
        const wake = roomWaiters.get(lane);
        roomWaiters.delete(lane);
        wake?.();
        if (ordered) {
          // Drop lanes that are finished and read, so the head search stays short.
          while (lanes[0]?.done && lanes[0].buffered.length === 0) lanes.shift();
        }
        yield page;
        continue;
      }
      if (finished()) return;
      await new Promise<void>((resolve) => {
        wakeConsumer = resolve;
      });
    }
  } finally {
    stop.abort();
    for (const wake of roomWaiters.values()) wake();
    roomWaiters.clear();
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
