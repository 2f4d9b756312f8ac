// The serving views of a report (an architecture sweep with serving: and hardware:) in Chromium,
// offline: the memory, throughput and top-k charts are visible SVG, the serving table lists the
// front and the compared presets, and the page makes no request and logs no error.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, openOffline } from '../../scripts/offline-chromium.js';
import { REPORT_FRONT_ROWS } from '../../src/output/report/html.js';
import { buildReport, waitLive } from './build-report.js';

const SPEC = 'sweeps/mla-one-h200-node.yaml';

let outDir = '';
let browser: Browser | undefined;
let page: Page;
let requests: string[] = [];
const errors: string[] = [];

beforeAll(async () => {
  outDir = await buildReport(SPEC, chromiumPath(), 'moe-sweep-serving-');
  const offline = await openOffline();
  browser = offline.browser;
  requests = offline.requests;
  page = await offline.context.newPage();
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(join(outDir, 'report.html')).href, { waitUntil: 'load' });
  await waitLive(page);
});

afterAll(async () => {
  await browser?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('serving views in Chromium, offline', () => {
  it('draws the memory, throughput-vs-batch and top-k charts as visible SVG with marks', async () => {
    for (const id of ['memory-chart', 'throughput-chart', 'topk-chart']) {
      const svg = page.locator(`#${id} .vega-view svg`);
      await expect(svg.isVisible()).resolves.toBe(true);
      const box = await svg.boundingBox();
      expect(box?.width, id).toBeGreaterThan(300);
      expect(box?.height, id).toBeGreaterThan(150);
      expect(await svg.locator('path, rect').count(), id).toBeGreaterThan(10);
    }
  });

  it('lists every front design shown and every compared preset in the serving table', async () => {
    const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as {
      front_total: number;
      compare: unknown[];
    };
    const rows = await page.locator('#serving tbody tr').count();
    expect(rows).toBe(Math.min(summary.front_total, REPORT_FRONT_ROWS) + summary.compare.length);
    await expect(page.locator('#serving tbody tr').last().locator('td').first().textContent()).resolves.toBe('Kimi K2');
  });

  it('makes no request beyond the file itself and logs no error', () => {
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
