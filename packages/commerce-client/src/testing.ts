export const placeholder = 'commerce-client/testing' as const;
