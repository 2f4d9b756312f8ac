// The library API: spec → grid → metrics → constraints → Pareto → outputs, without the CLI.
export { parseSpec, loadSpec, type LoadOptions } from './spec/load.js';
export type { SweepSpec, NamedDesign, Objective, ComparePreset } from './spec/types.js';
export { InputError, SpecError } from './findings/errors.js';
export { jsonSchema } from './spec/schema.js';
export { parseCount, parseBytes, formatCount, formatBytes } from './formats/units.js';
export { DTYPE_BYTES, DTYPES, type Dtype } from './formats/dtypes.js';
export {
  METRICS,
  METRIC_IDS,
  computeMetrics,
  metricsInto,
  type Design,
  type Metrics,
  type MetricId,
} from './metrics/design.js';
export { expandRange, gridSize, skippedCount, designAt, AXES, type GridAxes } from './grid/axes.js';
export { paretoFront } from './evaluate/pareto.js';
export {
  runSweep,
  runSweepSync,
  evaluateDesign,
  type SweepResult,
  type SweepOptions,
  type DesignResult,
} from './sweep/run.js';
export { writeOutputs, type WriteOptions, type WrittenOutputs } from './output/outputs.js';
export { buildSummary, exitCodeOf } from './output/summary.js';
export { renderReport } from './output/report/html.js';
export { loadPresets, getPreset, type Preset } from './catalog/presets.js';
export { CSV_COLUMNS, CSV_HEADER } from './output/csv/columns.js';
