// What a worker is handed for a slice of the grid, and what it hands back: plain data that crosses
// to the workers by structured clone (and back, with the typed arrays moved).
import type { Architecture } from '../arch/types.js';
import type { CompiledCounts } from './compiled.js';
import type { GridAxes } from '../grid/axes.js';
import type { Constraint } from '../metrics/constraints.js';
import type { QualityPlan } from '../metrics/quality.js';
import type { ServingPlan } from '../metrics/serving.js';
import type { TrainingCostPlan } from '../metrics/training.js';

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
  /**
   * Unique to one plan (makePlan): a worker handed slice after slice of it, each a copy of the
   * plan, keeps what it built for the first (the compiled kernel's pass) by this.
   */
  id?: string;
  axes: GridAxes;
  bytesPerWeight: number;
  overhead: number;
  constraints: Constraint[];
  /** Metric positions to minimise; `sign` -1 turns a maximisation into a minimisation. */
  objectives: { metric: number; sign: 1 | -1 }[];
  bins?: PlotBins;
  /** Return a bitmap of the feasible points, so the CSV pass can skip straight to them. */
  feasibleBits?: boolean;
  /** With `training:`: the scaling-law columns (the training slots of the metric vector). */
  quality?: QualityPlan;
  /** Architecture axes or serving columns: evaluated by general.ts instead of kernel.ts. */
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

export interface GeneralPlan {
  /** Grid dimensions, outermost first: the four abstract axes, or architecture fields. */
  dims: { key: string; values: number[] }[];
  mode: 'abstract' | 'architecture';
  /** The architecture every point starts from (architecture mode; abstract mode with serving). */
  base?: Architecture;
  expertBytesPerWeight: number;
  restBytesPerWeight: number;
  serving?: ServingPlan;
  /** With training: on hardware: the training-cost columns. */
  training?: TrainingCostPlan;
  /** Positions in `dims` of the experts and top_k axes, for the heatmap; -1 when the axis is fixed. */
  cellDims: [number, number];
  /** Architecture dims written as extra CSV columns (all but num_experts and num_experts_per_tok). */
  csvDims: number[];
  /** Counts and facts as polynomials over the dims (compile.ts); absent: every point module by module. */
  compiled?: CompiledCounts;
}
