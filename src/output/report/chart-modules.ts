// vega and vega-lite behind one module, imported only when a report is drawn. In the package the
// build replaces the compiled file with a single-file esbuild bundle of the same two namespaces
// (scripts/bundle-charts.mjs): Node then compiles one file instead of some two hundred modules, which
// cut loading them from about 250 ms to about 90 ms on the benchmark machine (docs/performance.md).
// Run from source (tests, tsx) it re-exports the packages as they are.
export * as vegaLite from 'vega-lite';
export * as vega from 'vega';
