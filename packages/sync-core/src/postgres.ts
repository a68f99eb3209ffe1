export const placeholder = 'sync-core/postgres' as const;
