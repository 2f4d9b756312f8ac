import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm test`: unit and integration tests. The property, fuzz and large-grid suites (test/property/,
// test/slow/) run with `npm run test:slow` (vitest.slow.config.ts), the browser tests with
// `npm run test:browser`.
export const SLOW = ['test/property/**/*.test.ts', 'test/slow/**/*.test.ts'];

// Test files share their worker's module cache (isolate: false), which saves importing src/ again for
// each of forty files. A file that replaces modules or globals (vi.mock, vi.doMock, vi.stubGlobal,
// vi.stubEnv) would leak into the files after it, and may find the real module already loaded, so
// such files are found here and run with a module cache of their own.
const ROOT = fileURLToPath(new URL('.', import.meta.url));
const MOCKING = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f.split(sep).join('/')}`)
  .filter((f) => /\bvi\.(mock|doMock|stubGlobal|stubEnv)\(/.test(readFileSync(join(ROOT, f), 'utf8')))
  .sort();

export default defineConfig({
  test: {
    // Two files at a time even on two cores: most of an integration test is spent waiting for the
    // CLI's worker threads.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Reports inline the browser bundle (dist/browser/report.bundle.js): built before any test runs.
    globalSetup: ['scripts/build-browser.mjs'],
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
      ...(MOCKING.length
        ? [{ extends: true as const, test: { name: 'isolated', include: MOCKING, exclude: SLOW } }]
        : []),
    ],
  },
});
