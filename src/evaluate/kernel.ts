// Evaluating a slice [start, end) of the grid: the work a pool worker does. Pure and allocation-light;
// results are typed arrays so they can be transferred, not copied, back to the main thread.
import { violationMask, type Constraint } from '../metrics/constraints.js';
import { decodeIndex } from '../grid/axes.js';
import { metricsInto } from '../metrics/design.js';
import { qualityInto, type QualityPlan } from '../metrics/quality.js';
import { DESIGN_SLOT_COUNT, SLOT, TRAINING_SLOT_END } from '../metrics/registry.js';
import { Binner, NO_TABLE } from './binner.js';
import { Growable } from './growable.js';
import { localFront } from './pareto.js';
import type { ChunkSummary, EvalPlan } from './plan.js';

// For the modules that still import the plan types from here (sweep/types.ts, sweep/run.ts,
// pool/pool.ts, output/shard.ts): plan.ts is their home.

// Module-level constants, which V8 folds into the code that reads them.
const TOTAL = SLOT.total_params;
const ACTIVE = SLOT.active_params;
const RATIO = SLOT.active_ratio;
const SPARSITY = SLOT.expert_sparsity;
const SAVING = SLOT.compute_saving;
const FLOPS = SLOT.flops_per_token;
const WEIGHT_BYTES = SLOT.weight_bytes;
const VRAM = SLOT.vram_bytes;
/**
 * The metrics fastBlock computes and bounds, each written out in its loop. A constraint on any other
 * metric (a quality metric, or a design metric added after these) sends the pass to genericBlock.
 */
const FAST_SLOTS: readonly number[] = [TOTAL, ACTIVE, RATIO, SPARSITY, SAVING, FLOPS, WEIGHT_BYTES, VRAM];

/**
 * Walks the slice block by block (one block per experts × top_k pair, skipped whole when top_k >
 * experts). The per-point loops are small functions of their own with no branch that only some points
 * take: V8 optimises such a loop early in a fresh worker's first slice, whereas one large function was
 * deoptimised each time a point first went down another path (the first feasible one, say) and a
 * worker spent its first slices in slow code. A test checks the result against metricsInto and
 * violationMask point by point.
 */
export function evaluateChunk(plan: EvalPlan, start: number, end: number): ChunkSummary {
  const p = new Pass(plan, end - start);
  const { cand } = p;
  walk(p, plan, start, end);
  let bits: Uint8Array | undefined;
  if (plan.feasibleBits) {
    bits = new Uint8Array(Math.ceil((end - start) / 8));
    for (let c = 0; c < cand.length; c++) {
      const i = cand.data[c]! - start;
      bits[i >> 3]! |= 1 << (i & 7);
    }
  }
  const violations = p.generic ? p.violations : p.violationsFromMasks();
  const [frontIndex, frontObjectives] = localFront(cand, p.candObj);
  return {
    start,
    end,
    evaluated: p.evaluated,
    feasible: cand.length,
    cellEvaluated: p.cellEvaluated,
    cellFeasible: p.cellFeasible,
    violations,
    frontIndex,
    frontObjectives,
    bins: p.binner?.counts,
    feasibleBits: bits,
  };
}

// The block loop on its own, with nothing after it: code V8 optimises while inside a loop knows
// nothing of what follows the loop and is thrown away on the way out otherwise.
function walk(p: Pass, plan: EvalPlan, start: number, end: number): void {
  const { experts: E, top_k: K } = plan.axes;
  const ne = E.length;
  const nk = K.length;
  const nx = p.X.length;
  const ns = p.S.length;
  const { cand } = p;
  let { experts: ie, top_k: ik, expert_params: ix, shared_params: is } = decodeIndex(plan.axes, start);
  let index = start;
  for (; ie < ne && index < end; ie++, ik = 0) {
    const e = E[ie]!;
    for (; ik < nk && index < end; ik++, ix = 0, is = 0) {
      const k = K[ik]!;
      const count = Math.min(end - index, (nx - ix) * ns - is);
      // top_k > experts is not a design: such a block is skipped.
      if (k <= e) {
        const first = cand.length;
        cand.reserve(count);
        if (p.binner) p.t0 = p.binner.prepare(ie, ik, ix, is, count);
        cand.length = p.generic
          ? genericBlock(p, e, k, ix, is, index, count)
          : fastBlock(p, e, k, ix, is, index, count);
        objectivesOf(p, first, e, k, index - ix * ns - is);
        const cell = ie * nk + ik;
        p.cellEvaluated[cell]! += count;
        p.cellFeasible[cell]! += cand.length - first;
        p.evaluated += count;
      }
      index += count;
    }
  }
}

/** The objectives of a block's feasible points (from `first` on in p.cand), from metricsInto like everywhere else. */
function objectivesOf(p: Pass, first: number, e: number, k: number, blockStart: number): void {
  const { cand, candObj, m, objectives, quality } = p;
  const ns = p.S.length;
  for (let c = first; c < cand.length; c++) {
    const offset = cand.data[c]! - blockStart;
    const jx = Math.floor(offset / ns);
    metricsInto(m, 0, e, k, p.X[jx]!, p.S[offset - jx * ns]!, p.bytesPerWeight, p.overhead);
    if (quality && p.objectivesNeedQuality) qualityInto(m, e, k, m[TOTAL]!, m[ACTIVE]!, quality);
    for (let o = 0; o < objectives.length; o++) candObj[o]!.push(objectives[o]!.sign * m[objectives[o]!.metric]!);
  }
}

const NO_COUNTS = new Float64Array(0);

/** What the per-point loops read and write: one class, so they only ever see one shape. */
class Pass {
  // Typed copies: plain arrays arrive with different element kinds (small integers, doubles) from
  // plan to plan, and every new kind would throw away the optimised loop.
  readonly X: Float64Array;
  readonly S: Float64Array;
  readonly bytesPerWeight: number;
  readonly overhead: number;
  readonly constraints: Constraint[];
  readonly quality: QualityPlan | undefined;
  readonly objectives: EvalPlan['objectives'];
  readonly objectivesNeedQuality: boolean;
  /** Two constraints on one metric, or one on a quality metric: needs the full metric vector per point. */
  readonly generic: boolean;
  /** For fastBlock: each metric's bounds (±Infinity when unconstrained) and its constraint's bit (0 when none). */
  readonly lo = new Float64Array(DESIGN_SLOT_COUNT).fill(-Infinity);
  readonly hi = new Float64Array(DESIGN_SLOT_COUNT).fill(Infinity);
  readonly bit = new Int32Array(DESIGN_SLOT_COUNT);
  /** For fastBlock: how many points have each violation mask (at most one constraint per FAST_SLOTS there). */
  readonly masks = new Float64Array(1 << FAST_SLOTS.length);
  /** For genericBlock: how many points fail each constraint. */
  readonly violations: Float64Array;
  readonly m = new Float64Array(TRAINING_SLOT_END);
  /** Grid indices of the feasible points, and their objectives. */
  readonly cand = new Growable();
  readonly candObj: Growable[];
  readonly cellEvaluated: Float64Array;
  readonly cellFeasible: Float64Array;
  evaluated = 0;
  readonly binner: Binner | undefined;
  /** Position of the current block's first point in the binner's tables. */
  t0 = 0;

  constructor(plan: EvalPlan, sliceLength: number) {
    this.X = Float64Array.from(plan.axes.expert_params);
    this.S = Float64Array.from(plan.axes.shared_params);
    this.bytesPerWeight = plan.bytesPerWeight;
    this.overhead = plan.overhead;
    this.constraints = plan.constraints;
    this.quality = plan.quality;
    this.objectives = plan.objectives;
    this.candObj = plan.objectives.map(() => new Growable());
    this.cellEvaluated = new Float64Array(plan.axes.experts.length * plan.axes.top_k.length);
    this.cellFeasible = new Float64Array(plan.axes.experts.length * plan.axes.top_k.length);
    this.objectivesNeedQuality = plan.objectives.some((o) => o.metric >= DESIGN_SLOT_COUNT);
    this.violations = new Float64Array(plan.constraints.length);
    let generic = false;
    plan.constraints.forEach((c, i) => {
      if (!FAST_SLOTS.includes(c.metric) || this.bit[c.metric] !== 0) generic = true;
      else {
        this.lo[c.metric] = c.min;
        this.hi[c.metric] = c.max;
        this.bit[c.metric] = 1 << i;
      }
    });
    this.generic = generic;
    this.binner = plan.bins ? new Binner(plan.bins, plan.axes, sliceLength) : undefined;
  }

  violationsFromMasks(): Float64Array {
    const out = new Float64Array(this.constraints.length);
    this.masks.forEach((n, mask) => {
      for (let c = 0; c < out.length; c++) if (mask & (1 << c)) out[c]! += n;
    });
    return out;
  }
}

/**
 * The hot loop, for constraints that each bound a different one of FAST_SLOTS: metricsInto's
 * formulas written out, one comparison pair per metric. Returns p.cand's new length. Nothing happens
 * after the loop and both comparisons of a pair always run, so no operation is left that V8 has not
 * seen by the time it optimises the loop (it would deoptimise there).
 */
function fastBlock(p: Pass, e: number, k: number, ix: number, is: number, index: number, count: number): number {
  const { X, S, masks, binner } = p;
  const binned = binner !== undefined;
  const counts = binner ? binner.counts : NO_COUNTS;
  const half = binner ? binner.half : 0;
  const tTotal = binner ? binner.total : NO_TABLE;
  const tActive = binner ? binner.active : NO_TABLE;
  const ns = S.length;
  const bpw = p.bytesPerWeight;
  const overhead1 = 1 + p.overhead;
  // Read one by one: destructuring goes through the iterator protocol, which tripled the time V8
  // took to compile this function.
  const { lo, hi, bit } = p;
  const loTotal = lo[TOTAL]!,
    loActive = lo[ACTIVE]!,
    loRatio = lo[RATIO]!,
    loSparsity = lo[SPARSITY]!,
    loSaving = lo[SAVING]!,
    loFlops = lo[FLOPS]!,
    loWeight = lo[WEIGHT_BYTES]!,
    loVram = lo[VRAM]!;
  const hiTotal = hi[TOTAL]!,
    hiActive = hi[ACTIVE]!,
    hiRatio = hi[RATIO]!,
    hiSparsity = hi[SPARSITY]!,
    hiSaving = hi[SAVING]!,
    hiFlops = hi[FLOPS]!,
    hiWeight = hi[WEIGHT_BYTES]!,
    hiVram = hi[VRAM]!;
  const bitTotal = bit[TOTAL]!,
    bitActive = bit[ACTIVE]!,
    bitRatio = bit[RATIO]!,
    bitSparsity = bit[SPARSITY]!,
    bitSaving = bit[SAVING]!,
    bitFlops = bit[FLOPS]!,
    bitWeight = bit[WEIGHT_BYTES]!,
    bitVram = bit[VRAM]!;
  const sparsity = 1 - k / e;
  const blockMask = (sparsity < loSparsity ? bitSparsity : 0) | (sparsity > hiSparsity ? bitSparsity : 0);
  const cand = p.cand.data;
  let nc = p.cand.length;
  let t = p.t0;
  for (let left = count; left > 0; ix++, is = 0) {
    const x = X[ix]!;
    const ex = e * x;
    const kx = k * x;
    const stop = Math.min(ns, is + left);
    left -= stop - is;
    for (let j = is; j < stop; j++, t++) {
      const s = S[j]!;
      const total = s + ex;
      const active = s + kx;
      const ratio = active / total;
      const weightBytes = total * bpw;
      const vram = Math.round(weightBytes * overhead1);
      const mask =
        blockMask |
        (total < loTotal ? bitTotal : 0) |
        (total > hiTotal ? bitTotal : 0) |
        (active < loActive ? bitActive : 0) |
        (active > hiActive ? bitActive : 0) |
        (ratio < loRatio ? bitRatio : 0) |
        (ratio > hiRatio ? bitRatio : 0) |
        (1 - ratio < loSaving ? bitSaving : 0) |
        (1 - ratio > hiSaving ? bitSaving : 0) |
        (2 * active < loFlops ? bitFlops : 0) |
        (2 * active > hiFlops ? bitFlops : 0) |
        (weightBytes < loWeight ? bitWeight : 0) |
        (weightBytes > hiWeight ? bitWeight : 0) |
        (vram < loVram ? bitVram : 0) |
        (vram > hiVram ? bitVram : 0);
      masks[mask]!++;
      // Written for every point and kept only for a feasible one: no path for feasible points alone.
      cand[nc] = index++;
      nc += mask === 0 ? 1 : 0;
      if (binned) counts[(mask === 0 ? half : 0) + tActive[t]! + tTotal[t]!]!++;
    }
  }
  return nc;
}

/** The same for any constraints, through the full metric vector (with the quality columns when there are any). */
function genericBlock(p: Pass, e: number, k: number, ix: number, is: number, index: number, count: number): number {
  const { X, S, m, constraints, violations, quality, binner } = p;
  const binned = binner !== undefined;
  const counts = binner ? binner.counts : NO_COUNTS;
  const half = binner ? binner.half : 0;
  const tTotal = binner ? binner.total : NO_TABLE;
  const tActive = binner ? binner.active : NO_TABLE;
  const ns = S.length;
  const nC = constraints.length;
  const cand = p.cand.data;
  let nc = p.cand.length;
  let t = p.t0;
  for (let left = count; left > 0; ix++, is = 0) {
    const x = X[ix]!;
    const stop = Math.min(ns, is + left);
    left -= stop - is;
    for (let j = is; j < stop; j++, t++) {
      metricsInto(m, 0, e, k, x, S[j]!, p.bytesPerWeight, p.overhead);
      if (quality) qualityInto(m, e, k, m[TOTAL]!, m[ACTIVE]!, quality);
      const mask = violationMask(constraints, m, 0);
      for (let c = 0; c < nC; c++) violations[c]! += (mask >> c) & 1;
      cand[nc] = index++;
      nc += mask === 0 ? 1 : 0;
      if (binned) counts[(mask === 0 ? half : 0) + tActive[t]! + tTotal[t]!]!++;
    }
  }
  return nc;
}
