// The compiled kernel's state for a slice (compiled-kernel.ts) and for the CSV pass
// (compiled-cursor.ts): the block table of the figures that do not depend on top_k, filled from the
// compiled counts (compiled.ts), and what a point's metrics are made of from a table row. Each
// figure is the expression of pointMetricsInto, in the same order of operations, so the numbers
// are the same bit for bit (tests compare them).
import { SERVING_SLOTS, SLOT, SLOT_COUNT } from '../metrics/registry.js';
import { LAYOUT_FIGURES, ServingEvaluator, type ServingFacts } from '../metrics/serving.js';
import { TrainingCostEvaluator } from '../metrics/training.js';
import { CompiledWalker } from './compiled.js';
import { FrontBuffer } from './front-buffer.js';
import { NO_FACTS, PointSource } from './general.js';
import { LogBin } from './log-bin.js';
import type { EvalPlan, GeneralPlan } from './plan.js';

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
const FAST_SLOTS: readonly number[] = [TOTAL, ACTIVE, RATIO, SPARSITY, SAVING, FLOPS, WEIGHT_BYTES, VRAM, KV_CACHE];

/** With hardware, the serving slots that do not depend on top_k: the table holds them. */
const LAYOUT_SLOTS: readonly number[] = [KV_CACHE, PER_GPU, GPUS_NEEDED, LAYOUT_EP, LAYOUT_TP, MAX_BATCH, MAX_CONTEXT];

/**
 * Metrics that are finite at every design: the front keeps an archive of them. per_gpu_bytes is
 * not (Infinity where no layout is valid).
 */
const FINITE_OBJECTIVES: readonly number[] = [...FAST_SLOTS, LAYOUT_EP, LAYOUT_TP, DECODE, DECODE_BINDING];

// Columns of a block table row.
export const C_X = 0;
export const C_S = 1;
const C_TOTAL = 2;
const C_WEIGHT = 3;
const C_VRAM = 4;
const C_KV = 5;
export const C_OK = 6;
export const C_TOTAL_BIN = 7;
export const C_IE = 8;
export const C_IK = 9;
/** 1 once the row's layout figures are in (they are worked out when a point first needs them). */
const C_LAYOUT_DONE = 10;
/** Columns of every table. */
const COLS = 11;
/** With serving: the layout figures (with hardware), then the compiled outputs of the row. */
const C_LAYOUT = COLS;

/** The serving facts in the order the table's fact columns are looked up. */
export const FACT_KEYS = Object.keys(NO_FACTS) as (keyof ServingFacts)[];

/** What the loops read: one class, so they only ever see one shape. */
export class Pass {
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
  /** The block table, kept with the pass (passFor) from slice to slice. */
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
  cellEvaluated!: Float64Array;
  cellFeasible!: Float64Array;
  violations!: Float64Array;
  front!: FrontBuffer;
  binCounts!: Float64Array | undefined;
  readonly totalBin: LogBin;
  readonly activeBin: LogBin;
  bits!: Uint8Array | undefined;
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
    let kStride = 0;
    if (topKFree) {
      kStride = 1;
      for (let d = this.kDim + 1; d < this.n; d++) kStride *= this.sizes[d]!;
    }
    this.kStride = kStride;
    // inside a block, rows are grid points in order
    this.kRowStride = this.kDim >= inner ? kStride : 0;
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
    this.table = new Float64Array(block * this.cols);
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
    const bins = plan.bins ?? { x0: 0, x1: 1, nx: 1, y0: 0, y1: 1, ny: 1 };
    this.totalBin = new LogBin(bins.x0, bins.x1, bins.nx);
    this.activeBin = new LogBin(bins.y0, bins.y1, bins.ny);
    this.startSlice(sliceStart, end);
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
   * Readies the pass for the slice [start, end) of its plan: new counts, front, bins and bits
   * (they move to the main thread with the slice's summary). The table stays: it depends on its key
   * alone, so a slice that starts in the block the last one ended in fills nothing again.
   */
  startSlice(start: number, end: number): void {
    const { plan } = this;
    this.sliceStart = start;
    this.evaluated = 0;
    this.feasible = 0;
    // sizes from the plan: the last slice's arrays have moved to the main thread (length 0 here)
    const cells = plan.axes.experts.length * this.nk;
    this.cellEvaluated = new Float64Array(cells);
    this.cellFeasible = new Float64Array(cells);
    this.violations = new Float64Array(plan.constraints.length);
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

export function passFor(plan: EvalPlan, start: number, end: number): Pass {
  if (lastPass !== undefined && plan.id !== undefined && lastPass.plan.id === plan.id) {
    lastPass.startSlice(start, end);
    return lastPass;
  }
  lastPass = new Pass(plan, plan.general!, start, end);
  return lastPass;
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
export function serveAt(p: Pass, r: number, e: number, k: number, prefill: boolean): void {
  const t = p.table;
  loadFacts(p, r);
  p.serving!.intoAt(p.m, e, k, t[r + C_X]!, t[r + C_S]!, p.facts, t, r + C_LAYOUT, prefill);
}

/** metricsInto's formulas, then pointMetricsInto's (see the header), from table row `r`. */
export function designAt(p: Pass, r: number, e: number, k: number): void {
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

/**
 * Whether CompiledCursor serves a plan's CSV pass: compiled counts, no training-cost columns, and
 * with serving every serving fact among the compiled outputs.
 */
export function compiledCursorFits(plan: EvalPlan): boolean {
  const gp = plan.general;
  if (gp?.compiled === undefined || gp.training !== undefined) return false;
  return gp.serving === undefined || FACT_KEYS.every((k) => gp.compiled!.outputs.includes(k));
}
