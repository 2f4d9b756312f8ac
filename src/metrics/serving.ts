// Serving columns for sweeps with `serving:` (context, batch, KV dtype) and `hardware:` (GPU, count):
// KV cache, per-GPU memory under expert parallelism, GPUs needed, the decode throughput bound,
// routing costs. Written for the evaluation loop like quality.ts: plain numbers in, numbers
// out. The formulas are those of src/serving/ (each documented and tested there); tests check every
// value here against those reference functions.
import { loadImbalanceLowerBound, binomialPmf } from '../serving/routing.js';
import { saturationBatch, touchedFraction } from '../serving/throughput.js';
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
const DECODE = SLOT.decode_tokens_per_s;
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
}

/**
 * The hardware plan of `count` GPUs. Decode is bounded by the FP8 tensor FLOP/s when every weight
 * is 8 bits or fewer and the GPU has FP8, by BF16 otherwise, unless `compute` says which.
 * @throws RangeError naming the field at fault (the caller adds where it came from)
 */
export function hardwarePlan(
  gpu: GpuSpec,
  count: number,
  options: { tp?: number; compute?: 'bf16' | 'fp8'; activation_bytes?: number; maxBytesPerWeight: number },
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
const pairFigures = new Map<string, PairFigures>();
const PAIR_CACHE_LIMIT = 1 << 16;

export class ServingEvaluator {
  constructor(readonly plan: ServingPlan) {}

  private pair(E: number, k: number): PairFigures {
    const B = this.plan.batch;
    const key = `${B}:${E}:${k}`;
    let p = pairFigures.get(key);
    if (!p) {
      p = {
        touched: touchedFraction(E, k, B),
        saturation: saturationBatch(E, k, SATURATION),
        imbalance: loadImbalanceLowerBound(E, k, B),
        capacityFactor: capacityFactor(E, k, B),
      };
      if (pairFigures.size >= PAIR_CACHE_LIMIT) pairFigures.clear();
      pairFigures.set(key, p);
    }
    return p;
  }

  /**
   * Fewest GPUs (EP × TP) whose fullest GPU fits; Infinity when none up to MAX_GPUS does. Same answer as gpusNeeded in
   * src/serving/parallel.ts.
   */
  gpusNeeded(E: number, expertBytes: number, restBytes: number, kvPerSequence: number, kvHeads: number): number {
    const hw = this.plan.hardware!;
    const fits = (ep: number, tp: number) =>
      fullestGpuBytes(E, expertBytes, restBytes, this.plan.batch, kvPerSequence, kvHeads, ep, tp, this.plan.overhead) <=
      hw.memory_bytes;
    let best = Infinity;
    for (const tp of TP_OPTIONS) {
      let hi = Math.floor(MAX_GPUS / tp);
      if (!fits(hi, tp)) continue;
      // the fullest GPU only shrinks as EP grows (⌈E/EP⌉ and ⌈B/EP⌉ never grow), so bisect
      let lo = 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (fits(mid, tp)) hi = mid;
        else lo = mid + 1;
      }
      if (lo * tp < best) best = lo * tp; // ties keep the smaller TP, tried first
    }
    return best;
  }

  /** Writes the serving slots of a full metric vector; active_params must be in its slot already. */
  into(m: Float64Array, E: number, k: number, expertParams: number, sharedParams: number, f: ServingFacts): void {
    const { batch: B, overhead } = this.plan;
    const pair = this.pair(E, k);
    const kv = B * f.kvBytesPerSequence;
    m[KV_CACHE] = kv;
    m[SATURATION_BATCH] = pair.saturation;
    m[LOAD_IMBALANCE] = pair.imbalance;
    m[CAPACITY_FACTOR] = pair.capacityFactor;
    const hw = this.plan.hardware;
    if (!hw) return;
    const expertBytes = expertParams * this.plan.expertBytesPerWeight;
    const restBytes = sharedParams * this.plan.restBytesPerWeight;
    let bestNeed = Infinity;
    let bestTp = 1;
    for (const tp of hw.tp === null ? TP_OPTIONS : [hw.tp]) {
      if (hw.count % tp !== 0) continue;
      const need = fullestGpuBytes(
        E,
        expertBytes,
        restBytes,
        B,
        f.kvBytesPerSequence,
        f.kvHeads,
        hw.count / tp,
        tp,
        overhead,
      );
      if (need < bestNeed) {
        bestNeed = need;
        bestTp = tp;
      }
    }
    const ep = hw.count / bestTp;
    m[PER_GPU] = bestNeed;
    m[LAYOUT_EP] = ep;
    m[LAYOUT_TP] = bestTp;
    m[GPUS_NEEDED] = this.gpusNeeded(E, expertBytes, restBytes, f.kvBytesPerSequence, f.kvHeads);
    // decode step: every weight that is not a routed expert (but the embedding, a gather of B rows),
    // the experts the batch touches, E(1 − (1 − k/E)^B) per layer in expectation, and the KV cache
    // (an abstract design can claim fewer shared parameters than the base architecture's embedding)
    const stepBytes =
      Math.max(0, sharedParams - f.inputEmbedding) * this.plan.restBytesPerWeight + pair.touched * E * expertBytes + kv;
    const bandwidthBound = (hw.count * hw.bandwidth_bytes_per_s * B) / stepBytes;
    const computeBound = (hw.count * hw.flops_per_s) / (2 * m[ACTIVE]!);
    m[DECODE] = Math.min(bandwidthBound, computeBound);
    m[DECODE_BINDING] = bandwidthBound <= computeBound ? 0 : 1;
    m[ALL_TO_ALL] = 2 * k * f.hiddenSize * hw.activation_bytes * ((ep - 1) / ep);
  }
}
