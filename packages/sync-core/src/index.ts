export const placeholder = 'sync-core/index' as const;
