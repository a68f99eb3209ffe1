// @plumbline/sync-core/rabbitmq: the durable queue on RabbitMQ 3.8+ (amqplib, an optional peer dependency).

export {
  type RabbitQueueStore,
  type RabbitQueueStoreOptions,
  type RabbitSource,
  rabbitmqQueueStore,
} from './stores/rabbitmq/queue.js';
