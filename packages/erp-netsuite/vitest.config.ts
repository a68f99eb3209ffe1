import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'erp-netsuite',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
