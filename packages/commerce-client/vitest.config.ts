import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'commerce-client',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
