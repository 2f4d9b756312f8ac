// Hostile names in the HTML report and the CSV: a spec whose description and named designs hold
// markup that would run script if it were not escaped, spreadsheet formulas, quotes, commas, a line
// break and unicode (test/fixtures/specs/hostile-strings-in-names.yaml). The CLI builds the report from source; it is
// opened from disk in Chromium with the network cut off (as in report.browser.test.ts) and checked:
// no injected script ran, no dialog opened, nothing was requested but the report itself, the names
// are shown as text in the designs table and as SVG labels, and a Content-Security-Policy forbids
// network access. results.csv is parsed back: formula-like names carry a leading ' and every other
// name round-trips unchanged.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, openOffline } from '../../scripts/offline-chromium.js';
import { buildReport, waitLive } from './build-report.js';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPEC = 'test/fixtures/specs/hostile-strings-in-names.yaml';
const CHROMIUM = chromiumPath();

/** What a spreadsheet would run as a formula: the first characters csv-stringify's escape_formulas guards. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

interface SpecDesign {
  name?: string;
  preset?: string;
}
const specYaml = parseYaml(readFileSync(join(ROOT, SPEC), 'utf8')) as { description: string; designs: SpecDesign[] };
const NAMES = specYaml.designs.map((d) => d.name ?? d.preset!);
const DESCRIPTION = specYaml.description;

let outDir = '';
let reportUrl = '';
let html = '';
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let allPassed = 0;
const TESTS = 6;
let requests: string[] = [];
const dialogs: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  outDir = await buildReport(SPEC, CHROMIUM, 'moe-sweep-hostile-');
  const report = join(outDir, 'report.html');
  html = readFileSync(report, 'utf8');
  reportUrl = pathToFileURL(report).href;

  const offline = await openOffline();
  ({ browser, context } = offline);
  requests = offline.requests;
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(reportUrl, { waitUntil: 'load' });
  await waitLive(page);
  // Give anything injected (onerror of a broken image, onload of an svg, timers) the chance to run.
  await page.waitForTimeout(300);
});

afterAll(async () => {
  await browser?.close();
  if (outDir && allPassed === TESTS) rmSync(outDir, { recursive: true, force: true });
  else if (outDir) console.log(`hostile-names test artifacts kept in ${outDir}`);
});

describe('hostile names: report.html in Chromium, offline', () => {
  it('ran no injected script and opened no dialog, also after hovering and clicking the names', async () => {
    expect(NAMES.length).toBeGreaterThan(10);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    // Hover and click the table cells and the chart labels, where an injected handler would fire.
    const cells = page.locator('#designs tbody tr td:first-child');
    for (let i = 0; i < (await cells.count()); i++) {
      await cells.nth(i).hover();
      await cells.nth(i).click();
    }
    const labels = page.locator('#pareto-chart .vega-view svg text');
    for (const name of NAMES) {
      const label = labels.filter({ hasText: name.split('\n')[0]! }).first();
      if (await label.count()) await label.hover({ force: true });
    }
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    // No element made from the names: no images, no handler attributes, only the report's own scripts and charts.
    expect(await page.locator('img').count()).toBe(0);
    // The only event-handler attributes would be the template's own (it has none: the CSP forbids them).
    const own = new Set(
      readFileSync(join(ROOT, 'templates/report.hbs'), 'utf8')
        .match(/\son[a-z]+="[^"]*"/g)
        ?.map((a) => a.trim()) ?? [],
    );
    const injected = await page.evaluate(
      (allowed) =>
        [...document.querySelectorAll('*')]
          .filter(
            (el) =>
              [...el.attributes].some((a) => a.name.startsWith('on') && !allowed.includes(`${a.name}="${a.value}"`)) ||
              el.localName === 'b' ||
              (el.localName === 'a' && /^\s*javascript:/i.test(el.getAttribute('href') ?? '')),
          )
          .map((el) => el.outerHTML.slice(0, 120)),
      [...own],
    );
    expect(injected).toEqual([]);
    expect(await page.locator('script').count()).toBe((html.match(/<script[\s>]/g) ?? []).length);
    // Each chart: its static SVG (first paint, print) and its live view's.
    expect(await page.locator('svg').count()).toBeLessThanOrEqual(2 * (await page.locator('script.vega-live').count()));
    allPassed++;
  });

  it('made no request but for the report file', async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => u !== reportUrl)).toEqual([]);
    allPassed++;
  });

  it('has a Content-Security-Policy meta tag that forbids network access', async () => {
    const csp = await page.evaluate(() => {
      const meta = document.head.querySelector('meta[http-equiv="Content-Security-Policy" i]');
      const first = document.head.querySelector('script, link, style, meta[http-equiv="Content-Security-Policy" i]');
      return { content: meta?.getAttribute('content') ?? null, first: first === meta };
    });
    expect(csp.content, 'CSP meta tag').not.toBeNull();
    const directives = new Map(
      csp
        .content!.split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!.toLowerCase(), values] as const),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    // Nothing may reopen the network: no directive allows a scheme, a host or a wildcard.
    for (const [name, values] of directives) {
      for (const v of values) expect(v, `${name} ${v}`).toMatch(/^('none'|'self'|'sha256-[A-Za-z0-9+/]+=*'|data:)$/);
      if (name === 'connect-src' || name === 'img-src' || name === 'font-src' || name === 'frame-src')
        expect(values).not.toContain("'self'");
    }
    expect(csp.first, 'the CSP comes before any script or style').toBe(true);
    allPassed++;
  });

  it('shows the description and every name as text in the designs table', async () => {
    expect(await page.locator('p.lead').textContent()).toBe(DESCRIPTION);
    expect(await page.locator('p.lead').isVisible()).toBe(true);
    const rows = page.locator('#designs tbody tr');
    expect(await rows.count()).toBe(NAMES.length);
    for (let i = 0; i < NAMES.length; i++) {
      const cell = rows.nth(i).locator('td:first-child');
      expect(await cell.isVisible(), NAMES[i]).toBe(true);
      // The name is the cell's first text node, verbatim; a preset adds a "(preset)" note after it.
      const first = await cell.evaluate((td) =>
        td.firstChild?.nodeType === Node.TEXT_NODE ? td.firstChild.textContent : null,
      );
      const expected = specYaml.designs[i]!.preset ? `${NAMES[i]} ` : NAMES[i];
      expect(first, NAMES[i]).toBe(expected);
    }
    allPassed++;
  });

  it('labels every named design on the chart with its name as SVG text', async () => {
    // SVG collapses white space when it draws text (and vega drops a leading tab), so labels are
    // compared with runs of white space as one space; everything else must be verbatim.
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    const labels = (await page.locator('#pareto-chart .vega-view svg text').allTextContents()).map(squash);
    // The static chart (kept for print) holds them as well.
    const still = (await page.locator('#pareto-chart > svg text').allTextContents()).map(squash);
    for (const name of NAMES) expect(still, name).toContain(squash(name));
    for (const name of NAMES) expect(labels, name).toContain(squash(name));
    // Visible, not just present.
    const label = page
      .locator('#pareto-chart .vega-view svg text')
      .filter({ hasText: 'window.__pwned=1</script>' })
      .first();
    expect(await label.isVisible()).toBe(true);
    allPassed++;
  });

  it("escapes formula-like names in results.csv with a leading ' and keeps every other name unchanged", () => {
    const rows = parse(readFileSync(join(outDir, 'results.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const named = rows.slice(0, NAMES.length).map((r) => r.design);
    const formulas = NAMES.filter((n) => FORMULA_START.test(n));
    expect(formulas.length).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < NAMES.length; i++) {
      const name = NAMES[i]!;
      expect(named[i], JSON.stringify(name)).toBe(FORMULA_START.test(name) ? `'${name}` : name);
    }
    // Grid rows follow, with no design name.
    expect(rows.slice(NAMES.length).every((r) => r.design === '')).toBe(true);
    // summary.json keeps the names as written.
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as { designs: { name: string }[] };
    expect(summary.designs.map((d) => d.name)).toEqual(NAMES);
    allPassed++;
  });
});
