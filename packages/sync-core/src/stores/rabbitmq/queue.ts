import { randomUUID } from 'node:crypto';
import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type GetMessage,
  type Options,
} from 'amqplib';
import type { KeyValueStore } from '../../kv.js';
import {
  type BrokerQueueStore,
  backoffDelay,
  checkJobOptions,
  checkListOptions,
  checkWorkOptions,
  type DeadLetter,
  encodePayload,
  errorReason,
  isPermanentError,
  type JobHandler,
  type JobOptions,
  jobLeaseLost,
  leaseLostReporter,
  type Queue,
  type QueuedJob,
  type QueueOptions,
  requireQueueName,
  type WorkOptions,
  type WorkSummary,
} from '../../queue/queue.js';
import { InvalidInputError, StoreConfigError } from '../errors.js';
import { requirePositiveInt, requirePrefix } from '../input.js';

const H = {
  attempts: 'x-plumbline-attempts',
  max: 'x-plumbline-max-attempts',
  key: 'x-plumbline-key',
  created: 'x-plumbline-created',
  error: 'x-plumbline-error',
  failed: 'x-plumbline-failed-at',
} as const;

export interface RabbitQueueStoreOptions {
  /** Prefix of every queue name (letters, digits, `_`). Default `plumbline_`. */
  prefix?: string;
  /**
   * RabbitMQ has no dedupe; pass a KeyValueStore (e.g. the Redis or PostgreSQL one) to make
   * `key` dedupe enqueues while a job is queued, running or dead. Without it keys are only carried.
   */
  dedupe?: KeyValueStore;
  /**
   * How long an enqueue's dedupe mark holds before a worker takes the job over (default 600 000).
   * The mark is written before publishing and removed again if the publish fails; a process killed
   * between the two leaves a mark that frees itself after this long, so the job can be enqueued
   * again. A job still waiting in the queue after this long may be enqueued twice (at-least-once).
   */
  dedupePendingMs?: number;
  /** Work-queue type. Quorum queues (default) count redeliveries, so a crash-looping job is dead-lettered. */
  queueType?: 'quorum' | 'classic';
}

export interface RabbitQueueStore extends BrokerQueueStore {
  /** Deletes a queue's work, dead-letter and known retry queues (tests, decommissioning). */
  deleteQueue(name: string): Promise<void>;
  close(): Promise<void>;
}

/** An amqplib connection (ChannelModel) the store never closes, or a URL / connect options it owns. */
export type RabbitSource = ChannelModel | string | Options.Connect;

interface Topology {
  work: string;
  dead: string;
  retry(delayMs: number): string;
}

/**
 * The durable queue on RabbitMQ 3.8+: durable queues, persistent messages, publisher confirms,
 * manual acks with prefetch = concurrency, retries through per-delay queues whose messages expire
 * (per-message TTL) and dead-letter back to the work queue, and a dead-letter queue for exhausted jobs.
 */
export function rabbitmqQueueStore(
  source: RabbitSource,
  options: RabbitQueueStoreOptions = {},
): RabbitQueueStore {
  const prefix = requirePrefix(options.prefix, 'plumbline_');
  const queueType = options.queueType ?? 'quorum';
  if (queueType !== 'quorum' && queueType !== 'classic') {
    throw new StoreConfigError(
      'queueType',
      `must be 'quorum' or 'classic', got ${String(queueType)}`,
    );
  }
  const owned = !(source && typeof (source as ChannelModel).createChannel === 'function');
  let connection: Promise<ChannelModel> | undefined;
  let confirm: Promise<ConfirmChannel> | undefined;
  const connect = () => {
    connection ??= owned
      ? amqp.connect(source as string | Options.Connect).then(
          (model) => {
            model.on('error', () => {}); // surfaced through channel errors instead
            model.on('close', () => {
              connection = undefined;
              confirm = undefined;
            });
            return model;
          },
          (error) => {
            connection = undefined; // the next call connects again
            throw error;
          },
        )
      : Promise.resolve(source as ChannelModel);
    return connection;
  };
  const publisher = () => {
    confirm ??= connect()
      .then((model) => model.createConfirmChannel())
      .then((channel) => {
        channel.on('error', () => {});
        channel.on('close', () => {
          confirm = undefined;
        });
        return channel;
      })
      .catch((error) => {
        confirm = undefined;
        throw error;
      });
    return confirm;
  };
  const buckets = new Map<string, Set<number>>();
  const declared = new Map<string, Promise<Topology>>();

  const topology = (name: string): Promise<Topology> => {
    let ready = declared.get(name);
    if (!ready) {
      ready = (async () => {
        const channel = await publisher();
        const work = `${prefix}${name}`;
        const dead = `${work}.dead`;
        await channel.assertQueue(work, {
          durable: true,
          ...(queueType === 'quorum' ? { arguments: { 'x-queue-type': 'quorum' } } : {}),
        });
        await channel.assertQueue(dead, { durable: true });
        return { work, dead, retry: (delayMs: number) => `${work}.retry.${delayMs}` };
      })();
      ready.catch(() => declared.delete(name));
      declared.set(name, ready);
    }
    return ready;
  };

  const assertRetry = async (name: string, t: Topology, delayMs: number) => {
    const channel = await publisher();
    const queue = t.retry(delayMs);
    // Expired messages dead-letter (default exchange) back to the work queue. Every message in a
    // bucket has the same delay, so expiry at the head of the queue never holds a shorter one back.
    await channel.assertQueue(queue, {
      durable: true,
      messageTtl: delayMs,
      deadLetterExchange: '',
      deadLetterRoutingKey: t.work,
      expires: delayMs * 2 + 60_000,
    });
    const set = buckets.get(name) ?? new Set<number>();
    buckets.set(name, set);
    set.add(delayMs);
    return queue;
  };

  const send = async (queue: string, content: Buffer, props: Options.Publish): Promise<void> => {
    const channel = await publisher();
    await new Promise<void>((resolve, reject) => {
      channel.sendToQueue(queue, content, { ...props, persistent: true }, (error) =>
        error ? reject(error) : resolve(),
      );
    });
  };

  const publishJob = async (
    name: string,
    t: Topology,
    job: { id: string; payload: string; key?: string; maxAttempts: number; createdAt: number },
    delayMs: number,
    headers: Record<string, unknown> = {},
  ) => {
    const target = delayMs > 0 ? await assertRetry(name, t, Math.ceil(delayMs)) : t.work;
    await send(target, Buffer.from(job.payload), {
      messageId: job.id,
      contentType: 'application/json',
      timestamp: Math.floor(job.createdAt / 1000),
      ...(delayMs > 0 ? { expiration: String(Math.ceil(delayMs)) } : {}),
      headers: {
        [H.attempts]: 0,
        [H.max]: job.maxAttempts,
        [H.created]: job.createdAt,
        ...(job.key === undefined ? {} : { [H.key]: job.key }),
        ...headers,
      },
    });
  };

  const dedupeKey = (name: string, key: string) => `${prefix}${name}:dedupe:${key}`;
  const pendingMs = requirePositiveInt('dedupePendingMs', options.dedupePendingMs ?? 600_000);

  /**
   * Marks `key` as taken by `id` before publishing. The mark expires after `pendingMs` unless a
   * worker takes the job over (then it holds until the job completes), and is undone if the
   * publish fails, so a failed publish never leaves a key pointing at a job that does not exist.
   */
  const markThenPublish = async (
    dedupe: KeyValueStore,
    mark: string,
    id: string,
    publish: () => Promise<void>,
  ): Promise<{ id: string; created: boolean }> => {
    if (!(await dedupe.setIfAbsent(mark, id, { ttlMs: pendingMs }))) {
      return { id: (await dedupe.get(mark)) ?? id, created: false };
    }
    try {
      await publish();
    } catch (error) {
      if ((await dedupe.get(mark).catch(() => undefined)) === id) {
        await dedupe.delete(mark).catch(() => {});
      }
      throw error;
    }
    return { id, created: true };
  };

  const open = <P>(queueOptions: QueueOptions): Queue<P> => {
    const name = requireQueueName(queueOptions?.name);
    const defaultAttempts = requirePositiveInt('maxAttempts', queueOptions.maxAttempts ?? 5);
    if (queueOptions.keepDoneMs !== undefined && queueOptions.keepDoneMs !== 0) {
      throw new StoreConfigError(
        'keepDoneMs',
        'is not supported on RabbitMQ: an acknowledged message is gone; record completions in your sink',
      );
    }
    const clock = Date.now; // timestamps only (created, failed); the broker judges every expiry

    const enqueueOne = async (item: { payload: P } & JobOptions) => {
      const { key, delayMs, maxAttempts } = checkJobOptions(item, defaultAttempts);
      const job = {
        id: randomUUID(),
        payload: encodePayload(item.payload),
        maxAttempts,
        createdAt: clock(),
        ...(key === undefined ? {} : { key }),
      };
      const publish = async () => publishJob(name, await topology(name), job, delayMs);
      if (key !== undefined && options.dedupe) {
        return markThenPublish(options.dedupe, dedupeKey(name, key), job.id, publish);
      }
      await publish();
      return { id: job.id, created: true };
    };

    return {
      name,
      async enqueue(payload, jobOptions) {
        return enqueueOne({ ...jobOptions, payload });
      },
      async enqueueMany(jobs) {
        if (!Array.isArray(jobs)) throw new InvalidInputError('jobs', 'must be an array');
        const out = [];
        // Publish in windows: confirms for a window are awaited together.
        for (let i = 0; i < jobs.length; i += 500) {
          const window = jobs.slice(i, i + 500);
          const keyed = window.some((job) => job.key !== undefined) && options.dedupe;
          if (keyed) {
            for (const job of window) out.push(await enqueueOne(job));
          } else {
            out.push(...(await Promise.all(window.map(enqueueOne))));
          }
        }
        return out;
      },
      work: (handler, workOptions = {}) => consume(name, handler, workOptions, clock),
      async list(listOptions) {
        const { state, limit } = checkListOptions(listOptions);
        if (state !== 'ready' && state !== 'dead') {
          throw new InvalidInputError(
            'state',
            `RabbitMQ can list ready and dead jobs only (a broker does not expose ${state} ones), got ${state}`,
          );
        }
        const t = await topology(name);
        const out: Array<QueuedJob<P>> = [];
        const seen = new Set<string>();
        await browse(state === 'ready' ? t.work : t.dead, (message) => {
          if (out.length >= limit) return 'stop';
          // A bury whose ack was lost left a second copy of the job in the dead queue: list it once.
          if (state === 'dead' && !firstCopy(seen, message)) return 'keep';
          const h = message.properties.headers ?? {};
          out.push({
            id: String(message.properties.messageId),
            ...(h[H.key] === undefined ? {} : { key: String(h[H.key]) }),
            payload: decodeLoose<P>(message.content),
            state,
            attempts: Number(h[H.attempts] ?? 0),
            maxAttempts: Number(h[H.max] ?? defaultAttempts),
            createdAt: Number(h[H.created] ?? 0),
            runAt: Number(h[H.created] ?? 0),
            ...(h[H.error] === undefined ? {} : { lastError: String(h[H.error]) }),
            ...(h[H.failed] === undefined ? {} : { finishedAt: Number(h[H.failed]) }),
          });
          return 'keep';
        });
        return out;
      },
      async sweep() {
        return 0; // RabbitMQ keeps no finished jobs
      },
      async deadLetters(listOptions) {
        const limit = listOptions?.limit ?? 100;
        const t = await topology(name);
        const out: Array<DeadLetter<P>> = [];
        const seen = new Set<string>();
        await browse(t.dead, (message) => {
          if (out.length >= limit) return 'stop';
          if (!firstCopy(seen, message)) return 'keep'; // a copy left by a bury whose ack was lost
          const h = message.properties.headers ?? {};
          out.push({
            id: String(message.properties.messageId),
            ...(h[H.key] === undefined ? {} : { key: String(h[H.key]) }),
            payload: decodeLoose<P>(message.content),
            attempts: Number(h[H.attempts] ?? 0),
            lastError: String(h[H.error] ?? ''),
            failedAt: Number(h[H.failed] ?? 0),
            createdAt: Number(h[H.created] ?? 0),
          });
          return 'keep';
        });
        return out;
      },
      async replay(id) {
        if (typeof id !== 'string' || id === '')
          throw new InvalidInputError('id', 'must be a non-empty string');
        const t = await topology(name);
        let found = false;
        // Reads the whole dead queue: the job goes back once, and every copy of it is removed.
        await browse(t.dead, async (message, channel): Promise<'keep' | 'stop'> => {
          if (message.properties.messageId !== id) return 'keep';
          if (found) {
            channel.ack(message);
            return 'keep';
          }
          const h = message.properties.headers ?? {};
          await publishJob(
            name,
            t,
            {
              id,
              payload: message.content.toString(),
              maxAttempts: Number(h[H.max] ?? defaultAttempts),
              createdAt: Number(h[H.created] ?? clock()),
              ...(h[H.key] === undefined ? {} : { key: String(h[H.key]) }),
            },
            0,
          );
          channel.ack(message);
          found = true;
          return 'keep';
        });
        return found;
      },
      async discard(id) {
        if (typeof id !== 'string' || id === '')
          throw new InvalidInputError('id', 'must be a non-empty string');
        const t = await topology(name);
        let key: string | undefined;
        let found = false;
        // Reads the whole dead queue and acks every copy of the job: it is gone for good.
        await browse(t.dead, (message, channel): 'keep' => {
          if (message.properties.messageId !== id) return 'keep';
          const h = message.properties.headers ?? {};
          if (h[H.key] !== undefined) key = String(h[H.key]);
          channel.ack(message);
          found = true;
          return 'keep';
        });
        // The key dedupes no more (as after a completion), unless it already names another job.
        if (found && key !== undefined && options.dedupe) {
          const mark = dedupeKey(name, key);
          if ((await options.dedupe.get(mark)) === id) await options.dedupe.delete(mark);
        }
        return found;
      },
      async stats() {
        const t = await topology(name);
        const channel = await publisher();
        const ready = (await channel.checkQueue(t.work)).messageCount;
        const dead = (await channel.checkQueue(t.dead)).messageCount;
        let delayed = 0;
        for (const delayMs of buckets.get(name) ?? []) {
          delayed += (await assertRetry(name, t, delayMs).then((q) => channel.checkQueue(q)))
            .messageCount;
        }
        return { ready, delayed, dead };
      },
    };
  };

  /** Reads messages of a queue without consuming them: what is not acked goes back when the channel closes. */
  const browse = async (
    queue: string,
    visit: (message: GetMessage, channel: Channel) => 'keep' | 'stop' | Promise<'keep' | 'stop'>,
  ) => {
    const channel = await (await connect()).createChannel();
    channel.on('error', () => {});
    try {
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) return;
        if ((await visit(message, channel)) === 'stop') return;
      }
    } finally {
      await channel.close().catch(() => {});
    }
  };

  const consume = async <P>(
    name: string,
    handler: JobHandler<P>,
    workOptions: WorkOptions,
    clock: () => number,
  ): Promise<WorkSummary> => {
    if (typeof handler !== 'function') throw new InvalidInputError('handler', 'must be a function');
    const { concurrency } = checkWorkOptions(workOptions);
    const permanent = workOptions.isPermanent ?? isPermanentError;
    const report = workOptions.onError ?? (() => {});
    const reportLost = leaseLostReporter(workOptions);
    const summary: WorkSummary = { completed: 0, retried: 0, buried: 0, leaseLost: 0 };
    // On RabbitMQ the lease is the channel: when it closes the broker hands unacked jobs to
    // another consumer, so every job running here has lost its lease.
    const running = new Map<string, { id: string; key?: string; attempt: number }>();
    const signal = workOptions.signal;
    const t = await topology(name);
    const channel = await (await connect()).createChannel();
    await channel.prefetch(concurrency);
    const inflight = new Set<Promise<void>>();
    let stopping = false;

    const lease = new AbortController();
    const carried = (message: ConsumeMessage) => {
      const {
        'x-delivery-count': _count,
        'x-death': _death,
        'x-first-death-exchange': _e,
        'x-first-death-queue': _q,
        'x-first-death-reason': _r,
        ...rest
      } = message.properties.headers ?? {};
      return rest;
    };
    const bury = async (message: ConsumeMessage, attempts: number, reason: string) => {
      await send(t.dead, message.content, {
        messageId: message.properties.messageId,
        contentType: 'application/json',
        headers: {
          ...carried(message),
          [H.attempts]: attempts,
          [H.error]: reason,
          [H.failed]: clock(),
        },
      });
    };

    const handle = async (message: ConsumeMessage) => {
      const h = message.properties.headers ?? {};
      const previous = Number(h[H.attempts] ?? 0);
      const redeliveries = Number(h['x-delivery-count'] ?? 0);
      const attempt = previous + 1 + redeliveries;
      const maxAttempts = Number(h[H.max] ?? 5);
      const id = String(message.properties.messageId ?? '');
      const key = h[H.key] === undefined ? undefined : String(h[H.key]);
      const where = { id, ...(key === undefined ? {} : { key }), attempt };
      const tag = String(message.fields.deliveryTag);
      running.set(tag, where);
      /** Acks the outcome; an ack on a closed channel means the lease was lost: reported. */
      const settle = (outcome: 'completed' | 'retried' | 'buried') => {
        if (lease.signal.aborted) {
          summary.leaseLost += 1;
          reportLost(
            jobLeaseLost(
              where,
              outcome === 'completed' ? 'complete' : outcome === 'retried' ? 'retry' : 'bury',
            ),
            where,
          );
          return;
        }
        channel.ack(message);
        summary[outcome] += 1;
      };
      try {
        // A worker holds the dedupe mark from here until the job completes.
        if (key !== undefined && options.dedupe) {
          await options.dedupe.set(dedupeKey(name, key), id);
        }
        if (attempt > maxAttempts) {
          await bury(
            message,
            attempt - 1,
            `the worker running attempt ${attempt - 1} of ${maxAttempts} stopped without finishing (connection lost)`,
          );
          settle('buried');
          return;
        }
        let payload: P;
        try {
          payload = JSON.parse(message.content.toString()) as P;
        } catch (error) {
          await bury(message, attempt, `payload is not valid JSON: ${errorReason(error)}`);
          settle('buried');
          return;
        }
        try {
          await handler(
            {
              id,
              ...(key === undefined ? {} : { key }),
              payload,
              attempt,
              maxAttempts,
              createdAt: Number(h[H.created] ?? 0),
            },
            { signal: lease.signal },
          );
        } catch (error) {
          report(error, { id, ...(key === undefined ? {} : { key }), attempt });
          const reason = errorReason(error);
          const final = permanent(error) || attempt >= maxAttempts;
          if (final) {
            await bury(message, attempt, reason);
          } else {
            const { [H.error]: _old, ...rest } = carried(message);
            await publishJob(
              name,
              t,
              {
                id,
                payload: message.content.toString(),
                maxAttempts,
                createdAt: Number(h[H.created] ?? clock()),
                ...(key === undefined ? {} : { key }),
              },
              Math.max(1, backoffDelay(attempt, workOptions.backoff)),
              { ...rest, [H.attempts]: attempt, [H.error]: reason },
            );
          }
          settle(final ? 'buried' : 'retried');
          return;
        }
        if (lease.signal.aborted) {
          settle('completed'); // refused and reported: another worker has the job now
          return;
        }
        if (key !== undefined && options.dedupe) {
          await options.dedupe.delete(dedupeKey(name, key)).catch((error) => report(error));
        }
        settle('completed');
      } catch (error) {
        // Could not record the outcome (broker gone): leave the message unacked so it comes back.
        report(error, { id, attempt });
      } finally {
        running.delete(tag);
      }
    };

    return new Promise<WorkSummary>((resolve, reject) => {
      const finish = async (error?: unknown) => {
        signal?.removeEventListener('abort', stop);
        await Promise.allSettled([...inflight]);
        await channel.close().catch(() => {});
        if (error && !stopping) reject(error);
        else resolve(summary);
      };
      const stop = () => {
        if (stopping) return;
        stopping = true;
        channel
          .cancel(tag)
          .catch(() => {})
          .then(() => finish());
      };
      let tag = '';
      channel.on('error', (error) => report(error));
      channel.on('close', () => {
        const first = running.values().next().value;
        lease.abort(
          first
            ? jobLeaseLost(first, 'renew')
            : new StoreConfigError('connection', `the RabbitMQ channel of queue ${name} closed`),
        );
        if (!stopping) {
          stopping = true;
          void Promise.allSettled([...inflight]).then(() =>
            reject(
              new StoreConfigError('connection', `the RabbitMQ channel of queue ${name} closed`),
            ),
          );
        }
      });
      channel
        .consume(
          t.work,
          (message) => {
            if (!message) return; // consumer cancelled by the broker
            const running: Promise<void> = handle(message).finally(() => inflight.delete(running));
            inflight.add(running);
          },
          { noAck: false },
        )
        .then((reply) => {
          tag = reply.consumerTag;
          if (signal?.aborted) stop();
          else signal?.addEventListener('abort', stop, { once: true });
        }, finish);
    });
  };

  return {
    broker: true,
    open,
    async deleteQueue(name) {
      const t = await topology(name);
      const channel = await publisher();
      for (const delayMs of buckets.get(name) ?? []) await channel.deleteQueue(t.retry(delayMs));
      await channel.deleteQueue(t.work);
      await channel.deleteQueue(t.dead);
      declared.delete(name);
      buckets.delete(name);
    },
    async close() {
      const channel = confirm;
      const model = connection;
      confirm = undefined;
      connection = undefined;
      if (channel) await channel.then((c) => c.close()).catch(() => {});
      if (owned && model) await model.then((m) => m.close()).catch(() => {});
    },
  };
}

/** Whether this is the first message of its job id met in a browse (later ones are copies). */
function firstCopy(seen: Set<string>, message: GetMessage): boolean {
  const id = String(message.properties.messageId);
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}

function decodeLoose<P>(content: Buffer): P {
  const text = content.toString();
  try {
    return JSON.parse(text) as P;
  } catch {
    return text as unknown as P;
  }
}
