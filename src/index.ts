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
export { runSweep, runSweepSync } from './sweep/run.js';
export { evaluateDesign } from './sweep/design.js';
export type { SweepResult, SweepOptions, DesignResult } from './sweep/types.js';
export { writeOutputs, type WriteOptions, type WrittenOutputs } from './output/outputs.js';
export { buildSummary, exitCodeOf } from './output/summary.js';
export { renderReport, type ReportInput } from './output/report/html.js';
export { reportData, type ReportData } from './output/report/data.js';
export { loadCatalog, type Catalog } from './catalog/index.js';
export type { Preset } from './catalog/presets.js';
export { loadPresets, getPreset } from './catalog/preset-files.js';
export { CSV_COLUMNS, CSV_HEADER } from './csv/columns.js';
