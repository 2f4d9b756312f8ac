// The CSV pass's view of the compiled kernel: the full metric vector of grid points in ascending
// order, read from the same block tables (compiled-pass.ts), so a feasible row's counts and serving
// figures are never counted again module by module.
import { SLOT } from '../metrics/registry.js';
import { qualityInto } from '../metrics/quality.js';
import { C_OK, C_S, C_X, type Pass, designAt, passFor, serveAt } from './compiled-pass.js';
import { pointMetricsInto } from './general.js';
import type { EvalPlan } from './plan.js';

export { compiledCursorFits } from './compiled-pass.js';

const TOTAL = SLOT.total_params;
const ACTIVE = SLOT.active_params;

/**
 * The full metric vector of grid points in ascending order, from the kernel's block tables: what
 * the CSV pass writes, with no point counted again module by module where its case compiled.
 * For plans without training-cost columns (compiledCursorFits).
 */
export class CompiledCursor {
  private readonly p: Pass;
  /** The metric vector of the current point. */
  readonly m: Float64Array;
  /** Value index of each dimension at the current point. */
  readonly idx: Int32Array;
  experts = 0;
  topK = 0;
  expertParams = 0;
  sharedParams = 0;
  /** The grid index of the current point's design at its first top_k value: equal for every top_k of a design. */
  design = 0;

  constructor(plan: EvalPlan) {
    this.p = passFor(plan, 0, 0);
    this.m = this.p.m;
    this.idx = new Int32Array(this.p.n);
  }

  /** Moves to grid index `index`; false when its top_k exceeds its experts (not a design). */
  at(index: number): boolean {
    const p = this.p;
    const { sizes, idx } = this;
    let rest = index;
    for (let d = p.n - 1; d >= 0; d--) {
      const q = Math.floor(rest / sizes[d]!);
      idx[d] = rest - q * sizes[d]!;
      rest = q;
    }
    const e = p.eValues[p.eDim >= 0 ? idx[p.eDim]! : 0]!;
    const k = p.kValues[p.kDim >= 0 ? idx[p.kDim]! : 0]!;
    if (k > e) return false;
    const blockBase = p.enter(index);
    const r = (index - blockBase) * p.cols;
    const m = p.m;
    const plan = p.plan;
    if (p.table[r + C_OK] === 0) {
      const point = p.source.at(index)!;
      pointMetricsInto(m, plan, p.gp, p.serving, point, p.training);
      this.expertParams = point.expert_params;
      this.sharedParams = point.shared_params;
    } else {
      designAt(p, r, e, k);
      if (plan.quality) qualityInto(m, e, k, m[TOTAL]!, m[ACTIVE]!, plan.quality);
      if (p.hasServing) serveAt(p, r, e, k, true);
      this.expertParams = p.table[r + C_X]!;
      this.sharedParams = p.table[r + C_S]!;
    }
    this.experts = e;
    this.topK = k;
    this.design = p.kStride > 0 ? index - idx[p.kDim]! * p.kStride : index;
    return true;
  }

  private get sizes(): Int32Array {
    return this.p.sizes;
  }
}
