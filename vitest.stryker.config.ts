import { defineConfig } from 'vitest/config';
import { SLOW } from './vitest.config.js';

// The unit suite Stryker runs for every mutant (stryker.config.mjs). It leaves out the tests that
// spawn the CLI or a worker pool, and the property and scale tests: they exercise the core only
// through whole sweeps, take most of the 4 minutes of `vitest run` on 2 cores, and would make
// Stryker's dry run and every mutant they cover that much slower.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'test/browser/**',
      ...SLOW,
      'test/architecture.test.ts',
      'test/cli.test.ts',
      'test/cli-executable.test.ts',
      'test/ci-reporting.test.ts',
      'test/sweep.test.ts',
      'test/quality-sweep.test.ts',
      'test/report.test.ts',
      'test/architecture-sweep.test.ts',
      'test/internal-error.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
