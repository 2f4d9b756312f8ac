import { describe, expect, it } from 'vitest';
import { parseSpec } from '../src/spec/load.js';
import { SpecError } from '../src/findings/errors.js';

const VALID = `name: t
grid:
  experts: [8, 16]
  top_k: {from: 1, to: 4}
  expert_params: {from: 0.5B, to: 2B, step: 0.5B}
  shared_params: 4B
constraints:
  active_params: {min: 5B, max: 12B}
  vram: {budget: 640GB, overhead: 0.15}
`;

function errorOf(text: string, file = 'spec.yaml'): SpecError {
  try {
    parseSpec(text, file);
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected the spec to be rejected');
}

describe('a valid spec', () => {
  it('resolves units, ranges and defaults', () => {
    const s = parseSpec(VALID, 'spec.yaml');
    expect(s.name).toBe('t');
    expect(s.grid).toEqual({
      experts: [8, 16],
      top_k: [1, 2, 3, 4],
      expert_params: [5e8, 1e9, 1.5e9, 2e9],
      shared_params: [4e9],
    });
    expect(s.dtype).toBe('bf16');
    expect(s.bytesPerWeight).toBe(2);
    expect(s.overhead).toBe(0.15);
    expect(s.constraints).toEqual([
      { name: 'active_params', metric: 1, min: 5e9, max: 12e9 },
      { name: 'vram', metric: 7, min: -Infinity, max: 640e9 },
    ]);
    expect(s.objectives).toEqual([
      { sense: 'min', metric: 'active_params' },
      { sense: 'max', metric: 'total_params' },
    ]);
    expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes its name from the file when it has none', () => {
    expect(parseSpec(VALID.replace('name: t\n', ''), 'sweeps/my-sweep.yaml').name).toBe('my-sweep');
  });

  it('expands geometric ranges and resolves presets', () => {
    const s = parseSpec(
      `grid: {experts: {from: 8, to: 64, times: 2}, top_k: 2, expert_params: 1B, shared_params: 1B}\ndesigns: [{preset: mixtral-8x7b}]\ncompare: [deepseek-v3]\n`,
      'x.yaml',
    );
    expect(s.grid!.experts).toEqual([8, 16, 32, 64]);
    expect(s.designs[0]).toMatchObject({ name: 'mixtral-8x7b', preset: 'mixtral-8x7b', experts: 8, top_k: 2, line: 2 });
    expect(s.compare[0]!.id).toBe('deepseek-v3');
  });
});

describe('spec errors: one line, FILE:LINE:COL field: expected …, got …', () => {
  const cases: [string, string, string][] = [
    [
      'unknown top-level key, with a suggestion',
      VALID.replace('constraints:', 'constrains:'),
      'spec.yaml:7:1 constrains: unknown key "constrains": did you mean "constraints"?',
    ],
    [
      'unknown range key',
      VALID.replace('{from: 1, to: 4}', '{from: 1, to: 4, stpe: 1}'),
      'spec.yaml:4:27 grid.top_k.stpe: unknown key "stpe": did you mean "step"?',
    ],
    [
      'unknown constraint bound',
      VALID.replace('{min: 5B, max: 12B}', '{min: 5B, maxx: 12B}'),
      'spec.yaml:8:28 constraints.active_params.maxx: unknown key "maxx": did you mean "max"?',
    ],
    [
      'unknown unit',
      VALID.replace('to: 2B', 'to: 2X'),
      'spec.yaml:5:35 grid.expert_params.to: expected a parameter count such as 30B, 0.5B, 800M or 3e10, got "2X"',
    ],
    [
      'a string in the experts list',
      VALID.replace('[8, 16]', '[8, sixteen]'),
      'spec.yaml:3:16 grid.experts[1]: expected a whole number, got "sixteen"',
    ],
    [
      'non-integer experts',
      VALID.replace('[8, 16]', '[8, 16.5]'),
      'spec.yaml:3:16 grid.experts[1]: expected a whole number of experts from 1 to 1,000,000, got 16.5',
    ],
    [
      'zero top_k',
      VALID.replace('{from: 1, to: 4}', '{from: 0, to: 4}'),
      'spec.yaml:4:17 grid.top_k.from: expected a whole number of experts per token from 1 to 1,000,000, got 0',
    ],
    [
      'from > to',
      VALID.replace('{from: 1, to: 4}', '{from: 5, to: 4}'),
      'spec.yaml:4:24 grid.top_k.to: expected a value not below from (5), got 4',
    ],
    [
      'a step of zero',
      VALID.replace('step: 0.5B', 'step: 0'),
      'spec.yaml:5:45 grid.expert_params.step: expected a positive whole step (the range runs upwards from `from` to `to`), got 0',
    ],
    [
      'a negative step',
      VALID.replace('step: 0.5B', 'step: -1'),
      'spec.yaml:5:45 grid.expert_params.step: expected a positive whole step (the range runs upwards from `from` to `to`), got -1',
    ],
    [
      'a geometric factor of 1',
      VALID.replace('{from: 1, to: 4}', '{from: 1, to: 4, times: 1}'),
      'spec.yaml:4:34 grid.top_k.times: expected a factor greater than 1, got 1',
    ],
    [
      'empty list',
      VALID.replace('[8, 16]', '[]'),
      'spec.yaml:3:12 grid.experts: expected at least one value, got an empty list',
    ],
    [
      'repeated list value',
      VALID.replace('[8, 16]', '[8, 8]'),
      'spec.yaml:3:16 grid.experts[1]: expected distinct values (this one repeats an earlier one), got 8',
    ],
    [
      'min > max',
      VALID.replace('{min: 5B, max: 12B}', '{min: 12B, max: 5B}'),
      'spec.yaml:8:34 constraints.active_params.max: expected max not below min ("12B"), got "5B"',
    ],
    [
      'a ratio above 1',
      VALID.replace('active_params: {min: 5B, max: 12B}', 'active_ratio: {max: 1.5}'),
      'spec.yaml:8:23 constraints.active_ratio.max: expected a fraction from 0 to 1, got 1.5',
    ],
    [
      'bad memory unit',
      VALID.replace('640GB', '640 gigs'),
      'spec.yaml:9:18 constraints.vram.budget: expected a memory size such as 640GB, 80GiB or 8e10, got "640 gigs"',
    ],
    [
      'unknown dtype',
      `${VALID}dtype: bf17\n`,
      'spec.yaml:10:8 dtype: expected a dtype: fp32, bf16, fp16, fp8, int8, int4, mxfp4, nvfp4, {bits: N}, or {experts: …, rest: …}, got "bf17"',
    ],
    [
      'objective on an unknown metric',
      `${VALID}objectives: [min active_params, max quality]\n`,
      'spec.yaml:10:33 objectives[1]: expected "min METRIC" or "max METRIC" with METRIC one of total_params, active_params, active_ratio, expert_sparsity, compute_saving, flops_per_token, weight_bytes, vram_bytes, loss_delta_vs_dense, dense_equivalent_params, kv_cache_bytes, saturation_batch, load_imbalance, capacity_factor, per_gpu_bytes, gpus_needed, decode_bound_tokens_per_s, all_to_all_bytes_per_token_layer, decode_tokens_per_s, tpot_ms, ttft_ms, prefill_tokens_per_s, max_batch, max_context, train_flops, train_mfu, train_gpu_hours, train_days, train_cost, train_memory_per_gpu, train_fits, got "max quality"',
    ],
    [
      'unknown preset',
      `${VALID}designs: [{preset: deepseek-v9}]\n`,
      'spec.yaml:10:20 designs[0].preset: expected a preset id (see `moe-sweep presets`); did you mean "deepseek-v3" or "deepseek-v4-pro"?, got "deepseek-v9"',
    ],
    [
      'named design with top_k > experts',
      `${VALID}designs: [{name: a, experts: 4, top_k: 8, expert_params: 1B, shared_params: 1B}]\n`,
      'spec.yaml:10:40 designs[0].top_k: expected at most experts (4): a token cannot use more experts than there are, got 8',
    ],
    [
      'named design missing a field',
      `${VALID}designs:\n  - {name: a, experts: 4, top_k: 2, shared_params: 1B}\n`,
      'spec.yaml:11:5 designs[0].expert_params: missing; expected a parameter count such as 30B, 0.5B, 800M or 3e10, got nothing',
    ],
    [
      'name that would escape the output folder',
      VALID.replace('name: t', 'name: ../../x'),
      'spec.yaml:1:7 name: expected a name of letters, digits, . _ - (it names the output folder), got "../../x"',
    ],
    [
      'NaN',
      VALID.replace('overhead: 0.15', 'overhead: .nan'),
      'spec.yaml:9:35 constraints.vram.overhead: expected a fraction such as 0.15, got NaN',
    ],
    [
      'Infinity',
      VALID.replace('shared_params: 4B', 'shared_params: .inf'),
      'spec.yaml:6:18 grid.shared_params: expected parameters every token uses: embeddings, attention, norms, routers, shared experts, dense layers: a value, a list [a, b, …] or a range {from, to, step} / {from, to, times}, got Infinity',
    ],
    [
      'a quality objective without training',
      `${VALID}objectives: [min loss_delta_vs_dense]\n`,
      'spec.yaml:10:14 objectives[0]: expected a design metric: quality metrics need training: {tokens: …} or {flops: …}, got "min loss_delta_vs_dense"',
    ],
    [
      'a quality constraint without training',
      VALID.replace('constraints:\n', 'constraints:\n  loss_delta_vs_dense: {max: 0}\n'),
      'spec.yaml:8:3 constraints.loss_delta_vs_dense: needs training: {tokens: …} or {flops: …}: quality columns come from a scaling law of loss against tokens',
    ],
    [
      'training with both tokens and flops',
      `${VALID}training: {tokens: 1T, flops: 1e24}\n`,
      'spec.yaml:10:11 training: expected exactly one of tokens (such as 15T) or flops (such as 3e24)',
    ],
    [
      'training with zero tokens',
      `${VALID}training: {tokens: 0}\n`,
      'spec.yaml:10:20 training.tokens: expected a positive count such as 15T, got 0',
    ],
    [
      'nothing to evaluate',
      'name: t\n',
      'spec.yaml:1:1 expected a grid, designs, or both: there is nothing to evaluate',
    ],
    [
      'a list instead of a mapping',
      '- 1\n- 2\n',
      'spec.yaml:1:1 expected a mapping of spec fields (name, grid, constraints, …), got a list',
    ],
  ];
  it.each(cases)('%s', (_what, text, message) => {
    const err = errorOf(text);
    expect(err.message).toBe(message);
    expect(err.message).not.toContain('\n');
  });

  it('YAML syntax errors carry their position', () => {
    expect(errorOf('grid: {experts: [8, 16\n').message).toMatch(/^spec\.yaml:\d+:\d+ invalid YAML: /);
  });

  it('duplicate keys are an error', () => {
    expect(errorOf(`${VALID}name: u\n`).message).toMatch(/^spec\.yaml:10:1 invalid YAML: Map keys must be unique/);
  });

  it('alias bombs are refused, not expanded', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    expect(errorOf(bomb.join('\n')).message).toMatch(/^spec\.yaml:1:1 invalid YAML: Excessive alias count/);
  });

  it('an empty file', () => {
    expect(errorOf('').message).toBe('spec.yaml is empty, expected a sweep spec (see README, "The sweep spec")');
    expect(errorOf('# only a comment\n').message).toBe(
      'spec.yaml is empty, expected a sweep spec (see README, "The sweep spec")',
    );
  });

  it('a grid over --max-points is refused before any work, naming the large axes', () => {
    const big = `grid: {experts: {from: 1, to: 1000}, top_k: 1, expert_params: {from: 1K, to: 10B, step: 1K}, shared_params: 1B}\n`;
    expect(() => parseSpec(big, 'big.yaml')).toThrow(
      'big.yaml:1:7 grid: has 10,000,000,000 points, more than --max-points (1,000,000,000); the largest axes are expert_params (10,000,000 values) and experts (1,000 values)',
    );
  });

  it('a single axis over --max-points is refused before it is expanded', () => {
    const huge = `grid: {experts: 8, top_k: 1, expert_params: {from: 1, to: 4B}, shared_params: 1B}\n`;
    expect(() => parseSpec(huge, 'h.yaml', { maxPoints: 1e6 })).toThrow(
      /^h\.yaml:1:45 grid\.expert_params: has 4,000,000,000 values, more than --max-points \(1,000,000\)/,
    );
    // Within --max-points, but more values than one axis may hold: a clear error, not an out-of-memory crash.
    expect(() =>
      parseSpec('grid: {experts: 8, top_k: 2, expert_params: {from: 1, to: 900000000}, shared_params: 1B}\n', 'a.yaml'),
    ).toThrow(
      /^a\.yaml:1:45 grid\.expert_params: has 900,000,000 values, more than one axis holds \(10,000,000\); use a coarser step$/,
    );
  });
});
