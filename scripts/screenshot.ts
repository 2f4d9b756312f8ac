// A full-page PNG of a report, rendered by Chromium from disk with the network cut off.
//   npx tsx scripts/screenshot.ts reports/target-30b-active/report.html out.png [--width 1280]
// Chromium is taken from CHROMIUM_PATH, else /usr/bin/chromium (Debian: apt-get install chromium).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumPath, missingChromium, openOffline } from './offline-chromium.js';

const USAGE = 'usage: npx tsx scripts/screenshot.ts <report.html> <out.png> [--width 1280]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

let parsed: ReturnType<
  typeof parseArgs<{
    allowPositionals: true;
    options: { width: { type: 'string'; default: string }; help: { type: 'boolean'; short: 'h' } };
  }>
>;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { width: { type: 'string', default: '1280' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [input, output] = parsed.positionals;
if (!input || !output || parsed.positionals.length > 2) fail(USAGE);
const width = Number(parsed.values.width);
if (!Number.isInteger(width) || width < 200 || width > 10_000)
  fail(`--width: expected a whole number of pixels from 200 to 10000, got ${parsed.values.width}`);

const report = resolve(input);
if (!existsSync(report)) fail(`no such file: ${input}`);
const missing = missingChromium(chromiumPath());
if (missing) fail(missing);

const { browser, context } = await openOffline({ width, height: 900 });
try {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('request', (r) => {
    if (r.url() !== pathToFileURL(report).href) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  // The live charts replace the static ones once vega has rendered them.
  await page.waitForFunction(
    () =>
      document.documentElement.hasAttribute('data-live') || document.documentElement.hasAttribute('data-live-error'),
    null,
    { timeout: 30_000 },
  );
  await page.screenshot({ path: resolve(output), fullPage: true });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  process.stdout.write(`wrote ${output} (${width} x ${height} px)\n`);
  for (const p of problems) process.stderr.write(`warning: ${p}\n`);
} finally {
  await browser.close();
}
