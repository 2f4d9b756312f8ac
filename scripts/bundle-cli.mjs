// Part of `npm run build` (after tsc and the other steps): bundles the CLI (src/cli/bin.ts with its
// own modules, commander, yaml, zod, csv-stringify and handlebars' runtime) into dist/cli/bin.js and
// chunk files beside it. Node then reads and compiles some twenty files for a `calc` instead of
// resolving over a hundred ES modules one by one, which was most of its time beyond Node's own
// start-up (docs/performance.md). Code splitting keeps every lazy import lazy: each command, the spec
// validator, the report stack and the catalogue's YAML readers stay in chunks that load only when
// the CLI imports them, as from tsc's output.
//
// The rest of dist/ is tsc's output and stays as it is (dist/index.js, the library, imports it).
// The bundle leans on it in three ways:
// - every `import.meta.url` in a bundled module is rewritten to the URL of that module's tsc output,
//   so what the code finds by path (data/, presets/, package.json, dist/catalog/catalogue.json, the
//   precompiled template, dist/browser/report.bundle.js) it finds from the same place as before,
//   whichever chunk the code lands in;
// - except in src/pool/pool.ts, which names its worker by URL (`./worker.js`): from the bundle that
//   is dist/cli/worker.js, the worker (src/pool/worker.ts) bundled on its own into one file, which a
//   worker thread loads in about half the time of tsc's dist/pool/worker.js and its modules;
// - a few modules stay tsc's files, imported from the bundle: chart-modules.js (already one bundle
//   of vega and vega-lite, scripts/bundle-charts.mjs), and metrics/design.js with the registry it
//   imports, because the report inlines metricsInto's source as tsc compiled it
//   (src/output/report/html.ts), which esbuild would print differently.
// piscina stays a package import: it starts its own worker from its own files. commander's
// require of node:child_process (for subcommands that are executables, which this CLI has none of)
// is deferred to its first use: loading it cost a few milliseconds of every command.
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
/** The bundle's one folder: the entry and every chunk sit here, so one relative path fits them all. */
const OUT = join(DIST, 'cli');
/** Chunk files are named `bundle-<hash>.js`, apart from tsc's files in the same folder. */
const CHUNK_PREFIX = 'bundle-';

/** Source files imported from tsc's output instead of bundled. */
const KEEP = ['output/report/chart-modules.ts', 'metrics/design.ts', 'metrics/registry.ts'].map((f) => join(SRC, f));
/** The one module whose import.meta.url is the bundle's own: it finds the bundled worker beside it. */
const POOL = join(SRC, 'pool', 'pool.ts');
/**
 * Packages imported as packages: piscina starts its own worker from its own files; handlebars'
 * compiler is needed only without the precompiled template (its runtime, which a report loads, is
 * bundled: as a package it took some 30 ms to load).
 */
const EXTERNAL_PACKAGES = /^(piscina|handlebars)$/;

/** The path, from the bundle's folder, of a source file's tsc output. */
function fromBundle(srcFile) {
  const js = join(DIST, relative(SRC, srcFile)).replace(/\.ts$/, '.js');
  const rel = relative(OUT, js).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

const COMMANDER_CHILD_PROCESS = "const childProcess = require('node:child_process');";

/** @type {import('esbuild').Plugin} */
const lazyChildProcessPlugin = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      // commander calls childProcess.spawn only; a new version that does more fails the build here
      const uses = text.match(/childProcess\.\w+/g) ?? [];
      if (!text.includes(COMMANDER_CHILD_PROCESS) || uses.some((u) => u !== 'childProcess.spawn'))
        throw new Error(`${args.path}: commander no longer requires node:child_process as expected`);
      const lazy =
        "let childProcessModule; const childProcess = { spawn: (...a) => (childProcessModule ??= require('node:child_process')).spawn(...a) };";
      return { contents: text.replace(COMMANDER_CHILD_PROCESS, lazy), loader: 'js' };
    });
  },
};

/** @type {import('esbuild').Plugin} */
const tscOutputPlugin = {
  name: 'tsc-output',
  setup(b) {
    b.onResolve({ filter: EXTERNAL_PACKAGES }, (args) => ({ path: args.path, external: true }));
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'resolving') return undefined;
      const r = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (r.errors.length > 0 || !KEEP.includes(r.path)) return undefined;
      return { path: fromBundle(r.path), external: true };
    });
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path === POOL) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const url = `new URL(${JSON.stringify(fromBundle(args.path))}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

// The previous build's chunks (their names change with their contents).
mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT)) if (f.startsWith(CHUNK_PREFIX)) rmSync(join(OUT, f));

/** @type {import('esbuild').BuildOptions} */
const common = {
  absWorkingDir: ROOT,
  metafile: true,
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [tscOutputPlugin, lazyChildProcessPlugin],
  // commander and csv-stringify are CommonJS and require node's own modules: esbuild's shim of
  // require in an ES module calls a `require` in scope, this one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  // whitespace and syntax only: names stay as written, in stack traces and in `.name`
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  allowOverwrite: true,
  logLevel: 'warning',
};
const cli = await build({
  ...common,
  entryPoints: { bin: join(SRC, 'cli', 'bin.ts') },
  chunkNames: `${CHUNK_PREFIX}[hash]`,
  splitting: true,
});
// One file with all it needs: a worker thread has its own modules, so nothing is shared with the CLI.
const worker = await build({ ...common, entryPoints: { worker: join(SRC, 'pool', 'worker.ts') } });
chmodSync(join(OUT, 'bin.js'), 0o755);
// tsc's map described the bin.js the bundle replaced
rmSync(join(OUT, 'bin.js.map'), { force: true });

// What each output file holds, by package and source file: test/startup.test.ts reads it to tell
// which packages and modules a command loaded from the chunks the process loaded.
const inputs = {};
for (const [file, { inputs: of }] of Object.entries({ ...cli.metafile.outputs, ...worker.metafile.outputs })) {
  const held = new Set();
  for (const input of Object.keys(of)) {
    const pkg = input.match(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
    held.add(pkg ?? relative(ROOT, join(ROOT, input)).split(sep).join('/'));
  }
  inputs[relative(OUT, join(ROOT, file)).split(sep).join('/')] = [...held].sort();
}
writeFileSync(join(OUT, 'bundle-inputs.json'), `${JSON.stringify(inputs, null, 1)}\n`);
