import type { Constraint } from '../constraints.js';
import type { Dtype } from '../dtypes.js';
import type { GridAxes } from '../grid.js';
import type { Design, MetricId } from '../metrics.js';
import type { QualityMetricId, Training } from '../quality-metrics.js';

export interface Objective {
  sense: 'min' | 'max';
  metric: MetricId | QualityMetricId;
}

export interface NamedDesign extends Design {
  name: string;
  /** The preset id when the design came from `preset:`. */
  preset?: string;
  /** 1-based line of the design in the spec, for CI annotations. */
  line: number;
}

export interface ComparePreset extends Design {
  id: string;
  name: string;
}

/** A sweep spec after validation: every unit resolved, every range expanded, every preset looked up. */
export interface SweepSpec {
  file: string;
  name: string;
  description: string;
  sha256: string;
  grid?: GridAxes;
  /** 1-based line of `grid:` in the spec, for CI annotations. */
  gridLine?: number;
  /** How each axis was written, for the report ("8 → 256 ×2"). */
  gridText?: Record<keyof GridAxes, string>;
  dtype: Dtype;
  bytesPerWeight: number;
  /** The vram constraint's overhead, 0 without one: vram_bytes = round(weight_bytes × (1 + overhead)). */
  overhead: number;
  constraints: Constraint[];
  objectives: Objective[];
  /** Training budget: with it every design gets predicted-quality columns. */
  training?: Training;
  designs: NamedDesign[];
  compare: ComparePreset[];
}
