// The calculator's training rows in Chromium, offline, on the training-cost example: a front design
// opened in the calculator shows the training days, cost, memory and layout its summary.json gives
// (the page runs the sweep's own evaluator on the counted architecture), and one more layer raises
// days and cost by the share of per-token FLOPs worked out by hand below.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, openOffline } from '../../scripts/offline-chromium.js';
import { buildReport, waitLive } from './build-report.js';

const SPEC = 'sweeps/train-budget.yaml';

let browser: Browser | undefined;
let page: Page;
let dir = '';
const errors: string[] = [];
let front: Record<string, number | string | boolean>[] = [];

beforeAll(async () => {
  const offline = await openOffline();
  browser = offline.browser;
  dir = await buildReport(SPEC, chromiumPath(), 'moe-sweep-calc-train-');
  front = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).front;
  page = await offline.context.newPage();
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
  await waitLive(page);
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const text = async (id: string) => (await page.locator(`#out-${id}`).textContent()) ?? '';
/** "$5.274M" or "53.65" or "78.0 GB" as a number of dollars (M = 10^6), days or GB. */
const num = (s: string) => Number(s.replace(/[$,]|GB/g, '').replace(/M$/, '')) * (s.endsWith('M') ? 1e6 : 1);

const FIELDS = ['experts', 'top_k', 'hidden_size', 'num_layers', 'moe_intermediate_size'];

/** The summary.json front design of a front-table row, matched on its swept fields. */
async function designOf(row: ReturnType<Page['locator']>) {
  const attrs = await Promise.all(FIELDS.map((f) => row.getAttribute(`data-${f}`)));
  const design = front.find((d) => FIELDS.every((f, i) => String(d[f]) === attrs[i]));
  expect(design, "the row's design in summary.json").toBeDefined();
  return design!;
}

describe('calculator training rows (train-budget)', () => {
  it('opens a front design and shows its summary.json training figures to the printed precision', async () => {
    for (const n of [0, 3]) {
      const row = page.locator('#front tbody tr').nth(n);
      await row.locator('button[data-action="calc"]').click();
      const design = await designOf(row);
      expect(await text('train_days')).toBe((design.train_days as number).toFixed(2));
      expect(await text('train_cost')).toBe(`$${((design.train_cost as number) / 1e6).toFixed(3)}M`);
      expect(await text('train_gpu_hours')).toBe(`${((design.train_gpu_hours as number) / 1e6).toFixed(3)}M`);
      expect(await text('train_flops')).toBe((design.train_flops as number).toExponential(3));
      expect(await text('train_memory_per_gpu')).toBe(
        `${((design.train_memory_per_gpu as number) / 1e9).toFixed(1)} GB`,
      );
      expect(await text('train_fits')).toBe(design.train_fits ? 'yes' : 'no');
      expect(await text('train_layout')).toBe(design.train_layout);
    }
  });

  it('one more layer raises days and cost by its share of the per-token FLOPs', async () => {
    const row = page.locator('#front tbody tr').nth(0);
    await row.locator('button[data-action="calc"]').click();
    // The hand arithmetic below is for DeepSeek-V3's MLA at hidden 7168, moe_intermediate 2048, top-6.
    expect(await row.getAttribute('data-hidden_size')).toBe('7168');
    expect(await row.getAttribute('data-moe_intermediate_size')).toBe('2048');
    expect(await row.getAttribute('data-top_k')).toBe('6');
    const days = num(await text('train_days'));
    const cost = num(await text('train_cost'));
    const layers = Number(await row.getAttribute('data-num_layers'));
    const perTokenBase = ((await designOf(row)).train_flops as number) / 15e12;
    await page.locator('#calc-arch-num_layers').fill(String(layers + 1));
    // DeepSeek-V3 config.json (q_lora_rank 1536, kv_lora_rank 512, 128 heads, qk_nope 128, qk_rope 64,
    // v_head 128, one shared expert): one more MoE layer a token passes through is
    //   MLA  7168·1536 + 1536 + 1536·128·192 + 7168·576 + 512 + 512·128·256 + 128·128·7168 = 187,107,328
    //   6 routed + 1 shared expert  7 · 3·7168·2048 = 308,281,344;  router 256·7168 = 1,835,008;  norms 2·7168
    //   = 497,238,016 active parameters (the router's 256 score biases are within the tolerance),
    // so 6·497,238,016 = 2,983,428,096 FLOPs per token, plus its attention 6·128·4096·(192 + 128)
    // = 1,006,632,960: 3,990,061,056 FLOPs per token more. The row's per-token FLOPs are its
    // train_flops / 15e12 tokens (250,506,347,520 for front-1); days and cost scale with them.
    const ratio = 1 + 3_990_061_056 / perTokenBase;
    const days2 = num(await text('train_days'));
    const cost2 = num(await text('train_cost'));
    expect(days2).toBeGreaterThan(days);
    expect(cost2).toBeGreaterThan(cost);
    // to the printed precision (two decimals of days, $1,000 of cost) plus rounding of the base
    expect(Math.abs(days2 - days * ratio)).toBeLessThan(0.02);
    expect(Math.abs(cost2 - cost * ratio)).toBeLessThan(3000);
    // Four numbers typed by hand no longer describe the counted architecture: the rows go blank.
    await page.locator('#calc-experts').fill('64');
    expect(await text('train_days')).toBe('');
    expect(await text('train_cost')).toBe('');
    expect(errors).toEqual([]);
  });
});
