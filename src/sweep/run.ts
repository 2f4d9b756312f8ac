// The sweep: named designs, compared presets and the grid evaluated under the spec's constraints,
// the Pareto front of everything feasible, and the aggregates the report draws.
import { violationMask, violationNames } from '../metrics/constraints.js';
import type { PlotBins, ChunkSummary, EvalPlan } from '../evaluate/kernel.js';
import { evaluateSlice } from '../evaluate/slice.js';
import { EvaluatorPool, defaultWorkers } from '../pool/pool.js';
import { AXES, designAt, gridSize, type GridAxes } from '../grid/axes.js';
import { countParameters } from '../arch/count.js';
import type { Architecture } from '../arch/types.js';
import { NO_FACTS, PointDecoder, factsOf, pointMetricsInto, type GeneralPlan } from '../evaluate/general.js';
import {
  FULL_METRIC_COUNT,
  SV,
  ServingEvaluator,
  isServingMetric,
  type ServingMetricId,
  type ServingPlan,
} from '../metrics/serving.js';
import { M, metricsFromVector, metricsInto, type Design, type Metrics } from '../metrics/design.js';
import { Q, domainLabel, isQualityMetric, qualityInto, type QualityPlan } from '../metrics/quality.js';
import { qualityPlan } from '../metrics/quality-plan.js';
import { paretoFront } from '../evaluate/pareto.js';
import type { AnyMetricId, ComparePreset, NamedDesign, SweepSpec } from '../spec/types.js';

export interface QualityValues {
  loss_delta_vs_dense: number;
  /** null when no dense model at the same tokens reaches the design's predicted loss. */
  dense_equivalent_params: number | null;
  quality_domain: string;
  quality_domain_factor: number;
}

/** With `serving:` (and `hardware:`) in the spec: the serving columns. */
export type ServingValues = Partial<Record<ServingMetricId, number>> & {
  /** "EP8xTP1": the layout per_gpu_bytes is for (with hardware:) */
  gpu_layout?: string;
  decode_bound?: 'bandwidth' | 'compute';
};

export interface Evaluated extends Design {
  metrics: Metrics;
  /** With `training:` in the spec: the scaling-law columns. */
  quality?: QualityValues;
  serving?: ServingValues;
  /** Grid points of an architecture sweep: the swept fields' values. */
  fields?: Record<string, number>;
  feasible: boolean;
  violations: string[];
}

export interface DesignResult extends NamedDesign, Evaluated {
  pareto: boolean;
}

export type PresetResult = ComparePreset & Evaluated;

export interface FrontPoint extends Design {
  /** The named design's name; '' for a grid point. */
  design: string;
  metrics: Metrics;
  quality?: QualityValues;
  serving?: ServingValues;
  fields?: Record<string, number>;
}

export interface PlotPoint {
  total: number;
  active: number;
  status: 'infeasible' | 'feasible' | 'front';
  quality?: QualityValues;
}

export type PlotData =
  | { mode: 'points'; points: PlotPoint[] }
  | { mode: 'bins'; bins: PlotBins; infeasible: Float64Array; feasible: Float64Array };

export interface SweepCounts {
  points: number;
  evaluated: number;
  skipped: number;
  feasible: number;
  front: number;
}

export interface SweepResult {
  spec: SweepSpec;
  plan?: EvalPlan;
  counts: SweepCounts;
  /** Evaluated grid points failing each constraint, by constraint name. */
  violationCounts: Record<string, number>;
  designs: DesignResult[];
  compare: PresetResult[];
  /** Every design on the Pareto front, sorted by the objectives in order. */
  front: FrontPoint[];
  /** Grid indices on the front, ascending (the CSV marks these rows). */
  frontGridIndex: Float64Array;
  /** Which grid points are feasible, one bit each, by evaluation slice (absent for huge grids). */
  feasibleBits?: { start: number; end: number; bits: Uint8Array }[];
  /** The grid indices evaluated: the whole grid, or one shard's share. */
  range: [number, number];
  /** The per-slice summaries the result was assembled from (what a shard hands to a merge). */
  slices: ChunkSummary[];
  heatmap?: { experts: number[]; top_k: number[]; evaluated: number[]; feasible: number[] };
  plot?: PlotData;
  workers: number;
  timings: { evaluate_ms: number };
}

export interface SweepOptions {
  workers?: number;
  /** Evaluate only grid indices [from, to): one shard of the grid (see shard.ts). */
  range?: [number, number];
  signal?: AbortSignal;
  /** Points done so far (evaluated or skipped), out of the grid's size. */
  onProgress?: (done: number, total: number, feasible: number) => void;
  /** Reuse a pool (the caller closes it); otherwise one is opened and closed here. */
  pool?: EvaluatorPool;
}

/** Up to this many grid points (50 MB of bits) the evaluation keeps a feasibility bitmap for the CSV pass. */
export const FEASIBLE_BITS_LIMIT = 4e8;

/** Above this many grid points the report bins the cloud instead of drawing every point. */
export const PLOT_POINT_LIMIT = 5000;
const BINS_X = 64;
const BINS_Y = 48;

/** Whether the spec needs the general evaluation path (architecture axes, serving columns, split formats). */
export function isGeneral(spec: Pick<SweepSpec, 'architecture' | 'serving' | 'formats'>): boolean {
  return spec.architecture !== undefined || spec.serving !== undefined || spec.formats.experts !== spec.formats.rest;
}

type EvalSpec = Pick<
  SweepSpec,
  'bytesPerWeight' | 'overhead' | 'constraints' | 'training' | 'formats' | 'serving' | 'hardware' | 'architecture'
>;

/** The general-path settings of a spec, without the grid dimensions. */
export function generalSettings(spec: EvalSpec): Omit<GeneralPlan, 'dims' | 'mode' | 'cellDims' | 'csvDims'> {
  return {
    ...(spec.architecture ? { base: spec.architecture.base } : {}),
    expertBytesPerWeight: spec.formats.experts,
    restBytesPerWeight: spec.formats.rest,
    ...(spec.serving
      ? {
          serving: {
            context: spec.serving.context,
            batch: spec.serving.batch,
            overhead: spec.overhead,
            expertBytesPerWeight: spec.formats.experts,
            restBytesPerWeight: spec.formats.rest,
            kvBytesPerValue: spec.serving.kvBytesPerValue,
            ...(spec.hardware ? { hardware: spec.hardware } : {}),
          },
        }
      : {}),
  };
}

/**
 * Evaluates one design. A design with an architecture of its own (a preset) is served with its
 * own attention and width; others with the spec's base architecture.
 */
export function evaluateDesign(
  spec: EvalSpec,
  d: Design & { architecture?: Architecture },
  quality?: QualityPlan,
): Evaluated {
  const v = new Float64Array(FULL_METRIC_COUNT);
  const q = quality ?? (spec.training ? qualityPlan(spec.training) : undefined);
  let servingPlan: ServingPlan | undefined;
  if (isGeneral(spec)) {
    const settings = generalSettings(spec);
    const arch = d.architecture ?? spec.architecture?.base;
    const facts = arch ? factsOf(arch, countParameters(arch).modules.embedding, settings.serving) : NO_FACTS;
    const gp = { ...settings, dims: [], mode: 'abstract', cellDims: [-1, -1], csvDims: [] } satisfies GeneralPlan;
    const serving = gp.serving ? new ServingEvaluator(gp.serving) : undefined;
    pointMetricsInto(v, { bytesPerWeight: spec.bytesPerWeight, overhead: spec.overhead, quality: q }, gp, serving, {
      ...d,
      facts,
    });
    servingPlan = gp.serving;
  } else {
    metricsInto(v, 0, d.experts, d.top_k, d.expert_params, d.shared_params, spec.bytesPerWeight, spec.overhead);
    if (q) qualityInto(v, d.experts, d.top_k, v[M.total_params]!, v[M.active_params]!, q);
  }
  return evaluatedFrom(v, d, spec.constraints, q !== undefined, servingPlan);
}

/** A design's evaluation from its full metric vector: the metrics, the columns the spec asks for, the verdict. */
function evaluatedFrom(
  v: Float64Array,
  d: Design,
  constraints: SweepSpec['constraints'],
  quality: boolean,
  serving: ServingPlan | undefined,
  fields?: Record<string, number>,
): Evaluated {
  const mask = violationMask(constraints, v, 0);
  return {
    experts: d.experts,
    top_k: d.top_k,
    expert_params: d.expert_params,
    shared_params: d.shared_params,
    metrics: metricsFromVector(v),
    ...(quality ? { quality: qualityValuesOf(v) } : {}),
    ...(serving ? { serving: servingValuesOf(v, serving.hardware !== undefined) } : {}),
    ...(fields ? { fields } : {}),
    feasible: mask === 0,
    violations: violationNames(constraints, mask),
  };
}

function qualityValuesOf(v: Float64Array): QualityValues {
  return {
    loss_delta_vs_dense: v[Q.loss_delta_vs_dense]!,
    dense_equivalent_params: Number.isFinite(v[Q.dense_equivalent_params]) ? v[Q.dense_equivalent_params]! : null,
    quality_domain: domainLabel(v[Q.quality_domain_factor]!),
    quality_domain_factor: v[Q.quality_domain_factor]!,
  };
}

function servingValuesOf(v: Float64Array, hardware: boolean): ServingValues {
  const out: ServingValues = {
    kv_cache_bytes: v[SV.kv_cache_bytes]!,
    saturation_batch: v[SV.saturation_batch]!,
    load_imbalance: v[SV.load_imbalance]!,
    capacity_factor: v[SV.capacity_factor]!,
  };
  if (hardware) {
    out.gpu_layout = `EP${v[SV.layout_ep]}xTP${v[SV.layout_tp]}`;
    out.per_gpu_bytes = v[SV.per_gpu_bytes]!;
    out.gpus_needed = v[SV.gpus_needed]!;
    out.decode_tokens_per_s = v[SV.decode_tokens_per_s]!;
    out.decode_bound = v[SV.decode_binding] === 0 ? 'bandwidth' : 'compute';
    out.all_to_all_bytes_per_token_layer = v[SV.all_to_all_bytes_per_token_layer]!;
  }
  return out;
}

/**
 * Evaluates grid points of a plan by index (null when top_k exceeds experts). The decoder and its
 * count cache are built once and serve every point asked for.
 */
export function pointEvaluator(spec: SweepSpec, plan: EvalPlan): (index: number) => Evaluated | null {
  const gp = plan.general;
  if (!gp) {
    return (index) => {
      const d = designAt(plan.axes, index);
      return d.top_k > d.experts ? null : evaluateDesign(spec, d, plan.quality);
    };
  }
  const decoder = new PointDecoder(gp);
  const serving = gp.serving ? new ServingEvaluator(gp.serving) : undefined;
  return (index) => {
    decoder.decode(index);
    const p = decoder.model();
    if (!p) return null;
    const v = new Float64Array(FULL_METRIC_COUNT);
    pointMetricsInto(v, plan, gp, serving, p);
    const fields =
      gp.mode === 'architecture' ? Object.fromEntries(gp.dims.map((d, i) => [d.key, decoder.value(i)])) : undefined;
    return evaluatedFrom(v, p, spec.constraints, plan.quality !== undefined, gp.serving, fields);
  };
}

/** Points in the spec's grid: the abstract axes' product, or the architecture axes'. */
export function gridPoints(spec: Pick<SweepSpec, 'grid' | 'architecture'>): number {
  if (spec.grid) return gridSize(spec.grid);
  const axes = spec.architecture?.axes;
  return axes ? axes.reduce((n, a) => n * a.values.length, 1) : 0;
}

export function hasGrid(spec: Pick<SweepSpec, 'grid' | 'architecture'>): boolean {
  return spec.grid !== undefined || spec.architecture?.axes !== undefined;
}

/** A metric of an evaluated design by id; quality metrics need `training:` (NaN without a value). */
export function metricValue(
  e: { metrics: Metrics; quality?: QualityValues; serving?: ServingValues },
  id: AnyMetricId,
): number {
  if (isServingMetric(id)) return e.serving?.[id] ?? Number.NaN;
  // A design no dense model matches has an unbounded dense equivalent (null in the outputs).
  if (id === 'dense_equivalent_params') return e.quality ? (e.quality.dense_equivalent_params ?? Infinity) : Number.NaN;
  if (isQualityMetric(id)) return e.quality?.[id] ?? Number.NaN;
  return e.metrics[id];
}

/** Position of a metric in the (extended) metric vector. */
export function metricIndex(id: AnyMetricId): number {
  if (isServingMetric(id)) return SV[id];
  return isQualityMetric(id) ? Q[id] : M[id];
}

function plotBins(axes: GridAxes): PlotBins {
  const lo = (a: number[]) => Math.min(...a);
  const hi = (a: number[]) => Math.max(...a);
  const pad = 1e-9;
  return {
    nx: BINS_X,
    ny: BINS_Y,
    x0: Math.log10(lo(axes.shared_params) + lo(axes.experts) * lo(axes.expert_params)) - pad,
    x1: Math.log10(hi(axes.shared_params) + hi(axes.experts) * hi(axes.expert_params)) + pad,
    y0: Math.log10(lo(axes.shared_params) + lo(axes.top_k) * lo(axes.expert_params)) - pad,
    y1: Math.log10(hi(axes.shared_params) + Math.min(hi(axes.top_k), hi(axes.experts)) * hi(axes.expert_params)) + pad,
  };
}

export function makePlan(spec: SweepSpec): EvalPlan | undefined {
  if (!hasGrid(spec)) return undefined;
  const size = gridPoints(spec);
  const base = spec.architecture?.base;
  const archAxes = spec.grid ? undefined : spec.architecture!.axes!;
  const axisOf = (field: string) => archAxes!.find((a) => a.field === field)?.values;
  const axes: GridAxes = spec.grid ?? {
    experts: axisOf('num_experts') ?? [base!.num_experts],
    top_k: axisOf('num_experts_per_tok') ?? [base!.num_experts_per_tok],
    expert_params: [],
    shared_params: [],
  };
  const plan: EvalPlan = {
    axes,
    bytesPerWeight: spec.bytesPerWeight,
    overhead: spec.overhead,
    constraints: spec.constraints,
    objectives: spec.objectives.map((o) => ({ metric: metricIndex(o.metric), sign: o.sense === 'min' ? 1 : -1 })),
    quality: spec.training ? qualityPlan(spec.training) : undefined,
  };
  if (isGeneral(spec)) {
    const dims = spec.grid
      ? AXES.map((a) => ({ key: a as string, values: spec.grid![a] }))
      : archAxes!.map((a) => ({ key: a.field as string, values: a.values }));
    const at = (key: string) => dims.findIndex((d) => d.key === key);
    plan.general = {
      ...generalSettings(spec),
      dims,
      mode: spec.grid ? 'abstract' : 'architecture',
      cellDims: spec.grid ? [0, 1] : [at('num_experts'), at('num_experts_per_tok')],
      csvDims: spec.grid
        ? []
        : dims.flatMap((d, i) => (d.key === 'num_experts' || d.key === 'num_experts_per_tok' ? [] : [i])),
    };
  }
  if (size > PLOT_POINT_LIMIT) plan.bins = spec.grid ? plotBins(spec.grid) : cornerBins(spec, plan);
  plan.feasibleBits = size <= FEASIBLE_BITS_LIMIT;
  return plan;
}

/**
 * Plot bins for an architecture grid, whose totals are known only point by point: the range of the
 * grid's corners (every field at its smallest or largest value), padded by a factor of two each
 * way; points outside land in the edge bins.
 */
function cornerBins(_spec: SweepSpec, plan: EvalPlan): PlotBins {
  const dims = plan.general!.dims;
  const decoder = new PointDecoder(plan.general!);
  const strides = dims.map((_, d) => dims.slice(d + 1).reduce((n, x) => n * x.values.length, 1));
  const totals: number[] = [];
  const actives: number[] = [];
  const corners = Math.min(1 << dims.length, 4096);
  for (let c = 0; c < corners; c++) {
    const index = dims.reduce((sum, dim, d) => sum + ((c >> d) & 1 ? dim.values.length - 1 : 0) * strides[d]!, 0);
    decoder.decode(index);
    const p = decoder.model();
    if (!p) continue;
    totals.push(p.shared_params + p.experts * p.expert_params);
    actives.push(p.shared_params + p.top_k * p.expert_params);
  }
  if (totals.length === 0) {
    totals.push(1);
    actives.push(1);
  }
  const pad = Math.log10(2);
  return {
    nx: BINS_X,
    ny: BINS_Y,
    x0: Math.log10(Math.min(...totals)) - pad,
    x1: Math.log10(Math.max(...totals)) + pad,
    y0: Math.log10(Math.min(...actives)) - pad,
    y1: Math.log10(Math.max(...actives)) + pad,
  };
}

/** Slices of about equal size, a few per worker so a slow worker does not hold up the end. */
export function chunkRanges(
  size: number,
  workers: number,
  maxChunk = 1 << 20,
  minChunk = 4096,
  offset = 0,
): [number, number][] {
  const target = Math.min(maxChunk, Math.max(minChunk, Math.ceil(size / (workers * 8))));
  const out: [number, number][] = [];
  for (let s = 0; s < size; s += target) out.push([offset + s, offset + Math.min(size, s + target)]);
  return out;
}

/**
 * Runs `task` over `items` with at most `limit` in flight, handing results to `consume` in order.
 * Items are pulled lazily, so a generator can describe more work than fits in memory at once.
 */
export async function inOrder<T, R>(
  items: Iterable<T>,
  limit: number,
  task: (item: T) => Promise<R>,
  consume: (r: R, item: T) => void | Promise<void>,
): Promise<void> {
  const source = items[Symbol.iterator]();
  const pending: { item: T; result: Promise<R> }[] = [];
  const launch = () => {
    while (pending.length < limit) {
      const next = source.next();
      if (next.done) return;
      pending.push({ item: next.value, result: task(next.value) });
    }
  };
  launch();
  try {
    while (pending.length > 0) {
      const { item, result } = pending.shift()!;
      const r = await result;
      launch();
      await consume(r, item);
    }
  } catch (err) {
    // The tasks still in flight fail too (an abort cancels them all); their errors are this one.
    for (const p of pending) p.result.catch(() => undefined);
    throw err;
  }
}

/** The named designs and the compared presets, evaluated under the spec. */
function evaluateNamed(spec: SweepSpec): { designs: (NamedDesign & Evaluated)[]; compare: PresetResult[] } {
  return {
    designs: spec.designs.map((d) => ({ ...d, ...evaluateDesign(spec, d) })),
    compare: spec.compare.map((p) => ({ ...p, ...evaluateDesign(spec, p) })),
  };
}

export async function runSweep(spec: SweepSpec, options: SweepOptions = {}): Promise<SweepResult> {
  const started = performance.now();
  const { designs, compare } = evaluateNamed(spec);
  const plan = makePlan(spec);
  const workers = Math.max(1, options.workers ?? options.pool?.workers ?? defaultWorkers());
  const range: [number, number] = options.range ?? [0, gridPoints(spec)];
  const size = range[1] - range[0];
  const chunks: ChunkSummary[] = [];

  if (plan && size > 0) {
    const pool = options.pool ?? new EvaluatorPool(workers);
    try {
      let done = 0;
      let feasible = 0;
      await inOrder(
        chunkRanges(size, workers, undefined, undefined, range[0]),
        workers * 2,
        ([start, end]) => pool.evaluate({ kind: 'evaluate', plan, start, end }, options.signal),
        (chunk) => {
          chunks.push(chunk);
          done += chunk.end - chunk.start;
          feasible += chunk.feasible;
          options.onProgress?.(done, size, feasible);
        },
      );
    } finally {
      if (!options.pool) await pool.close();
    }
  }
  return assemble(spec, plan, range, chunks, designs, compare, workers, performance.now() - started);
}

/** The same sweep on the calling thread: for tests and tiny grids. */
export function runSweepSync(spec: SweepSpec): SweepResult {
  const { designs, compare } = evaluateNamed(spec);
  const plan = makePlan(spec);
  const points = gridPoints(spec);
  const chunks = plan && points > 0 ? [evaluateSlice(plan, 0, points)] : [];
  return assemble(spec, plan, [0, points], chunks, designs, compare, 0, 0);
}

/** Re-evaluates the named designs and presets and combines per-slice summaries: what a merge of shards does. */
export function combineChunks(
  spec: SweepSpec,
  chunks: ChunkSummary[],
  workers: number,
  evaluateMs: number,
): SweepResult {
  const { designs, compare } = evaluateNamed(spec);
  return assemble(spec, makePlan(spec), [0, gridPoints(spec)], chunks, designs, compare, workers, evaluateMs);
}

function assemble(
  spec: SweepSpec,
  plan: EvalPlan | undefined,
  range: [number, number],
  chunks: ChunkSummary[],
  designs: (NamedDesign & Evaluated)[],
  compare: PresetResult[],
  workers: number,
  evaluateMs: number,
): SweepResult {
  chunks.sort((a, b) => a.start - b.start);
  const nObj = spec.objectives.length;
  const violationCounts: Record<string, number> = Object.fromEntries(spec.constraints.map((c) => [c.name, 0]));
  const counts: SweepCounts = { points: range[1] - range[0], evaluated: 0, skipped: 0, feasible: 0, front: 0 };
  let heatmap: SweepResult['heatmap'];
  if (plan) {
    const cells = plan.axes.experts.length * plan.axes.top_k.length;
    heatmap = {
      experts: plan.axes.experts,
      top_k: plan.axes.top_k,
      evaluated: new Array<number>(cells).fill(0),
      feasible: new Array<number>(cells).fill(0),
    };
  }
  // Candidates for the global front: each chunk's local front (a globally non-dominated point is
  // non-dominated in its own chunk), then the feasible named designs.
  const candIndex: number[] = [];
  const cols: number[][] = spec.objectives.map(() => []);
  let binInfeasible: Float64Array | undefined;
  let binFeasible: Float64Array | undefined;
  for (const c of chunks) {
    counts.evaluated += c.evaluated;
    counts.feasible += c.feasible;
    spec.constraints.forEach((k, i) => (violationCounts[k.name]! += c.violations[i]!));
    for (let i = 0; i < c.cellEvaluated.length; i++) {
      heatmap!.evaluated[i]! += c.cellEvaluated[i]!;
      heatmap!.feasible[i]! += c.cellFeasible[i]!;
    }
    for (let i = 0; i < c.frontIndex.length; i++) {
      candIndex.push(c.frontIndex[i]!);
      for (let j = 0; j < nObj; j++) cols[j]!.push(c.frontObjectives[i * nObj + j]!);
    }
    if (c.bins && plan?.bins) {
      const half = plan.bins.nx * plan.bins.ny;
      binInfeasible ??= new Float64Array(half);
      binFeasible ??= new Float64Array(half);
      for (let i = 0; i < half; i++) {
        binInfeasible[i]! += c.bins[i]!;
        binFeasible[i]! += c.bins[half + i]!;
      }
    }
  }
  counts.skipped = counts.points - counts.evaluated;
  const gridCandidates = candIndex.length;
  designs.forEach((d) => {
    if (!d.feasible) return;
    candIndex.push(-1);
    spec.objectives.forEach((o, j) => cols[j]!.push((o.sense === 'min' ? 1 : -1) * metricValue(d, o.metric)));
  });
  const frontPos = paretoFront(cols, candIndex.length);
  const onFrontDesign = new Set<number>();
  const gridFront: number[] = [];
  const positions = designPositions(designs);
  for (const p of frontPos) {
    if (p < gridCandidates) gridFront.push(candIndex[p]!);
    else onFrontDesign.add(positions[p - gridCandidates]!);
  }
  gridFront.sort((a, b) => a - b);
  const designResults: DesignResult[] = designs.map((d, i) => ({ ...d, pareto: onFrontDesign.has(i) }));

  const front: FrontPoint[] = [];
  for (const i of onFrontDesign) {
    const d = designResults[i]!;
    front.push({
      design: d.name,
      experts: d.experts,
      top_k: d.top_k,
      expert_params: d.expert_params,
      shared_params: d.shared_params,
      metrics: d.metrics,
      quality: d.quality,
      serving: d.serving,
    });
  }
  const pointAt = plan ? pointEvaluator(spec, plan) : undefined;
  for (const index of gridFront) {
    const e = pointAt!(index)!;
    front.push({
      design: '',
      experts: e.experts,
      top_k: e.top_k,
      expert_params: e.expert_params,
      shared_params: e.shared_params,
      metrics: e.metrics,
      quality: e.quality,
      serving: e.serving,
      fields: e.fields,
    });
  }
  front.sort((a, b) => {
    for (const o of spec.objectives) {
      const diff = (o.sense === 'min' ? 1 : -1) * (metricValue(a, o.metric) - metricValue(b, o.metric));
      if (diff !== 0) return diff;
    }
    return 0;
  });
  counts.front = front.length;

  let plot: PlotData | undefined;
  if (plan) {
    if (plan.bins && binInfeasible && binFeasible)
      plot = { mode: 'bins', bins: plan.bins, infeasible: binInfeasible, feasible: binFeasible };
    else if (!plan.bins) plot = { mode: 'points', points: plotPoints(pointAt!, range, new Set(gridFront)) };
  }
  const frontGridIndex = Float64Array.from(gridFront);
  const feasibleBits = plan?.feasibleBits
    ? chunks.map((c) => ({ start: c.start, end: c.end, bits: c.feasibleBits! }))
    : undefined;
  return {
    spec,
    plan,
    counts,
    violationCounts,
    designs: designResults,
    compare,
    front,
    frontGridIndex,
    feasibleBits,
    range,
    slices: chunks,
    heatmap,
    plot,
    workers,
    timings: { evaluate_ms: Math.round(evaluateMs) },
  };
}

/** Positions in `designs` of the feasible ones, in order: the order their candidates were pushed. */
function designPositions(designs: readonly Evaluated[]): number[] {
  const out: number[] = [];
  designs.forEach((d, i) => d.feasible && out.push(i));
  return out;
}

function plotPoints(
  pointAt: (index: number) => Evaluated | null,
  range: [number, number],
  front: Set<number>,
): PlotPoint[] {
  const out: PlotPoint[] = [];
  for (let index = range[0]; index < range[1]; index++) {
    const e = pointAt(index);
    if (!e) continue;
    out.push({
      total: e.metrics.total_params,
      active: e.metrics.active_params,
      status: front.has(index) ? 'front' : e.feasible ? 'feasible' : 'infeasible',
      quality: e.quality,
    });
  }
  return out;
}
