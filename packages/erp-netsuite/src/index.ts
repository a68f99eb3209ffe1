export const placeholder = 'erp-netsuite/index' as const;
