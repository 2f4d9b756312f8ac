// The decode estimate against published measurements (test/fixtures/serving-calibration.yaml):
// every row through `calc` as a user would type it; the bound must be at least the published
// figure, the estimate within a factor of 1.5 of it. The ratios are printed in the test names so
// a run shows estimate / published for every row.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog, type Catalog } from '../../src/catalog/index.js';
import { calcCommand, type CalcOptions } from '../../src/cli/commands/calc.js';
import type { Gpu } from '../../src/serving/gpu.js';
import { captureIo } from '../helpers.js';

interface Row {
  id: string;
  model: string;
  flags: string[];
  metric: 'decode' | 'output_per_gpu';
  isl_per_osl?: number;
  published: number;
  /** false: a reference row, whose bound is checked but not the estimate's factor */
  calibration?: boolean;
  source: string;
  comparable: string;
  gpu?: Gpu;
}

const rows = (parse(readFileSync('test/fixtures/serving-calibration.yaml', 'utf8')) as { rows: Row[] }).rows;

/** `calc` flags as its options object: --kv-dtype x → kvDtype: 'x'; a flag with no value → true. */
function options(flags: string[]): CalcOptions {
  const o: Record<string, string | boolean> = {};
  for (let i = 0; i < flags.length; i++) {
    const key = flags[i]!.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const next = flags[i + 1];
    if (next === undefined || next.startsWith('--')) o[key] = true;
    else {
      o[key] = next;
      i++;
    }
  }
  return o as CalcOptions;
}

function catalogWith(gpu: Gpu | undefined): Catalog {
  const base = loadCatalog();
  if (!gpu) return base;
  return {
    presets: base.presets,
    gpus: [...base.gpus, gpu],
    laws: base.laws,
    servingModel: base.servingModel,
    presetArchitecture: base.presetArchitecture,
  };
}

function calc(flags: string[], catalog: Catalog): Record<string, number> {
  const c = captureIo();
  expect(calcCommand({ ...options(flags), json: true }, c.io, catalog)).toBe(0);
  return JSON.parse(c.stdout) as Record<string, number>;
}

/** What the row's published figure is compared with, and the bound on it. */
function evaluateRow(row: Row): { estimate: number; bound: number; batch: number } {
  const catalog = catalogWith(row.gpu);
  if (row.metric === 'decode') {
    const j = calc(row.flags, catalog);
    return { estimate: j.decode_tokens_per_s!, bound: j.decode_bound_tokens_per_s!, batch: j.batch! };
  }
  // a max-throughput benchmark fills the KV cache: decode at max_batch, prefill mixed in by tokens
  const first = calc([...row.flags, '--batch', '1'], catalog);
  // trtllm-bench caps its batch at 4,096 (tensorrt_llm/bench/tuning/heuristics.py, finetune_setting)
  const batch = Math.min(first.max_batch!, 4096);
  const j = calc([...row.flags, '--batch', String(batch)], catalog);
  const gpus = j.gpu_count!;
  const mixed = 1 / (1 / j.decode_tokens_per_s! + row.isl_per_osl! / j.prefill_tokens_per_s!);
  return { estimate: mixed / gpus, bound: j.decode_bound_tokens_per_s! / gpus, batch };
}

describe('calibration against published measurements', () => {
  for (const row of rows) {
    const { estimate, bound, batch } = evaluateRow(row);
    const ratio = estimate / row.published;
    it(`${row.id}${row.calibration === false ? ' (reference row)' : ''}: estimate ${estimate.toFixed(1)} / published ${row.published} = ${ratio.toFixed(2)} (batch ${batch}; bound ${bound.toFixed(0)})`, () => {
      expect(row.source).toMatch(/^https:\/\//);
      expect(row.comparable.length).toBeGreaterThan(40);
      expect(bound).toBeGreaterThanOrEqual(row.published);
      if (row.calibration === false) return;
      expect(ratio).toBeGreaterThanOrEqual(1 / 1.5);
      expect(ratio).toBeLessThanOrEqual(1.5);
    });
  }
});
