import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'examples',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // End-to-end runs against three emulators: allow for a busy 2-core machine.
    testTimeout: 30_000,
  },
});
