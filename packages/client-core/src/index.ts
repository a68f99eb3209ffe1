export const placeholder = 'client-core/index' as const;
