// RabbitMQ: a job is dead-lettered by publishing it to the dead queue, then acking the delivery.
// When the channel drops between the two (a reset connection), the broker hands the delivery out
// again and the next worker buries it again: two copies of one job in the dead queue. The fault
// suite's 'cut' found it (seed 1136613680: a job in the dead letters 3 times).
import amqp, { type Channel, type ChannelModel, type Message } from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue, PermanentJobError } from '../src/index.js';
import { memoryKeyValueStore } from '../src/memory/kv.js';
import { rabbitmqQueueStore } from '../src/rabbitmq.js';
import { rabbitUrl, serviceAvailable, uniquePrefix, until } from './support/services.js';

const rabbit = await serviceAvailable('rabbitmq');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A connection whose consumer channels drop instead of sending their first `drops` acks. */
function droppingAcks(connection: ChannelModel, drops: { left: number }): ChannelModel {
  return new Proxy(connection, {
    get(target, property) {
      if (property === 'createChannel') {
        return async () => {
          const channel: Channel = await target.createChannel();
          const ack = channel.ack.bind(channel);
          channel.ack = (message: Message, allUpTo?: boolean) => {
            if (drops.left > 0) {
              drops.left -= 1;
              void channel.close().catch(() => {}); // the ack never reaches the broker
              return;
            }
            ack(message, allUpTo);
          };
          return channel;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe.skipIf(!rabbit)('RabbitMQ dead letters', () => {
  it('a bury whose ack was lost to a dropped channel lists the job once, and replay leaves no copy behind', async () => {
    const prefix = uniquePrefix('dl');
    const connection = await amqp.connect(rabbitUrl);
    const drops = { left: 1 };
    const store = rabbitmqQueueStore(droppingAcks(connection, drops), {
      prefix,
      dedupe: memoryKeyValueStore(),
    });
    cleanups.push(async () => {
      await store.deleteQueue('orders').catch(() => {});
      await store.close();
      await connection.close().catch(() => {});
    });
    const queue = createQueue<{ order: number }>(store, { name: 'orders' });
    const { id } = await queue.enqueue({ order: 7 }, { key: 'order-7' });

    const runs: number[] = [];
    const handler = (job: { attempt: number }) => {
      runs.push(job.attempt);
      throw new PermanentJobError('order 7 is refused');
    };
    // The first worker buries the job and its channel drops before the ack: work() stops.
    await expect(queue.work(handler, { pollMs: 20 })).rejects.toMatchObject({
      code: 'STORE_CONFIG',
    });
    // A supervisor starts the worker again; the broker hands the job out again and it is buried again.
    const stop = new AbortController();
    const again = queue.work(handler, { pollMs: 20, signal: stop.signal });
    await until(() => runs.length === 2, 10_000).finally(() => stop.abort());
    await again;

    const dead = await queue.deadLetters();
    expect(dead.map((d) => [d.id, d.key, d.lastError])).toEqual([
      [id, 'order-7', 'PermanentJobError [JOB_REJECTED]: order 7 is refused'],
    ]);
    expect((await queue.list({ state: 'dead' })).map((job) => job.id)).toEqual([id]);

    // Replay puts the job back once and removes every copy from the dead queue.
    expect(await queue.replay(id)).toBe(true);
    expect(await queue.deadLetters()).toEqual([]);
    expect((await queue.list({ state: 'ready' })).map((job) => job.id)).toEqual([id]);
    expect(await queue.replay(id)).toBe(false);
  });
});
