// Part of `npm run build`, after the rest of dist/ is built: draws the reports of a few example
// sweeps (the charts of every kind a report has: scatter, front, heatmap, parallel coordinates,
// serving, quality, training) with the bundled vega of dist/output/report/chart-modules.cjs, then
// writes V8's code cache of that script, which then holds the bytecode of every function they ran
// (scripts/bundle-charts.mjs says how it is used).
import { rmSync, writeFileSync } from 'node:fs';

const cache = 'dist/output/report/chart-modules.cache';
rmSync(cache, { force: true }); // the sweeps below compile from source
const { loadSpec, runSweepSync, renderReport, reportData, loadCatalog } = await import('../dist/index.js');
const catalog = loadCatalog();
for (const name of ['target-30b-active', 'mla-one-h200-node', 'quality-small-moe', 'train-budget']) {
  const result = runSweepSync(loadSpec(`sweeps/${name}.yaml`));
  await renderReport({ result, data: reportData(result, catalog), exitCode: 0, csvFile: 'results.csv' });
}
const script = globalThis[Symbol.for('moe-sweep.chart-script')];
if (!script) throw new Error('cache-charts: the reports did not load dist/output/report/chart-modules.js');
writeFileSync(cache, script.createCachedData());
