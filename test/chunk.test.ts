import { SLOT, TRAINING_SLOT_END } from '../src/metrics/registry.js';
import { describe, expect, it } from 'vitest';
import { violationMask } from '../src/metrics/constraints.js';
import { binOf } from '../src/evaluate/binner.js';
import { evaluateChunk } from '../src/evaluate/kernel.js';
import { decodeIndex, designAt, gridSize } from '../src/grid/axes.js';
import { metricsInto } from '../src/metrics/design.js';
import { qualityInto } from '../src/metrics/quality.js';
import { paretoFront } from '../src/evaluate/pareto.js';
import { parseSpec } from '../src/spec/load.js';
import { makePlan } from '../src/sweep/plan.js';

/** The slow, obvious evaluation the fast kernel must agree with. */
function reference(plan: NonNullable<ReturnType<typeof makePlan>>, start: number, end: number) {
  const ne = plan.axes.experts.length;
  const nk = plan.axes.top_k.length;
  const out = {
    evaluated: 0,
    feasible: 0,
    violations: new Array(plan.constraints.length).fill(0),
    cellEvaluated: new Array(ne * nk).fill(0),
    cellFeasible: new Array(ne * nk).fill(0),
    bins: plan.bins ? new Array(2 * plan.bins.nx * plan.bins.ny).fill(0) : undefined,
    cand: [] as number[],
    obj: plan.objectives.map(() => [] as number[]),
  };
  const v = new Float64Array(TRAINING_SLOT_END);
  for (let i = start; i < end; i++) {
    const d = designAt(plan.axes, i);
    if (d.top_k > d.experts) continue;
    const p = decodeIndex(plan.axes, i);
    metricsInto(v, 0, d.experts, d.top_k, d.expert_params, d.shared_params, plan.bytesPerWeight, plan.overhead);
    if (plan.quality) qualityInto(v, d.experts, d.top_k, v[0]!, v[1]!, plan.quality);
    const mask = violationMask(plan.constraints, v, 0);
    const cell = p.experts * nk + p.top_k;
    out.evaluated++;
    out.cellEvaluated[cell]++;
    if (mask === 0) {
      out.feasible++;
      out.cellFeasible[cell]++;
      out.cand.push(i);
      plan.objectives.forEach((o, j) => out.obj[j]!.push(o.sign * v[o.metric]!));
    } else plan.constraints.forEach((_, c) => mask & (1 << c) && out.violations[c]++);
    if (out.bins && plan.bins) {
      const b = plan.bins;
      const bx = binOf(Math.log10(v[SLOT.total_params]!), b.x0, b.x1, b.nx);
      const by = binOf(Math.log10(v[SLOT.active_params]!), b.y0, b.y1, b.ny);
      out.bins[(mask === 0 ? b.nx * b.ny : 0) + by * b.nx + bx]++;
    }
  }
  const front = paretoFront(out.obj, out.cand.length);
  return { ...out, front: [...front].map((p) => out.cand[p]!) };
}

const SPECS = {
  'ranges, vram and ratio bounds': `grid: {experts: [4, 6, 8, 16], top_k: {from: 1, to: 8}, expert_params: {from: 0.3B, to: 3B, step: 0.3B}, shared_params: [1B, 2B, 5B]}
constraints: {active_params: {min: 3B, max: 12B}, active_ratio: {max: 0.4}, vram: {budget: 120GB, overhead: 0.1}}
`,
  'two constraints on one metric (vram and vram_bytes), every metric bounded, three objectives': `grid: {experts: {from: 2, to: 20, step: 3}, top_k: {from: 1, to: 5}, expert_params: [1B, 2B, 3B, 4B, 5B, 6B, 7B], shared_params: [0, 3B]}
constraints:
  total_params: {max: 100B}
  active_params: {min: 2B}
  active_ratio: {min: 0.05}
  expert_sparsity: {min: 0.3}
  compute_saving: {max: 0.95}
  flops_per_token: {max: 60B}
  weight_bytes: {max: 150GB}
  vram_bytes: {min: 10GB}
  vram: {budget: 160GB, overhead: 0.2}
objectives: [min active_params, max total_params, min vram_bytes]
`,
  'training: quality objectives and constraints, with designs inside and far outside the fitted range': `grid: {experts: [1, 4, 16, 64], top_k: [1, 2], expert_params: [50M, 200M, 1B, 5B], shared_params: [100M, 400M, 2B]}
training: {tokens: 30B}
constraints: {loss_delta_vs_dense: {max: -0.01}, dense_equivalent_params: {min: 500M}, active_params: {max: 20B}}
objectives: [min active_params, max dense_equivalent_params, min loss_delta_vs_dense]
`,
  'training by FLOPs, a quality objective and no quality constraint': `grid: {experts: [2, 8, 32], top_k: [1, 2], expert_params: [100M, 300M], shared_params: [200M, 600M]}
training: {flops: 1e21}
objectives: [min loss_delta_vs_dense, min total_params]
`,
};

describe('the evaluation kernel agrees with the obvious per-point evaluation', () => {
  for (const [name, text] of Object.entries(SPECS)) {
    it(name, () => {
      const spec = parseSpec(text, 'k.yaml');
      for (const withBins of [false, true]) {
        const plan = makePlan(spec)!;
        if (withBins) plan.bins = { nx: 16, ny: 12, x0: 9, x1: 11.5, y0: 9, y1: 11 };
        else delete plan.bins;
        const size = gridSize(plan.axes);
        // Whole grid, slices that start and end mid-row and mid-block, a one-point slice, a skipped-only slice.
        const slices = [
          [0, size],
          [7, 311],
          [size - 97, size],
          [123, 124],
          [0, 1],
          [40, size - 40],
        ].map(([a, b]) => [Math.max(0, Math.min(a!, size)), Math.max(0, Math.min(b!, size))] as const);
        for (const [start, end] of slices.filter(([a, b]) => a <= b)) {
          const fast = evaluateChunk(plan, start, end);
          const ref = reference(plan, start, end);
          const ctx = `${withBins ? 'bins ' : ''}[${start}, ${end})`;
          expect(fast.evaluated, ctx).toBe(ref.evaluated);
          expect(fast.feasible, ctx).toBe(ref.feasible);
          expect([...fast.violations], ctx).toEqual(ref.violations);
          expect([...fast.cellEvaluated], ctx).toEqual(ref.cellEvaluated);
          expect([...fast.cellFeasible], ctx).toEqual(ref.cellFeasible);
          expect([...fast.frontIndex], ctx).toEqual(ref.front);
          if (withBins) expect([...fast.bins!], ctx).toEqual(ref.bins);
        }
      }
    });
  }
});
