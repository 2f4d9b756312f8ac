// summary.json: what a CI job or a script reads back. Infinite bounds are left out (JSON has no ∞).
import type { CsvMode } from '../csv/columns.js';
import { hasGrid } from '../sweep/plan.js';
import type { ServingValues, SweepResult } from '../sweep/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../catalog/version.js';
import { RECOMPUTE } from '../training/memory.js';
import type { TrainingCostPlan } from '../metrics/training.js';

/** The training run as the spec set it: open layout fields are null (searched). */
function trainingCostJson(t: TrainingCostPlan) {
  const open = (v: number) => (v < 0 ? null : v);
  return {
    gpu: t.gpu,
    count: t.count,
    seq_len: t.seqLen,
    peak_flops_per_s: t.peakFlopsPerS,
    mfu: t.gpuHours > 0 ? null : t.mfu,
    gpu_hours: t.gpuHours > 0 ? t.gpuHours : null,
    price_per_gpu_hour: Number.isNaN(t.price) ? null : t.price,
    layout_search: t.search,
    parallel: {
      tp: open(t.layout.tp),
      pp: open(t.layout.pp),
      ep: open(t.layout.ep),
      etp: open(t.layout.etp),
      cp: t.layout.cp,
      zero: open(t.layout.zero),
      recompute: t.layout.recompute < 0 ? null : RECOMPUTE[t.layout.recompute],
      micro_batch: t.layout.microBatch,
      global_batch: t.globalBatch > 0 ? t.globalBatch : null,
    },
  };
}

export interface SummaryExtras {
  csv: { file: string; mode: CsvMode; rows: number; note?: string };
  exit_code: number;
  timings: Record<string, number | boolean>;
}

/** The front in summary.json is capped so the file stays small; results.csv (--csv pareto) has all of it. */
export const SUMMARY_FRONT_LIMIT = 1000;

export function exitCodeOf(result: SweepResult): 0 | 1 {
  const designsPass = result.designs.every((d) => d.feasible);
  const gridOk = !hasGrid(result.spec) || result.counts.feasible > 0;
  return designsPass && gridOk ? 0 : 1;
}

export function buildSummary(result: SweepResult, extras: SummaryExtras) {
  const { spec } = result;
  const finite = (x: number) => (Number.isFinite(x) ? x : undefined);
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    spec: {
      file: spec.file,
      name: spec.name,
      description: spec.description,
      sha256: spec.sha256,
      dtype: spec.dtype,
      bytes_per_weight: spec.bytesPerWeight,
      overhead: spec.overhead,
      objectives: spec.objectives.map((o) => `${o.sense} ${o.metric}`),
      training: spec.training ?? null,
      grid: spec.grid
        ? Object.fromEntries(
            Object.entries(spec.grid).map(([k, v]) => [
              k,
              { values: v.length, min: Math.min(...v), max: Math.max(...v) },
            ]),
          )
        : spec.architecture?.axes
          ? Object.fromEntries(
              spec.architecture.axes.map((a) => [
                a.field,
                { values: a.values.length, min: Math.min(...a.values), max: Math.max(...a.values) },
              ]),
            )
          : null,
      architecture: spec.architecture?.source ?? null,
      serving: spec.serving
        ? { context: spec.serving.context, batch: spec.serving.batch, kv_dtype: spec.serving.kvDtype }
        : null,
      hardware: spec.hardware ? { gpu: spec.hardware.gpu, count: spec.hardware.count, tp: spec.hardware.tp } : null,
      ...(spec.trainingCost ? { training_cost: trainingCostJson(spec.trainingCost) } : {}),
    },
    constraints: spec.constraints.map((c) => ({
      name: c.name,
      min: finite(c.min),
      max: finite(c.max),
      violated_by: result.violationCounts[c.name] ?? 0,
    })),
    counts: result.counts,
    verdict: extras.exit_code === 0 ? 'pass' : 'fail',
    exit_code: extras.exit_code,
    designs: result.designs.map((d) => ({
      name: d.name,
      preset: d.preset ?? null,
      line: d.line,
      experts: d.experts,
      top_k: d.top_k,
      expert_params: d.expert_params,
      shared_params: d.shared_params,
      ...d.metrics,
      ...d.quality,
      ...servingJson(d.serving),
      ...d.training,
      feasible: d.feasible,
      pareto: d.pareto,
      violations: d.violations,
    })),
    compare: result.compare.map((p) => ({
      id: p.id,
      name: p.name,
      experts: p.experts,
      top_k: p.top_k,
      expert_params: p.expert_params,
      shared_params: p.shared_params,
      ...p.metrics,
      ...p.quality,
      ...servingJson(p.serving),
      ...p.training,
      feasible: p.feasible,
      violations: p.violations,
    })),
    front_total: result.front.length,
    front: result.front.slice(0, SUMMARY_FRONT_LIMIT).map((f) => ({
      design: f.design,
      experts: f.experts,
      top_k: f.top_k,
      expert_params: f.expert_params,
      shared_params: f.shared_params,
      ...f.fields,
      ...f.metrics,
      ...f.quality,
      ...servingJson(f.serving),
      ...f.training,
    })),
    csv: extras.csv,
    workers: result.workers,
    timings: extras.timings,
  };
}

export type Summary = ReturnType<typeof buildSummary>;

/** Serving values for JSON: gpus_needed is null when no deployment up to the search limit fits. */
export function servingJson(s: ServingValues | undefined) {
  if (!s) return {};
  return {
    ...s,
    ...(s.gpus_needed !== undefined ? { gpus_needed: Number.isFinite(s.gpus_needed) ? s.gpus_needed : null } : {}),
    ...(s.max_batch !== undefined ? { max_batch: Number.isFinite(s.max_batch) ? s.max_batch : null } : {}),
    ...(s.max_context !== undefined ? { max_context: Number.isFinite(s.max_context) ? s.max_context : null } : {}),
  };
}
