export const placeholder = 'crm-salesforce/testing' as const;
