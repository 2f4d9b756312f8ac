import { defineConfig } from 'vitest/config';

// `npm test`: unit and integration tests. The property, fuzz and large-grid suites (test/property/,
// test/slow/) run with `npm run test:slow` (vitest.slow.config.ts), the browser tests with
// `npm run test:browser`.
export const SLOW = ['test/property/**/*.test.ts', 'test/slow/**/*.test.ts'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', ...SLOW],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
