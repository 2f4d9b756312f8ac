// training: with hardware in a spec: the plan it resolves to, the errors a user sees, and a sweep's
// CSV and summary with the training columns.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/findings/errors.js';
import { parseSpec } from '../../src/spec/load.js';
import { cli, parseCsvRecords, useTempDir } from '../helpers.js';

const BASE = `name: t
architecture:
  from: deepseek-v3
designs:
  - preset: deepseek-v3
training:
  tokens: 14.8T
  hardware: {gpu: H800, count: 2048}
`;

function errorOf(text: string): string {
  try {
    parseSpec(text, 'spec.yaml');
  } catch (err) {
    if (err instanceof SpecError) return err.message;
    throw err;
  }
  throw new Error('expected the spec to be rejected');
}

describe('training: with hardware', () => {
  it('resolves defaults: 4,096 tokens, the BF16 default MFU of data/training-mfu.yaml, an open layout', () => {
    const s = parseSpec(BASE, 'spec.yaml');
    const t = s.trainingCost!;
    expect([t.seqLen, t.count, t.gpu, t.peakFlopsPerS, t.mfu, t.gpuMemory]).toEqual([
      4096,
      2048,
      'H800',
      989.5e12,
      0.28,
      80e9,
    ]);
    expect(t.layout).toEqual({ tp: -1, pp: -1, ep: -1, etp: -1, cp: 1, zero: -1, recompute: -1, microBatch: 1 });
    expect(s.constraints.at(-1)).toMatchObject({ name: 'train_gpu_memory', max: 80e9 });
  });

  it('takes the FP8 peak with compute: fp8', () => {
    const s = parseSpec(BASE.replace('count: 2048}', 'count: 2048, compute: fp8}'), 'spec.yaml');
    expect([s.trainingCost!.peakFlopsPerS, s.trainingCost!.mfu]).toEqual([1979e12, 0.19]);
  });

  it.each([
    [
      'a cost field without hardware',
      `name: t\ngrid: {experts: 8, top_k: 2, expert_params: 1B, shared_params: 1B}\ntraining:\n  tokens: 1T\n  mfu: 0.4\n`,
      'spec.yaml:5:3 training.mfu: needs training.hardware: {gpu, count}: it sets the training cost',
    ],
    [
      'hardware without an architecture',
      `name: t\ngrid: {experts: 8, top_k: 2, expert_params: 1B, shared_params: 1B}\ntraining:\n  tokens: 1T\n  hardware: {gpu: H800, count: 8}\n`,
      'spec.yaml:5:3 training.hardware: needs an architecture (layers, heads, widths for attention FLOPs and activations): add architecture: {from: PRESET} or {config: PATH}, or give only designs that carry one',
    ],
    [
      'both mfu and gpu_hours',
      `${BASE}  mfu: 0.4\n  gpu_hours: 2.664M\n`,
      'spec.yaml:9:8 training.mfu: expected mfu or gpu_hours, not both (gpu_hours implies the MFU)',
    ],
    [
      'an MFU above 1',
      `${BASE}  mfu: 40\n`,
      'spec.yaml:9:8 training.mfu: expected a fraction above 0 and at most 1, such as 0.4, got 40',
    ],
    [
      'a zero stage of 4',
      `${BASE}  parallel: {zero: 4}\n`,
      'spec.yaml:9:20 training.parallel.zero: expected a ZeRO stage: 0, 1, 2 or 3, got 4',
    ],
    [
      'an unknown GPU',
      BASE.replace('gpu: H800', 'gpu: H900'),
      'spec.yaml:8:19 training.hardware.gpu: unknown GPU "H900"',
    ],
    [
      'a training-cost bound without hardware',
      `name: t\narchitecture: {from: deepseek-v3}\ndesigns: [{preset: deepseek-v3}]\ntraining: {tokens: 1T}\nconstraints:\n  train_days: {max: 60}\n`,
      'spec.yaml:6:3 constraints.train_days: needs training: {tokens, hardware: {gpu, count}}: it is a training-cost column',
    ],
    [
      'a cost objective without a price',
      `${BASE}objectives: [min train_cost]\n`,
      'spec.yaml:9:14 objectives[0]: expected a metric the spec computes: train_cost needs training.price_per_gpu_hour, got "min train_cost"',
    ],
  ])('rejects %s on one line', (_what, text, message) => {
    const m = errorOf(text);
    expect(m.startsWith(message), m).toBe(true);
    expect(m).not.toContain('\n');
  });
});

describe('a sweep with training cost', () => {
  const dir = useTempDir('moe-train-');
  it('writes the training columns, bounds them and takes them as objectives', async () => {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(
      spec,
      `name: t
architecture:
  from: deepseek-v3
grid:
  num_experts_per_tok: [4, 8]
  num_layers: [32, 61]
training:
  tokens: 14.8T
  hardware: {gpu: H800, count: 2048}
  mfu: 0.4
  price_per_gpu_hour: 2
  parallel: {tp: 1, pp: 16, ep: 64, etp: 1, zero: 1, recompute: full}
constraints:
  train_days: {max: 60}
objectives: [min train_cost, max total_params]
`,
    );
    const r = await cli(spec, '--out', join(dir, 'out'), '--workers', '1', '--quiet');
    expect(r.stderr).toBe('');
    const rows = parseCsvRecords(readFileSync(join(dir, 'out', 'results.csv')));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      // FLOPs → hours → days → cost, each from the one before
      const hours = Number(row.train_flops) / (989.5e12 * 0.4) / 3600;
      expect(Number(row.train_gpu_hours)).toBeCloseTo(hours, 6);
      expect(Number(row.train_days)).toBeCloseTo(hours / 2048 / 24, 9);
      expect(Number(row.train_cost)).toBeCloseTo(hours * 2, 6);
      expect(row.train_layout).toBe('TP1 PP16 EP64 ETP1 CP1 ZeRO1 full mb1');
      expect(row.train_fits).toBe(String(Number(row.train_memory_per_gpu) <= 80e9));
      expect(row.violations!.includes('train_days')).toBe(Number(row.train_days) > 60);
    }
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.spec.training_cost).toMatchObject({ gpu: 'H800', count: 2048, mfu: 0.4, price_per_gpu_hour: 2 });
    expect(summary.front.length).toBeGreaterThan(0);
    expect(summary.front[0]).toHaveProperty('train_cost');
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('<h2>Training cost: 2048 × H800, 4,096-token sequences</h2>');
    expect(html).toMatch(/id="training-chart"><svg/);
    expect(html).toContain('TP1 PP16 EP64 ETP1 CP1 ZeRO1 full mb1');
  });
});

describe('the example sweeps/train-budget.yaml', () => {
  const dir = useTempDir('moe-train-budget-');
  it('runs end to end with its report', async () => {
    const r = await cli('sweeps/train-budget.yaml', '--out', dir, '--workers', '1', '--quiet');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.counts.evaluated).toBe(32);
    // DeepSeek-V3 itself: 15T × 281,158,321,152 FLOPs per token (test/training/flops.test.ts) =
    // 4.2174e24; / (989.5e12 × 0.4) / 3600 = 2.9598M GPU-hours; / 2,048 / 24 = 60.2 days: just over budget
    const v3 = summary.compare[0];
    expect(v3.train_days).toBeCloseTo((15e12 * 281_158_321_152) / (989.5e12 * 0.4) / 3600 / 2048 / 24, 6);
    expect(v3.violations).toContain('train_days');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('id="training-chart"');
    // the front table carries the training objectives and constraints too: each front row's
    // train_days attribute is the summary's figure (rounded as the page prints it)
    const front = summary.front[0];
    const row = /<tr data-id="front-1"[^>]*>/.exec(html)?.[0] ?? '';
    expect(Number(/data-train_days="([^"]*)"/.exec(row)?.[1])).toBeCloseTo(front.train_days, 6);
    expect(Number(/data-train_cost="([^"]*)"/.exec(row)?.[1])).toBeCloseTo(front.train_cost, 0);
    // and every training column, whether the spec bounds it or not
    const header = /<table id="front"[^>]*>[\s\S]*?<\/thead>/.exec(html)?.[0] ?? '';
    for (const column of ['train_gpu_hours', 'train_days', 'train_cost', 'train_memory_per_gpu'])
      expect(header).toContain(`>${column}</th>`);
  });

  it('writes the same CSV with 1 and 2 workers', async () => {
    const two = join(dir, 'two');
    await cli('sweeps/train-budget.yaml', '--out', two, '--workers', '2', '--quiet');
    expect(readFileSync(join(two, 'results.csv')).equals(readFileSync(join(dir, 'results.csv')))).toBe(true);
  });
});
