// Everything the report shows that is not already in the sweep's result, computed before any
// rendering: the serving curves (batch and top-k, by evaluateDesign), the predicted-quality rows
// with their intervals (by the scaling laws) and the presets the page's calculator offers. The
// views in this folder lay this data out and compute nothing of their own.
import type { Catalog } from '../../catalog/index.js';
import { evaluateCalibrationRow } from './calibration.js';
import type { Architecture } from '../../arch/types.js';
import type { Design } from '../../metrics/design.js';
import { epochLoss, hoffmannLoss, jointLoss, lossInterval } from '../../quality/index.js';
import type { JointLaw } from '../../quality/laws.js';
import { evaluateDesign } from '../../sweep/design.js';
import type { SweepResult } from '../../sweep/types.js';
import { formatCount } from '../../formats/units.js';
import { qualityStatus, type QualityRow } from './quality.js';
import { type ParallelData, parallelData } from './parallel.js';
import { trainingRows, type TrainingRow } from './training.js';
import { BATCHES, type ServedBar, type ServingViews, type ThroughputPoint, type TopKPoint } from './serving.js';

/** A preset as the page's calculator takes it. */
export interface CalculatorPreset {
  id: string;
  name: string;
  experts: number;
  top_k: number;
  expert_params: number;
  shared_params: number;
}

export interface ReportData {
  presets: CalculatorPreset[];
  /** Empty without `training:`. */
  quality: QualityRow[];
  /** The joint law's citation and loss units, for the quality section's notes. */
  qualityLaw: Pick<JointLaw, 'arxiv' | 'loss'>;
  /** Absent without `serving:`. */
  serving?: ServingViews;
  /** The parallel-coordinates lines: the front and a sample of the feasible designs. */
  parallel?: ParallelData;
  /** Absent without training cost (`training.hardware`). */
  training?: TrainingRow[];
}

/** Intervals cost a Monte Carlo each (a few ms): the front's first rows, named designs and presets. */
const INTERVAL_ROWS = 200;
/** Rows of the memory chart: the first front designs, then every compared preset. */
const FRONT_BARS = 8;
const GB = 1e9;

export function reportData(result: SweepResult, catalog: Catalog): ReportData {
  const { arxiv, loss } = catalog.laws.joint_moe;
  return {
    presets: catalog.presets.map((p) => ({
      id: p.id,
      name: p.name,
      experts: p.experts,
      top_k: p.top_k,
      expert_params: p.expert_params,
      shared_params: p.shared_params,
    })),
    quality: qualityRows(result, catalog.laws),
    qualityLaw: { arxiv, loss },
    ...(result.spec.serving ? { serving: servingViews(result, catalog) } : {}),
    parallel: parallelData(result),
    ...(result.spec.trainingCost ? { training: trainingRows(result, catalog.laws) } : {}),
  };
}

export function qualityRows(result: SweepResult, laws: Catalog['laws']): QualityRow[] {
  const training = result.spec.training;
  if (!training) return [];
  const rows: QualityRow[] = [];
  const add = (
    label: string,
    kind: QualityRow['kind'],
    d: {
      experts: number;
      top_k: number;
      metrics: { active_params: number; total_params: number };
      quality?: SweepResult['front'][number]['quality'];
    },
  ) => {
    const q = d.quality!;
    const active = d.metrics.active_params;
    const tokens = training.tokens ?? training.flops! / (6 * active);
    const experts = d.experts / d.top_k;
    const loss = jointLoss(active, tokens, experts, laws);
    const i = lossInterval(loss, active, tokens, laws, { seed: 1 });
    rows.push({
      label,
      kind,
      active,
      total: d.metrics.total_params,
      delta: q.loss_delta_vs_dense,
      loss,
      lo: i.lo,
      hi: i.hi,
      dense: q.dense_equivalent_params,
      epoch: epochLoss(active, tokens, laws),
      hoffmann: hoffmannLoss(active, tokens, laws),
      domain: q.quality_domain,
      status: qualityStatus(q),
    });
  };
  result.front.slice(0, INTERVAL_ROWS).forEach((f, n) => add(f.design || `front #${n + 1}`, 'front', f));
  for (const d of result.designs) if (!d.pareto) add(d.name, 'named design', d);
  for (const p of result.compare) add(p.name, 'preset', p);
  return rows;
}

interface Served extends ServedBar {
  architecture?: Architecture;
}

/** The front designs and compared presets with the architecture each is served with. */
function served(result: SweepResult): { front: Served[]; presets: Served[] } {
  const base = result.spec.architecture?.base;
  const front = result.front.slice(0, FRONT_BARS).map((f, i) => ({
    label: f.design || `front #${i + 1}: ${f.experts}×${f.top_k}, ${formatCount(f.metrics.active_params)} active`,
    experts: f.experts,
    top_k: f.top_k,
    expert_params: f.expert_params,
    shared_params: f.shared_params,
    weight_bytes: f.metrics.weight_bytes,
    kv_cache_bytes: f.serving!.kv_cache_bytes!,
    ...(base
      ? { architecture: { ...base, num_experts: f.experts, num_experts_per_tok: f.top_k, ...f.fields } as Architecture }
      : {}),
  }));
  const presets = result.compare.map((p) => ({
    label: p.name,
    experts: p.experts,
    top_k: p.top_k,
    expert_params: p.expert_params,
    shared_params: p.shared_params,
    architecture: p.architecture,
    weight_bytes: p.metrics.weight_bytes,
    kv_cache_bytes: p.serving!.kv_cache_bytes!,
  }));
  return { front, presets };
}

function withBatch(result: SweepResult, batch: number) {
  const spec = result.spec;
  return { ...spec, serving: { ...spec.serving!, batch } };
}

function servingViews(result: SweepResult, catalog: Catalog): ServingViews {
  const { front, presets } = served(result);
  return {
    // how far to trust the estimate: the published measurements it is checked against
    ...(result.spec.hardware
      ? { calibration: catalog.servingCalibration.map((r) => evaluateCalibrationRow(r, catalog)) }
      : {}),
    bars: [...front, ...presets].map(barOf),
    throughput: throughputPoints(result, [...presets, ...front.slice(0, 1)]),
    topK: topKPoints(result, front[0] ?? presets[0]),
  };
}

function barOf(d: Served): ServedBar {
  return {
    label: d.label,
    experts: d.experts,
    top_k: d.top_k,
    expert_params: d.expert_params,
    shared_params: d.shared_params,
    weight_bytes: d.weight_bytes,
    kv_cache_bytes: d.kv_cache_bytes,
  };
}

/** Decode tokens/s (estimate and bound) and TPOT at batch 1 … 2048 for the compared presets and the first front design. */
function throughputPoints(result: SweepResult, lines: Served[]): ThroughputPoint[] {
  const hardware = result.spec.hardware;
  if (!hardware) return [];
  // A batch whose KV cache no longer fits the GPUs is not a serving point: the lines stop there.
  const memory = hardware.memory_bytes;
  return lines.flatMap((d) =>
    BATCHES.flatMap((batch) => {
      const s = evaluateDesign(withBatch(result, batch), d).serving!;
      return s.per_gpu_bytes! > memory
        ? []
        : [
            {
              design: d.label,
              batch,
              tokens: s.decode_tokens_per_s!,
              bound: s.decode_bound!,
              bound_tokens: s.decode_bound_tokens_per_s!,
              tpot_ms: s.tpot_ms!,
              ttft_ms: s.ttft_ms!,
              saturated: batch >= s.saturation_batch!,
            },
          ];
    }),
  );
}

/** Active parameters and the decode estimate against top-k, everything else of one design fixed. */
function topKPoints(result: SweepResult, d: (Served & Design) | undefined): ServingViews['topK'] {
  if (!d) return undefined;
  const ks = Array.from({ length: Math.min(d.experts, Math.max(16, 2 * d.top_k)) }, (_, i) => i + 1);
  const values: TopKPoint[] = ks.map((k) => {
    // top-k changes no parameter count and nothing the architecture tells the serving columns
    const e = evaluateDesign(result.spec, { ...d, top_k: k });
    return {
      top_k: k,
      active: e.metrics.active_params / GB,
      tokens: e.serving?.decode_tokens_per_s,
      chosen: k === d.top_k,
    };
  });
  return { label: d.label, experts: d.experts, top_k: d.top_k, values };
}
