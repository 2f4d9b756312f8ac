import type { Constraint } from '../metrics/constraints.js';
import type { Architecture } from '../arch/types.js';
import type { HardwarePlan, ServingMetricId } from '../metrics/serving.js';
import type { EngineName } from '../serving/constants.js';
import type { ArchField } from './schema.js';
import type { GridAxes } from '../grid/axes.js';
import type { Design, MetricId } from '../metrics/design.js';
import type { QualityMetricId, QualityPlan, Training } from '../metrics/quality.js';
import type { TrainingCostMetricId, TrainingCostPlan } from '../metrics/training.js';

/** Any metric a spec can bound or optimise. */
export type AnyMetricId = MetricId | QualityMetricId | ServingMetricId | TrainingCostMetricId;

export interface Objective {
  sense: 'min' | 'max';
  metric: AnyMetricId;
}

export interface NamedDesign extends Design {
  name: string;
  /** The preset id when the design came from `preset:`. */
  preset?: string;
  /** Its architecture, when known (presets): serving columns use its own attention and width. */
  architecture?: Architecture;
  /** 1-based line of the design in the spec, for CI annotations. */
  line: number;
}

export interface ComparePreset extends Design {
  id: string;
  name: string;
  architecture: Architecture;
}

/** Bytes per weight of the routed experts and of everything else, and how the spec wrote them. */
export interface WeightFormats {
  experts: number;
  rest: number;
  text: string;
}

/** The architecture designs start from, and the architecture fields the grid sweeps. */
export interface ArchitectureSpec {
  base: Architecture;
  /** "preset deepseek-v3" or the config.json path, with the fields the spec changed */
  source: string;
  axes?: { field: ArchField; values: number[]; text: string }[];
  /** `architecture:` as the spec wrote it ({from} or {config} and the fields it changed), for the report's "copy as YAML". */
  written?: Record<string, unknown>;
}

export interface ServingSpec {
  context: number;
  batch: number;
  kvDtype: string;
  kvBytesPerValue: number;
  /** prompt tokens of ttft_ms and prefill_tokens_per_s (default: the context) */
  input?: number;
  /** speculative decoding: draft tokens per step and each one's conditional acceptance */
  mtp?: { tokens: number; acceptance: number[] };
  engine?: EngineName;
  memoryFraction?: number;
}

/** A sweep spec after validation: every unit resolved, every range expanded, every preset looked up. */
export interface SweepSpec {
  file: string;
  name: string;
  description: string;
  sha256: string;
  /** The four abstract axes; absent when the grid sweeps architecture fields (architecture.axes). */
  grid?: GridAxes;
  /** 1-based line of `grid:` in the spec, for CI annotations. */
  gridLine?: number;
  /** How each axis was written, for the report ("8 → 256 ×2"). */
  gridText?: Record<keyof GridAxes, string>;
  /** How the spec wrote its weight format(s): "bf16", "experts mxfp4, rest bf16". */
  dtype: string;
  /** Bytes per weight when experts and the rest share one format (the abstract kernel's case). */
  bytesPerWeight: number;
  formats: WeightFormats;
  architecture?: ArchitectureSpec;
  serving?: ServingSpec;
  hardware?: HardwarePlan;
  /**
   * The vram constraint's overhead, 0 without one: vram_bytes = round((weight_bytes + kv_cache_bytes) × (1 +
   * overhead)).
   */
  overhead: number;
  constraints: Constraint[];
  objectives: Objective[];
  /** Training budget: with it every design gets predicted-quality columns. */
  training?: Training;
  /** With `training`: the budget and the joint law's constants, taken from the catalogue's scaling laws. */
  qualityPlan?: QualityPlan;
  /** With `training.hardware`: the training-cost columns' plan. */
  trainingCost?: TrainingCostPlan;
  designs: NamedDesign[];
  compare: ComparePreset[];
}
