// One design evaluated under a spec (named designs, compared presets, any grid point by index),
// by the same metric functions the kernels use.
import type { QualityValues, ServingValues, Evaluated, PresetResult } from './types.js';
import type { TrainingCostValues } from '../metrics/training.js';
import { violationMask, violationNames } from '../metrics/constraints.js';
import type { EvalPlan, GeneralPlan } from '../evaluate/plan.js';
import { designAt } from '../grid/axes.js';
import { countParameters } from '../arch/count.js';
import type { Architecture } from '../arch/types.js';
import { NO_FACTS, PointDecoder, factsOf, pointMetricsInto } from '../evaluate/general.js';
import { ServingEvaluator, isServingMetric, type ServingPlan } from '../metrics/serving.js';
import { metricsFromVector, metricsInto, type Design, type Metrics } from '../metrics/design.js';
import { domainLabel, isQualityMetric, qualityInto, type QualityPlan } from '../metrics/quality.js';
import { SLOT, SLOT_COUNT } from '../metrics/registry.js';
import { TrainingCostEvaluator, isTrainingCostMetric, trainingCostValuesOf } from '../metrics/training.js';
import { NO_TRAINING_FACTS, trainingFactsOf } from '../training/facts.js';
import { BINDINGS, tokensPerStep } from '../serving/step.js';
import { weightBlock } from '../serving/layout.js';
import type { AnyMetricId, NamedDesign, SweepSpec } from '../spec/types.js';

/** Whether the spec needs the general evaluation path (architecture axes, serving columns, split formats). */
export function isGeneral(spec: Pick<SweepSpec, 'architecture' | 'serving' | 'formats' | 'trainingCost'>): boolean {
  return (
    spec.architecture !== undefined ||
    spec.serving !== undefined ||
    spec.trainingCost !== undefined ||
    spec.formats.experts !== spec.formats.rest
  );
}

type EvalSpec = Pick<
  SweepSpec,
  | 'bytesPerWeight'
  | 'overhead'
  | 'constraints'
  | 'qualityPlan'
  | 'formats'
  | 'serving'
  | 'hardware'
  | 'architecture'
  | 'trainingCost'
>;

/** The general-path settings of a spec, without the grid dimensions. */
export function generalSettings(spec: EvalSpec): Omit<GeneralPlan, 'dims' | 'mode' | 'cellDims' | 'csvDims'> {
  return {
    ...(spec.architecture ? { base: spec.architecture.base } : {}),
    expertBytesPerWeight: spec.formats.experts,
    restBytesPerWeight: spec.formats.rest,
    ...(spec.serving
      ? {
          serving: {
            context: spec.serving.context,
            batch: spec.serving.batch,
            overhead: spec.overhead,
            expertBytesPerWeight: spec.formats.experts,
            restBytesPerWeight: spec.formats.rest,
            kvBytesPerValue: spec.serving.kvBytesPerValue,
            input: spec.serving.input ?? spec.serving.context,
            draftTokens: spec.serving.mtp?.tokens ?? 0,
            tokensPerStep: spec.serving.mtp ? tokensPerStep(spec.serving.mtp.acceptance) : 1,
            expertBlock: weightBlock(spec.formats.experts),
            restBlock: weightBlock(spec.formats.rest),
            ...(spec.hardware ? { hardware: spec.hardware } : {}),
          },
        }
      : {}),
    ...(spec.trainingCost ? { training: spec.trainingCost } : {}),
  };
}

/**
 * Evaluates one design. A design with an architecture of its own (a preset) is served with its
 * own attention and width; others with the spec's base architecture.
 */
export function evaluateDesign(
  spec: EvalSpec,
  d: Design & { architecture?: Architecture },
  quality?: QualityPlan,
): Evaluated {
  const v = new Float64Array(SLOT_COUNT);
  const q = quality ?? spec.qualityPlan;
  let servingPlan: ServingPlan | undefined;
  let trainingCost = false;
  if (isGeneral(spec)) {
    const settings = generalSettings(spec);
    const arch = d.architecture ?? spec.architecture?.base;
    const counted = arch ? countParameters(arch) : undefined;
    const facts = arch ? factsOf(arch, counted!.modules.embedding, settings.serving, counted!.modules) : NO_FACTS;
    const trainingFacts =
      arch && settings.training ? trainingFactsOf(arch, counted!, settings.training.seqLen) : NO_TRAINING_FACTS;
    const gp = { ...settings, dims: [], mode: 'abstract', cellDims: [-1, -1], csvDims: [] } satisfies GeneralPlan;
    const serving = gp.serving ? new ServingEvaluator(gp.serving) : undefined;
    const training = gp.training ? new TrainingCostEvaluator(gp.training) : undefined;
    pointMetricsInto(
      v,
      { bytesPerWeight: spec.bytesPerWeight, overhead: spec.overhead, quality: q },
      gp,
      serving,
      { ...d, facts, trainingFacts },
      training,
    );
    servingPlan = gp.serving;
    trainingCost = gp.training !== undefined;
  } else {
    metricsInto(v, 0, d.experts, d.top_k, d.expert_params, d.shared_params, spec.bytesPerWeight, spec.overhead);
    if (q) qualityInto(v, d.experts, d.top_k, v[SLOT.total_params]!, v[SLOT.active_params]!, q);
  }
  return evaluatedFrom(v, d, spec.constraints, q !== undefined, servingPlan, undefined, trainingCost);
}

/** A design's evaluation from its full metric vector: the metrics, the columns the spec asks for, the verdict. */
function evaluatedFrom(
  v: Float64Array,
  d: Design,
  constraints: SweepSpec['constraints'],
  quality: boolean,
  serving: ServingPlan | undefined,
  fields?: Record<string, number>,
  trainingCost = false,
): Evaluated {
  const mask = violationMask(constraints, v, 0);
  return {
    experts: d.experts,
    top_k: d.top_k,
    expert_params: d.expert_params,
    shared_params: d.shared_params,
    metrics: metricsFromVector(v),
    ...(quality ? { quality: qualityValuesOf(v) } : {}),
    ...(serving ? { serving: servingValuesOf(v, serving.hardware !== undefined) } : {}),
    ...(trainingCost ? { training: trainingCostValuesOf(v) } : {}),
    ...(fields ? { fields } : {}),
    feasible: mask === 0,
    violations: violationNames(constraints, mask),
  };
}

function qualityValuesOf(v: Float64Array): QualityValues {
  return {
    loss_delta_vs_dense: v[SLOT.loss_delta_vs_dense]!,
    dense_equivalent_params: Number.isFinite(v[SLOT.dense_equivalent_params]) ? v[SLOT.dense_equivalent_params]! : null,
    quality_domain: domainLabel(v[SLOT.quality_domain_factor]!),
    quality_domain_factor: v[SLOT.quality_domain_factor]!,
  };
}

function servingValuesOf(v: Float64Array, hardware: boolean): ServingValues {
  const out: ServingValues = {
    kv_cache_bytes: v[SLOT.kv_cache_bytes]!,
    saturation_batch: v[SLOT.saturation_batch]!,
    load_imbalance: v[SLOT.load_imbalance]!,
    capacity_factor: v[SLOT.capacity_factor]!,
  };
  if (hardware) {
    out.gpu_layout = v[SLOT.layout_ep] === 0 ? 'none' : `EP${v[SLOT.layout_ep]}xTP${v[SLOT.layout_tp]}`;
    if (v[SLOT.layout_ep] === 0) out.layout_problems = v[SLOT.layout_tp]!;
    out.per_gpu_bytes = v[SLOT.per_gpu_bytes]!;
    out.gpus_needed = v[SLOT.gpus_needed]!;
    out.decode_bound_tokens_per_s = v[SLOT.decode_bound_tokens_per_s]!;
    out.all_to_all_bytes_per_token_layer = v[SLOT.all_to_all_bytes_per_token_layer]!;
    out.decode_tokens_per_s = v[SLOT.decode_tokens_per_s]!;
    out.decode_bound = BINDINGS[v[SLOT.decode_binding]!]!;
    out.tpot_ms = v[SLOT.tpot_ms]!;
    out.ttft_ms = v[SLOT.ttft_ms]!;
    out.prefill_tokens_per_s = v[SLOT.prefill_tokens_per_s]!;
    out.max_batch = v[SLOT.max_batch]!;
    out.max_context = v[SLOT.max_context]!;
  }
  return out;
}

/**
 * Evaluates grid points of a plan by index (null when top_k exceeds experts). The decoder and its
 * count cache are built once and serve every point asked for.
 */
export function pointEvaluator(spec: SweepSpec, plan: EvalPlan): (index: number) => Evaluated | null {
  const gp = plan.general;
  if (!gp) {
    return (index) => {
      const d = designAt(plan.axes, index);
      return d.top_k > d.experts ? null : evaluateDesign(spec, d, plan.quality);
    };
  }
  const decoder = new PointDecoder(gp);
  const serving = gp.serving ? new ServingEvaluator(gp.serving) : undefined;
  const training = gp.training ? new TrainingCostEvaluator(gp.training) : undefined;
  return (index) => {
    decoder.decode(index);
    const p = decoder.model();
    if (!p) return null;
    const v = new Float64Array(SLOT_COUNT);
    pointMetricsInto(v, plan, gp, serving, p, training);
    const fields =
      gp.mode === 'architecture' ? Object.fromEntries(gp.dims.map((d, i) => [d.key, decoder.value(i)])) : undefined;
    return evaluatedFrom(
      v,
      p,
      spec.constraints,
      plan.quality !== undefined,
      gp.serving,
      fields,
      training !== undefined,
    );
  };
}

/** A metric of an evaluated design by id; quality metrics need `training:` (NaN without a value). */
export function metricValue(
  e: { metrics: Metrics; quality?: QualityValues; serving?: ServingValues; training?: TrainingCostValues },
  id: AnyMetricId,
): number {
  if (isServingMetric(id)) return e.serving?.[id] ?? Number.NaN;
  if (isTrainingCostMetric(id)) return e.training ? Number(e.training[id]) : Number.NaN;
  // A design no dense model matches has an unbounded dense equivalent (null in the outputs).
  if (id === 'dense_equivalent_params') return e.quality ? (e.quality.dense_equivalent_params ?? Infinity) : Number.NaN;
  if (isQualityMetric(id)) return e.quality?.[id] ?? Number.NaN;
  return e.metrics[id];
}

/** Position of a metric in the metric vector. */
export function metricIndex(id: AnyMetricId): number {
  return SLOT[id];
}

/** The named designs and the compared presets, evaluated under the spec. */
export function evaluateNamed(spec: SweepSpec): { designs: (NamedDesign & Evaluated)[]; compare: PresetResult[] } {
  return {
    designs: spec.designs.map((d) => ({ ...d, ...evaluateDesign(spec, d) })),
    compare: spec.compare.map((p) => ({ ...p, ...evaluateDesign(spec, p) })),
  };
}
