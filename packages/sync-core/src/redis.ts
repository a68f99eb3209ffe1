export const placeholder = 'sync-core/redis' as const;
