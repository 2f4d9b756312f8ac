// Mutation testing of the counting and sizing core: `npm run mutate` (see docs/mutation.md).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // The fast unit suite without the slow CLI / property / scale tests: see vitest.stryker.config.ts.
  vitest: { configFile: 'vitest.stryker.config.ts' },
  coverageAnalysis: 'perTest',
  // TypeScript 7's native tsc has no compiler API for Stryker's tsconfig rewrite: no tsconfig, and
  // no type checks in the mutated sources (vitest strips types anyway).
  tsconfigFile: '',
  disableTypeChecks: '{src,test}/**/*.ts',
  mutate: [
    'src/metrics/**/*.ts',
    'src/arch/count.ts',
    'src/serving/throughput.ts',
    'src/serving/parallel.ts',
    'src/serving/routing.ts',
    'src/serving/random.ts',
    'src/arch/kv-cache.ts',
    'src/evaluate/pareto.ts',
    'src/grid/**/*.ts',
  ],
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // Module-level constants (the METRICS descriptions, the id tables) are "static" mutants: each needs the
  // whole suite, they took ~3/4 of the run time, and their strings are documentation, not formulas.
  ignoreStatic: true,
  thresholds: { high: 90, low: 80, break: 80 },
};
