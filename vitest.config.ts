import { defineConfig } from 'vitest/config';

// `npm test`: unit and integration tests. The property, fuzz and large-grid suites (test/property/,
// test/slow/) run with `npm run test:slow` (vitest.slow.config.ts), the browser tests with
// `npm run test:browser`.
export const SLOW = ['test/property/**/*.test.ts', 'test/slow/**/*.test.ts'];

// Files that replace modules with vi.mock need a module cache of their own; every other file shares
// its worker's cache (isolate: false), which saves importing src/ again for each of forty files.
const MOCKING = ['test/internal-error.test.ts'];

export default defineConfig({
  test: {
    // Two files at a time even on two cores: most of an integration test is spent waiting for the
    // CLI's worker threads.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', ...SLOW, ...MOCKING],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING } },
    ],
  },
});
