// The grid rows of results.csv, made in the workers, whichever path evaluates the plan (the abstract
// kernel or the general one). Rows are joined by hand rather than through csv-stringify because that
// is several times faster (columns.ts says why it is safe); the metrics are recomputed by the same
// functions the evaluation uses, so a row cannot disagree with the summary. Nothing here touches
// files or threads, so it runs the same in a worker and on the main thread.
import { decodeIndex } from '../grid/axes.js';
import { violationMask, violationNames, type Constraint } from '../metrics/constraints.js';
import { metricsInto } from '../metrics/design.js';
import { domainLabel, qualityInto } from '../metrics/quality.js';
import { SLOT, SLOT_COUNT, TRAINING_SLOT_END } from '../metrics/registry.js';
import { ServingEvaluator } from '../metrics/serving.js';
import { TrainingCostEvaluator, trainingCostCells } from '../metrics/training.js';
import { BINDINGS } from '../serving/step.js';
import { PointDecoder, PointSource, type PointModel, pointMetricsInto } from '../evaluate/general.js';
import type { EvalPlan } from '../evaluate/plan.js';
import { CompiledCursor, compiledCursorFits } from '../evaluate/compiled-cursor.js';
import type { CsvMode } from './columns.js';

// Module-level constants, which V8 folds into the code that reads them.
const TOTAL = SLOT.total_params;
const ACTIVE = SLOT.active_params;
const RATIO = SLOT.active_ratio;
const SPARSITY = SLOT.expert_sparsity;
const SAVING = SLOT.compute_saving;
const FLOPS = SLOT.flops_per_token;
const WEIGHT_BYTES = SLOT.weight_bytes;
const VRAM = SLOT.vram_bytes;
const LOSS_DELTA = SLOT.loss_delta_vs_dense;
const DENSE_EQUIVALENT = SLOT.dense_equivalent_params;
const DOMAIN_FACTOR = SLOT.quality_domain_factor;
const KV_CACHE = SLOT.kv_cache_bytes;
const SATURATION_BATCH = SLOT.saturation_batch;
const LOAD_IMBALANCE = SLOT.load_imbalance;
const CAPACITY_FACTOR = SLOT.capacity_factor;
const PER_GPU = SLOT.per_gpu_bytes;
const GPUS_NEEDED = SLOT.gpus_needed;
const DECODE_BOUND = SLOT.decode_bound_tokens_per_s;
const DECODE = SLOT.decode_tokens_per_s;
const TPOT = SLOT.tpot_ms;
const TTFT = SLOT.ttft_ms;
const PREFILL = SLOT.prefill_tokens_per_s;
const MAX_BATCH = SLOT.max_batch;
const MAX_CONTEXT = SLOT.max_context;
const ALL_TO_ALL = SLOT.all_to_all_bytes_per_token_layer;
const LAYOUT_EP = SLOT.layout_ep;
const LAYOUT_TP = SLOT.layout_tp;
const DECODE_BINDING = SLOT.decode_binding;

/** The CSV rows of [start, end) that `mode` keeps, as text. */
export function formatSlice(plan: EvalPlan, start: number, end: number, mode: CsvMode, front: Float64Array): string {
  return sliceInto(new Lines(), plan, start, end, mode, front).text();
}

/** formatSlice's rows as UTF-8 bytes, what the CSV file is written from. */
export function formatSliceBytes(
  plan: EvalPlan,
  start: number,
  end: number,
  mode: CsvMode,
  front: Float64Array,
): Uint8Array {
  return sliceInto(new Lines(), plan, start, end, mode, front).bytes();
}

/** The CSV rows of the given grid indices (ascending), as text. */
export function formatIndices(plan: EvalPlan, indices: Float64Array, front: Float64Array): string {
  return indicesInto(new Lines(), plan, indices, front).text();
}

/** formatIndices's rows as UTF-8 bytes. */
export function formatIndicesBytes(plan: EvalPlan, indices: Float64Array, front: Float64Array): Uint8Array {
  return indicesInto(new Lines(), plan, indices, front).bytes();
}

function sliceInto(
  lines: Lines,
  plan: EvalPlan,
  start: number,
  end: number,
  mode: CsvMode,
  front: Float64Array,
): Lines {
  if (plan.general) generalRowsInto(lines, plan, indexRange(start, end), mode, front);
  else csvChunkInto(lines, plan, start, end, mode, front);
  return lines;
}

function indicesInto(lines: Lines, plan: EvalPlan, indices: Float64Array, front: Float64Array): Lines {
  if (plan.general) generalRowsInto(lines, plan, indices, 'all', front);
  else indexRows(lines, plan, indices, front);
  return lines;
}

/** The violations cell of a mask (names joined by ';'), built once per distinct mask. */
export function violationCells(constraints: readonly Constraint[]): (mask: number) => string {
  const names = new Map<number, string>();
  return (mask) => {
    let t = names.get(mask);
    if (t === undefined) names.set(mask, (t = violationNames(constraints, mask).join(';')));
    return t;
  };
}

/** Each axis value as the text of its cell, comma first: built once per slice. */
function cellTexts(axis: number[]): string[] {
  return axis.map((v) => `,${v}`);
}

/**
 * The CSV text of the rows of [start, end) that `mode` keeps. `front` holds the grid indices on the
 * global Pareto front that fall in this slice, ascending. Walks the slice block by block like the
 * kernel; metrics come from metricsInto (the single source of the formulas) and the axis values'
 * text is built once per slice, since number-to-text is most of the cost of a row.
 */
export function formatCsvChunk(plan: EvalPlan, start: number, end: number, mode: CsvMode, front: Float64Array): string {
  return csvChunkInto(new Lines(), plan, start, end, mode, front).text();
}

function csvChunkInto(
  lines: Lines,
  plan: EvalPlan,
  start: number,
  end: number,
  mode: CsvMode,
  front: Float64Array,
): Lines {
  const violationText = violationCells(plan.constraints);
  const { experts: E, top_k: K, expert_params: X, shared_params: S } = plan.axes;
  const eText = cellTexts(E);
  const kText = cellTexts(K);
  const xText = cellTexts(X);
  const sText = cellTexts(S);
  const ne = E.length;
  const nk = K.length;
  const nx = X.length;
  const ns = S.length;
  const m = new Float64Array(TRAINING_SLOT_END);
  const qp = plan.quality;
  const { bytesPerWeight, overhead, constraints } = plan;
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
      let sparsity = '';
      for (; ix < nx && index < end; ix++, is = 0) {
        const x = X[ix]!;
        const ekx = `${ek}${xText[ix]}`;
        const n = Math.min(ns - is, end - index);
        for (let j = 0; j < n; j++, index++) {
          metricsInto(m, 0, e, k, x, S[is + j]!, bytesPerWeight, overhead);
          if (qp) qualityInto(m, e, k, m[TOTAL]!, m[ACTIVE]!, qp);
          const mask = violationMask(constraints, m, 0);
          sparsity ||= `${m[SPARSITY]}`;
          if (mode === 'feasible' && mask !== 0) continue;
          while (f < front.length && front[f]! < index) f++;
          const onFront = f < front.length && front[f] === index;
          if (mode === 'pareto' && !onFront) continue;
          lines.add(
            `${ekx}${sText[is + j]}${metricCells(m, sparsity)},${mask === 0},${onFront},${violationText(mask)}${qp ? qualityCells(m) : ''}\n`,
          );
        }
        is += n;
      }
    }
  }
  return lines;
}

/**
 * The CSV rows of the given grid indices (ascending), for the `feasible` and `pareto` modes: the
 * evaluation pass already knows which points those are, so there is no need to walk the whole slice.
 * The loop on its own, with nothing after it: code V8 optimises while inside a loop knows nothing
 * of what follows the loop and is thrown away on the way out otherwise.
 */
function indexRows(lines: Lines, plan: EvalPlan, indices: Float64Array, front: Float64Array): void {
  const { experts: E, top_k: K, expert_params: X, shared_params: S } = plan.axes;
  const ns = S.length;
  const nx = X.length;
  const nk = K.length;
  const eText = cellTexts(E);
  const kText = cellTexts(K);
  const xText = cellTexts(X);
  const sText = cellTexts(S);
  const m = new Float64Array(TRAINING_SLOT_END);
  const qp = plan.quality;
  const violationText = violationCells(plan.constraints);
  let f = 0;
  let sparsityBlock = -1;
  let sparsity = '';
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    // Division and subtraction, not %: the remainder of doubles is a slow library call.
    const q1 = Math.floor(index / ns);
    const is = index - q1 * ns;
    const q2 = Math.floor(q1 / nx);
    const ix = q1 - q2 * nx;
    const ie = Math.floor(q2 / nk);
    const ik = q2 - ie * nk;
    metricsInto(m, 0, E[ie]!, K[ik]!, X[ix]!, S[is]!, plan.bytesPerWeight, plan.overhead);
    if (qp) qualityInto(m, E[ie]!, K[ik]!, m[TOTAL]!, m[ACTIVE]!, qp);
    const mask = violationMask(plan.constraints, m, 0);
    if (q2 !== sparsityBlock) {
      sparsityBlock = q2;
      sparsity = `${m[SPARSITY]}`;
    }
    while (f < front.length && front[f]! < index) f++;
    const onFront = f < front.length && front[f] === index;
    lines.add(
      `${eText[ie]}${kText[ik]}${xText[ix]}${sText[is]}${metricCells(m, sparsity)},${mask === 0},${onFront},${violationText(mask)}${qp ? qualityCells(m) : ''}\n`,
    );
  }
}

/**
 * The eight metric cells of a row. Number-to-text is most of the cost of a row, so the sparsity,
 * the same for a whole experts × top_k block, comes in as text.
 */
function metricCells(m: Float64Array, sparsity: string): string {
  return `,${numberText(m[TOTAL]!)},${numberText(m[ACTIVE]!)},${numberText(m[RATIO]!)},${sparsity},${numberText(m[SAVING]!)},${numberText(m[FLOPS]!)},${numberText(m[WEIGHT_BYTES]!)},${numberText(m[VRAM]!)}`;
}

/**
 * `${v}`, faster for the whole numbers most metric cells hold. Finding the shortest digits of a
 * double is slow; below 2^53 a whole number's shortest digits are its exact digits, and two small
 * integers convert quickly.
 */
export function numberText(v: number): string {
  if (!(v >= 1e8 && v <= Number.MAX_SAFE_INTEGER && v === Math.floor(v))) return `${v}`;
  let hi = Math.floor(v / 1e8);
  let lo = v - hi * 1e8;
  // The division can round up to the next integer when lo is close to 1e8.
  if (lo < 0) {
    hi--;
    lo += 1e8;
  }
  return `${hi}${`${1e8 + lo}`.slice(1)}`;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * CSV rows as UTF-8 bytes in one growing buffer, encoded a few hundred rows at a time. Rows kept as
 * strings until one join at the end made their garbage (and the join's copies) most of the cost of
 * the CSV pass; encoding each row on its own cost a call per row. A run dies young here, and the
 * bytes move to the main thread as they are.
 */
export class Lines {
  private buf = new Uint8Array(1 << 16);
  private length = 0;
  private readonly rows: string[] = [];

  add(row: string): void {
    if (this.rows.push(row) >= 256) this.flush();
  }

  private flush(): void {
    const run = this.rows.join('');
    this.rows.length = 0;
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.length + 3 * run.length > this.buf.length) this.grow(3 * run.length);
    this.length += encoder.encodeInto(run, this.buf.subarray(this.length)).written;
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < this.length + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /** The rows' bytes, in an array of their own size (it moves to the main thread whole). */
  bytes(): Uint8Array {
    this.flush();
    return this.buf.length - this.length > 1 << 16 ? this.buf.slice(0, this.length) : this.buf.subarray(0, this.length);
  }

  text(): string {
    return decoder.decode(this.bytes());
  }
}

/** The quality cells of a grid row: loss delta, dense equivalent (empty when none), domain label. */
export function qualityCells(m: Float64Array): string {
  const dense = m[DENSE_EQUIVALENT]!;
  return `,${m[LOSS_DELTA]},${Number.isFinite(dense) ? dense : ''},${domainLabel(m[DOMAIN_FACTOR]!)}`;
}

/**
 * The CSV rows of the given grid indices (ascending), or of every point of [start, end) that `mode`
 * keeps. Points come from the compiled counts where the plan has them (module by module otherwise,
 * or where a point's case did not compile), so no row is recounted; the cells are those of
 * servingCells and the design columns, with whole numbers through numberText, the figures that
 * depend only on (experts, top_k) written once per pair and gpus_needed reused across top_k.
 */
function generalRowsInto(
  lines: Lines,
  plan: EvalPlan,
  indices: Iterable<number>,
  mode: CsvMode,
  front: Float64Array,
): Lines {
  const gp = plan.general!;
  if (compiledCursorFits(plan)) return cursorRows(lines, plan, indices, mode, front);
  const source = gp.compiled ? new PointSource(gp) : undefined;
  const decoder = source ? undefined : new PointDecoder(gp);
  const serving = gp.serving ? new ServingEvaluator(gp.serving) : undefined;
  const training = gp.training ? new TrainingCostEvaluator(gp.training) : undefined;
  const hardware = gp.serving?.hardware !== undefined;
  const m = new Float64Array(SLOT_COUNT);
  const violationText = violationCells(plan.constraints);
  const dimTexts = gp.dims.map((d) => cellTexts(d.values));
  const pairTexts = new Map<number, string>();
  let f = 0;
  for (const index of indices) {
    let p: PointModel | null;
    let at: ArrayLike<number>;
    if (source) {
      p = source.at(index);
      at = source.walker.idx;
    } else {
      decoder!.decode(index);
      p = decoder!.model();
      at = decoder!.index;
    }
    if (!p) continue;
    pointMetricsInto(m, plan, gp, serving, p, training);
    const experts = p.experts;
    const topK = p.top_k;
    const expertParams = p.expert_params;
    const sharedParams = p.shared_params;
    const mask = violationMask(plan.constraints, m, 0);
    if (mode === 'feasible' && mask !== 0) continue;
    while (f < front.length && front[f]! < index) f++;
    const onFront = f < front.length && front[f] === index;
    if (mode === 'pareto' && !onFront) continue;
    // sparsity depends on (experts, top_k) alone
    const pairKey = experts * 65536 + topK;
    let sparsity = pairTexts.get(pairKey);
    if (sparsity === undefined) pairTexts.set(pairKey, (sparsity = `,${m[SPARSITY]}`));
    let row = `,${experts},${topK},${numberText(expertParams)},${numberText(sharedParams)},${numberText(m[TOTAL]!)},${numberText(m[ACTIVE]!)},${m[RATIO]}${sparsity},${m[SAVING]},${numberText(m[FLOPS]!)},${numberText(m[WEIGHT_BYTES]!)},${numberText(m[VRAM]!)},${mask === 0},${onFront},${violationText(mask)}`;
    if (plan.quality) row += qualityCells(m);
    for (const d of gp.csvDims) row += dimTexts[d]![at[d]!]!;
    if (gp.serving) row += servingCells(m, hardware);
    if (training) row += trainingCostCells(m);
    lines.add(`${row}\n`);
  }
  return lines;
}

/** Design cells kept at most; past this the cache starts over. */
const DESIGN_CACHE_LIMIT = 1 << 14;

/**
 * formatGeneralRows through the kernel's block tables (CompiledCursor): the same rows. Cells that
 * depend only on (experts, top_k) are written once per pair, and those that do not depend on
 * top_k (the counts, weights, architecture fields, KV cache and layout) once per design.
 */
function cursorRows(
  lines: Lines,
  plan: EvalPlan,
  indices: Iterable<number>,
  mode: CsvMode,
  front: Float64Array,
): Lines {
  const gp = plan.general!;
  const cursor = new CompiledCursor(plan);
  const m = cursor.m;
  const hardware = gp.serving?.hardware !== undefined;
  const violationText = violationCells(plan.constraints);
  const dimTexts = gp.dims.map((d) => cellTexts(d.values));
  const pairs = new Map<number, PairCells>();
  const designs = new Map<number, DesignCells>();
  let f = 0;
  for (const index of indices) {
    if (!cursor.at(index)) continue;
    const mask = violationMask(plan.constraints, m, 0);
    if (mode === 'feasible' && mask !== 0) continue;
    while (f < front.length && front[f]! < index) f++;
    const onFront = f < front.length && front[f] === index;
    if (mode === 'pareto' && !onFront) continue;
    const pairKey = cursor.experts * 65536 + cursor.topK;
    let pair = pairs.get(pairKey);
    if (pair === undefined) {
      pair = {
        head: `,${cursor.experts},${cursor.topK}`,
        sparsity: `,${m[SPARSITY]}`,
        serving: gp.serving ? `,${m[SATURATION_BATCH]},${m[LOAD_IMBALANCE]},${m[CAPACITY_FACTOR]}` : '',
      };
      pairs.set(pairKey, pair);
    }
    let design = designs.get(cursor.design);
    if (design === undefined) {
      let dims = '';
      for (const d of gp.csvDims) dims += dimTexts[d]![cursor.idx[d]!]!;
      design = {
        counts: `,${numberText(cursor.expertParams)},${numberText(cursor.sharedParams)},${numberText(m[TOTAL]!)}`,
        bytes: `,${numberText(m[WEIGHT_BYTES]!)},${numberText(m[VRAM]!)}`,
        dims: gp.serving ? `${dims},${m[KV_CACHE]}` : dims,
        layout: hardware ? layoutCells(m) : '',
        limits: hardware ? limitCells(m) : '',
      };
      if (designs.size >= DESIGN_CACHE_LIMIT) designs.clear();
      designs.set(cursor.design, design);
    }
    let row = `${pair.head}${design.counts},${numberText(m[ACTIVE]!)},${m[RATIO]}${pair.sparsity},${m[SAVING]},${numberText(m[FLOPS]!)}${design.bytes},${mask === 0},${onFront},${violationText(mask)}`;
    if (plan.quality) row += qualityCells(m);
    row += design.dims;
    if (gp.serving) {
      row += pair.serving;
      if (hardware) row += `${design.layout}${estimateCells(m)}${design.limits}`;
    }
    lines.add(`${row}\n`);
  }
  return lines;
}

interface PairCells {
  head: string;
  sparsity: string;
  serving: string;
}

interface DesignCells {
  counts: string;
  bytes: string;
  /** the architecture fields, then (with serving) the KV cache */
  dims: string;
  layout: string;
  limits: string;
}

export function* indexRange(start: number, end: number): Generator<number> {
  for (let i = start; i < end; i++) yield i;
}

/** The serving cells of a CSV row, in SERVING_COLUMNS then HARDWARE_COLUMNS order. */
export function servingCells(m: Float64Array, hardware: boolean): string {
  const s = `,${m[KV_CACHE]},${m[SATURATION_BATCH]},${m[LOAD_IMBALANCE]},${m[CAPACITY_FACTOR]}`;
  return hardware ? `${s}${layoutCells(m)}${estimateCells(m)}${limitCells(m)}` : s;
}

/** The hardware cells that do not depend on top_k, before the estimate: layout, per-GPU bytes, GPUs needed. */
function layoutCells(m: Float64Array): string {
  const needed = m[GPUS_NEEDED]!;
  const layout = m[LAYOUT_EP] === 0 ? 'none' : `EP${m[LAYOUT_EP]}xTP${m[LAYOUT_TP]}`;
  const perGpu = m[PER_GPU]!;
  return `,${layout},${Number.isFinite(perGpu) ? perGpu : ''},${Number.isFinite(needed) ? needed : ''}`;
}

/** The hardware cells of the decode bound and the estimate, which depend on top_k. */
function estimateCells(m: Float64Array): string {
  const tpot = m[TPOT]!;
  const ttft = m[TTFT]!;
  return `,${m[DECODE_BOUND]},${m[ALL_TO_ALL]},${m[DECODE]},${BINDINGS[m[DECODE_BINDING]!]},${Number.isFinite(tpot) ? tpot : ''},${Number.isFinite(ttft) ? ttft : ''},${m[PREFILL]}`;
}

/** The inverse solves, which do not depend on top_k: max_batch, max_context. */
function limitCells(m: Float64Array): string {
  const maxBatch = m[MAX_BATCH]!;
  const maxContext = m[MAX_CONTEXT]!;
  return `,${Number.isFinite(maxBatch) ? maxBatch : ''},${Number.isFinite(maxContext) ? maxContext : ''}`;
}
