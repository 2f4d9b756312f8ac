// Evaluating a slice [start, end) of the grid: the work a pool worker does. Pure and allocation-light;
// results are typed arrays so they can be transferred, not copied, back to the main thread.
import { violationMask, violationNames, type Constraint } from '../constraints.js';
import type { CsvMode } from '../csv.js';
import { decodeIndex, type GridAxes } from '../grid.js';
import { METRIC_COUNT, metricsInto } from '../metrics.js';
import { EXTENDED_METRIC_COUNT, domainLabel, qualityInto, type QualityPlan } from '../quality-metrics.js';
import { paretoFront } from '../pareto.js';
import type { GeneralPlan } from './general.js';

export interface PlotBins {
  /** Bins over log10(total_params) × log10(active_params). */
  nx: number;
  ny: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface EvalPlan {
  axes: GridAxes;
  bytesPerWeight: number;
  overhead: number;
  constraints: Constraint[];
  /** Metric positions to minimise; `sign` -1 turns a maximisation into a minimisation. */
  objectives: { metric: number; sign: 1 | -1 }[];
  bins?: PlotBins;
  /** Return a bitmap of the feasible points, so the CSV pass can skip straight to them. */
  feasibleBits?: boolean;
  /** With `training:`: the scaling-law columns (metric vector positions 8–10). */
  quality?: QualityPlan;
  /** Architecture axes or serving columns: evaluated by general.ts instead of this kernel. */
  general?: GeneralPlan;
}

export interface ChunkSummary {
  start: number;
  end: number;
  evaluated: number;
  feasible: number;
  /** Per experts × top_k cell (experts-major): evaluated and feasible counts, for the heatmap. */
  cellEvaluated: Float64Array;
  cellFeasible: Float64Array;
  /** How many evaluated points fail each constraint. */
  violations: Float64Array;
  /** The chunk's own Pareto front: grid indices and their (signed) objective values, row-major. */
  frontIndex: Float64Array;
  frontObjectives: Float64Array;
  /** [infeasible bins…, feasible bins…] when the plan asks for bins. */
  bins?: Float64Array;
  /** Bit i is set when point start + i is feasible (when the plan asks for it). */
  feasibleBits?: Uint8Array;
}

type Eight = [number, number, number, number, number, number, number, number];

class Growable {
  data = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
}

/**
 * The hot loop. Walks the slice block by block (one block per experts × top_k pair, skipped whole
 * when top_k > experts), with the metric formulas of metricsInto written out so nothing is called per
 * point. A test checks it against metricsInto and violationMask point by point.
 */
export function evaluateChunk(plan: EvalPlan, start: number, end: number): ChunkSummary {
  // Typed copies: plain arrays arrive with different element kinds (small integers, doubles) from
  // plan to plan, and every new kind would throw away the optimised loop.
  const E = Float64Array.from(plan.axes.experts);
  const K = Float64Array.from(plan.axes.top_k);
  const X = Float64Array.from(plan.axes.expert_params);
  const S = Float64Array.from(plan.axes.shared_params);
  const ne = E.length;
  const nk = K.length;
  const nx = X.length;
  const ns = S.length;
  const cellEvaluated = new Float64Array(ne * nk);
  const cellFeasible = new Float64Array(ne * nk);
  const nC = plan.constraints.length;
  const violations = new Float64Array(nC);
  const cMetric = Int32Array.from(plan.constraints, (c) => c.metric);
  const cMin = Float64Array.from(plan.constraints, (c) => c.min);
  const cMax = Float64Array.from(plan.constraints, (c) => c.max);
  const objectives = plan.objectives;
  const nObj = objectives.length;
  const oMetric = Int32Array.from(objectives, (o) => o.metric);
  const oSign = Float64Array.from(objectives, (o) => o.sign);
  const candIndex = new Growable();
  const candObj = objectives.map(() => new Growable());
  const bpw = plan.bytesPerWeight;
  const overhead1 = 1 + plan.overhead;
  const bins = plan.bins ? new Binner(plan.bins, plan.axes, end - start) : undefined;
  const m = new Float64Array(EXTENDED_METRIC_COUNT);
  const qp = plan.quality;
  const objectivesNeedQuality = qp !== undefined && objectives.some((o) => o.metric >= METRIC_COUNT);
  const bits = plan.feasibleBits ? new Uint8Array(Math.ceil((end - start) / 8)) : undefined;
  // The first constraint on each metric is checked inline through these locals; a second constraint
  // on the same metric (vram and vram_bytes, say) goes through the generic loop, marked in `extra`.
  const lo = new Float64Array(METRIC_COUNT).fill(-Infinity);
  const hi = new Float64Array(METRIC_COUNT).fill(Infinity);
  const bit = new Int32Array(METRIC_COUNT);
  const extraFlags = new Uint8Array(nC);
  for (let i = 0; i < nC; i++) {
    const c = plan.constraints[i]!;
    if (c.metric < METRIC_COUNT && bit[c.metric] === 0) {
      lo[c.metric] = c.min;
      hi[c.metric] = c.max;
      bit[c.metric] = 1 << i;
    } else extraFlags[i] = 1;
  }
  const extra = extraFlags.some((f) => f === 1) ? extraFlags : undefined;
  const [lo0, lo1, lo2, lo3, lo4, lo5, lo6, lo7] = lo as unknown as Eight;
  const [hi0, hi1, hi2, hi3, hi4, hi5, hi6, hi7] = hi as unknown as Eight;
  const [bit0, bit1, bit2, bit3, bit4, bit5, bit6, bit7] = bit as unknown as Eight;
  let evaluated = 0;
  let feasible = 0;

  let { experts: ie, top_k: ik, expert_params: ix, shared_params: is } = decodeIndex(plan.axes, start);
  let index = start;
  for (; ie < ne && index < end; ie++, ik = 0) {
    const e = E[ie]!;
    for (; ik < nk && index < end; ik++, ix = 0) {
      const k = K[ik]!;
      if (k > e) {
        index += (nx - ix) * ns - is; // not a design: the rest of this experts × top_k block is skipped
        is = 0;
        continue;
      }
      const sparsity = 1 - k / e;
      const cell = ie * nk + ik;
      const rows = bins?.rowsFor(ie, ik);
      const totalBins = rows?.[0];
      const activeBins = rows?.[1];
      const binCounts = bins?.counts;
      const feasibleHalf = bins?.half ?? 0;
      const binsX = plan.bins?.nx ?? 0;
      let blockEvaluated = 0;
      let blockFeasible = 0;
      for (; ix < nx && index < end; ix++, is = 0) {
        const x = X[ix]!;
        const ex = e * x;
        const kx = k * x;
        const n = Math.min(ns - is, end - index);
        for (let j = 0; j < n; j++) {
          const s = S[is + j]!;
          const total = s + ex;
          const active = s + kx;
          const ratio = active / total;
          const weightBytes = total * bpw;
          const vram = Math.round(weightBytes * overhead1);
          // One comparison pair per metric; lo/hi are ±Infinity where the metric is unconstrained.
          let mask = 0;
          if (total < lo0 || total > hi0) mask |= bit0;
          if (active < lo1 || active > hi1) mask |= bit1;
          if (ratio < lo2 || ratio > hi2) mask |= bit2;
          if (sparsity < lo3 || sparsity > hi3) mask |= bit3;
          if (1 - ratio < lo4 || 1 - ratio > hi4) mask |= bit4;
          if (2 * active < lo5 || 2 * active > hi5) mask |= bit5;
          if (weightBytes < lo6 || weightBytes > hi6) mask |= bit6;
          if (vram < lo7 || vram > hi7) mask |= bit7;
          if (extra) {
            m[0] = total; m[1] = active; m[2] = ratio; m[3] = sparsity; m[4] = 1 - ratio; m[5] = 2 * active; m[6] = weightBytes; m[7] = vram;
            if (qp) qualityInto(m, e, k, total, active, qp);
            for (let c = 0; c < nC; c++) {
              if (!extra[c]) continue;
              const v = m[cMetric[c]!]!;
              if (v < cMin[c]! || v > cMax[c]!) mask |= 1 << c;
            }
          }
          if (mask === 0) {
            blockFeasible++;
            candIndex.push(index + j);
            if (bits) bits[(index + j - start) >> 3]! |= 1 << ((index + j - start) & 7);
            m[0] = total; m[1] = active; m[2] = ratio; m[3] = sparsity; m[4] = 1 - ratio; m[5] = 2 * active; m[6] = weightBytes; m[7] = vram;
            if (objectivesNeedQuality && !extra) qualityInto(m, e, k, total, active, qp);
            for (let o = 0; o < nObj; o++) candObj[o]!.push(oSign[o]! * m[oMetric[o]!]!);
          } else {
            for (let c = 0; c < nC; c++) if (mask & (1 << c)) violations[c]!++;
          }
          if (binCounts) {
            const b = totalBins && activeBins ? activeBins[ix * ns + is + j]! * binsX + totalBins[ix * ns + is + j]! : bins!.binOfPoint(total, active);
            binCounts[(mask === 0 ? feasibleHalf : 0) + b]!++;
          }
        }
        blockEvaluated += n;
        index += n;
        is += n;
      }
      cellEvaluated[cell]! += blockEvaluated;
      cellFeasible[cell]! += blockFeasible;
      evaluated += blockEvaluated;
      feasible += blockFeasible;
    }
  }

  const [frontIndex, frontObjectives] = localFront(candIndex, candObj);
  return { start, end, evaluated, feasible, cellEvaluated, cellFeasible, violations, frontIndex, frontObjectives, bins: bins?.counts, feasibleBits: bits };
}

function localFront(candIndex: Growable, candObj: Growable[]): [Float64Array, Float64Array] {
  const nObj = candObj.length;
  const cols = candObj.map((g) => g.data);
  const front = paretoFront(cols, candIndex.length);
  const frontIndex = new Float64Array(front.length);
  const frontObjectives = new Float64Array(front.length * nObj);
  for (let i = 0; i < front.length; i++) {
    const p = front[i]!;
    frontIndex[i] = candIndex.data[p]!;
    for (let j = 0; j < nObj; j++) frontObjectives[i * nObj + j] = cols[j]![p]!;
  }
  return [frontIndex, frontObjectives];
}

/**
 * 2-D histogram over log10(total) × log10(active). Two log10 per point would cost more than the rest
 * of the evaluation, so bin numbers are tabulated: the total's bin depends on (experts, expert, shared)
 * only, the active's on (top_k, expert, shared) only, and each table row is reused across the other
 * axis. Rows are built only when the slice is big enough to pay for them.
 */
class Binner {
  readonly counts: Float64Array;
  readonly half: number;
  private readonly tabulate: boolean;
  private totalRow: Uint8Array | undefined;
  private totalRowFor = -1;
  private readonly activeRows = new Map<number, Uint8Array>();

  constructor(
    private readonly b: PlotBins,
    private readonly axes: GridAxes,
    sliceLength: number,
  ) {
    this.half = b.nx * b.ny;
    this.counts = new Float64Array(2 * this.half);
    this.tabulate = axes.expert_params.length * axes.shared_params.length * 4 <= sliceLength && b.nx <= 255 && b.ny <= 255;
  }

  private row(lo: number, hi: number, n: number, multiplier: number): Uint8Array {
    const X = this.axes.expert_params;
    const S = this.axes.shared_params;
    const out = new Uint8Array(X.length * S.length);
    for (let ix = 0; ix < X.length; ix++) {
      for (let is = 0; is < S.length; is++) out[ix * S.length + is] = binOf(Math.log10(S[is]! + multiplier * X[ix]!), lo, hi, n);
    }
    return out;
  }

  /** Bin-number tables for one experts × top_k block, indexed by expert × shared; undefined when not tabulated. */
  rowsFor(ie: number, ik: number): [Uint8Array, Uint8Array] | undefined {
    if (!this.tabulate) return undefined;
    const b = this.b;
    if (this.totalRowFor !== ie) {
      this.totalRow = this.row(b.x0, b.x1, b.nx, this.axes.experts[ie]!);
      this.totalRowFor = ie;
    }
    let activeRow = this.activeRows.get(ik);
    if (!activeRow) this.activeRows.set(ik, (activeRow = this.row(b.y0, b.y1, b.ny, this.axes.top_k[ik]!)));
    return [this.totalRow!, activeRow];
  }

  binOfPoint(total: number, active: number): number {
    const b = this.b;
    return binOf(Math.log10(active), b.y0, b.y1, b.ny) * b.nx + binOf(Math.log10(total), b.x0, b.x1, b.nx);
  }
}

export function binOf(v: number, lo: number, hi: number, n: number): number {
  if (hi <= lo) return 0;
  const b = Math.floor(((v - lo) / (hi - lo)) * n);
  return b < 0 ? 0 : b >= n ? n - 1 : b;
}

/**
 * The CSV text of the rows of [start, end) that `mode` keeps. `front` holds the grid indices on the
 * global Pareto front that fall in this slice, ascending. Walks the slice block by block like the
 * kernel; metrics come from metricsInto (the single source of the formulas) and the axis values'
 * text is built once per slice, since number-to-text is most of the cost of a row.
 */
export function formatCsvChunk(plan: EvalPlan, start: number, end: number, mode: CsvMode, front: Float64Array): string {
  const names = new Map<number, string>();
  const violationText = (mask: number) => {
    let t = names.get(mask);
    if (t === undefined) names.set(mask, (t = violationNames(plan.constraints, mask).join(';')));
    return t;
  };
  const { experts: E, top_k: K, expert_params: X, shared_params: S } = plan.axes;
  const text = (axis: number[]) => axis.map((v) => `,${v}`);
  const eText = text(E);
  const kText = text(K);
  const xText = text(X);
  const sText = text(S);
  const ne = E.length;
  const nk = K.length;
  const nx = X.length;
  const ns = S.length;
  const m = new Float64Array(EXTENDED_METRIC_COUNT);
  const qp = plan.quality;
  const { bytesPerWeight, overhead, constraints } = plan;
  const parts: string[] = [];
  let f = 0;
  let { experts: ie, top_k: ik, expert_params: ix, shared_params: is } = decodeIndex(plan.axes, start);
  let index = start;
  for (; ie < ne && index < end; ie++, ik = 0) {
    const e = E[ie]!;
    for (; ik < nk && index < end; ik++, ix = 0) {
      const k = K[ik]!;
      if (k > e) {
        index += (nx - ix) * ns - is;
        is = 0;
        continue;
      }
      const ek = `${eText[ie]}${kText[ik]}`;
      for (; ix < nx && index < end; ix++, is = 0) {
        const x = X[ix]!;
        const ekx = `${ek}${xText[ix]}`;
        const n = Math.min(ns - is, end - index);
        for (let j = 0; j < n; j++, index++) {
          metricsInto(m, 0, e, k, x, S[is + j]!, bytesPerWeight, overhead);
          if (qp) qualityInto(m, e, k, m[0]!, m[1]!, qp);
          const mask = violationMask(constraints, m, 0);
          if (mode === 'feasible' && mask !== 0) continue;
          while (f < front.length && front[f]! < index) f++;
          const onFront = f < front.length && front[f] === index;
          if (mode === 'pareto' && !onFront) continue;
          parts.push(
            `${ekx}${sText[is + j]},${m[0]},${m[1]},${m[2]},${m[3]},${m[4]},${m[5]},${m[6]},${m[7]},${mask === 0},${onFront},${violationText(mask)}${qp ? qualityCells(m) : ''}\n`,
          );
        }
        is += n;
      }
    }
  }
  return parts.join('');
}

/**
 * The CSV rows of the given grid indices (ascending), for the `feasible` and `pareto` modes: the
 * evaluation pass already knows which points those are, so there is no need to walk the whole slice.
 */
export function formatCsvIndices(plan: EvalPlan, indices: Float64Array, front: Float64Array): string {
  const { experts: E, top_k: K, expert_params: X, shared_params: S } = plan.axes;
  const ns = S.length;
  const nx = X.length;
  const nk = K.length;
  const text = (axis: number[]) => axis.map((v) => `,${v}`);
  const eText = text(E);
  const kText = text(K);
  const xText = text(X);
  const sText = text(S);
  const m = new Float64Array(EXTENDED_METRIC_COUNT);
  const qp = plan.quality;
  const names = new Map<number, string>();
  const parts: string[] = [];
  let f = 0;
  for (const index of indices) {
    // Division and subtraction, not %: the remainder of doubles is a slow library call.
    const q1 = Math.floor(index / ns);
    const is = index - q1 * ns;
    const q2 = Math.floor(q1 / nx);
    const ix = q1 - q2 * nx;
    const ie = Math.floor(q2 / nk);
    const ik = q2 - ie * nk;
    metricsInto(m, 0, E[ie]!, K[ik]!, X[ix]!, S[is]!, plan.bytesPerWeight, plan.overhead);
    if (qp) qualityInto(m, E[ie]!, K[ik]!, m[0]!, m[1]!, qp);
    const mask = violationMask(plan.constraints, m, 0);
    let violations = names.get(mask);
    if (violations === undefined) names.set(mask, (violations = violationNames(plan.constraints, mask).join(';')));
    while (f < front.length && front[f]! < index) f++;
    const onFront = f < front.length && front[f] === index;
    parts.push(`${eText[ie]}${kText[ik]}${xText[ix]}${sText[is]},${m[0]},${m[1]},${m[2]},${m[3]},${m[4]},${m[5]},${m[6]},${m[7]},${mask === 0},${onFront},${violations}${qp ? qualityCells(m) : ''}\n`);
  }
  return parts.join('');
}

/** The quality cells of a grid row: loss delta, dense equivalent (empty when none), domain label. */
export function qualityCells(m: Float64Array): string {
  const dense = m[9]!;
  return `,${m[8]},${Number.isFinite(dense) ? dense : ''},${domainLabel(m[10]!)}`;
}
