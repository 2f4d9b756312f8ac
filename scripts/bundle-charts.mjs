// Part of `npm run build`: replaces dist/output/report/chart-modules.js (re-exports of vega and
// vega-lite) with one bundled file exporting the same namespaces, so drawing a report loads one
// module instead of the packages' many (src/output/report/chart-modules.ts says why).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/output/report/chart-modules.ts'],
  outfile: 'dist/output/report/chart-modules.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  allowOverwrite: true,
  logLevel: 'warning',
});
