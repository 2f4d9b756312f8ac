import type { PlotBins, ChunkSummary, EvalPlan } from '../evaluate/plan.js';
import type { EvaluatorPool } from '../pool/pool.js';
import type { ServingMetricId } from '../metrics/serving.js';
import type { TrainingCostValues } from '../metrics/training.js';
import type { StepBinding } from '../serving/step.js';
import type { Design, Metrics } from '../metrics/design.js';
import type { ComparePreset, NamedDesign, SweepSpec } from '../spec/types.js';

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
  /** with gpu_layout none: why each layout fails, packed (explainLayouts in src/serving/layout.ts) */
  layout_problems?: number;
  /** what binds the decode estimate */
  decode_bound?: StepBinding;
};

export interface Evaluated extends Design {
  metrics: Metrics;
  /** With `training:` in the spec: the scaling-law columns. */
  quality?: QualityValues;
  serving?: ServingValues;
  /** With `training:` on hardware: the training-cost columns. */
  training?: TrainingCostValues;
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
  training?: TrainingCostValues;
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
  /** Worker threads that evaluated the grid: 0 when it was evaluated on the calling thread, or has no points. */
  workers: number;
  /**
   * Wall time by phase: `plan_ms` named designs and the plan, `evaluate_ms` the grid (pool or this
   * thread), `merge_ms` the slices assembled into the result. A merged result has `evaluate_ms` only.
   */
  timings: { evaluate_ms: number; plan_ms?: number; merge_ms?: number; in_thread?: boolean };
}

export interface SweepOptions {
  workers?: number;
  /** Evaluate only grid indices [from, to): one shard of the grid (see output/shard.ts). */
  range?: [number, number];
  signal?: AbortSignal;
  /** Points done so far (evaluated or skipped), out of the grid's size. */
  onProgress?: (done: number, total: number, feasible: number) => void;
  /** Reuse a pool (the caller closes it); otherwise one is opened and closed here. */
  pool?: EvaluatorPool;
  /**
   * false: no plot data (`plot` undefined), for a run that draws no report (`--no-report`): the
   * workers then bin nothing and no points are gathered for the scatter. Default true.
   */
  plot?: boolean;
}

/** Up to this many grid points (50 MB of bits) the evaluation keeps a feasibility bitmap for the CSV pass. */
export const FEASIBLE_BITS_LIMIT = 4e8;

/** Above this many grid points the report bins the cloud instead of drawing every point. */
export const PLOT_POINT_LIMIT = 5000;
