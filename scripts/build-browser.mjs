// Bundles the report's browser code (src/browser/report.ts with vega and vega-interpreter) into one
// minified script, dist/browser/report.bundle.js, which the report inlines. Run by `npm run build`.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildBrowser() {
  mkdirSync(join(ROOT, 'dist', 'browser'), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'src', 'browser', 'report.ts')],
    outfile: join(ROOT, 'dist', 'browser', 'report.bundle.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBrowser();

/** vitest's globalSetup: the tests render reports from src/, which inline this bundle. */
export async function setup() {
  await buildBrowser();
}
