export const placeholder = 'sync-core/rabbitmq' as const;
