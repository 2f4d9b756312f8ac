// The kernel for architecture grids and serving columns over compiled counts (compiled.ts): what
// general.ts computes point by point module by module, computed from typed arrays.
//
// The grid is walked in blocks of its innermost dimensions (at most BLOCK_LIMIT points). For a
// block, every figure that does not depend on top_k (the counts and facts, total, weight and VRAM
// bytes, the KV cache, the fullest GPU and its layout, the total's plot bin) is tabulated once, and
// the table serves every top_k value of the same outer fields: top_k changes no count, only which
// experts a token uses. A point then costs its active parameters, ratios, constraint mask and
// objectives. Each figure is the expression of pointMetricsInto, in the same order of operations,
// so the numbers are the same bit for bit (tests compare them). A plan with hardware (its layouts
// and decode estimate are ServingEvaluator.into's), or constraints or objectives on any other
// metric, takes the full metric vector per point instead.
import { violationMask } from '../metrics/constraints.js';
import { SLOT, SLOT_COUNT } from '../metrics/registry.js';
import { ServingEvaluator } from '../metrics/serving.js';
import { TrainingCostEvaluator } from '../metrics/training.js';
import { binOf } from './binner.js';
import { CompiledWalker } from './compiled.js';
import { FrontBuffer } from './front-buffer.js';
import { PointSource, pointMetricsInto } from './general.js';
import type { ChunkSummary, EvalPlan, GeneralPlan } from './plan.js';

/** Points of the innermost dimensions tabulated together. */
const BLOCK_LIMIT = 1 << 14;

// Module-level constants, which V8 folds into the code that reads them.
const TOTAL = SLOT.total_params;
const ACTIVE = SLOT.active_params;
const RATIO = SLOT.active_ratio;
const SPARSITY = SLOT.expert_sparsity;
const SAVING = SLOT.compute_saving;
const FLOPS = SLOT.flops_per_token;
const WEIGHT_BYTES = SLOT.weight_bytes;
const VRAM = SLOT.vram_bytes;
const KV_CACHE = SLOT.kv_cache_bytes;
const LAYOUT_EP = SLOT.layout_ep;
const LAYOUT_TP = SLOT.layout_tp;
const DECODE = SLOT.decode_tokens_per_s;
const DECODE_BINDING = SLOT.decode_binding;

/** The slots this kernel computes itself; a constraint or objective on any other takes the full vector. */
export const FAST_SLOTS: readonly number[] = [
  TOTAL,
  ACTIVE,
  RATIO,
  SPARSITY,
  SAVING,
  FLOPS,
  WEIGHT_BYTES,
  VRAM,
  KV_CACHE,
];

/**
 * Metrics that are finite at every design: the front keeps an archive of them. per_gpu_bytes is
 * not (Infinity where no layout is valid).
 */
const FINITE_OBJECTIVES: readonly number[] = [...FAST_SLOTS, LAYOUT_EP, LAYOUT_TP, DECODE, DECODE_BINDING];

// Columns of a block table row.
const C_X = 0;
const C_S = 1;
const C_TOTAL = 2;
const C_WEIGHT = 3;
const C_VRAM = 4;
const C_KV = 5;
const C_OK = 6;
const C_TOTAL_BIN = 7;
const C_IE = 8;
const C_IK = 9;
const COLS = 10;

/**
 * binOf(log10(v), lo, hi, n) without the logarithm for most values: the bin edges in linear space,
 * each narrowed by a relative 1e-9 (far more than the rounding of log10 and of the bin arithmetic),
 * are searched, and a value inside a narrowed bin gets the bin binOf gives it. A value near an edge
 * (or not a positive number) goes through binOf itself. The last bin found is tried first.
 */
export class LogBin {
  /** Bin i holds the values in [low[i], high[i]) for sure. */
  private readonly low: Float64Array;
  private readonly high: Float64Array;
  private last = 0;

  constructor(
    private readonly lo: number,
    private readonly hi: number,
    private readonly n: number,
  ) {
    this.low = new Float64Array(n);
    this.high = new Float64Array(n);
    if (!(hi > lo)) {
      this.low.fill(Number.NaN); // never inside: binOf answers
      this.high.fill(Number.NaN);
      return;
    }
    const width = (hi - lo) / n;
    for (let i = 0; i < n; i++) {
      // bin 0 from 0 up (binOf(log10(0)) is bin 0; a negative value's logarithm is NaN)
      this.low[i] = i === 0 ? 0 : 10 ** (lo + i * width) * (1 + 1e-9);
      this.high[i] = i === n - 1 ? Infinity : 10 ** (lo + (i + 1) * width) * (1 - 1e-9);
    }
  }

  of(v: number): number {
    const { low, high } = this;
    let i = this.last;
    if (v >= low[i]! && v < high[i]!) return i;
    // the last bin whose narrowed start is at most v
    let a = 0;
    let b = this.n - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (low[mid]! <= v) a = mid;
      else b = mid - 1;
    }
    i = a;
    if (v >= low[i]! && v < high[i]!) {
      this.last = i;
      return i;
    }
    return binOf(Math.log10(v), this.lo, this.hi, this.n);
  }
}

/** The block table, kept from slice to slice in a worker. */
let sharedTable = new Float64Array(0);

/** What the loops read: one class, so they only ever see one shape. */
class Pass {
  readonly walker: CompiledWalker;
  /** For points whose case did not compile: module by module. */
  readonly source: PointSource;
  readonly n: number;
  readonly sizes: Int32Array;
  /** Dimensions [inner, n) make a block of blockSize points. */
  readonly inner: number;
  readonly blockSize: number;
  /** Per outer dimension: its stride in the table key, 0 when the table does not depend on it. */
  readonly keyStride: Float64Array;
  readonly table: Float64Array;
  tableKey = -1;
  readonly prefixIdx: Int32Array;
  readonly eValues: Float64Array;
  readonly kValues: Float64Array;
  readonly eDim: number;
  readonly kDim: number;
  readonly nk: number;
  readonly fast: boolean;
  readonly hasServing: boolean;
  readonly serving: ServingEvaluator | undefined;
  readonly training: TrainingCostEvaluator | undefined;
  readonly m = new Float64Array(SLOT_COUNT);
  readonly o: Float64Array;
  readonly kvAt: number;
  readonly batch: number;
  readonly cellEvaluated: Float64Array;
  readonly cellFeasible: Float64Array;
  readonly violations: Float64Array;
  readonly front: FrontBuffer;
  readonly binCounts: Float64Array | undefined;
  readonly totalBin: LogBin;
  readonly activeBin: LogBin;
  readonly bits: Uint8Array | undefined;
  evaluated = 0;
  feasible = 0;

  constructor(
    readonly plan: EvalPlan,
    readonly gp: GeneralPlan,
    readonly sliceStart: number,
    end: number,
  ) {
    const cc = gp.compiled!;
    this.source = new PointSource(gp);
    this.walker = new CompiledWalker(cc);
    this.n = gp.dims.length;
    this.sizes = Int32Array.from(gp.dims, (d) => d.values.length);
    let inner = this.n - 1;
    let block = this.sizes[inner]!;
    while (inner > 0 && block * this.sizes[inner - 1]! <= BLOCK_LIMIT) block *= this.sizes[--inner]!;
    this.inner = inner;
    this.blockSize = block;
    [this.eDim, this.kDim] = gp.cellDims;
    // the table serves every top_k when no compiled output depends on it
    const k = this.kDim >= 0 ? cc.dims[this.kDim]! : undefined;
    const topKFree = k !== undefined && k.degree === 0 && k.classes === 1;
    this.keyStride = new Float64Array(inner);
    let stride = 1;
    for (let d = inner - 1; d >= 0; d--) {
      if (d === this.kDim && topKFree) continue;
      this.keyStride[d] = stride;
      stride *= this.sizes[d]!;
    }
    if (sharedTable.length < block * COLS) sharedTable = new Float64Array(block * COLS);
    this.table = sharedTable;
    this.prefixIdx = new Int32Array(inner);
    this.eValues = Float64Array.from(this.eDim >= 0 ? gp.dims[this.eDim]!.values : [gp.base!.num_experts]);
    this.kValues = Float64Array.from(this.kDim >= 0 ? gp.dims[this.kDim]!.values : [gp.base!.num_experts_per_tok]);
    this.nk = plan.axes.top_k.length;
    this.hasServing = gp.serving !== undefined;
    const needed = [...plan.constraints.map((c) => c.metric), ...plan.objectives.map((o) => o.metric)];
    // With hardware the per-GPU, layout and decode figures come from ServingEvaluator.into itself
    // (valid layouts, engine memory, the decode estimate), point by point.
    this.fast = needed.every((s) => FAST_SLOTS.includes(s)) && gp.serving?.hardware === undefined;
    this.serving = gp.serving ? new ServingEvaluator(gp.serving) : undefined;
    this.training = gp.training ? new TrainingCostEvaluator(gp.training) : undefined;
    this.o = new Float64Array(plan.objectives.length);
    this.kvAt = cc.outputs.indexOf('kvBytesPerSequence');
    this.batch = gp.serving?.batch ?? 0;
    const cells = plan.axes.experts.length * this.nk;
    this.cellEvaluated = new Float64Array(cells);
    this.cellFeasible = new Float64Array(cells);
    this.violations = new Float64Array(plan.constraints.length);
    // gpus_needed is infinite where no layout fits, quality metrics may be: those fronts collect
    this.front = new FrontBuffer(
      plan.objectives.length,
      plan.objectives.some((o) => !FINITE_OBJECTIVES.includes(o.metric)),
    );
    this.binCounts = plan.bins ? new Float64Array(2 * plan.bins.nx * plan.bins.ny) : undefined;
    const bins = plan.bins ?? { x0: 0, x1: 1, nx: 1, y0: 0, y1: 1, ny: 1 };
    this.totalBin = new LogBin(bins.x0, bins.x1, bins.nx);
    this.activeBin = new LogBin(bins.y0, bins.y1, bins.ny);
    this.bits = plan.feasibleBits ? new Uint8Array(Math.ceil((end - sliceStart) / 8)) : undefined;
  }
}

export function evaluateCompiledChunk(plan: EvalPlan, start: number, end: number): ChunkSummary {
  const p = new Pass(plan, plan.general!, start, end);
  if (end > start) {
    if (p.fast) blocks(p, start, end);
    else generic(p, start, end);
  }
  const [frontIndex, frontObjectives] = p.front.front();
  return {
    start,
    end,
    evaluated: p.evaluated,
    feasible: p.feasible,
    cellEvaluated: p.cellEvaluated,
    cellFeasible: p.cellFeasible,
    violations: p.violations,
    frontIndex,
    frontObjectives,
    bins: p.binCounts,
    feasibleBits: p.bits,
  };
}

/** Block by block: the table of the block's outer fields (rebuilt only when they change), then its points. */
function blocks(p: Pass, start: number, end: number): void {
  const { blockSize, inner, sizes, prefixIdx, keyStride } = p;
  let index = start;
  while (index < end) {
    const prefix = Math.floor(index / blockSize);
    const blockBase = prefix * blockSize;
    let rest = prefix;
    let key = 0;
    for (let d = inner - 1; d >= 0; d--) {
      const q = Math.floor(rest / sizes[d]!);
      prefixIdx[d] = rest - q * sizes[d]!;
      rest = q;
      key += prefixIdx[d]! * keyStride[d]!;
    }
    if (key !== p.tableKey) {
      fillTable(p, blockBase);
      p.tableKey = key;
    }
    const stop = Math.min(blockSize, end - blockBase);
    points(p, blockBase, index - blockBase, stop);
    index = blockBase + stop;
  }
}

/** The top_k-free figures of every point of the block at `blockBase`. */
function fillTable(p: Pass, blockBase: number): void {
  const { walker: w, table: t, eValues, eDim, kDim, plan, gp } = p;
  const out = w.out;
  const idx = w.idx;
  const bins = plan.bins;
  const overhead1 = 1 + plan.overhead;
  const expertBpw = gp.expertBytesPerWeight;
  const restBpw = gp.restBytesPerWeight;
  const B = p.batch;
  const { kvAt, hasServing } = p;
  w.seek(blockBase);
  for (let pos = 0; pos < p.blockSize; pos++) {
    if (pos > 0) w.next();
    const r = pos * COLS;
    const ie = eDim >= 0 ? idx[eDim]! : 0;
    t[r + C_IE] = ie;
    t[r + C_IK] = kDim >= 0 ? idx[kDim]! : 0;
    if (!w.ok()) {
      t[r + C_OK] = 0;
      continue;
    }
    t[r + C_OK] = 1;
    const e = eValues[ie]!;
    const x = out[0]!;
    const s = out[1]!;
    const kvSeq = kvAt >= 0 ? out[kvAt]! : 0;
    const total = s + e * x;
    const weightBytes = e * x * expertBpw + s * restBpw;
    const kv = hasServing ? B * kvSeq : 0;
    t[r + C_X] = x;
    t[r + C_S] = s;
    t[r + C_TOTAL] = total;
    t[r + C_WEIGHT] = weightBytes;
    t[r + C_VRAM] = Math.round((weightBytes + kv) * overhead1);
    t[r + C_KV] = kv;
    if (bins) t[r + C_TOTAL_BIN] = p.totalBin.of(total);
  }
}

/** The points [pos0, pos1) of the block at `blockBase`, from its table. */
function points(p: Pass, blockBase: number, pos0: number, pos1: number): void {
  const { table: t, eValues, kValues, nk, m, o, plan, front } = p;
  const { constraints, objectives } = plan;
  const nObj = objectives.length;
  const bins = plan.bins;
  const binCounts = p.binCounts;
  const bits = p.bits;
  const bitBase = p.sliceStart;
  const ieOuter = p.eDim >= 0 && p.eDim < p.inner ? p.prefixIdx[p.eDim]! : -1;
  const ikOuter = p.kDim >= 0 && p.kDim < p.inner ? p.prefixIdx[p.kDim]! : -1;
  const { hasServing } = p;
  for (let pos = pos0; pos < pos1; pos++) {
    const r = pos * COLS;
    const ie = ieOuter >= 0 ? ieOuter : t[r + C_IE]!;
    const ik = ikOuter >= 0 ? ikOuter : t[r + C_IK]!;
    const e = eValues[ie]!;
    const k = kValues[ik]!;
    if (k > e) continue;
    const index = blockBase + pos;
    const cell = ie * nk + ik;
    if (t[r + C_OK] === 0) {
      pointMetricsInto(m, plan, p.gp, p.serving, p.source.at(index)!, p.training);
    } else {
      // metricsInto's formulas, then pointMetricsInto's (see the header)
      const x = t[r + C_X]!;
      const s = t[r + C_S]!;
      const total = t[r + C_TOTAL]!;
      const active = s + k * x;
      const ratio = active / total;
      m[TOTAL] = total;
      m[ACTIVE] = active;
      m[RATIO] = ratio;
      m[SPARSITY] = 1 - k / e;
      m[SAVING] = 1 - ratio;
      m[FLOPS] = 2 * active;
      m[WEIGHT_BYTES] = t[r + C_WEIGHT]!;
      m[VRAM] = t[r + C_VRAM]!;
      if (hasServing) m[KV_CACHE] = t[r + C_KV]!;
    }
    const mask = violationMask(constraints, m, 0);
    p.evaluated++;
    p.cellEvaluated[cell]!++;
    if (mask === 0) {
      p.feasible++;
      p.cellFeasible[cell]!++;
      for (let j = 0; j < nObj; j++) o[j] = objectives[j]!.sign * m[objectives[j]!.metric]!;
      front.add(index, o);
      if (bits) bits[(index - bitBase) >> 3]! |= 1 << ((index - bitBase) & 7);
    } else {
      for (let c = 0; c < constraints.length; c++) if (mask & (1 << c)) p.violations[c]!++;
    }
    if (binCounts && bins) {
      const totalBin = t[r + C_OK] === 0 ? p.totalBin.of(m[TOTAL]!) : t[r + C_TOTAL_BIN]!;
      const b = p.activeBin.of(m[ACTIVE]!) * bins.nx + totalBin;
      binCounts[(mask === 0 ? bins.nx * bins.ny : 0) + b]!++;
    }
  }
}

/** Any constraints and objectives: the full metric vector per point. */
function generic(p: Pass, start: number, end: number): void {
  const { m, o, plan, front, source } = p;
  const { constraints, objectives } = plan;
  const bins = plan.bins;
  const [eDim, kDim] = p.gp.cellDims;
  for (let index = start; index < end; index++) {
    const point = source.at(index);
    if (!point) continue;
    pointMetricsInto(m, plan, p.gp, p.serving, point, p.training);
    const mask = violationMask(constraints, m, 0);
    const idx = source.walker.idx;
    const cell = (eDim < 0 ? 0 : idx[eDim]!) * p.nk + (kDim < 0 ? 0 : idx[kDim]!);
    p.evaluated++;
    p.cellEvaluated[cell]!++;
    if (mask === 0) {
      p.feasible++;
      p.cellFeasible[cell]!++;
      for (let j = 0; j < objectives.length; j++) o[j] = objectives[j]!.sign * m[objectives[j]!.metric]!;
      front.add(index, o);
      if (p.bits) p.bits[(index - start) >> 3]! |= 1 << ((index - start) & 7);
    } else {
      for (let c = 0; c < constraints.length; c++) if (mask & (1 << c)) p.violations[c]!++;
    }
    if (p.binCounts && bins) {
      const b = p.activeBin.of(m[ACTIVE]!) * bins.nx + p.totalBin.of(m[TOTAL]!);
      p.binCounts[(mask === 0 ? bins.nx * bins.ny : 0) + b]!++;
    }
  }
}
