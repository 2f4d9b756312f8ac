// The report's live layer in Chromium, offline: hovering a front point shows its fields, a brush on
// the front chart leaves exactly the designs inside it in the front table, a heatmap click keeps
// its experts x top-k, columns sort, "copy as YAML" gives a designs: entry the spec loader reads
// back as the same design (abstract and architecture sweeps), "open in calculator" fills the
// calculator, and the page runs under a CSP of hashes (no eval, no inline handler) without errors.
// The CSP test injects a script on purpose (its refusal is logged), so it runs after the error check.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, openOffline } from '../../scripts/offline-chromium.js';
import { parseSpec } from '../../src/spec/load.js';
import { buildReport, waitLive } from './build-report.js';

const ABSTRACT = 'test/fixtures/specs/report-320-points-with-compare.yaml';
const ARCH = 'sweeps/mla-one-h200-node.yaml';

let browser: Browser | undefined;
let context: BrowserContext;
let requests: string[] = [];
const outDirs: string[] = [];
const errors: string[] = [];

async function open(spec: string): Promise<{ page: Page; url: string }> {
  const dir = await buildReport(spec, chromiumPath(), 'moe-sweep-live-');
  outDirs.push(dir);
  const url = pathToFileURL(join(dir, 'report.html')).href;
  const page = await context.newPage();
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await waitLive(page);
  return { page, url };
}

let abstract: { page: Page; url: string };
let arch: { page: Page; url: string };

beforeAll(async () => {
  const offline = await openOffline();
  ({ browser, context } = offline);
  requests = offline.requests;
  [abstract, arch] = await Promise.all([open(ABSTRACT), open(ARCH)]);
});

afterAll(async () => {
  await browser?.close();
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

/** The datum vega bound to a mark's SVG element. */
async function datum(mark: Locator): Promise<Record<string, unknown>> {
  return mark.evaluate(
    (el) => (el as unknown as { __data__?: { datum?: Record<string, unknown> } }).__data__?.datum ?? {},
  );
}

/** The front points of the front chart: the circles of its first symbol layer. */
const frontMarks = (page: Page) =>
  page.locator('#front-chart .vega-view g.mark-symbol.role-mark').first().locator('path');

const visibleIds = (page: Page) =>
  page
    .locator('#front tbody tr')
    .evaluateAll((rows) => rows.filter((r) => !(r as HTMLElement).hidden).map((r) => r.getAttribute('data-id')!));

async function clearSelections(page: Page): Promise<void> {
  for (const id of ['#front-chart', '#heatmap-chart', '#parallel-chart']) {
    const svg = page.locator(`${id} .vega-view svg`);
    if (!(await svg.count())) continue;
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
  }
  await page.waitForTimeout(100);
}

describe('the live report in Chromium, offline', () => {
  it("shows a front point's fields and metrics in a tooltip on hover", async () => {
    const { page } = abstract;
    const mark = frontMarks(page).nth(1);
    const d = await datum(mark);
    expect(d.id).toMatch(/^front-\d+$/);
    await mark.scrollIntoViewIfNeeded();
    const box = (await mark.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2 - 3, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 2 });
    const tooltip = page.locator('#vega-tooltip');
    await tooltip.waitFor({ state: 'visible' });
    const rows = await tooltip
      .locator('tr')
      .evaluateAll((trs) =>
        Object.fromEntries(trs.map((tr) => [tr.children[0]!.textContent, tr.children[1]!.textContent])),
      );
    // The same design as the row of the front table with its id.
    const row = page.locator(`#front tbody tr[data-id="${d.id}"]`);
    expect(rows.id).toBe(d.id);
    for (const field of ['experts', 'top_k', 'expert_params', 'shared_params'])
      expect(Number(rows[field]!.replace(/,/g, '')), field).toBe(Number(await row.getAttribute(`data-${field}`)));
    expect(rows.status).toBe('Pareto front');
    expect(Number(rows.active_params)).toBeCloseTo(Number(await row.getAttribute('data-active_params')), 3);
    await page.mouse.move(1, 1);
    await tooltip.waitFor({ state: 'hidden' });
  });

  it('filters the front table to the designs inside a brush on the front chart, and outlines them in the overview', async () => {
    const { page } = abstract;
    const all = await visibleIds(page);
    const svg = page.locator('#front-chart .vega-view svg');
    await svg.scrollIntoViewIfNeeded();
    const box = (await svg.boundingBox())!;
    // A rectangle over the middle of the plot (the frame spans about 45 … 905 px of the svg).
    const [x0, y0, x1, y1] = [box.x + 250, box.y + 45, box.x + 650, box.y + 360];
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    await page.mouse.move(x1, y1, { steps: 6 });
    await page.mouse.up();
    await page.waitForTimeout(150);
    // Expected: the front marks whose centres are inside the rectangle, by their bound data.
    const inside = new Set<string>();
    const marks = frontMarks(page);
    for (let i = 0; i < (await marks.count()); i++) {
      const b = (await marks.nth(i).boundingBox())!;
      const [cx, cy] = [b.x + b.width / 2, b.y + b.height / 2];
      if (cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1) inside.add(String((await datum(marks.nth(i))).id));
    }
    expect(inside.size).toBeGreaterThan(0);
    expect(inside.size).toBeLessThan(all.length);
    expect(new Set(await visibleIds(page))).toEqual(inside);
    expect(await page.locator('#front-filter').textContent()).toContain(`${inside.size} of ${all.length}`);
    // The overview outlines exactly those designs.
    const outlined = await page
      .locator('#pareto-chart .vega-view path[stroke="#111111"]')
      .evaluateAll((els) =>
        els.map((el) => (el as unknown as { __data__?: { datum?: { id?: string } } }).__data__?.datum?.id),
      );
    expect(new Set(outlined.filter((id) => id?.startsWith('front-')))).toEqual(inside);
    await clearSelections(page);
    expect(await visibleIds(page)).toEqual(all);
  });

  it('keeps the experts x top-k of a clicked heatmap cell in the table', async () => {
    const { page } = abstract;
    const first = page.locator('#front tbody tr').first();
    const [e, k] = [await first.getAttribute('data-experts'), await first.getAttribute('data-top_k')];
    const cells = page.locator('#heatmap-chart .vega-view g.mark-rect.role-mark path');
    let target: Locator | undefined;
    for (let i = 0; i < (await cells.count()) && !target; i++) {
      const d = await datum(cells.nth(i));
      if (String(d.experts) === e && String(d.top_k) === k) target = cells.nth(i);
    }
    expect(target).toBeDefined();
    await target!.scrollIntoViewIfNeeded();
    await target!.click();
    await page.waitForTimeout(150);
    const kept = await page
      .locator('#front tbody tr')
      .evaluateAll((rows) =>
        rows
          .filter((r) => !(r as HTMLElement).hidden)
          .map((r) => `${r.getAttribute('data-experts')}x${r.getAttribute('data-top_k')}`),
      );
    expect(kept.length).toBeGreaterThan(0);
    expect(new Set(kept)).toEqual(new Set([`${e}x${k}`]));
    await clearSelections(page);
  });

  it('filters the front table by a brush on a parallel-coordinates axis', async () => {
    const { page } = arch;
    const svg = page.locator('#parallel-chart .vega-view svg');
    await svg.scrollIntoViewIfNeeded();
    const label = (await svg.locator('.role-axis-label text', { hasText: /^top_k$/ }).boundingBox())!;
    const frame = (await svg.locator('.role-axis-label').boundingBox())!;
    const axisX = label.x + label.width / 2;
    // From below the middle of the axis to above its top: the designs with the largest top-k.
    const box = (await svg.boundingBox())!;
    await page.mouse.move(axisX - 30, (box.y + frame.y) / 2 + 80);
    await page.mouse.down();
    await page.mouse.move(axisX + 30, box.y + 5, { steps: 6 });
    await page.mouse.up();
    await page.waitForTimeout(150);
    const ks = await page
      .locator('#front tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => ({ k: Number(r.getAttribute('data-top_k')), shown: !(r as HTMLElement).hidden })),
      );
    const top = Math.max(...ks.map((r) => r.k));
    expect(ks.filter((r) => r.shown).length).toBeGreaterThan(0);
    expect(ks.filter((r) => r.shown)).toEqual(ks.filter((r) => r.k === top));
    await clearSelections(page);
    expect(ks.length).toBe((await visibleIds(page)).length);
  });

  it('sorts the front table by a column, ascending then descending', async () => {
    const { page } = abstract;
    const header = page.locator('#front thead th', { hasText: /^total$/ });
    const col = await header.evaluate((th) => (th as HTMLTableCellElement).cellIndex);
    const values = () =>
      page
        .locator('#front tbody tr')
        .evaluateAll(
          (rows, c) => rows.map((r) => Number((r as HTMLTableRowElement).cells[c]!.getAttribute('data-sort'))),
          col,
        );
    await header.click();
    const up = await values();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    await header.click();
    const down = await values();
    expect(down).toEqual([...up].sort((a, b) => b - a));
    expect(new Set(down)).toEqual(new Set(up));
  });

  it('copies a front design as a designs: entry that the spec loader reads back with the same numbers', async () => {
    for (const { page } of [abstract, arch]) {
      const row = page.locator('#front tbody tr').nth(2);
      await row.locator('button[data-action="yaml"]').click();
      const text = await page.locator('#yaml-out').inputValue();
      expect(text).toMatch(/^- name: /);
      const spec = parseSpec(`designs:\n${text.replace(/^/gm, '  ')}`, join(process.cwd(), 'sweeps', 'copied.yaml'));
      const [e, k, x, s] = (await row.getAttribute('data-calc'))!.split(',').map(Number);
      expect(spec.designs).toHaveLength(1);
      expect(spec.designs[0]).toMatchObject({ experts: e, top_k: k, expert_params: x, shared_params: s });
    }
  });

  it('opens a front design in the calculator', async () => {
    const { page } = abstract;
    const row = page.locator('#front tbody tr').nth(1);
    const [e, k, x, s] = (await row.getAttribute('data-calc'))!.split(',');
    await row.locator('button[data-action="calc"]').click();
    expect(await page.locator('#calc-experts').inputValue()).toBe(e);
    expect(await page.locator('#calc-top-k').inputValue()).toBe(k);
    expect(await page.locator('#calc-expert-params').inputValue()).toBe(x);
    expect(await page.locator('#calc-shared').inputValue()).toBe(s);
    expect(await page.locator('#calc-error').textContent()).toBe('');
    // The calculator's totals are the row's: total = shared + experts x expert.
    const totalCol = await page
      .locator('#front thead th', { hasText: /^total$/ })
      .evaluate((th) => (th as HTMLTableCellElement).cellIndex);
    expect(await page.locator('#out-total_params').textContent()).toBe(
      await row.locator('td').nth(totalCol).textContent(),
    );
    expect(Number(e) * Number(x) + Number(s)).toBe(
      Number(await row.locator('td').nth(totalCol).getAttribute('data-sort')),
    );
  });

  it('opens an architecture design in the calculator, which counts it module by module to the same totals', async () => {
    const { page } = arch;
    const row = page.locator('#front tbody tr').nth(3);
    const [e, k, x, s] = (await row.getAttribute('data-calc'))!.split(',');
    await row.locator('button[data-action="calc"]').click();
    for (const field of ['hidden_size', 'num_layers', 'moe_intermediate_size'])
      expect(await page.locator(`#calc-arch-${field}`).inputValue(), field).toBe(
        await row.getAttribute(`data-${field}`),
      );
    expect(await page.locator('#calc-arch-num_experts').inputValue()).toBe(e);
    expect(await page.locator('#calc-arch-num_experts_per_tok').inputValue()).toBe(k);
    // The page's count gives the sweep's numbers exactly.
    expect(await page.locator('#calc-expert-params').inputValue()).toBe(x);
    expect(await page.locator('#calc-shared').inputValue()).toBe(s);
    expect(await page.locator('#calc-arch-error').textContent()).toBe('');
    const totalCol = await page
      .locator('#front thead th', { hasText: /^total$/ })
      .evaluate((th) => (th as HTMLTableCellElement).cellIndex);
    expect(await page.locator('#out-total_params').textContent()).toBe(
      await row.locator('td').nth(totalCol).textContent(),
    );
    // An edited field is counted again: one more layer adds parameters.
    await page.locator('#calc-arch-num_layers').fill(String(Number(await row.getAttribute('data-num_layers')) + 1));
    expect(
      Number(await page.locator('#calc-shared').inputValue()) +
        Number(e) * Number(await page.locator('#calc-expert-params').inputValue()),
    ).toBeGreaterThan(Number(s) + Number(e) * Number(x));
  });

  it('zooms a scatter with the wheel and resets it with a double click', async () => {
    const { page } = abstract;
    const svg = page.locator('#pareto-chart .vega-view svg');
    await svg.scrollIntoViewIfNeeded();
    // Where the named design's label sits: it moves with the scales.
    const where = () => svg.locator('text', { hasText: /^small-moe$/ }).getAttribute('transform');
    const before = await where();
    const box = (await svg.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(150);
    expect(await where()).not.toEqual(before);
    // placed again beside its point, not left on it (vega's label transform runs again on a zoom)
    const point = await svg
      .locator('g.mark-symbol path')
      .evaluateAll(
        (els) =>
          els
            .find(
              (el) =>
                (el as unknown as { __data__?: { datum?: { label?: string } } }).__data__?.datum?.label === 'small-moe',
            )
            ?.getAttribute('transform') ?? null,
      );
    expect(point).toMatch(/^translate\(/);
    expect(await where()).not.toEqual(point);
    await page.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(150);
    expect(await where()).toEqual(before);
  });

  it('made no request but for the report files, and logged no error', async () => {
    expect(requests.filter((u) => u !== abstract.url && u !== arch.url)).toEqual([]);
    expect(errors).toEqual([]);
  });
  it('runs under a CSP of hashes: no unsafe-inline or unsafe-eval; an injected script and a string timer do not run', async () => {
    for (const { page } of [abstract, arch]) {
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes/);
      const scripts = csp!
        .match(/script-src ([^;]*)/)![1]!
        .trim()
        .split(/\s+/);
      expect(scripts.every((s) => /^'sha256-[A-Za-z0-9+/]+=*'$/.test(s))).toBe(true);
      expect(scripts).toHaveLength(await page.locator('script:not([type])').count());
      expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
      // Neither a script added to the page nor a string handed to a timer runs.
      await page.evaluate(() => {
        const el = document.createElement('script');
        el.textContent = 'window.__inline = 1';
        document.body.appendChild(el);
        setTimeout('window.__timer = 1' as unknown as () => void, 0);
      });
      await page.waitForTimeout(50);
      expect(await page.evaluate(() => Object.keys(window).filter((k) => k === '__inline' || k === '__timer'))).toEqual(
        [],
      );
    }
  });
});
