// The grid rows of results.csv, made in the workers, whichever path evaluates the plan (the abstract
// kernel or the general one). Rows are written by hand, straight into bytes (lines.ts), rather than
// through csv-stringify because that is several times faster (columns.ts says why it is safe); the
// metrics are recomputed by the same functions the evaluation uses, so a row cannot disagree with the
// summary. Nothing here touches files or threads, so it runs the same in a worker and on the main
// thread.
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
import { Lines, cellBytes } from './lines.js';

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

/**
 * The buffer rows are written into, kept from one call to the next: a buffer per call, grown by
 * doubling, cost more than the rows' one copy out. One per thread; nothing here is re-entrant.
 */
let reusable = new Lines(1 << 20);
/** Past this the buffer is let go after use rather than kept. */
const KEEP_BYTES = 64 << 20;

function written<T>(fill: (lines: Lines) => void, out: (lines: Lines) => T): T {
  const lines = reusable;
  lines.clear();
  fill(lines);
  const result = out(lines);
  if (lines.capacity > KEEP_BYTES) reusable = new Lines(1 << 20);
  return result;
}

const asText = (lines: Lines): string => lines.toText();
const asBytes = (lines: Lines): Uint8Array => lines.copy();

/** The CSV rows of [start, end) that `mode` keeps, as text. */
export function formatSlice(plan: EvalPlan, start: number, end: number, mode: CsvMode, front: Float64Array): string {
  return written((lines) => sliceInto(lines, plan, start, end, mode, front), asText);
}

/** formatSlice's rows as UTF-8 bytes, what the CSV file is written from. */
export function formatSliceBytes(
  plan: EvalPlan,
  start: number,
  end: number,
  mode: CsvMode,
  front: Float64Array,
): Uint8Array {
  return written((lines) => sliceInto(lines, plan, start, end, mode, front), asBytes);
}

/** The CSV rows of the given grid indices (ascending), as text. */
export function formatIndices(plan: EvalPlan, indices: Float64Array, front: Float64Array): string {
  return written((lines) => indicesInto(lines, plan, indices, front), asText);
}

/** formatIndices's rows as UTF-8 bytes. */
export function formatIndicesBytes(plan: EvalPlan, indices: Float64Array, front: Float64Array): Uint8Array {
  return written((lines) => indicesInto(lines, plan, indices, front), asBytes);
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

/**
 * The cells `,feasible,pareto,violations` of a row as bytes (the violated constraints' names joined
 * by ';'), built once per (mask, on the front): a handful of distinct values in a whole sweep.
 */
function verdictCells(constraints: readonly Constraint[]): (mask: number, onFront: boolean) => Uint8Array {
  const cells = new Map<number, Uint8Array>();
  return (mask, onFront) => {
    const key = mask * 2 + (onFront ? 1 : 0);
    let b = cells.get(key);
    if (b === undefined)
      cells.set(key, (b = cellBytes(`,${mask === 0},${onFront},${violationNames(constraints, mask).join(';')}`)));
    return b;
  };
}

/** Each axis value as the bytes of its cell, comma first: built once per slice. */
function cellsBytes(axis: number[]): Uint8Array[] {
  return axis.map((v) => cellBytes(`,${v}`));
}

/**
 * The CSV text of the rows of [start, end) that `mode` keeps. `front` holds the grid indices on the
 * global Pareto front that fall in this slice, ascending. Walks the slice block by block like the
 * kernel; metrics come from metricsInto (the single source of the formulas) and the axis values'
 * text is built once per slice, since number-to-text is most of the cost of a row.
 */
export function formatCsvChunk(plan: EvalPlan, start: number, end: number, mode: CsvMode, front: Float64Array): string {
  return written((lines) => csvChunkInto(lines, plan, start, end, mode, front), asText);
}

function csvChunkInto(
  lines: Lines,
  plan: EvalPlan,
  start: number,
  end: number,
  mode: CsvMode,
  front: Float64Array,
): Lines {
  const verdict = verdictCells(plan.constraints);
  const { experts: E, top_k: K, expert_params: X, shared_params: S } = plan.axes;
  const eBytes = cellsBytes(E);
  const kBytes = cellsBytes(K);
  const xBytes = cellsBytes(X);
  const sBytes = cellsBytes(S);
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
      let sparsity: Uint8Array | undefined;
      for (; ix < nx && index < end; ix++, is = 0) {
        const x = X[ix]!;
        const n = Math.min(ns - is, end - index);
        for (let j = 0; j < n; j++, index++) {
          metricsInto(m, 0, e, k, x, S[is + j]!, bytesPerWeight, overhead);
          if (qp) qualityInto(m, e, k, m[TOTAL]!, m[ACTIVE]!, qp);
          const mask = violationMask(constraints, m, 0);
          sparsity ??= cellBytes(`,${m[SPARSITY]}`);
          if (mode === 'feasible' && mask !== 0) continue;
          while (f < front.length && front[f]! < index) f++;
          const onFront = f < front.length && front[f] === index;
          if (mode === 'pareto' && !onFront) continue;
          lines.cell(eBytes[ie]!);
          lines.cell(kBytes[ik]!);
          lines.cell(xBytes[ix]!);
          lines.cell(sBytes[is + j]!);
          metricCells(lines, m, sparsity);
          lines.cell(verdict(mask, onFront));
          if (qp) lines.text(qualityCells(m));
          lines.newline();
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
  const eBytes = cellsBytes(E);
  const kBytes = cellsBytes(K);
  const xBytes = cellsBytes(X);
  const sBytes = cellsBytes(S);
  const m = new Float64Array(TRAINING_SLOT_END);
  const qp = plan.quality;
  const verdict = verdictCells(plan.constraints);
  let f = 0;
  let sparsityBlock = -1;
  let sparsity = cellBytes('');
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
      sparsity = cellBytes(`,${m[SPARSITY]}`);
    }
    while (f < front.length && front[f]! < index) f++;
    const onFront = f < front.length && front[f] === index;
    lines.cell(eBytes[ie]!);
    lines.cell(kBytes[ik]!);
    lines.cell(xBytes[ix]!);
    lines.cell(sBytes[is]!);
    metricCells(lines, m, sparsity);
    lines.cell(verdict(mask, onFront));
    if (qp) lines.text(qualityCells(m));
    lines.newline();
  }
}

/**
 * The eight metric cells of a row. The sparsity, the same for a whole experts × top_k block, comes
 * in as bytes (`,` first).
 */
function metricCells(lines: Lines, m: Float64Array, sparsity: Uint8Array): void {
  lines.commaNum(m[TOTAL]!);
  lines.commaNum(m[ACTIVE]!);
  lines.commaNum(m[RATIO]!);
  lines.cell(sparsity);
  lines.commaNum(m[SAVING]!);
  lines.commaNum(m[FLOPS]!);
  lines.commaNum(m[WEIGHT_BYTES]!);
  lines.commaNum(m[VRAM]!);
}

/** The quality cells of a grid row: loss delta, dense equivalent (empty when none), domain label. */
export function qualityCells(m: Float64Array): string {
  const dense = m[DENSE_EQUIVALENT]!;
  return `,${m[LOSS_DELTA]},${Number.isFinite(dense) ? dense : ''},${domainLabel(m[DOMAIN_FACTOR]!)}`;
}

/**
 * The CSV rows of the given grid indices (ascending), or of every point of [start, end) that `mode`
 * keeps. Points come from the compiled counts where the plan has them (module by module otherwise,
 * or where a point's case did not compile), so no row is recounted. The sparsity, which depends
 * only on (experts, top_k), is encoded once per pair.
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
  const verdict = verdictCells(plan.constraints);
  const dimBytes = gp.dims.map((d) => cellsBytes(d.values));
  const pairCells = new Map<number, Uint8Array>();
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
    let sparsity = pairCells.get(pairKey);
    if (sparsity === undefined) pairCells.set(pairKey, (sparsity = cellBytes(`,${m[SPARSITY]}`)));
    lines.commaNum(experts);
    lines.commaNum(topK);
    lines.commaNum(expertParams);
    lines.commaNum(sharedParams);
    metricCells(lines, m, sparsity);
    lines.cell(verdict(mask, onFront));
    if (plan.quality) lines.text(qualityCells(m));
    for (const d of gp.csvDims) lines.cell(dimBytes[d]![at[d]!]!);
    if (gp.serving) servingInto(lines, m, hardware);
    if (training) lines.text(trainingCostCells(m));
    lines.newline();
  }
  return lines;
}

/**
 * formatGeneralRows through the kernel's block tables (CompiledCursor): the same rows, with no point
 * counted again. Cells that depend only on (experts, top_k) are encoded once per pair; a design's
 * own cells (the counts, weights, architecture fields, KV cache, layout and limits) are written for
 * its first row and copied for the rows of its other top_k values; the rest are written from the
 * metric vector, whole numbers digit by digit.
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
  const verdict = verdictCells(plan.constraints);
  const dimBytes = gp.dims.map((d) => cellsBytes(d.values));
  const pairs = new Map<number, PairCells>();
  const designs = new Map<number, Int32Array>();
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
        head: cellBytes(`,${cursor.experts},${cursor.topK}`),
        sparsity: cellBytes(`,${m[SPARSITY]}`),
        serving: cellBytes(gp.serving ? `,${m[SATURATION_BATCH]},${m[LOAD_IMBALANCE]},${m[CAPACITY_FACTOR]}` : ''),
      };
      pairs.set(pairKey, pair);
    }
    lines.cell(pair.head);
    // A design's own cells are written for its first row in this call, then copied from there.
    let at = designs.get(cursor.design);
    const first = at === undefined;
    if (first) designs.set(cursor.design, (at = new Int32Array(DESIGN_SEGMENTS)));
    const cells = at!;
    if (first) {
      cells[0] = lines.length;
      lines.commaNum(cursor.expertParams);
      lines.commaNum(cursor.sharedParams);
      lines.commaNum(m[TOTAL]!);
      cells[1] = lines.length - cells[0]!;
    } else lines.again(cells[0]!, cells[1]!);
    lines.commaNum(m[ACTIVE]!);
    lines.commaNum(m[RATIO]!);
    lines.cell(pair.sparsity);
    lines.commaNum(m[SAVING]!);
    lines.commaNum(m[FLOPS]!);
    if (first) {
      cells[2] = lines.length;
      lines.commaNum(m[WEIGHT_BYTES]!);
      lines.commaNum(m[VRAM]!);
      cells[3] = lines.length - cells[2]!;
    } else lines.again(cells[2]!, cells[3]!);
    lines.cell(verdict(mask, onFront));
    if (plan.quality) lines.text(qualityCells(m));
    if (first) {
      cells[4] = lines.length;
      for (const d of gp.csvDims) lines.cell(dimBytes[d]![cursor.idx[d]!]!);
      if (gp.serving) lines.commaNum(m[KV_CACHE]!);
      cells[5] = lines.length - cells[4]!;
    } else lines.again(cells[4]!, cells[5]!);
    if (gp.serving) {
      lines.cell(pair.serving);
      if (hardware) {
        if (first) {
          cells[6] = lines.length;
          layoutCells(lines, m);
          cells[7] = lines.length - cells[6]!;
        } else lines.again(cells[6]!, cells[7]!);
        estimateCells(lines, m);
        if (first) {
          cells[8] = lines.length;
          limitCells(lines, m);
          cells[9] = lines.length - cells[8]!;
        } else lines.again(cells[8]!, cells[9]!);
      }
    }
    lines.newline();
  }
  return lines;
}

/** Where a design's own cells went in the buffer: start and length of its five runs of cells. */
const DESIGN_SEGMENTS = 10;

interface PairCells {
  head: Uint8Array;
  sparsity: Uint8Array;
  serving: Uint8Array;
}

function* indexRange(start: number, end: number): Generator<number> {
  for (let i = start; i < end; i++) yield i;
}

/** The serving cells of a CSV row, in SERVING_COLUMNS then HARDWARE_COLUMNS order, as text. */
export function servingCells(m: Float64Array, hardware: boolean): string {
  const lines = new Lines(256);
  servingInto(lines, m, hardware);
  return lines.toText();
}

/** The serving cells of a CSV row, in SERVING_COLUMNS then HARDWARE_COLUMNS order. */
function servingInto(lines: Lines, m: Float64Array, hardware: boolean): void {
  lines.commaNum(m[KV_CACHE]!);
  lines.commaNum(m[SATURATION_BATCH]!);
  lines.commaNum(m[LOAD_IMBALANCE]!);
  lines.commaNum(m[CAPACITY_FACTOR]!);
  if (hardware) {
    layoutCells(lines, m);
    estimateCells(lines, m);
    limitCells(lines, m);
  }
}

/** The hardware cells that do not depend on top_k, before the estimate: layout, per-GPU bytes, GPUs needed. */
function layoutCells(lines: Lines, m: Float64Array): void {
  lines.comma();
  if (m[LAYOUT_EP] === 0) lines.text('none');
  else {
    lines.text('EP');
    lines.num(m[LAYOUT_EP]!);
    lines.text('xTP');
    lines.num(m[LAYOUT_TP]!);
  }
  lines.commaFinite(m[PER_GPU]!);
  lines.commaFinite(m[GPUS_NEEDED]!);
}

/** The hardware cells of the decode bound and the estimate, which depend on top_k. */
function estimateCells(lines: Lines, m: Float64Array): void {
  lines.commaNum(m[DECODE_BOUND]!);
  lines.commaNum(m[ALL_TO_ALL]!);
  lines.commaNum(m[DECODE]!);
  lines.comma();
  lines.text(BINDINGS[m[DECODE_BINDING]!]!);
  lines.commaFinite(m[TPOT]!);
  lines.commaFinite(m[TTFT]!);
  lines.commaNum(m[PREFILL]!);
}

/** The inverse solves, which do not depend on top_k: max_batch, max_context. */
function limitCells(lines: Lines, m: Float64Array): void {
  lines.commaFinite(m[MAX_BATCH]!);
  lines.commaFinite(m[MAX_CONTEXT]!);
}
