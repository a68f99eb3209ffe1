export const placeholder = 'sync-core/sqlite' as const;
