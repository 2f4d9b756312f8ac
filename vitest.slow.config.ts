import { defineConfig } from 'vitest/config';
import { SLOW } from './vitest.config.js';

// `npm run test:slow`: property-based fuzzing of the CLI, the fuzz corpus replays, and the sweeps of
// large grids (memory bounds, determinism across worker counts, shards merged back).
export default defineConfig({
  test: {
    include: SLOW,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    globalSetup: ['scripts/build-browser.mjs'],
  },
});
