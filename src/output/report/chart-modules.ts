// vega and vega-lite behind one module, imported only when a report is drawn. In the package the
// build replaces the compiled file with a loader of one esbuild bundle of the same two namespaces,
// compiled from V8's code cache of it (scripts/bundle-charts.mjs, scripts/cache-charts.mjs): Node
// then compiles one script instead of some two hundred modules (about 250 ms to load them became
// about 90 ms on the benchmark machine), and with the cache it skips most of compiling vega's code
// for each report (docs/performance.md). Run from source (tests, tsx) it re-exports the packages as
// they are.
export * as vegaLite from 'vega-lite';
export * as vega from 'vega';
