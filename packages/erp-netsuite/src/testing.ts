export const placeholder = 'erp-netsuite/testing' as const;
