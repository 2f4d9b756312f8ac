// The kernel for architecture grids and serving columns over compiled counts (compiled.ts): what
// general.ts computes point by point module by module, computed from typed arrays.
//
// The grid is walked in blocks of its innermost dimensions (at most BLOCK_LIMIT points). For a
// block, every figure that does not depend on top_k (the counts and facts, total, weight and VRAM
// bytes, the KV cache, the fullest GPU and its layout, the total's plot bin) is tabulated once, and
// the table serves every top_k value of the same outer fields: top_k changes no count, only which
// experts a token uses. A point then costs its active parameters, ratios, constraint mask and
// objectives. Each figure is the expression of pointMetricsInto, in the same order of operations,
// so the numbers are the same bit for bit (tests compare them). With hardware the table also holds
// each design's serving facts and its top_k-free layout figures (ServingEvaluator.layoutOf), and a
// point's serving slots come from ServingEvaluator.intoAt, only for feasible points when no
// constraint reads them. Constraints or objectives on any other metric (quality, training) take
// the full metric vector per point instead. CompiledCursor gives the CSV pass the same figures.
import { violationMask } from '../metrics/constraints.js';
import { SERVING_SLOTS, SLOT, SLOT_COUNT } from '../metrics/registry.js';
import { qualityInto } from '../metrics/quality.js';
import { LAYOUT_FIGURES, ServingEvaluator, type ServingFacts } from '../metrics/serving.js';
import { TrainingCostEvaluator } from '../metrics/training.js';
import { binOf } from './binner.js';
import { CompiledWalker } from './compiled.js';
import { FrontBuffer } from './front-buffer.js';
import { NO_FACTS, PointSource, pointMetricsInto } from './general.js';
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
const PER_GPU = SLOT.per_gpu_bytes;
const GPUS_NEEDED = SLOT.gpus_needed;
const MAX_BATCH = SLOT.max_batch;
const MAX_CONTEXT = SLOT.max_context;

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

/** With hardware, the serving slots that do not depend on top_k: the table holds them. */
const LAYOUT_SLOTS: readonly number[] = [KV_CACHE, PER_GPU, GPUS_NEEDED, LAYOUT_EP, LAYOUT_TP, MAX_BATCH, MAX_CONTEXT];

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
/** With hardware: the layout figures, then the compiled outputs of the row. */
const C_LAYOUT = 11;
/** 1 once the row's layout figures are in (they are worked out when a point first needs them). */
const C_LAYOUT_DONE = 10;
const COLS = 10;

/** The serving facts in the order the table's fact columns are looked up. */
const FACT_KEYS = Object.keys(NO_FACTS) as (keyof ServingFacts)[];

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
  /** Numbers per table row. */
  readonly cols: number;
  readonly table: Float64Array;
  tableKey = -1;
  readonly prefixIdx: Int32Array;
  readonly eValues: Float64Array;
  readonly kValues: Float64Array;
  readonly eDim: number;
  readonly kDim: number;
  readonly nk: number;
  /** Rows of the block between two top_k values of the same design (0: top_k is outside the block or changes a count). */
  readonly kRowStride: number;
  /** Grid indices between two top_k values of the same design; 0 when top_k is fixed or changes a count. */
  readonly kStride: number;
  readonly fast: boolean;
  readonly hasServing: boolean;
  /** With hardware: the table holds the serving facts and layout figures; `lazy`: only feasible points need them. */
  readonly hw: boolean;
  readonly lazy: boolean;
  /** Whether a constraint or objective reads the prefill estimate (ttft_ms, prefill_tokens_per_s). */
  readonly prefill: boolean;
  readonly outAt: number;
  /** GPUs of the deployment (with hardware) */
  readonly gpus: number;
  readonly nOut: number;
  /** Column of each FACT_KEYS fact in a row. */
  readonly factCol: Int32Array;
  readonly facts: ServingFacts;
  readonly serving: ServingEvaluator | undefined;
  readonly training: TrainingCostEvaluator | undefined;
  readonly m = new Float64Array(SLOT_COUNT);
  readonly o: Float64Array;
  readonly kvAt: number;
  readonly batch: number;
  cellEvaluated: Float64Array;
  cellFeasible: Float64Array;
  violations: Float64Array;
  front: FrontBuffer;
  binCounts: Float64Array | undefined;
  readonly totalBin: LogBin;
  readonly activeBin: LogBin;
  bits: Uint8Array | undefined;
  evaluated = 0;
  feasible = 0;

  constructor(
    readonly plan: EvalPlan,
    readonly gp: GeneralPlan,
    public sliceStart: number,
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
    let kRowStride = 0;
    if (topKFree && this.kDim >= inner) {
      kRowStride = 1;
      for (let d = this.kDim + 1; d < this.n; d++) kRowStride *= this.sizes[d]!;
    }
    this.kRowStride = kRowStride;
    let kStride = 0;
    if (topKFree) {
      kStride = 1;
      for (let d = this.kDim + 1; d < this.n; d++) kStride *= this.sizes[d]!;
    }
    this.kStride = kStride;
    this.hasServing = gp.serving !== undefined;
    this.hw = gp.serving?.hardware !== undefined;
    this.nOut = cc.outputs.length;
    this.outAt = C_LAYOUT + LAYOUT_FIGURES;
    this.cols = this.hasServing ? this.outAt + this.nOut : COLS;
    this.factCol = Int32Array.from(FACT_KEYS, (key) => {
      const o = cc.outputs.indexOf(key);
      return o < 0 ? -1 : this.outAt + o;
    });
    this.facts = { ...NO_FACTS };
    if (sharedTable.length < block * this.cols) sharedTable = new Float64Array(block * this.cols);
    this.table = sharedTable;
    this.prefixIdx = new Int32Array(inner);
    this.eValues = Float64Array.from(this.eDim >= 0 ? gp.dims[this.eDim]!.values : [gp.base!.num_experts]);
    this.kValues = Float64Array.from(this.kDim >= 0 ? gp.dims[this.kDim]!.values : [gp.base!.num_experts_per_tok]);
    this.nk = plan.axes.top_k.length;
    const constrained = plan.constraints.map((c) => c.metric);
    const needed = [...constrained, ...plan.objectives.map((o) => o.metric)];
    const computed = this.hw ? [...FAST_SLOTS, ...SERVING_SLOTS] : FAST_SLOTS;
    // with hardware every fact a point's serving slots read must be a compiled output
    this.fast = needed.every((s) => computed.includes(s)) && (!this.hw || compiledCursorFits(plan));
    const early = this.hw ? [...FAST_SLOTS, ...LAYOUT_SLOTS] : FAST_SLOTS;
    this.lazy = constrained.every((s) => early.includes(s));
    this.prefill = needed.includes(SLOT.ttft_ms) || needed.includes(SLOT.prefill_tokens_per_s);
    this.gpus = gp.serving?.hardware?.count ?? 0;
    this.serving = gp.serving ? new ServingEvaluator(gp.serving) : undefined;
    this.training = gp.training ? new TrainingCostEvaluator(gp.training) : undefined;
    this.o = new Float64Array(plan.objectives.length);
    this.kvAt = cc.outputs.indexOf('kvBytesPerSequence');
    this.batch = gp.serving?.batch ?? 0;
    const cells = plan.axes.experts.length * this.nk;
    this.cellEvaluated = new Float64Array(cells);
    this.cellFeasible = new Float64Array(cells);
    this.violations = new Float64Array(plan.constraints.length);
    this.front = this.newFront();
    this.binCounts = plan.bins ? new Float64Array(2 * plan.bins.nx * plan.bins.ny) : undefined;
    const bins = plan.bins ?? { x0: 0, x1: 1, nx: 1, y0: 0, y1: 1, ny: 1 };
    this.totalBin = new LogBin(bins.x0, bins.x1, bins.nx);
    this.activeBin = new LogBin(bins.y0, bins.y1, bins.ny);
    this.bits = plan.feasibleBits ? new Uint8Array(Math.ceil((end - sliceStart) / 8)) : undefined;
  }

  // gpus_needed is infinite where no layout fits, quality metrics may be: those fronts collect
  private newFront(): FrontBuffer {
    const { objectives } = this.plan;
    return new FrontBuffer(
      objectives.length,
      objectives.some((o) => !FINITE_OBJECTIVES.includes(o.metric)),
    );
  }

  /**
   * Readies the pass for the slice [start, end) of the same plan: new counts, front, bins and bits
   * (they move to the main thread with the slice's summary). The table stays: it is this pass's
   * (any other pass made since would have replaced this one as the one kept) and depends on its
   * key alone, so a slice that starts in the block the last one ended in fills nothing again.
   */
  startSlice(start: number, end: number): void {
    const { plan } = this;
    this.sliceStart = start;
    this.evaluated = 0;
    this.feasible = 0;
    this.cellEvaluated = new Float64Array(this.cellEvaluated.length);
    this.cellFeasible = new Float64Array(this.cellFeasible.length);
    this.violations = new Float64Array(this.violations.length);
    this.front = this.newFront();
    this.binCounts = plan.bins ? new Float64Array(2 * plan.bins.nx * plan.bins.ny) : undefined;
    this.bits = plan.feasibleBits ? new Uint8Array(Math.ceil((end - start) / 8)) : undefined;
  }

  /** Makes the table that of the block of grid index `index` (rebuilt only when its outer fields change). */
  enter(index: number): number {
    const { blockSize, inner, sizes, prefixIdx, keyStride } = this;
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
    if (key !== this.tableKey) {
      fillTable(this, blockBase);
      this.tableKey = key;
    }
    return blockBase;
  }
}

/**
 * The last pass made, kept for the next slice of the same plan (`plan.id`): a worker evaluates many
 * slices of one plan, and a new pass per slice (its tables, its serving evaluator's caches, and
 * objects V8 has no feedback for yet) made evaluating an architecture sweep with hardware in 16
 * slices about 1.6 times as slow (docs/performance.md).
 */
let lastPass: Pass | undefined;

function passFor(plan: EvalPlan, start: number, end: number): Pass {
  if (lastPass !== undefined && plan.id !== undefined && lastPass.plan.id === plan.id) {
    lastPass.startSlice(start, end);
    return lastPass;
  }
  lastPass = new Pass(plan, plan.general!, start, end);
  return lastPass;
}

export function evaluateCompiledChunk(plan: EvalPlan, start: number, end: number): ChunkSummary {
  const p = passFor(plan, start, end);
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
  let index = start;
  while (index < end) {
    const blockBase = p.enter(index);
    const stop = Math.min(p.blockSize, end - blockBase);
    points(p, blockBase, index - blockBase, stop);
    index = blockBase + stop;
  }
}

/** The top_k-free figures of every point of the block at `blockBase`. */
function fillTable(p: Pass, blockBase: number): void {
  const { walker: w, table: t, eValues, eDim, kDim, plan, gp, cols, kRowStride } = p;
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
    const r = pos * cols;
    const ik = kDim >= 0 ? idx[kDim]! : 0;
    if (kRowStride > 0 && ik > 0) {
      // the same design at an earlier top_k: every figure but top_k's index is the same
      t.copyWithin(r, r - ik * kRowStride * cols, r - ik * kRowStride * cols + cols);
      t[r + C_IK] = ik;
      continue;
    }
    const ie = eDim >= 0 ? idx[eDim]! : 0;
    t[r + C_IE] = ie;
    t[r + C_IK] = ik;
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
    if (hasServing) t.set(out, r + p.outAt);
    t[r + C_LAYOUT_DONE] = 0;
  }
}

/**
 * The layout figures of table row `r` (ServingEvaluator.layoutOf), worked out on the row of the
 * design's first top_k when a point first needs them, so the CSV pass, which reads few rows of a
 * block, does not search the layouts of every design in it.
 */
function layoutAt(p: Pass, r: number): void {
  const t = p.table;
  if (t[r + C_LAYOUT_DONE] === 1) return;
  const cols = p.cols;
  const first = p.kRowStride > 0 ? r - t[r + C_IK]! * p.kRowStride * cols : r;
  if (t[first + C_LAYOUT_DONE] === 0) {
    loadFacts(p, first);
    t.set(
      p.serving!.layoutOf(p.eValues[t[first + C_IE]!]!, t[first + C_X]!, t[first + C_S]!, p.facts),
      first + C_LAYOUT,
    );
    t[first + C_LAYOUT_DONE] = 1;
  }
  if (first !== r) {
    t.copyWithin(r + C_LAYOUT, first + C_LAYOUT, first + C_LAYOUT + LAYOUT_FIGURES);
    t[r + C_LAYOUT_DONE] = 1;
  }
}

/** The serving facts of table row `r` into p.facts. */
function loadFacts(p: Pass, r: number): void {
  const { table: t, factCol: c, facts: f } = p;
  f.kvBytesPerSequence = t[r + c[0]!]!;
  f.kvHeads = t[r + c[1]!]!;
  f.hiddenSize = t[r + c[2]!]!;
  f.inputEmbedding = t[r + c[3]!]!;
  f.layers = t[r + c[4]!]!;
  f.moeLayers = t[r + c[5]!]!;
  f.attentionParams = t[r + c[6]!]!;
  f.attnFlopsFull = t[r + c[7]!]!;
  f.attnFlopsWindowed = t[r + c[8]!]!;
  f.attnWindow = t[r + c[9]!]!;
  f.attnFlopsFixed = t[r + c[10]!]!;
  f.kvLongBytesPerToken = t[r + c[11]!]!;
  f.kvFixedBytes = t[r + c[12]!]!;
  f.attentionHeads = t[r + c[13]!]!;
  f.gqaKvHeads = t[r + c[14]!]!;
  f.expertWidth = t[r + c[15]!]!;
  f.denseWidth = t[r + c[16]!]!;
  f.sharedWidth = t[r + c[17]!]!;
}

/** A point's serving slots from its table row (active_params in its slot already). */
function serveAt(p: Pass, r: number, e: number, k: number, prefill: boolean): void {
  const t = p.table;
  loadFacts(p, r);
  p.serving!.intoAt(p.m, e, k, t[r + C_X]!, t[r + C_S]!, p.facts, t, r + C_LAYOUT, prefill);
}

/** metricsInto's formulas, then pointMetricsInto's (see the header), from table row `r`. */
function designAt(p: Pass, r: number, e: number, k: number): void {
  const { table: t, m } = p;
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
  if (p.hasServing) m[KV_CACHE] = t[r + C_KV]!;
  if (p.hw) {
    // intoAt's layout slots (noLayout's where no layout is valid), for constraints read before it
    layoutAt(p, r);
    const tp = t[r + C_LAYOUT + 1]!;
    m[PER_GPU] = t[r + C_LAYOUT]!;
    m[GPUS_NEEDED] = t[r + C_LAYOUT + 3]!;
    m[LAYOUT_EP] = tp === 0 ? 0 : p.gpus / tp;
    m[LAYOUT_TP] = tp === 0 ? t[r + C_LAYOUT + 2]! : tp;
    m[MAX_BATCH] = t[r + C_LAYOUT + 4]!;
    m[MAX_CONTEXT] = t[r + C_LAYOUT + 5]!;
  }
}

/** The points [pos0, pos1) of the block at `blockBase`, from its table. */
function points(p: Pass, blockBase: number, pos0: number, pos1: number): void {
  const { table: t, eValues, kValues, nk, m, o, plan, front, cols, hw, lazy, prefill } = p;
  const { constraints, objectives } = plan;
  const nObj = objectives.length;
  const bins = plan.bins;
  const binCounts = p.binCounts;
  const bits = p.bits;
  const bitBase = p.sliceStart;
  const ieOuter = p.eDim >= 0 && p.eDim < p.inner ? p.prefixIdx[p.eDim]! : -1;
  const ikOuter = p.kDim >= 0 && p.kDim < p.inner ? p.prefixIdx[p.kDim]! : -1;
  for (let pos = pos0; pos < pos1; pos++) {
    const r = pos * cols;
    const ie = ieOuter >= 0 ? ieOuter : t[r + C_IE]!;
    const ik = ikOuter >= 0 ? ikOuter : t[r + C_IK]!;
    const e = eValues[ie]!;
    const k = kValues[ik]!;
    if (k > e) continue;
    const index = blockBase + pos;
    const cell = ie * nk + ik;
    const counted = t[r + C_OK] !== 0;
    if (!counted) {
      pointMetricsInto(m, plan, p.gp, p.serving, p.source.at(index)!, p.training);
    } else {
      designAt(p, r, e, k);
      if (hw && !lazy) serveAt(p, r, e, k, prefill);
    }
    const mask = violationMask(constraints, m, 0);
    p.evaluated++;
    p.cellEvaluated[cell]!++;
    if (mask === 0) {
      p.feasible++;
      p.cellFeasible[cell]!++;
      if (hw && lazy && counted) serveAt(p, r, e, k, prefill);
      for (let j = 0; j < nObj; j++) o[j] = objectives[j]!.sign * m[objectives[j]!.metric]!;
      front.add(index, o);
      if (bits) bits[(index - bitBase) >> 3]! |= 1 << ((index - bitBase) & 7);
    } else {
      for (let c = 0; c < constraints.length; c++) if (mask & (1 << c)) p.violations[c]!++;
    }
    if (binCounts && bins) {
      const totalBin = counted ? t[r + C_TOTAL_BIN]! : p.totalBin.of(m[TOTAL]!);
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

/**
 * Whether CompiledCursor serves a plan's CSV pass: compiled counts, no training-cost columns, and
 * with serving every serving fact among the compiled outputs.
 */
export function compiledCursorFits(plan: EvalPlan): boolean {
  const gp = plan.general;
  if (gp?.compiled === undefined || gp.training !== undefined) return false;
  return gp.serving === undefined || FACT_KEYS.every((k) => gp.compiled!.outputs.includes(k));
}
