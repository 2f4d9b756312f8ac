/**
 * Decode-step bounds of an MoE model: bytes read per step and the bandwidth and compute ceilings
 * on tokens/s.
 *
 * Expected distinct experts touched by a batch (uniform routing). Each token picks k distinct
 * experts of E uniformly, so a given expert is among one token's picks with probability k/E and
 * missed with probability 1 − k/E. Tokens route independently, so an expert is missed by all B
 * tokens with probability (1 − k/E)^B. By linearity of expectation over the E experts:
 *
 *     E[distinct] = E × (1 − (1 − k/E)^B)
 *
 * At B = 1 this is k; as B grows it tends to E: past the saturation batch every step reads
 * (almost) every expert, and an MoE's decode costs like its total parameters, not its active ones.
 */
import { UniformRouter, checkTrials, estimate, mulberry32, type Estimate } from './random.js';
import type { Gpu } from './gpu.js';

function checkEk(E: number, k: number): void {
  if (!Number.isInteger(E) || E < 1) throw new RangeError(`experts must be an integer >= 1, got ${E}`);
  if (!Number.isInteger(k) || k < 1 || k > E) throw new RangeError(`top_k must be an integer in 1..${E}, got ${k}`);
}

function checkBatch(B: number): void {
  if (!Number.isInteger(B) || B < 0) throw new RangeError(`batch must be an integer >= 0, got ${B}`);
}

/** 1 − (1 − k/E)^B, computed without cancellation for small k/E: −expm1(B·log1p(−k/E)). */
export function touchedFraction(E: number, k: number, B: number): number {
  if (k === E) return B > 0 ? 1 : 0;
  return -Math.expm1(B * Math.log1p(-k / E));
}

/** Expected distinct experts per MoE layer touched by a batch of B tokens: E(1 − (1 − k/E)^B). */
export function expectedDistinctExperts(E: number, k: number, B: number): number {
  checkEk(E, k);
  checkBatch(B);
  return E * touchedFraction(E, k, B);
}

/**
 * The smallest batch B at which the expected distinct experts reach `fraction` of E:
 * 1 − (1 − k/E)^B ≥ f  ⇔  B ≥ ln(1 − f) / ln(1 − k/E). Past it, decode reads ~all experts.
 */
export function saturationBatch(E: number, k: number, fraction = 0.99): number {
  checkEk(E, k);
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fraction must be in (0, 1), got ${fraction}`);
  if (k === E) return 1;
  let b = Math.max(1, Math.ceil(Math.log1p(-fraction) / Math.log1p(-k / E)));
  // guard the ceiling against rounding in the logarithms
  while (b > 1 && touchedFraction(E, k, b - 1) >= fraction) b--;
  while (touchedFraction(E, k, b) < fraction) b++;
  return b;
}

/**
 * Monte-Carlo estimate of the distinct experts a batch touches (seeded; for checking the
 * formula and for routing rules other than uniform top-k later).
 */
export function simulateDistinctExperts(E: number, k: number, B: number, trials = 2000, seed = 1): Estimate {
  checkEk(E, k);
  checkBatch(B);
  checkTrials(trials);
  const router = new UniformRouter(E, k, mulberry32(seed));
  const seen = new Uint32Array(E); // seen[e] === trial + 1 when expert e was touched in this trial
  const out = new Float64Array(trials);
  for (let t = 0; t < trials; t++) {
    const mark = t + 1;
    let distinct = 0;
    for (let b = 0; b < B; b++) {
      for (const e of router.route()) {
        if (seen[e] !== mark) {
          seen[e] = mark;
          distinct++;
        }
      }
    }
    out[t] = distinct;
  }
  return estimate(out);
}

/** What one decode step of an MoE model must read, in bytes. */
export interface DecodeModel {
  num_experts: number;
  top_k: number;
  /**
   * bytes every step reads whatever the routing: attention, routers, shared experts, dense
   * layers, norms and the output head (the input embedding is a gather of B rows and may be
   * left out)
   */
  shared_bytes: number;
  /** bytes of all routed experts of all MoE layers */
  routed_expert_bytes: number;
  /** parameters used per token (for the compute bound) */
  active_params: number;
  /** FLOPs per token; default 2 × active_params (one multiply-add per active weight) */
  flops_per_token?: number;
}

/** Aggregate hardware serving one decode step (bandwidth and FLOP/s summed over its GPUs). */
export interface Hardware {
  bandwidth_bytes_per_s: number;
  flops_per_s: number;
}

/** `count` GPUs' summed bandwidth and dense FLOP/s at `dtype` (bf16 or fp8). */
export function aggregateHardware(gpu: Gpu, count = 1, dtype: 'bf16' | 'fp8' = 'bf16'): Hardware {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`GPU count must be an integer >= 1, got ${count}`);
  const flops = dtype === 'fp8' ? gpu.fp8_flops_per_s : gpu.bf16_flops_per_s;
  if (flops == null) throw new RangeError(`${gpu.id} has no ${dtype} tensor FLOP/s in the catalogue`);
  return { bandwidth_bytes_per_s: count * gpu.bandwidth_bytes_per_s, flops_per_s: count * flops };
}

export interface DecodeStepBytes {
  /** expected distinct experts touched per MoE layer */
  expected_distinct_experts: number;
  shared_bytes: number;
  /** expected distinct / E × all routed-expert bytes */
  expert_bytes: number;
  kv_bytes: number;
  total_bytes: number;
}

/**
 * Bytes read by one decode step at batch B: shared weights + the distinct experts the batch
 * touches + the KV cache of all B sequences (`kv_cache_bytes`, e.g. kvCacheBytes(...).total_bytes).
 */
export function decodeStepBytes(model: DecodeModel, batch: number, kv_cache_bytes: number): DecodeStepBytes {
  const distinct = expectedDistinctExperts(model.num_experts, model.top_k, batch);
  // every MoE layer reads its touched experts; with the same E and k in every layer that is the
  // fraction distinct/E of all routed-expert bytes
  const expert_bytes = (distinct / model.num_experts) * model.routed_expert_bytes;
  const total_bytes = model.shared_bytes + expert_bytes + kv_cache_bytes;
  return {
    expected_distinct_experts: distinct,
    shared_bytes: model.shared_bytes,
    expert_bytes,
    kv_bytes: kv_cache_bytes,
    total_bytes,
  };
}

export interface DecodeBounds extends DecodeStepBytes {
  batch: number;
  /** aggregate bandwidth × B / bytes per step (each step emits B tokens) */
  bandwidth_tokens_per_s: number;
  /** FLOP/s / FLOPs per token */
  compute_tokens_per_s: number;
  /** the smaller of the two */
  tokens_per_s: number;
  binding: 'bandwidth' | 'compute';
}

/** Roofline-style ceilings on decode tokens/s at batch B; both are upper bounds, the lower binds. */
export function decodeBounds(model: DecodeModel, batch: number, kv_cache_bytes: number, hw: Hardware): DecodeBounds {
  if (!(batch >= 1)) throw new RangeError(`batch must be >= 1 for a decode bound, got ${batch}`);
  const step = decodeStepBytes(model, batch, kv_cache_bytes);
  const bandwidth_tokens_per_s = (hw.bandwidth_bytes_per_s * batch) / step.total_bytes; // B tokens per step
  const flopsPerToken = model.flops_per_token ?? 2 * model.active_params; // 2 FLOPs per active weight
  const compute_tokens_per_s = hw.flops_per_s / flopsPerToken;
  const binding = bandwidth_tokens_per_s <= compute_tokens_per_s ? 'bandwidth' : 'compute';
  return {
    ...step,
    batch,
    bandwidth_tokens_per_s,
    compute_tokens_per_s,
    tokens_per_s: Math.min(bandwidth_tokens_per_s, compute_tokens_per_s),
    binding,
  };
}
