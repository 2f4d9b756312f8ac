// Property tests of the compiled counts (src/evaluate/compile.ts, compiled.ts, compiled-kernel.ts):
// random grids over the architecture fields of every preset family (MLA, GQA, sliding windows,
// hybrid linear attention, DeepSeek-V4 CSA/HCA, DSA indexers, shared experts, dense prefixes, MoE
// layer periods), under random weight formats, contexts, batches and GPU counts. For every point of
// every grid:
// - each compiled count and fact equals countParameters and the module-by-module facts, bit for bit;
// - the slice summary (counts, heatmap, violations, front, plot bins, feasible bits) equals the
//   module-by-module kernel's, so KV, per-GPU and decode figures agree wherever they decide anything;
// - the CSV rows (every column) equal those of the module-by-module path, byte for byte, whether
//   every row of the grid is written or only the feasible ones (the kernel's block tables then
//   fill only the rows asked for).
// A spec the validator refuses (a value the base architecture cannot take) is skipped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getPreset } from '../../src/catalog/preset-files.js';
import { presetArchitecture } from '../../src/catalog/presets.js';
import { formatIndices, formatSlice } from '../../src/csv/rows.js';
import { PointSource, countAt } from '../../src/evaluate/general.js';
import type { ChunkSummary } from '../../src/evaluate/plan.js';
import { evaluateSlice } from '../../src/evaluate/slice.js';
import { parseSpec } from '../../src/spec/load.js';
import { ARCH_FIELD_NAMES } from '../../src/spec/schema.js';
import { gridPoints, makePlan } from '../../src/sweep/plan.js';

const PRESETS = [
  'deepseek-v3',
  'deepseek-v4-pro',
  'glm-5',
  'gpt-oss-120b',
  'grok-1',
  'kimi-k2',
  'llama-4-maverick',
  'minimax-m2.5',
  'mixtral-8x7b',
  'qwen3-235b-a22b',
  'qwen3-30b-a3b',
  'qwen3.5-397b-a17b',
] as const;

const RUNS = Number(process.env.COMPILED_RUNS ?? 120) || 120;

/** Candidate values of a field near the base architecture's: the structural edges included. */
function candidates(field: string, base: number | null): number[] {
  const b = base ?? 1024;
  switch (field) {
    case 'first_k_dense_replace':
      return [0, 1, 2, 3, 5];
    case 'moe_layer_period':
      return [1, 2, 3];
    case 'num_shared_experts':
      return [0, 1, 2];
    case 'sliding_window':
      return [128, 4096, 40000, 300000];
    case 'num_experts_per_tok':
      return [1, 2, b, b + 2];
    default:
      return [Math.max(1, Math.floor(b / 2)), b - 1, b, b + 1, b + 16, 2 * b].filter((v) => v >= 1);
  }
}

const caseArb = fc
  .record({
    preset: fc.constantFrom(...PRESETS),
    fields: fc.uniqueArray(fc.constantFrom(...ARCH_FIELD_NAMES), { minLength: 2, maxLength: 4 }),
    picks: fc.array(fc.array(fc.nat(5), { minLength: 2, maxLength: 5 }), { minLength: 4, maxLength: 4 }),
    dtype: fc.constantFrom('bf16', 'fp8', '{experts: mxfp4, rest: bf16}', '{bits: 6}'),
    context: fc.constantFrom('4K', '32K', '128K', '1M'),
    batch: fc.constantFrom(1, 7, 16, 64),
    gpus: fc.constantFrom(1, 4, 8, 12),
    activeMax: fc.option(fc.constantFrom('5B', '30B', '100B'), { nil: undefined }),
    // constraints the kernel reads before a point's estimate (vram and the per-GPU memory it adds)
    // and one that needs the estimate first (decode tokens/s)
    serving: fc.constantFrom('', 'vram: {budget: 1128GB, overhead: 0.1}', 'decode_tokens_per_s: {min: 2000}'),
    objectives: fc.constantFrom(
      '[min active_params, max total_params, max decode_tokens_per_s]',
      '[min active_params, max total_params]',
      '[min per_gpu_bytes, max gpus_needed]',
      '[min ttft_ms, min tpot_ms]',
      '[max prefill_tokens_per_s, min active_params]',
      '[max loss_delta_vs_dense]',
    ),
  })
  .map((c) => {
    const base = presetArchitecture(getPreset(c.preset)!) as unknown as Record<string, number | null>;
    const grid = c.fields.map((f, i) => {
      const values = [...new Set(c.picks[i]!.map((p) => candidates(f, base[f] ?? null)[p % 6]))].filter(
        (v) => v !== undefined,
      );
      return `  ${f}: [${values.join(', ')}]`;
    });
    const training = c.objectives.includes('loss') ? 'training: {tokens: 1T}\n' : '';
    return `name: compiled-property
architecture: {from: ${c.preset}}
grid:
${grid.join('\n')}
dtype: ${c.dtype}
${training}serving: {context: ${c.context}, batch: ${c.batch}}
hardware: {gpu: H200, count: ${c.gpus}}
${c.activeMax || c.serving ? 'constraints:\n' : ''}${c.activeMax ? `  active_params: {max: ${c.activeMax}}\n` : ''}${c.serving ? `  ${c.serving}\n` : ''}objectives: ${c.objectives}
`;
  });

function parsed(yaml: string) {
  try {
    return parseSpec(yaml, 'compiled-property.yaml');
  } catch {
    return undefined;
  }
}

function sameSummary(a: ChunkSummary, b: ChunkSummary): void {
  expect([a.evaluated, a.feasible]).toEqual([b.evaluated, b.feasible]);
  for (const k of [
    'cellEvaluated',
    'cellFeasible',
    'violations',
    'frontIndex',
    'frontObjectives',
    'bins',
    'feasibleBits',
  ] as const) {
    expect(a[k] && Array.from(a[k]!)).toEqual(b[k] && Array.from(b[k]!));
  }
}

describe('compiled counts', () => {
  let compiledPoints = 0;
  let validPoints = 0;

  it('equal the module-by-module counts, summaries and CSV rows on random grids of every family', () => {
    fc.assert(
      fc.property(caseArb, (yaml) => {
        const spec = parsed(yaml);
        fc.pre(spec !== undefined && spec.architecture?.axes !== undefined);
        const plan = makePlan(spec!)!;
        const plan0 = makePlan(spec!, { compiled: false })!;
        const gp = plan.general!;
        expect(gp.compiled).toBeDefined();
        expect(plan0.general!.compiled).toBeUndefined();
        const n = gridPoints(spec!);
        // every count and fact, point by point
        const source = new PointSource(gp);
        for (let index = 0; index < n; index++) {
          const got = source.at(index);
          if (!got) continue;
          validPoints++;
          if (source.walker.ok()) compiledPoints++;
          const values = Array.from(source.walker.idx, (i, d) => gp.dims[d]!.values[i]!);
          const want = countAt(gp, values);
          expect(got.expert_params).toBe(want.expert_params);
          expect(got.shared_params).toBe(want.shared_params);
          for (const k of gp.compiled!.outputs.slice(2))
            expect((got.facts as unknown as Record<string, number>)[k]).toBe(
              (want.facts as unknown as Record<string, number>)[k],
            );
        }
        // the kernels, over the whole grid and over a slice that starts inside a block
        sameSummary(evaluateSlice(plan, 0, n), evaluateSlice(plan0, 0, n));
        const mid = Math.floor(n / 3);
        sameSummary(evaluateSlice(plan, mid, n), evaluateSlice(plan0, mid, n));
        // the CSV, every row and column; and the feasible rows alone, as the CSV pass asks for them
        const whole = evaluateSlice({ ...plan0, feasibleBits: true }, 0, n);
        const front = whole.frontIndex;
        expect(formatSlice(plan, 0, n, 'all', front)).toBe(formatSlice(plan0, 0, n, 'all', front));
        const feasible = Float64Array.from({ length: n }, (_, i) => i).filter(
          (i) => (whole.feasibleBits![i >> 3]! >> (i & 7)) & 1,
        );
        expect(formatIndices(plan, feasible, front)).toBe(formatIndices(plan0, feasible, front));
      }),
      { seed: 20261203, numRuns: RUNS },
    );
    // the properties above hold trivially if every point fell back: most must have compiled
    expect(validPoints).toBeGreaterThan(10 * RUNS);
    expect(compiledPoints / validPoints).toBeGreaterThan(0.7);
  });
});
