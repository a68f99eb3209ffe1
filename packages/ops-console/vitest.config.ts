import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'ops-console',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
