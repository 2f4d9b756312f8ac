// Training-cost columns for sweeps whose `training:` names the training hardware: model FLOPs,
// GPU-hours, days, cost, and the memory of the fullest GPU under the chosen parallel layout. Written
// for the evaluation loop: plain numbers in (the plan, the point, its TrainingFacts), numbers out.
// The formulas are those of src/training/ (documented and tested there).
import { impliedMfu, gpuHours, trainingDays, trainingFlops } from '../training/flops.js';
import type { TrainingFacts } from '../training/facts.js';
import {
  LAYOUT_PROBLEMS,
  chooseLayout,
  type LayoutAnswer,
  type LayoutQuestion,
  type OpenLayout,
} from '../training/layout.js';
import { RECOMPUTE, type Precision, type TrainingShape } from '../training/memory.js';
import { SLOT, TRAINING_COST_METRICS, metricNeeds, type TrainingCostMetricId } from './registry.js';

export type { TrainingCostMetricId } from './registry.js';
export { TRAINING_COST_COLUMNS, TRAINING_COST_METRICS } from './registry.js';
export const TRAINING_COST_METRIC_IDS: readonly TrainingCostMetricId[] = TRAINING_COST_METRICS.map((m) => m.id);

export function isTrainingCostMetric(x: string): x is TrainingCostMetricId {
  return metricNeeds(x) === 'training.hardware';
}

// Module-level constants, which V8 folds into the code that reads them.
const ACTIVE = SLOT.active_params;
const FLOPS = SLOT.train_flops;
const MFU = SLOT.train_mfu;
const HOURS = SLOT.train_gpu_hours;
const DAYS = SLOT.train_days;
const COST = SLOT.train_cost;
const MEMORY = SLOT.train_memory_per_gpu;
const FITS = SLOT.train_fits;
const TP = SLOT.train_tp;
const PP = SLOT.train_pp;
const EP = SLOT.train_ep;
const ETP = SLOT.train_etp;
const CP = SLOT.train_cp;
const ZERO = SLOT.train_zero;
const RECOMPUTE_SLOT = SLOT.train_recompute;
const MICRO_BATCH = SLOT.train_micro_batch;
const PROBLEM = SLOT.train_layout_problem;

/** Everything the training-cost columns need besides the design, as plain numbers (it crosses to the workers). */
export interface TrainingCostPlan {
  /** training tokens, or 0 when `flops` gives the run's FLOPs instead */
  tokens: number;
  flops: number;
  seqLen: number;
  gpu: string;
  count: number;
  /** dense peak FLOP/s the MFU is of (FP8 with compute: fp8) */
  peakFlopsPerS: number;
  gpuMemory: number;
  /** the MFU, or 0 when gpu_hours is given and the MFU is implied */
  mfu: number;
  gpuHours: number;
  price: number;
  precision: Precision;
  capacityFactor: number;
  dropout: boolean;
  globalBatch: number;
  search: 'throughput' | 'memory';
  /** count the multi-token-prediction modules' FLOPs (off by default) */
  mtp: boolean;
  /** fixed layout fields; -1 where the search decides */
  layout: OpenLayout;
}

/** The point a training-cost evaluation reads: its design numbers and its architecture's facts. */
export interface TrainingPoint {
  experts: number;
  top_k: number;
  expert_params: number;
  shared_params: number;
  trainingFacts: TrainingFacts;
}

function emptyShape(): TrainingShape {
  return {
    layers: 1,
    moeLayers: 0,
    hidden: 1,
    vocab: 0,
    experts: 0,
    topK: 0,
    embedding: 0,
    head: 0,
    moeLayerShared: 0,
    denseLayerShared: 0,
    moeLayerReplicated: 0,
    denseLayerReplicated: 0,
    expertParamsPerLayer: 0,
    actAttention: 0,
    actScoreHeadsKeys: 0,
    actNorms: 0,
    actDenseMlp: 0,
    actMoeShared: 0,
    actExpertFixed: 0,
    actExpertWide: 0,
    actInput: 0,
  };
}

export class TrainingCostEvaluator {
  private readonly shape = emptyShape();
  private readonly question: LayoutQuestion;
  private readonly answer: LayoutAnswer;

  constructor(readonly plan: TrainingCostPlan) {
    this.question = {
      count: plan.count,
      seqLen: plan.seqLen,
      globalBatch: plan.globalBatch,
      capacityFactor: plan.capacityFactor,
      dropout: plan.dropout,
      precision: plan.precision,
      gpuMemory: plan.gpuMemory,
      search: plan.search,
      attentionShare: 0,
    };
    this.answer = { layout: { ...plan.layout } as LayoutAnswer['layout'], bytes: Infinity, fits: false, problem: 0 };
  }

  /** Writes the training-cost slots of a full metric vector; active_params must be in its slot already. */
  into(m: Float64Array, p: TrainingPoint): void {
    const plan = this.plan;
    const f = p.trainingFacts;
    const s = trainingShapeOf(f, p, this.shape);
    // MTP modules, when counted: their shared parameters, top_k experts per MoE layer, their attention
    const mtpActive = plan.mtp ? f.mtpShared + f.mtpMoeLayers * p.top_k * s.expertParamsPerLayer : 0;
    const attention = f.attentionFlopsPerToken + (plan.mtp ? f.mtpAttentionFlopsPerToken : 0);
    const n = m[ACTIVE]! - f.embedding + mtpActive;
    const perToken = 6 * n + attention;
    const flops = plan.tokens > 0 ? trainingFlops(plan.tokens, n, attention) : plan.flops;
    const mfu = plan.gpuHours > 0 ? impliedMfu(flops, plan.gpuHours, plan.peakFlopsPerS) : plan.mfu;
    const hours = plan.gpuHours > 0 ? plan.gpuHours : gpuHours(flops, plan.peakFlopsPerS, mfu);
    m[FLOPS] = flops;
    m[MFU] = mfu;
    m[HOURS] = hours;
    m[DAYS] = trainingDays(hours, plan.count);
    m[COST] = hours * plan.price;
    this.question.attentionShare = f.attentionFlopsPerToken / perToken;
    const a = chooseLayout(s, f, plan.layout, this.question, this.answer);
    m[MEMORY] = a.bytes;
    m[FITS] = a.fits ? 1 : 0;
    m[TP] = a.layout.tp;
    m[PP] = a.layout.pp;
    m[EP] = a.layout.ep;
    m[ETP] = a.layout.etp;
    m[CP] = a.layout.cp;
    m[ZERO] = a.layout.zero;
    m[RECOMPUTE_SLOT] = a.layout.recompute;
    m[MICRO_BATCH] = a.layout.microBatch;
    m[PROBLEM] = a.problem;
  }
}

/** The memory shape of a point: its architecture's facts with the point's experts, top-k and parameter counts. */
export function trainingShapeOf(
  f: TrainingFacts,
  p: Omit<TrainingPoint, 'trainingFacts'>,
  s: TrainingShape = emptyShape(),
): TrainingShape {
  s.layers = f.layers;
  s.moeLayers = f.moeLayers;
  s.hidden = f.hidden;
  s.vocab = f.vocab;
  s.experts = p.experts;
  s.topK = p.top_k;
  s.embedding = f.embedding;
  s.head = f.head;
  // an abstract design claims its own shared parameters: the layers share them as the base's do
  const scale = f.layerShared > 0 ? Math.max(0, p.shared_params - f.embedding - f.head) / f.layerShared : 0;
  s.moeLayerShared = f.moeLayerShared * scale;
  s.denseLayerShared = f.denseLayerShared * scale;
  s.moeLayerReplicated = Math.min(f.moeLayerReplicated, s.moeLayerShared);
  s.denseLayerReplicated = Math.min(f.denseLayerReplicated, s.denseLayerShared);
  s.expertParamsPerLayer = f.moeLayers > 0 ? p.expert_params / f.moeLayers : 0;
  s.actAttention = f.actAttention;
  s.actScoreHeadsKeys = f.actScoreHeadsKeys;
  s.actNorms = f.actNorms;
  s.actDenseMlp = f.actDenseMlp;
  s.actMoeShared = f.actMoeShared;
  s.actExpertFixed = f.actExpertFixed;
  s.actExpertWide = f.actExpertWide;
  s.actInput = f.actInput;
  return s;
}

/** The train_layout cell: "TP1 PP16 EP64 ETP1 CP1 ZeRO1 selective mb1", or "illegal: <reason>". */
export function trainLayoutText(m: Float64Array): string {
  const problem = m[PROBLEM]!;
  if (problem > 0) return `illegal: ${LAYOUT_PROBLEMS[problem]}`;
  return `TP${m[TP]} PP${m[PP]} EP${m[EP]} ETP${m[ETP]} CP${m[CP]} ZeRO${m[ZERO]} ${RECOMPUTE[m[RECOMPUTE_SLOT]!]} mb${m[MICRO_BATCH]}`;
}

/** The training-cost cells of a CSV row, in TRAINING_COST_COLUMNS order. */
export function trainingCostCells(m: Float64Array): string {
  const bytes = m[MEMORY]!;
  const cost = m[COST]!;
  return `,${m[FLOPS]},${m[MFU]},${m[HOURS]},${m[DAYS]},${Number.isNaN(cost) ? '' : cost},${trainLayoutText(m)},${Number.isFinite(bytes) ? bytes : ''},${m[FITS] === 1}`;
}

/** The training-cost values of a design, for summary.json, calc and the report. */
export type TrainingCostValues = Record<Exclude<TrainingCostMetricId, 'train_fits'>, number> & {
  train_fits: boolean;
  train_layout: string;
};

export function trainingCostValuesOf(m: Float64Array): TrainingCostValues {
  return {
    train_flops: m[FLOPS]!,
    train_mfu: m[MFU]!,
    train_gpu_hours: m[HOURS]!,
    train_days: m[DAYS]!,
    train_cost: m[COST]!,
    train_layout: trainLayoutText(m),
    train_memory_per_gpu: m[MEMORY]!,
    train_fits: m[FITS] === 1,
  };
}

/** What a spec's `training:` or calc's flags say of the training run, before checking. */
export interface TrainingCostInput {
  tokens?: number;
  flops?: number;
  seqLen?: number;
  count: number;
  compute?: 'bf16' | 'fp8';
  mfu?: number;
  gpuHours?: number;
  price?: number;
  parallel?: Partial<Record<'tp' | 'pp' | 'ep' | 'etp' | 'cp' | 'micro_batch' | 'global_batch', number>> & {
    zero?: number;
    recompute?: 'none' | 'selective' | 'full';
  };
  search?: 'throughput' | 'memory';
  capacityFactor?: number;
  optimizerStates?: 'fp32' | 'bf16';
  weights?: 'bf16' | 'fp8';
  mtp?: boolean;
}

/** The sequence length when none is given. */
export const DEFAULT_SEQ_LEN = 4096;

/**
 * The training-cost plan of a run on `gpu`. MFU: as given, implied by gpuHours, or the default
 * for the compute format.
 * @throws RangeError "field: expected …" naming the field at fault (spec path under training:)
 */
export function trainingCostPlan(
  input: TrainingCostInput,
  gpu: { id: string; memory_bytes: number; bf16_flops_per_s: number; fp8_flops_per_s: number | null },
  defaultMfu: { bf16: number; fp8: number },
): TrainingCostPlan {
  const fail = (field: string, what: string, v: unknown) =>
    new RangeError(`${field}: expected ${what}, got ${typeof v === 'string' ? `"${v}"` : String(v)}`);
  const whole = (field: string, v: number | undefined, min: number, max: number): number => {
    if (v === undefined) return -1;
    if (!Number.isSafeInteger(v) || v < min || v > max) throw fail(field, `a whole number from ${min} to ${max}`, v);
    return v;
  };
  if ((input.tokens === undefined) === (input.flops === undefined))
    throw new RangeError('tokens: expected exactly one of tokens (such as 15T) or flops (such as 3e24)');
  if (!Number.isSafeInteger(input.count) || input.count < 1 || input.count > 1_048_576)
    throw fail('hardware.count', 'a whole number of GPUs from 1 to 1,048,576', input.count);
  const seqLen = input.seqLen ?? DEFAULT_SEQ_LEN;
  if (!Number.isSafeInteger(seqLen) || seqLen < 1 || seqLen > 2 ** 24)
    throw fail('seq_len', 'a whole number of tokens from 1 to 16,777,216', seqLen);
  const compute = input.compute ?? 'bf16';
  const peak = compute === 'fp8' ? gpu.fp8_flops_per_s : gpu.bf16_flops_per_s;
  if (peak == null) throw new RangeError(`hardware.compute: expected bf16: ${gpu.id} has no FP8 tensor cores`);
  if (input.mfu !== undefined && input.gpuHours !== undefined)
    throw new RangeError('mfu: expected mfu or gpu_hours, not both (gpu_hours implies the MFU)');
  if (input.mfu !== undefined && !(input.mfu > 0 && input.mfu <= 1))
    throw fail('mfu', 'a fraction above 0 and at most 1, such as 0.4', input.mfu);
  if (input.gpuHours !== undefined && !(input.gpuHours > 0 && Number.isFinite(input.gpuHours)))
    throw fail('gpu_hours', 'a positive number of GPU-hours, such as 2.664M', input.gpuHours);
  if (input.price !== undefined && !(input.price >= 0 && Number.isFinite(input.price)))
    throw fail('price_per_gpu_hour', 'a price of 0 or more, such as 2.0', input.price);
  const cf = input.capacityFactor ?? 1;
  if (!(cf >= 1 && cf <= 64)) throw fail('capacity_factor', 'a factor from 1 to 64, such as 1.25', cf);
  const par = input.parallel ?? {};
  const zero = par.zero === undefined ? -1 : whole('parallel.zero', par.zero, 0, 3);
  return {
    tokens: input.tokens ?? 0,
    flops: input.flops ?? 0,
    seqLen,
    gpu: gpu.id,
    count: input.count,
    peakFlopsPerS: peak,
    gpuMemory: gpu.memory_bytes,
    mfu: input.gpuHours !== undefined ? 0 : (input.mfu ?? defaultMfu[compute]),
    gpuHours: input.gpuHours ?? 0,
    price: input.price ?? Number.NaN,
    precision: {
      weight: input.weights === 'fp8' ? 1 : 2,
      grad: 4,
      optimizer: input.optimizerStates === 'bf16' ? 8 : 12,
    },
    capacityFactor: cf,
    dropout: false,
    globalBatch: par.global_batch === undefined ? 0 : whole('parallel.global_batch', par.global_batch, 1, 2 ** 30),
    search: input.search ?? 'throughput',
    mtp: input.mtp ?? false,
    layout: {
      tp: whole('parallel.tp', par.tp, 1, 1024),
      pp: whole('parallel.pp', par.pp, 1, 1024),
      ep: whole('parallel.ep', par.ep, 1, 65536),
      etp: whole('parallel.etp', par.etp, 1, 1024),
      cp: par.cp === undefined ? 1 : whole('parallel.cp', par.cp, 1, 1024),
      zero,
      recompute: par.recompute === undefined ? -1 : RECOMPUTE.indexOf(par.recompute),
      microBatch: par.micro_batch === undefined ? 1 : whole('parallel.micro_batch', par.micro_batch, 1, 65536),
    },
  };
}
