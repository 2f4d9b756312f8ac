// Part of `npm run build`: replaces dist/output/report/chart-modules.js (re-exports of vega and
// vega-lite) with a loader of one bundled file exporting the same namespaces, so drawing a report
// loads one script instead of the packages' many (src/output/report/chart-modules.ts says why).
//
// The bundle is a CommonJS script (chart-modules.cjs) that the loader compiles with node:vm, so V8
// can start from a code cache of it (chart-modules.cache, written by scripts/cache-charts.mjs once
// the rest of dist/ is built): the bytecode of the functions a report runs, instead of parsing and
// compiling vega's code again in every process. Without the cache, or with one V8 rejects (another
// Node version), it compiles as any script does.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

// vega-canvas looks for the optional `canvas` package with a top-level await, which a script cannot
// hold. The report draws SVG with no canvas (vega then estimates text widths), so the bundle gets a
// vega-canvas that never finds one: the same SVG whatever else is installed.
const noCanvas = {
  name: 'no-canvas',
  setup(b) {
    b.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: 'vega-canvas', namespace: 'no-canvas' }));
    b.onLoad({ filter: /.*/, namespace: 'no-canvas' }, () => ({
      contents: 'export function canvas() { return null; }\nexport function image() { return null; }\n',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: ['src/output/report/chart-modules.ts'],
  outfile: 'dist/output/report/chart-modules.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
  plugins: [noCanvas],
});

rmSync('dist/output/report/chart-modules.js.map', { force: true }); // tsc's, of the file replaced below
writeFileSync(
  'dist/output/report/chart-modules.js',
  `// Written by scripts/bundle-charts.mjs: vega and vega-lite from one bundled script, compiled with
// V8's code cache of it when there is one that V8 accepts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const file = fileURLToPath(new URL('./chart-modules.cjs', import.meta.url));
let cachedData;
try {
  cachedData = readFileSync(fileURLToPath(new URL('./chart-modules.cache', import.meta.url)));
} catch {
  // no cache: compiled from source
}
const script = new Script(
  \`(function (exports, require, module, __filename, __dirname) {\${readFileSync(file, 'utf8')}\\n})\`,
  { filename: file, cachedData },
);
// for scripts/cache-charts.mjs, which writes the cache once a report has run
globalThis[Symbol.for('moe-sweep.chart-script')] = script;
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
export const { vegaLite, vega } = bundle.exports;
`,
);
