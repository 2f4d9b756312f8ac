// The HTML report in a real browser: built by the CLI from a small spec, opened from disk in Chromium
// with the network cut off, then checked for visible charts, counts, the front table, a working
// calculator, and the absence of requests, console errors and page errors.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, openOffline } from '../../scripts/offline-chromium.js';
import { buildReport, waitLive } from './build-report.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SPEC = 'test/fixtures/specs/report-320-points-with-compare.yaml';
const CHROMIUM = chromiumPath();

interface Summary {
  counts: { points: number; evaluated: number; skipped: number; feasible: number; front: number };
}

let outDir = '';
let reportUrl = '';
let summary: Summary;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let allPassed = 0;
const TESTS = 6;
let requests: string[] = [];
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

const text = async (selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();

beforeAll(async () => {
  outDir = await buildReport(SPEC, CHROMIUM, 'moe-sweep-browser-');
  const report = join(outDir, 'report.html');
  summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as Summary;
  reportUrl = pathToFileURL(report).href;

  const offline = await openOffline();
  ({ browser, context } = offline);
  requests = offline.requests;
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(reportUrl, { waitUntil: 'load' });
  expect(await waitLive(page)).toBe(4);
});

afterAll(async () => {
  await browser?.close();
  // Keep the report and the screenshot to look at when something failed.
  if (outDir && allPassed === TESTS) rmSync(outDir, { recursive: true, force: true });
  else if (outDir) console.log(`browser test artifacts kept in ${outDir}`);
});

describe('report.html in Chromium, offline', () => {
  it('replaces each static chart by a live SVG view with marks and axis titles, and keeps the static one for print', async () => {
    const charts = [
      {
        id: '#pareto-chart',
        titles: ['total parameters, billions (memory)', 'active parameters per token, billions (compute)'],
      },
      // The fixture's objectives: min active_params, max total_params.
      { id: '#front-chart', titles: ['active_params, billions', 'total_params, billions'] },
      { id: '#heatmap-chart', titles: ['routed experts', 'top-k (experts per token)'] },
    ];
    for (const { id, titles } of charts) {
      const still = page.locator(`${id} > svg`);
      expect(await still.count(), `${id} keeps one static svg`).toBe(1);
      expect(await still.isVisible(), `${id} static svg hidden once live`).toBe(false);
      const svg = page.locator(`${id} .vega-view svg`);
      expect(await svg.count(), `${id} holds one live svg`).toBe(1);
      expect(await svg.isVisible(), `${id} live svg visible`).toBe(true);
      const box = await svg.boundingBox();
      expect(box, `${id} svg has a bounding box`).not.toBeNull();
      expect(box!.width, `${id} width`).toBeGreaterThan(100);
      expect(box!.height, `${id} height`).toBeGreaterThan(100);
      expect(await svg.locator('path').count(), `${id} paths`).toBeGreaterThan(5);
      expect(await svg.locator('text').count(), `${id} texts`).toBeGreaterThan(5);
      const axisTitles = await svg.locator('.role-axis-title text').allTextContents();
      expect(axisTitles, `${id} axis titles`).toEqual(expect.arrayContaining(titles));
    }
    // The named design and the compared presets are labelled on the pareto plot.
    const labels = await page.locator('#pareto-chart .vega-view svg text').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['small-moe', 'Mixtral 8x7B']));
    // Printing shows the static charts, not the live views.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#pareto-chart > svg').isVisible()).toBe(true);
    expect(await page.locator('#pareto-chart .vega-view').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    allPassed++;
  });

  it('shows the counts and the verdict', async () => {
    const { counts } = summary;
    expect(counts).toMatchObject({ points: 320, evaluated: 320 });
    const num = (s: string) => Number(s.replace(/[,\s]/g, ''));
    expect(num(await text('#count-points'))).toBe(counts.points);
    expect(num(await text('#count-evaluated'))).toBe(counts.evaluated);
    expect(num(await text('#count-feasible'))).toBe(counts.feasible);
    expect(num(await text('#count-front'))).toBe(counts.front);
    expect(counts.feasible).toBeGreaterThan(0);
    expect(counts.feasible).toBeLessThan(counts.evaluated);
    expect(await page.locator('#verdict').isVisible()).toBe(true);
    expect(await text('#verdict')).not.toBe('');
    allPassed++;
  });

  it('lists the front, the named design and the compared models in tables', async () => {
    const frontRows = page.locator('#front tbody tr');
    expect(await frontRows.count()).toBeGreaterThan(0);
    expect(await frontRows.count()).toBe(summary.counts.front); // a small front is shown whole
    expect(await page.locator('#front').isVisible()).toBe(true);
    expect(await page.locator('#designs tbody tr').count()).toBe(1);
    expect(await text('#designs tbody tr td:first-child')).toContain('small-moe');
    const compared = await page.locator('#compare tbody tr td:first-child').allTextContents();
    expect(compared.join(' | ')).toMatch(/mixtral-8x7b.*deepseek-v3/s);
    allPassed++;
  });

  it('answers typed input in the calculator, fills presets and reports invalid input', async () => {
    const fill = async (values: { experts: string; topK: string; expert: string; shared: string }) => {
      await page.locator('#calc-experts').fill(values.experts);
      await page.locator('#calc-top-k').fill(values.topK);
      await page.locator('#calc-expert-params').fill(values.expert);
      await page.locator('#calc-shared').fill(values.shared);
    };
    expect(await page.locator('#calc-preset').inputValue()).toBe('');
    await page.locator('#calc-dtype').selectOption('bf16');

    // Something other than the form's defaults first, so the next values are really recomputed.
    await fill({ experts: '16', topK: '4', expert: '1B', shared: '2B' });
    expect(await text('#out-total_params')).toBe('18B'); // 2 + 16 x 1
    expect(await text('#out-active_params')).toBe('6B'); // 2 + 4 x 1

    // 46.4B = 1.6 + 8 x 5.6; 12.8B = 1.6 + 2 x 5.6; 92.8 GB = 46.4B x 2 bytes (bf16)
    await fill({ experts: '8', topK: '2', expert: '5.6B', shared: '1.6B' });
    expect(await page.locator('#calc-preset').inputValue()).toBe('');
    expect(await text('#out-total_params')).toBe('46.4B');
    expect(await text('#out-active_params')).toBe('12.8B');
    expect(await text('#out-weight_bytes')).toBe('92.8 GB');
    expect(await text('#calc-error')).toBe('');
    for (const id of ['active_ratio', 'expert_sparsity', 'compute_saving', 'flops_per_token']) {
      expect(await text(`#out-${id}`), id).toMatch(/^[0-9.]+[%KMBT]?$/);
    }

    // A preset fills the four inputs.
    await page.locator('#calc-preset').selectOption('mixtral-8x7b');
    expect(await page.locator('#calc-experts').inputValue()).toBe('8');
    expect(await page.locator('#calc-top-k').inputValue()).toBe('2');
    expect(await page.locator('#calc-expert-params').inputValue()).not.toBe('5.6B');
    expect(await page.locator('#calc-shared').inputValue()).not.toBe('1.6B');
    expect(await text('#out-total_params')).toBe('46.7B');
    expect(await text('#calc-error')).toBe('');

    // Invalid: more experts per token than experts.
    await fill({ experts: '8', topK: '9', expert: '5.6B', shared: '1.6B' });
    expect(await text('#calc-error')).toMatch(/top-k/);
    expect(await page.locator('#calc-error').isVisible()).toBe(true);
    expect(await page.locator('#calc-top-k').getAttribute('class')).toContain('invalid');
    expect(await text('#out-total_params')).not.toMatch(/[0-9]/);

    // And back to valid clears the message.
    await page.locator('#calc-top-k').fill('2');
    expect(await text('#calc-error')).toBe('');
    expect(await text('#out-active_params')).toBe('12.8B');
    allPassed++;
  });

  it('renders a full-page screenshot', async () => {
    const png = join(outDir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    expect(width).toBe(1280);
    expect(height).toBeGreaterThan(900); // the whole page, longer than the viewport
    expect(statSync(png).size).toBeGreaterThan(50_000);
    allPassed++;
  });

  it('made no request but for the report file, and logged no error', async () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => u !== reportUrl)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    allPassed++;
  });
});
