export const placeholder = 'crm-salesforce/index' as const;
