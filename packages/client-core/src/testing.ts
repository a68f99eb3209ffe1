export const placeholder = 'client-core/testing' as const;
