import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'doc-test',
    include: ['*.test.ts'],
    // Type-checking builds a TypeScript program per README: allow for a busy 2-core machine.
    testTimeout: 120_000,
  },
});
