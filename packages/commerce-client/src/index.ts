export const placeholder = 'commerce-client/index' as const;
