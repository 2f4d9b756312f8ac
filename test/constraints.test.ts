import { describe, expect, it } from 'vitest';
import { chooseCsvMode } from '../src/output/csv-file.js';
import { parseSpec } from '../src/spec/load.js';
import { evaluateDesign } from '../src/sweep/design.js';
import { runSweepSync } from '../src/sweep/run.js';
import type { SweepResult } from '../src/sweep/types.js';

// One design, worked by hand: 16 experts of 2B, top-2, 4B shared, bf16.
//   total 36B, active 8B, active_ratio 0.2222…, sparsity 0.875, saving 0.7777…, FLOPs 16B,
//   weights 72 GB, vram with overhead 0.25: 90 GB.
const design = { experts: 16, top_k: 2, expert_params: 2e9, shared_params: 4e9 };
const verdict = (constraints: string) => {
  const spec = parseSpec(
    `designs: [{name: d, experts: 16, top_k: 2, expert_params: 2B, shared_params: 4B}]\nconstraints: ${constraints}\n`,
    'c.yaml',
  );
  return evaluateDesign(spec, design).violations;
};

describe('each constraint, at and past its bounds', () => {
  it.each([
    ['{total_params: {max: 36B}}', []],
    ['{total_params: {max: 35.9B}}', ['total_params']],
    ['{total_params: {min: 36B}}', []],
    ['{active_params: {min: 8B, max: 8B}}', []],
    ['{active_params: {min: 8.1B}}', ['active_params']],
    ['{active_params: {max: 7.9B}}', ['active_params']],
    ['{active_ratio: {max: 0.23}}', []],
    ['{active_ratio: {max: 0.22}}', ['active_ratio']],
    ['{active_ratio: {min: 0.25}}', ['active_ratio']],
    ['{expert_sparsity: {min: 0.875}}', []],
    ['{expert_sparsity: {min: 0.9}}', ['expert_sparsity']],
    ['{compute_saving: {min: 0.78}}', ['compute_saving']],
    ['{compute_saving: {min: 0.77}}', []],
    ['{flops_per_token: {max: 16B}}', []],
    ['{flops_per_token: {max: 15B}}', ['flops_per_token']],
    ['{weight_bytes: {max: 72GB}}', []],
    ['{weight_bytes: {max: 71.9GB}}', ['weight_bytes']],
    ['{vram: {budget: 90GB, overhead: 0.25}}', []],
    ['{vram: {budget: 89.9GB, overhead: 0.25}}', ['vram']],
    ['{vram: {budget: 72GB}}', []],
    ['{vram_bytes: {min: 100GB}, vram: {budget: 80GB, overhead: 0.25}}', ['vram_bytes', 'vram']],
    ['{active_params: {max: 7B}, total_params: {max: 30B}}', ['total_params', 'active_params']],
  ])('%s → %j', (constraints, expected) => {
    expect(verdict(constraints)).toEqual(expected);
  });
});

describe('CSV row mode', () => {
  const fake = (evaluated: number, designs = 0) =>
    ({ designs: new Array(designs), counts: { evaluated } }) as unknown as SweepResult;
  it('all rows when they fit a spreadsheet (1,048,576 rows with the header)', () => {
    expect(chooseCsvMode(fake(1_048_574, 1))).toEqual({ mode: 'all' });
  });
  it('feasible rows past the limit, and says why', () => {
    const choice = chooseCsvMode(fake(1_048_575, 1));
    expect(choice.mode).toBe('feasible');
    expect(choice.note).toContain('1,048,576 rows would pass');
  });
  it('an explicit --csv wins', () => {
    expect(chooseCsvMode(fake(5e6), 'all')).toEqual({ mode: 'all' });
  });
  it('a sweep with no feasible grid design still reports its counts', () => {
    const r = runSweepSync(
      parseSpec(
        'grid: {experts: 8, top_k: 2, expert_params: 1B, shared_params: 1B}\nconstraints: {active_params: {min: 1T}}\n',
        'n.yaml',
      ),
    );
    expect(r.counts).toMatchObject({ evaluated: 1, feasible: 0, front: 0 });
    expect(r.violationCounts).toEqual({ active_params: 1 });
  });
});
