import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'crm-salesforce',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
