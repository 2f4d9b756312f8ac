// Serving columns for sweeps with `serving:` (context, batch, KV dtype) and `hardware:` (GPU, count):
// KV cache, per-GPU memory under expert parallelism, GPUs needed, the decode throughput bound,
// routing costs. Written for the evaluation loop like quality.ts: plain numbers in, numbers
// out. The formulas are those of src/serving/ (each documented and tested there); tests check every
// value here against those reference functions.
import { loadImbalanceLowerBound, binomialPmf } from '../serving/routing.js';
import { saturationBatch, touchedFraction } from '../serving/throughput.js';
import {
  BINDINGS,
  decodeEstimate,
  decodeTime,
  prefillEstimate,
  prefillTime,
  stepDesign,
  type StepConstants,
  type StepDesign,
  type StepHardware,
} from '../serving/step.js';
import { layoutProblem, packProblems, type LayoutFacts } from '../serving/layout.js';
import {
  checkEstimateOptions,
  engineMemory,
  stepConstants,
  type EngineMemory,
  type EngineName,
  type EstimateOptions,
  type ServingModelConstants,
} from '../serving/constants.js';
import { SERVING_METRICS, SLOT, metricNeeds, type ServingMetricId } from './registry.js';

export type { ServingMetricId } from './registry.js';
export { SERVING_METRICS, SERVING_COLUMNS, HARDWARE_COLUMNS } from './registry.js';
export const SERVING_METRIC_IDS: readonly ServingMetricId[] = SERVING_METRICS.map((m) => m.id);

export function isServingMetric(x: string): x is ServingMetricId {
  const needs = metricNeeds(x);
  return needs === 'serving' || needs === 'hardware';
}

// Module-level constants, which V8 folds into the code that reads them.
const ACTIVE = SLOT.active_params;
const KV_CACHE = SLOT.kv_cache_bytes;
const SATURATION_BATCH = SLOT.saturation_batch;
const LOAD_IMBALANCE = SLOT.load_imbalance;
const CAPACITY_FACTOR = SLOT.capacity_factor;
const PER_GPU = SLOT.per_gpu_bytes;
const GPUS_NEEDED = SLOT.gpus_needed;
const DECODE_BOUND = SLOT.decode_bound_tokens_per_s;
const DECODE = SLOT.decode_tokens_per_s;
const TPOT = SLOT.tpot_ms;
const TTFT = SLOT.ttft_ms;
const PREFILL = SLOT.prefill_tokens_per_s;
const MAX_BATCH = SLOT.max_batch;
const MAX_CONTEXT = SLOT.max_context;
const ALL_TO_ALL = SLOT.all_to_all_bytes_per_token_layer;
const LAYOUT_EP = SLOT.layout_ep;
const LAYOUT_TP = SLOT.layout_tp;
const DECODE_BINDING = SLOT.decode_binding;

/** TP degrees a layout may use: one NVLink / Infinity Fabric domain. */
export const TP_OPTIONS = [1, 2, 4, 8] as const;
/** gpus_needed gives up (Infinity) past this many GPUs. */
export const MAX_GPUS = 4096;
/** The drop rate the capacity factor keeps under. */
export const DROP_RATE = 0.01;
/** The share of experts a batch must touch for decode to count as reading them all. */
export const SATURATION = 0.99;

/** What the serving columns read of a GPU (the catalogue's entries have these fields). */
export interface GpuSpec {
  id: string;
  memory_bytes: number;
  bandwidth_bytes_per_s: number;
  bf16_flops_per_s: number;
  /** null when the GPU has no FP8 tensor cores */
  fp8_flops_per_s: number | null;
  /** one direction of the scale-up link and one collective's latency (gpuLink in src/serving/constants.ts) */
  link_bytes_per_s?: number;
  link_latency_s?: number;
}

/** What the estimate needs beyond the bound: engine, layout style, CPU memory, calibrated constants. */
export interface EstimatePlan {
  engine: EngineName;
  /** need = weights × weight_factor + kv × kv_factor + fixed_bytes (engineMemory) */
  memory: EngineMemory;
  step: StepConstants;
  dp_attention: boolean;
  /** host memory bandwidth and capacity when experts sit in CPU memory (0: no CPU) */
  cpu_bandwidth_bytes_per_s: number;
  cpu_memory_bytes: number;
  /** MoE layers whose experts sit in CPU memory (Infinity: all) */
  experts_on_cpu: number;
}

/**
 * The estimate's plan from what a spec or `calc` says (engine, its memory setting, attention
 * data-parallelism, CPU memory) and the package's constants.
 * @throws RangeError starting with the field at fault
 */
export function estimatePlan(m: ServingModelConstants, o: EstimateOptions): EstimatePlan {
  checkEstimateOptions(o);
  const engine = o.engine ?? 'none';
  return {
    engine,
    memory: engineMemory(m, engine, {
      overhead: o.overhead,
      ...(o.memory_fraction !== undefined ? { memory_fraction: o.memory_fraction } : {}),
      tp: o.gpus,
      dp_attention: o.dp_attention ?? false,
      speculative: o.speculative,
    }),
    step: stepConstants(m, engine),
    dp_attention: o.dp_attention ?? false,
    cpu_bandwidth_bytes_per_s: o.cpu_bandwidth_bytes_per_s ?? 0,
    cpu_memory_bytes: o.cpu_memory_bytes ?? 0,
    experts_on_cpu: o.experts_on_cpu ?? 0,
  };
}

export interface HardwarePlan {
  gpu: string;
  count: number;
  /** a fixed TP degree, or null to pick the layout whose fullest GPU needs least */
  tp: number | null;
  memory_bytes: number;
  bandwidth_bytes_per_s: number;
  flops_per_s: number;
  /** bytes per activation value sent in the all-to-all (2 for bf16) */
  activation_bytes: number;
  link_bytes_per_s: number;
  link_latency_s: number;
  estimate: EstimatePlan;
}

/**
 * The hardware plan of `count` GPUs. Decode is bounded by the FP8 tensor FLOP/s when every weight
 * is 8 bits or fewer and the GPU has FP8, by BF16 otherwise, unless `compute` says which.
 * @throws RangeError naming the field at fault (the caller adds where it came from)
 */
export function hardwarePlan(
  gpu: GpuSpec,
  count: number,
  options: {
    tp?: number;
    compute?: 'bf16' | 'fp8';
    activation_bytes?: number;
    maxBytesPerWeight: number;
    link: { link_bytes_per_s: number; link_latency_s: number };
    estimate: EstimatePlan;
  },
): HardwarePlan {
  if (!Number.isSafeInteger(count) || count < 1 || count > 65536)
    throw new RangeError(`count: expected a whole number of GPUs from 1 to 65,536, got ${count}`);
  const tp = options.tp;
  if (tp !== undefined && (!Number.isSafeInteger(tp) || tp < 1 || count % tp !== 0))
    throw new RangeError(`tp: expected a whole number that divides count (${count}), got ${tp}`);
  const compute = options.compute ?? (options.maxBytesPerWeight <= 1 && gpu.fp8_flops_per_s != null ? 'fp8' : 'bf16');
  const flops = compute === 'fp8' ? gpu.fp8_flops_per_s : gpu.bf16_flops_per_s;
  if (flops == null) throw new RangeError(`compute: expected bf16: ${gpu.id} has no FP8 tensor cores`);
  const activation = options.activation_bytes ?? 2;
  if (!(activation > 0 && activation <= 8))
    throw new RangeError(`activation_bytes: expected bytes per value from above 0 to 8, got ${activation}`);
  return {
    gpu: gpu.id,
    count,
    tp: tp ?? null,
    memory_bytes: gpu.memory_bytes,
    bandwidth_bytes_per_s: gpu.bandwidth_bytes_per_s,
    flops_per_s: flops,
    activation_bytes: activation,
    link_bytes_per_s: options.link.link_bytes_per_s,
    link_latency_s: options.link.link_latency_s,
    estimate: options.estimate,
  };
}

/** Everything the serving columns need besides the design, as plain numbers (it crosses to the workers). */
export interface ServingPlan {
  context: number;
  batch: number;
  /** the overhead of the vram constraint: need = (weights + KV) × (1 + overhead) */
  overhead: number;
  /** bytes per weight of the routed experts and of everything else */
  expertBytesPerWeight: number;
  restBytesPerWeight: number;
  /** bytes per cached KV value */
  kvBytesPerValue: number;
  /** prompt tokens for ttft_ms and prefill_tokens_per_s (default: the context) */
  input: number;
  /** draft tokens per step (MTP, speculative decoding); 0 without */
  draftTokens: number;
  /** tokens a step emits per sequence: 1 + expected accepted drafts (tokensPerStep in src/serving/step.ts) */
  tokensPerStep: number;
  /** the weight block a TP split must respect, of the experts and of the rest (weightBlock in src/serving/layout.ts) */
  expertBlock: number;
  restBlock: number;
  hardware?: HardwarePlan;
}

/** What a design stores and moves, beyond its four abstract numbers. */
export interface ServingFacts {
  /** KV cache bytes of one sequence at the plan's context */
  kvBytesPerSequence: number;
  /** heads the KV cache splits over under TP (1 for MLA) */
  kvHeads: number;
  hiddenSize: number;
  /** parameters of the input embedding: a gather of B rows per step, not read whole */
  inputEmbedding: number;
  /** decoder layers, and how many of them are MoE layers */
  layers: number;
  moeLayers: number;
  /** parameters of the token mixers (attention, linear attention, indexers, compressors), all layers */
  attentionParams: number;
  /** attention-core FLOPs per token: full × context + windowed × min(context, window) + fixed (attentionCost) */
  attnFlopsFull: number;
  attnFlopsWindowed: number;
  attnWindow: number;
  attnFlopsFixed: number;
  /** KV bytes of one sequence past every window: kvFixedBytes + context × kvLongBytesPerToken */
  kvLongBytesPerToken: number;
  kvFixedBytes: number;
  /** what the layout checks read (src/serving/layout.ts): heads, GQA KV heads (0 for MLA), FFN widths (0: none) */
  attentionHeads: number;
  gqaKvHeads: number;
  expertWidth: number;
  denseWidth: number;
  sharedWidth: number;
}

/** Memory of the fullest GPU of an EP × TP layout, as perGpuMemory (src/serving/parallel.ts) counts it. */
export function fullestGpuBytes(
  experts: number,
  expertBytes: number,
  restBytes: number,
  batch: number,
  kvPerSequence: number,
  kvHeads: number,
  ep: number,
  tp: number,
  overhead: number,
): number {
  // EP group 0 holds ⌈E/EP⌉ experts and ⌈B/EP⌉ sequences, and its GPUs ⌈H/TP⌉ of the H KV heads
  const total =
    (Math.ceil(experts / ep) * expertBytes) / tp +
    restBytes / tp +
    Math.ceil(batch / ep) * kvPerSequence * (Math.ceil(kvHeads / tp) / kvHeads);
  // whole bytes, as vram_bytes: (1 + overhead) is rarely exact in binary (1.1 is not), and the
  // product of a byte count with it has a float tail (104781020256.00002)
  return Math.round(total * (1 + overhead));
}

/** ⌊x⌋, guarded against a quotient that lands a rounding error below a whole number (room ÷ 0.9 × 0.9). */
function floorGuarded(x: number): number {
  return Math.floor(x * (1 + 1e-12));
}

/** Routing figures that depend on (experts, top_k) only at the plan's batch: computed once per pair. */
interface PairFigures {
  /** share of the experts a decode step at the batch touches, in expectation */
  touched: number;
  saturation: number;
  imbalance: number;
  capacityFactor: number;
}

/**
 * The smallest capacity (whole slots per expert) whose expected share of dropped assignments is at
 * most DROP_RATE, as a factor of the mean load B·k/E. Exact under uniform routing: by linearity the
 * expected drops are E × E[max(0, L − C)] with L ~ Binomial(B, k/E) (expectedDropShare in routing.ts).
 */
export function capacityFactor(E: number, k: number, B: number): number {
  const pmf = binomialPmf(B, k / E);
  const mean = (B * k) / E;
  // over(C) = E[max(0, L − C)] = E[L] − C + Σ_{l ≤ C} (C − l)·p_l, built up as C grows
  let below = 0; // Σ_{l ≤ C} p_l
  let belowL = 0; // Σ_{l ≤ C} l·p_l
  for (let C = 0; C <= B; C++) {
    below += pmf[C]!;
    belowL += C * pmf[C]!;
    const over = Math.max(0, mean - C + C * below - belowL);
    if ((E * over) / (B * k) <= DROP_RATE) return (C * E) / (B * k);
  }
  return E / k; // capacity B: nothing is ever dropped
}

/**
 * Routing figures by (batch, experts, top_k), kept for the life of the thread: each costs O(batch)
 * and a sweep meets the same pairs in every slice and again in the CSV pass.
 */
const PAIR_CACHE_LIMIT = 1 << 16;

/**
 * Weights and KV cache of the fullest GPU of an EP × TP layout, apart, for the engines' memory
 * rules. Without attention data-parallelism this is fullestGpuBytes before its overhead; with it
 * every GPU holds the whole attention and the KV cache of ⌈B/GPUs⌉ sequences.
 */
export function fullestGpuParts(
  experts: number,
  expertBytes: number,
  restBytes: number,
  attentionBytes: number,
  batch: number,
  kvPerSequence: number,
  kvHeads: number,
  ep: number,
  tp: number,
  dpAttention: boolean,
): { weights: number; kv: number; kvPerSequenceShare: number; replicas: number } {
  const experts_ = (Math.ceil(experts / ep) * expertBytes) / tp;
  if (dpAttention) {
    const attn = Math.min(attentionBytes, restBytes);
    const replicas = ep * tp;
    return {
      weights: experts_ + attn + (restBytes - attn) / tp,
      kv: Math.ceil(batch / replicas) * kvPerSequence,
      kvPerSequenceShare: 1,
      replicas,
    };
  }
  const share = Math.ceil(kvHeads / tp) / kvHeads;
  return {
    weights: experts_ + restBytes / tp,
    kv: Math.ceil(batch / ep) * kvPerSequence * share,
    kvPerSequenceShare: share,
    replicas: ep,
  };
}

/** Top_k-free serving figures kept per evaluator; past this many the memo starts over. */
const LAYOUT_MEMO_LIMIT = 1 << 16;
/** Inputs of the top_k-free serving figures: E, expert and shared parameters, and 11 serving facts. */
const KEY_LENGTH = 14;
/** How many top_k-free figures layoutOf gives. */
export const LAYOUT_FIGURES = 6;
const NO_LAYOUT = new Float64Array(LAYOUT_FIGURES);

export class ServingEvaluator {
  constructor(readonly plan: ServingPlan) {}

  /** Figures of (experts, top_k) at this plan's batch, kept per evaluator under E·2^16 + k. */
  private readonly pairs = new Map<number, PairFigures>();

  private pair(E: number, k: number): PairFigures {
    const B = this.plan.batch;
    const key = E * 65536 + k;
    let p = this.pairs.get(key);
    if (!p) {
      p = {
        touched: touchedFraction(E, k, B),
        saturation: saturationBatch(E, k, SATURATION),
        imbalance: loadImbalanceLowerBound(E, k, B),
        capacityFactor: capacityFactor(E, k, B),
      };
      if (this.pairs.size >= PAIR_CACHE_LIMIT) this.pairs.clear();
      this.pairs.set(key, p);
    }
    return p;
  }

  /**
   * Fewest GPUs (EP × TP) whose fullest GPU fits; Infinity when none up to MAX_GPUS does. Same answer as gpusNeeded in
   * src/serving/parallel.ts.
   */
  gpusNeeded(E: number, expertBytes: number, restBytes: number, kvPerSequence: number, kvHeads: number): number {
    return this.gpusNeededBy((ep, tp) =>
      fullestGpuBytes(E, expertBytes, restBytes, this.plan.batch, kvPerSequence, kvHeads, ep, tp, this.plan.overhead),
    );
  }

  /** The fullest GPU's need under the plan's engine (fullestGpuBytes exactly when there is none). */
  need(
    E: number,
    expertBytes: number,
    restBytes: number,
    attentionBytes: number,
    batch: number,
    kvPerSequence: number,
    kvHeads: number,
    ep: number,
    tp: number,
  ): number {
    const est = this.plan.hardware!.estimate;
    if (est.engine === 'none' && !est.dp_attention)
      return fullestGpuBytes(E, expertBytes, restBytes, batch, kvPerSequence, kvHeads, ep, tp, this.plan.overhead);
    const p = fullestGpuParts(
      E,
      expertBytes,
      restBytes,
      attentionBytes,
      batch,
      kvPerSequence,
      kvHeads,
      ep,
      tp,
      est.dp_attention,
    );
    const mem = this.memory();
    return p.weights * mem.weight_factor + p.kv * mem.kv_factor + mem.fixed_bytes;
  }

  /** The engine's memory rule; engine none's is the vram constraint's overhead on weights and KV. */
  private memory(): EngineMemory {
    const est = this.plan.hardware!.estimate;
    if (est.engine !== 'none') return est.memory;
    const f = 1 + this.plan.overhead;
    return { weight_factor: f, kv_factor: f, fixed_bytes: 0 };
  }

  /** Writes the serving slots of a full metric vector; active_params must be in its slot already. */
  into(m: Float64Array, E: number, k: number, expertParams: number, sharedParams: number, f: ServingFacts): void {
    if (!this.plan.hardware) {
      this.intoAt(m, E, k, expertParams, sharedParams, f, NO_LAYOUT, 0);
      return;
    }
    // The layout, the GPUs needed and the inverse solves do not depend on top_k: computed once per
    // top_k-free design (keyed by every input they read) and reused for each top_k of it.
    this.intoAt(m, E, k, expertParams, sharedParams, f, this.layoutMemo(E, expertParams, sharedParams, f), KEY_LENGTH);
  }

  /**
   * into() with the design's top_k-free figures given: layoutOf's, from `layout[at]` on. `prefill`
   * false leaves the ttft_ms and prefill_tokens_per_s slots as they were, for a caller that reads
   * neither (the prefill estimate costs more than the rest of the serving slots together).
   */
  intoAt(
    m: Float64Array,
    E: number,
    k: number,
    expertParams: number,
    sharedParams: number,
    f: ServingFacts,
    layout: Float64Array,
    at: number,
    prefill = true,
  ): void {
    const B = this.plan.batch;
    const pair = this.pair(E, k);
    const kv = B * f.kvBytesPerSequence;
    m[KV_CACHE] = kv;
    m[SATURATION_BATCH] = pair.saturation;
    m[LOAD_IMBALANCE] = pair.imbalance;
    m[CAPACITY_FACTOR] = pair.capacityFactor;
    const hw = this.plan.hardware;
    if (!hw) return;
    const est = hw.estimate;
    // experts of the MoE layers in CPU memory leave the GPUs
    const cpuLayers = Math.min(est.experts_on_cpu, f.moeLayers);
    const expertBytes = expertParams * this.plan.expertBytesPerWeight;
    const bestNeed = layout[at]!;
    const bestTp = layout[at + 1]!;
    const packedProblems = layout[at + 2]!;
    const gpusNeeded = layout[at + 3]!;
    const maxBatch = layout[at + 4]!;
    const maxContext = layout[at + 5]!;
    m[GPUS_NEEDED] = gpusNeeded;
    if (bestTp === 0) {
      // no layout an engine can run: the design cannot be served on this deployment
      this.noLayout(m, packedProblems);
      return;
    }
    const ep = hw.count / bestTp;
    m[PER_GPU] = bestNeed;
    m[LAYOUT_EP] = ep;
    m[LAYOUT_TP] = bestTp;
    // decode step: every weight that is not a routed expert (but the embedding, a gather of B rows),
    // the experts the batch touches, E(1 − (1 − k/E)^B) per layer in expectation, and the KV cache
    // (an abstract design can claim fewer shared parameters than the base architecture's embedding)
    const stepBytes =
      Math.max(0, sharedParams - f.inputEmbedding) * this.plan.restBytesPerWeight + pair.touched * E * expertBytes + kv;
    const bandwidthBound = (hw.count * hw.bandwidth_bytes_per_s * B) / stepBytes;
    const computeBound = (hw.count * hw.flops_per_s) / (2 * m[ACTIVE]!);
    m[DECODE_BOUND] = Math.min(bandwidthBound, computeBound);
    m[ALL_TO_ALL] = 2 * k * f.hiddenSize * hw.activation_bytes * ((ep - 1) / ep);

    // the estimate: the step model of src/serving/step.ts on this layout
    const d = this.design;
    const moeLayers = Math.max(1, f.moeLayers);
    d.layers = Math.max(1, f.layers);
    d.moe_layers = f.moeLayers;
    d.experts = E;
    d.top_k = k;
    d.hidden = f.hiddenSize;
    d.expert_layer_params = expertParams / moeLayers;
    d.expert_layer_bytes = expertBytes / moeLayers;
    const attentionParams = Math.min(f.attentionParams, sharedParams);
    const otherParams = Math.max(0, sharedParams - f.inputEmbedding - attentionParams);
    d.attention_params = attentionParams;
    d.attention_bytes = attentionParams * this.plan.restBytesPerWeight;
    d.other_params = otherParams;
    d.other_bytes = otherParams * this.plan.restBytesPerWeight;
    d.kv_bytes_per_sequence = f.kvBytesPerSequence;
    d.kv_heads = f.kvHeads;
    d.attn_flops_full = f.attnFlopsFull;
    d.attn_flops_windowed = f.attnFlopsWindowed;
    d.attn_window = f.attnWindow;
    d.attn_flops_fixed = f.attnFlopsFixed;
    d.cpu_moe_layers = cpuLayers;
    const h = this.hardware;
    h.gpus = hw.count;
    h.tp = bestTp;
    h.ep = ep;
    h.dp_attention = est.dp_attention;
    h.bandwidth_bytes_per_s = hw.bandwidth_bytes_per_s;
    h.flops_per_s = hw.flops_per_s;
    h.link_bytes_per_s = hw.link_bytes_per_s;
    h.link_latency_s = hw.link_latency_s;
    h.activation_bytes = hw.activation_bytes;
    h.cpu_bandwidth_bytes_per_s = est.cpu_bandwidth_bytes_per_s;
    const dec = decodeEstimate(
      d,
      h,
      est.step,
      B,
      this.plan.context,
      this.plan.draftTokens,
      this.plan.tokensPerStep,
      this.decoded,
    );
    m[DECODE] = dec.tokens_per_s;
    m[DECODE_BINDING] = BINDINGS.indexOf(dec.binding);
    m[TPOT] = dec.tpot_s * 1000;
    if (prefill) {
      const pre = prefillEstimate(d, h, est.step, this.plan.input, this.prefilled);
      m[TTFT] = pre.ttft_s * 1000;
      m[PREFILL] = pre.tokens_per_s;
    }

    m[MAX_BATCH] = maxBatch;
    m[MAX_CONTEXT] = maxContext;
  }

  private readonly decoded = decodeTime();
  private readonly prefilled = prefillTime();

  private readonly memo = new Map<number, Float64Array>();
  private readonly key = new Float64Array(KEY_LENGTH);
  private readonly keyWords = new Int32Array(this.key.buffer);

  /**
   * The top_k-free figures of a design (layoutOf), remembered under a hash of every input they
   * read and checked against those inputs on a hit: [the inputs..., the figures...].
   */
  private layoutMemo(E: number, expertParams: number, sharedParams: number, f: ServingFacts): Float64Array {
    const key = this.key;
    key[0] = E;
    key[1] = expertParams;
    key[2] = sharedParams;
    key[3] = f.kvBytesPerSequence;
    key[4] = f.kvHeads;
    key[5] = f.moeLayers;
    key[6] = f.attentionParams;
    key[7] = f.attentionHeads;
    key[8] = f.gqaKvHeads;
    key[9] = f.expertWidth;
    key[10] = f.denseWidth;
    key[11] = f.sharedWidth;
    key[12] = f.kvFixedBytes;
    key[13] = f.kvLongBytesPerToken;
    let h = 0x811c9dc5;
    for (let i = 0; i < this.keyWords.length; i++) h = Math.imul(h ^ this.keyWords[i]!, 0x01000193);
    const hit = this.memo.get(h);
    if (hit !== undefined) {
      let same = true;
      for (let i = 0; i < KEY_LENGTH && same; i++) same = Object.is(hit[i], key[i]);
      if (same) return hit;
    }
    const entry = new Float64Array(KEY_LENGTH + LAYOUT_FIGURES);
    entry.set(key);
    entry.set(this.layoutOf(E, expertParams, sharedParams, f), KEY_LENGTH);
    if (this.memo.size >= LAYOUT_MEMO_LIMIT) this.memo.clear();
    this.memo.set(h, entry);
    return entry;
  }

  /**
   * What serving figures do not depend on top_k, LAYOUT_FIGURES numbers: the fullest GPU's need at
   * the best valid layout, its TP (0: no valid layout, with the packed problems of each TP option),
   * the GPUs needed, and the inverse solves (max_batch, max_context) at that layout. With no memo:
   * into() keeps them per design itself, and the compiled kernel in its table.
   */
  layoutOf(E: number, expertParams: number, sharedParams: number, f: ServingFacts): Float64Array {
    const B = this.plan.batch;
    const hw = this.plan.hardware!;
    const est = hw.estimate;
    const cpuLayers = Math.min(est.experts_on_cpu, f.moeLayers);
    const gpuExpertShare = f.moeLayers > 0 ? 1 - cpuLayers / f.moeLayers : 1;
    const expertBytes = expertParams * this.plan.expertBytesPerWeight;
    const gpuExpertBytes = expertBytes * gpuExpertShare;
    const restBytes = sharedParams * this.plan.restBytesPerWeight;
    const attentionBytes = Math.min(f.attentionParams, sharedParams) * this.plan.restBytesPerWeight;
    // experts in CPU memory must fit the host's memory, whatever the GPUs' layout
    const cpuOver = cpuLayers > 0 && (expertBytes - gpuExpertBytes) * E > est.cpu_memory_bytes;
    let bestNeed = Infinity;
    let bestTp = 0;
    const problems: number[] = [];
    for (const tp of hw.tp === null ? TP_OPTIONS : [hw.tp]) {
      if (hw.count % tp !== 0) continue;
      const problem = layoutProblem(
        this.layoutFacts(E, f),
        hw.count / tp,
        tp,
        est.dp_attention,
        this.plan.expertBlock,
        this.plan.restBlock,
      );
      problems.push(cpuOver ? 5 : problem);
      if (problem !== 0 || cpuOver) continue;
      // with every expert on the GPUs and no engine, need() is fullestGpuBytes itself
      const need = this.need(
        E,
        gpuExpertBytes,
        restBytes,
        attentionBytes,
        B,
        f.kvBytesPerSequence,
        f.kvHeads,
        hw.count / tp,
        tp,
      );
      if (need < bestNeed) {
        bestNeed = need;
        bestTp = tp;
      }
    }
    // memory only: any layout of any size (the layout checks apply to the deployment of `count`)
    const gpusNeeded = this.gpusNeededBy((e, t) =>
      this.need(E, gpuExpertBytes, restBytes, attentionBytes, B, f.kvBytesPerSequence, f.kvHeads, e, t),
    );
    if (bestTp === 0) return Float64Array.of(Infinity, 0, packProblems(problems), gpusNeeded, 0, 0);
    const ep = hw.count / bestTp;
    // inverse solves at the chosen layout: the fullest GPU's need is a·W + b·KV + c (engineMemory),
    // KV = ⌈B/replicas⌉ × KV per sequence × its share on the GPU
    const parts = fullestGpuParts(
      E,
      gpuExpertBytes,
      restBytes,
      attentionBytes,
      B,
      f.kvBytesPerSequence,
      f.kvHeads,
      ep,
      bestTp,
      est.dp_attention,
    );
    const mem = this.memory();
    const room = (hw.memory_bytes - mem.fixed_bytes - parts.weights * mem.weight_factor) / mem.kv_factor; // KV bytes that fit
    const perSeq = f.kvBytesPerSequence * parts.kvPerSequenceShare;
    const maxBatch = room < 0 ? 0 : perSeq > 0 ? parts.replicas * floorGuarded(room / perSeq) : Infinity;
    const seqs = Math.ceil(B / parts.replicas);
    const perSeqRoom = room / (seqs * parts.kvPerSequenceShare);
    const fixed = f.kvFixedBytes;
    const maxContext =
      room < 0 || perSeqRoom < fixed
        ? 0
        : f.kvLongBytesPerToken > 0
          ? floorGuarded((perSeqRoom - fixed) / f.kvLongBytesPerToken)
          : Infinity;
    return Float64Array.of(bestNeed, bestTp, 0, gpusNeeded, maxBatch, maxContext);
  }

  private layoutFacts(E: number, f: ServingFacts): LayoutFacts {
    const l = this.layout;
    l.experts = E;
    l.attentionHeads = f.attentionHeads;
    l.gqaKvHeads = f.gqaKvHeads;
    l.expertWidth = f.expertWidth;
    l.denseWidth = f.denseWidth;
    l.sharedWidth = f.sharedWidth;
    return l;
  }

  private readonly layout: LayoutFacts = {
    experts: 1,
    attentionHeads: 0,
    gqaKvHeads: 0,
    expertWidth: 0,
    denseWidth: 0,
    sharedWidth: 0,
  };

  /**
   * The slots of a design no layout of `count` GPUs can run: layout EP 0 with the packed problems
   * of each TP option in the TP slot (explainLayouts), memory Infinity (so gpu_memory fails it),
   * no throughput.
   */
  private noLayout(m: Float64Array, problems: number): void {
    m[PER_GPU] = Infinity;
    m[LAYOUT_EP] = 0;
    m[LAYOUT_TP] = problems;
    m[DECODE_BOUND] = 0;
    m[ALL_TO_ALL] = 0;
    m[DECODE] = 0;
    m[DECODE_BINDING] = BINDINGS.indexOf('layout');
    m[TPOT] = Infinity;
    m[TTFT] = Infinity;
    m[PREFILL] = 0;
    m[MAX_BATCH] = 0;
    m[MAX_CONTEXT] = 0;
  }

  /**
   * Fewest GPUs (EP × TP, TP in TP_OPTIONS) whose fullest GPU's need fits: per TP the least EP that
   * fits, found by galloping up from 1 and then bisecting, since the fullest GPU only shrinks as EP
   * grows (⌈E/EP⌉ and ⌈B/EP⌉ never grow) and most designs fit on a few GPUs. A TP is searched only
   * below the GPUs the best so far needs, so ties keep the smaller TP, tried first.
   */
  private gpusNeededBy(need: (ep: number, tp: number) => number): number {
    const memory = this.plan.hardware!.memory_bytes;
    let best = Infinity;
    for (const tp of TP_OPTIONS) {
      const hi = Math.min(Math.floor(MAX_GPUS / tp), Math.ceil(best / tp) - 1);
      if (hi < 1 || need(hi, tp) > memory) continue;
      // every EP below lo fails; up fits (up = hi was checked above)
      let lo = 1;
      let up = 1;
      while (up < hi && need(up, tp) > memory) {
        lo = up + 1;
        up = Math.min(hi, up * 2);
      }
      while (lo < up) {
        const mid = (lo + up) >> 1;
        if (need(mid, tp) <= memory) up = mid;
        else lo = mid + 1;
      }
      best = lo * tp;
    }
    return best;
  }

  private readonly design: StepDesign = stepDesign();

  private readonly hardware: StepHardware = {
    gpus: 1,
    tp: 1,
    ep: 1,
    dp_attention: false,
    bandwidth_bytes_per_s: 1,
    flops_per_s: 1,
    link_bytes_per_s: 1,
    link_latency_s: 0,
    activation_bytes: 2,
    cpu_bandwidth_bytes_per_s: 0,
  };
}
