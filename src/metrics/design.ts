// The metrics of one design. One function computes them for the grid's hot loop, for named designs
// and for `calc`, so the CSV, the report and the calculator can never disagree.
import { DESIGN_METRICS, DESIGN_SLOT_COUNT, SLOT, metricNeeds, type MetricId, type MetricKind } from './registry.js';

export interface Design {
  experts: number;
  top_k: number;
  expert_params: number;
  shared_params: number;
}

export type { MetricId, MetricKind } from './registry.js';

export interface MetricInfo {
  id: MetricId;
  kind: MetricKind;
  formula: string;
  meaning: string;
}

/** The design metrics: the first slots of every metric vector, and the metric columns of every CSV row. */
export const METRICS = DESIGN_METRICS;
export const METRIC_IDS: readonly MetricId[] = METRICS.map((m) => m.id);

export function isMetricId(x: string): x is MetricId {
  return metricNeeds(x) === 'design';
}

/**
 * Writes the metric vector of one design into `out` at `offset`. Kept free of allocation so the grid
 * loop can call it hundreds of millions of times.
 *
 * The one place slots are written as numbers: the report runs this function's source text in the
 * browser (its calculator), so the body may name nothing from outside it. The positions are the
 * design metrics' SLOT numbers, in registry order; a test holds them to the registry.
 */
export function metricsInto(
  out: Float64Array,
  offset: number,
  experts: number,
  topK: number,
  expertParams: number,
  sharedParams: number,
  bytesPerWeight: number,
  overhead: number,
): void {
  const total = sharedParams + experts * expertParams;
  const active = sharedParams + topK * expertParams;
  const ratio = active / total;
  const weightBytes = total * bytesPerWeight;
  out[offset] = total;
  out[offset + 1] = active;
  out[offset + 2] = ratio;
  out[offset + 3] = 1 - topK / experts;
  out[offset + 4] = 1 - ratio;
  out[offset + 5] = 2 * active;
  out[offset + 6] = weightBytes;
  out[offset + 7] = Math.round(weightBytes * (1 + overhead));
}

export type Metrics = Record<MetricId, number>;

export function computeMetrics(d: Design, bytesPerWeight: number, overhead = 0): Metrics {
  const v = new Float64Array(DESIGN_SLOT_COUNT);
  metricsInto(v, 0, d.experts, d.top_k, d.expert_params, d.shared_params, bytesPerWeight, overhead);
  return metricsFromVector(v);
}

export function metricsFromVector(v: Float64Array, offset = 0): Metrics {
  const out = {} as Metrics;
  for (const id of METRIC_IDS) out[id] = v[offset + SLOT[id]]!;
  return out;
}
