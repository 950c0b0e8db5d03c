// The tests `npm run mutate` (StrykerJS) runs against each mutant: the ones that call the mutated modules in the
// test process itself. Tests that run the built CLI (dist/, a child process) cannot see Stryker's active mutant, so
// they are left out, and so is the global setup that builds dist/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/format-time.test.ts', 'test/network-sources.test.ts', 'test/sources-prices.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
