import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue } from '../src/index.js';
import { memoryKeyValueStore } from '../src/memory/kv.js';
import { rabbitmqQueueStore } from '../src/rabbitmq.js';
import { rabbitUrl, serviceAvailable, uniquePrefix, until } from './support/services.js';

const rabbit = await serviceAvailable('rabbitmq');
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.skipIf(!rabbit)('RabbitMQ dedupe', () => {
  it('a publish the broker refuses does not leave its key marked: the next enqueue publishes the job and a worker runs it', async () => {
    const prefix = uniquePrefix('dd');
    const connection = await amqp.connect(rabbitUrl);
    const store = rabbitmqQueueStore(connection, { prefix, dedupe: memoryKeyValueStore() });
    const admin = await connection.createChannel();
    cleanups.push(async () => {
      await store.deleteQueue('orders').catch(() => {});
      await store.close();
      await connection.close().catch(() => {});
    });
    // A queue of the same name declared with other arguments: the broker refuses the store's
    // declaration (PRECONDITION_FAILED) and closes its channel, so the publish never happens.
    await admin.assertQueue(`${prefix}orders`, { durable: false, autoDelete: true });
    const queue = createQueue<{ order: number }>(store, { name: 'orders' });
    await expect(queue.enqueue({ order: 1 }, { key: 'order-1' })).rejects.toThrow();

    await admin.deleteQueue(`${prefix}orders`);
    await admin.close();
    const again = await queue.enqueue({ order: 1 }, { key: 'order-1' });
    expect(again.created).toBe(true);

    const seen: string[] = [];
    const stop = new AbortController();
    const worker = queue.work(
      (job) => {
        seen.push(job.id);
      },
      { signal: stop.signal },
    );
    await until(() => seen.length === 1, 10_000).finally(() => stop.abort());
    await worker;
    expect(seen).toEqual([again.id]);
  });
});
