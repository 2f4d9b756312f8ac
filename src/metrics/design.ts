// The metrics of one design. One function computes them for the grid's hot loop, for named designs
// and for `calc`, so the CSV, the report and the calculator can never disagree.

export interface Design {
  experts: number;
  top_k: number;
  expert_params: number;
  shared_params: number;
}

export type MetricKind = 'count' | 'ratio' | 'flops' | 'bytes';

export interface MetricInfo {
  id: MetricId;
  kind: MetricKind;
  formula: string;
  meaning: string;
}

export const METRICS = [
  {
    id: 'total_params',
    kind: 'count',
    formula: 'shared_params + experts × expert_params',
    meaning: 'every weight that must be resident: sets memory, disk and download',
  },
  {
    id: 'active_params',
    kind: 'count',
    formula: 'shared_params + top_k × expert_params',
    meaning: 'the weights each token uses: sets compute and per-token bandwidth',
  },
  {
    id: 'active_ratio',
    kind: 'ratio',
    formula: 'active_params / total_params',
    meaning: 'the share of the model a token touches',
  },
  {
    id: 'expert_sparsity',
    kind: 'ratio',
    formula: '1 − top_k / experts',
    meaning: 'the share of routed experts a token skips',
  },
  {
    id: 'compute_saving',
    kind: 'ratio',
    formula: '1 − active_params / total_params',
    meaning: 'FLOPs per token saved against a dense model of the same total size',
  },
  {
    id: 'flops_per_token',
    kind: 'flops',
    formula: '2 × active_params',
    meaning: 'forward-pass FLOPs per token (one multiply and one add per active weight)',
  },
  {
    id: 'weight_bytes',
    kind: 'bytes',
    formula: 'total_params × bytes per weight of dtype (routed experts and the rest apart when dtype splits them)',
    meaning: 'the weights alone, in bytes',
  },
  {
    id: 'vram_bytes',
    kind: 'bytes',
    formula: 'round((weight_bytes + kv_cache_bytes) × (1 + overhead)); no KV cache without serving:',
    meaning:
      'weights (and the KV cache) plus the overhead allowance of the vram constraint (0 without one), whole bytes',
  },
] as const satisfies readonly { id: string; kind: MetricKind; formula: string; meaning: string }[];

export type MetricId = (typeof METRICS)[number]['id'];
export const METRIC_IDS: readonly MetricId[] = METRICS.map((m) => m.id);
export const METRIC_COUNT = METRICS.length;

/** Positions in a metric vector; the order of METRICS and of the CSV columns. */
export const M = {
  total_params: 0,
  active_params: 1,
  active_ratio: 2,
  expert_sparsity: 3,
  compute_saving: 4,
  flops_per_token: 5,
  weight_bytes: 6,
  vram_bytes: 7,
} as const satisfies Record<MetricId, number>;

export function isMetricId(x: string): x is MetricId {
  return Object.hasOwn(M, x);
}

/**
 * Writes the metric vector of one design into `out` at `offset`. Kept free of allocation so the grid
 * loop can call it hundreds of millions of times.
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
  const v = new Float64Array(METRIC_COUNT);
  metricsInto(v, 0, d.experts, d.top_k, d.expert_params, d.shared_params, bytesPerWeight, overhead);
  return metricsFromVector(v);
}

export function metricsFromVector(v: Float64Array, offset = 0): Metrics {
  const out = {} as Metrics;
  for (const id of METRIC_IDS) out[id] = v[offset + M[id]]!;
  return out;
}
