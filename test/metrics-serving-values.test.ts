/**
 * Values of the sweep's serving columns (src/metrics/serving.ts) worked out by hand: the hardware
 * plan from datasheet figures, the layout search and its ties, gpus_needed exactly at the memory
 * limit and past MAX_GPUS, the decode bound on both sides of the bandwidth / compute tie.
 * Every `into` call is made inside its test, so the routing figures are computed (and cached) there.
 */
import { SLOT, SLOT_COUNT } from '../src/metrics/registry.js';
import { describe, expect, it } from 'vitest';
import { ESTIMATE_FACTS, NO_ENGINE, hw } from './helpers.js';
import { explainLayouts } from '../src/serving/layout.js';
import {
  SERVING_METRIC_IDS,
  ServingEvaluator,
  capacityFactor,
  type GpuSpec,
  type HardwarePlan,
  type ServingFacts,
  type ServingPlan,
} from '../src/metrics/serving.js';

import { expectedDropShare, gpusNeeded, loadImbalanceLowerBound, saturationBatch } from '../src/serving/index.js';

const GB = 1e9;

// data/gpus.yaml (NVIDIA's datasheet figures, sources cited there): H100 SXM 80 GB, 3.35 TB/s, 989.5 TFLOP/s BF16 and
// 1,979 TFLOP/s FP8 dense; A100 80 GB SXM, 2.039 TB/s, 312 TFLOP/s BF16, no FP8 tensor cores.
const H100: GpuSpec = {
  id: 'H100-SXM-80GB',
  memory_bytes: 80e9,
  bandwidth_bytes_per_s: 3.35e12,
  bf16_flops_per_s: 989.5e12,
  fp8_flops_per_s: 1979e12,
};
const A100: GpuSpec = {
  id: 'A100-80GB',
  memory_bytes: 80e9,
  bandwidth_bytes_per_s: 2.039e12,
  bf16_flops_per_s: 312e12,
  fp8_flops_per_s: null,
};

describe('hardwarePlan', () => {
  it('8 × H100 with 8-bit weights: FP8 tensor FLOP/s, no fixed TP, bf16 activations (2 bytes)', () => {
    expect(hw(H100, 8, { maxBytesPerWeight: 1 })).toEqual({
      gpu: 'H100-SXM-80GB',
      count: 8,
      tp: null,
      memory_bytes: 80e9,
      bandwidth_bytes_per_s: 3.35e12,
      flops_per_s: 1979e12,
      activation_bytes: 2,
      link_bytes_per_s: 450e9,
      link_latency_s: 10e-6,
      estimate: expect.objectContaining({ engine: 'none', dp_attention: false, experts_on_cpu: 0 }),
    });
  });

  it('weights wider than 8 bits (or a GPU without FP8) bound decode by BF16', () => {
    expect(hw(H100, 1, { maxBytesPerWeight: 2 }).flops_per_s).toBe(989.5e12);
    expect(hw(H100, 1, { maxBytesPerWeight: 1.0625 }).flops_per_s).toBe(989.5e12); // 8.5 bits
    expect(hw(A100, 1, { maxBytesPerWeight: 1 }).flops_per_s).toBe(312e12);
    expect(hw(A100, 1, { maxBytesPerWeight: 0.5 }).flops_per_s).toBe(312e12);
  });

  it('an explicit compute overrides the choice by weight width', () => {
    expect(hw(H100, 1, { compute: 'bf16', maxBytesPerWeight: 1 }).flops_per_s).toBe(989.5e12);
    expect(hw(H100, 1, { compute: 'fp8', maxBytesPerWeight: 2 }).flops_per_s).toBe(1979e12);
    expect(() => hw(A100, 1, { compute: 'fp8', maxBytesPerWeight: 1 })).toThrow(
      new RangeError('compute: expected bf16: A100-80GB has no FP8 tensor cores'),
    );
  });

  it('count: whole numbers from 1 to 65,536, both ends included', () => {
    expect(hw(H100, 1, { maxBytesPerWeight: 2 }).count).toBe(1);
    expect(hw(H100, 65536, { maxBytesPerWeight: 2 }).count).toBe(65536);
    for (const bad of [0, 65537, 1.5, Number.NaN, -8])
      expect(() => hw(H100, bad, { maxBytesPerWeight: 2 })).toThrow(
        new RangeError(`count: expected a whole number of GPUs from 1 to 65,536, got ${bad}`),
      );
  });

  it('tp: a whole number that divides count; absent means "pick the layout"', () => {
    expect(hw(H100, 8, { tp: 4, maxBytesPerWeight: 2 }).tp).toBe(4);
    expect(hw(H100, 8, { tp: 8, maxBytesPerWeight: 2 }).tp).toBe(8);
    expect(hw(H100, 1, { tp: 1, maxBytesPerWeight: 2 }).tp).toBe(1);
    expect(hw(H100, 6, { tp: 3, maxBytesPerWeight: 2 }).tp).toBe(3);
    for (const bad of [0, 3, 16, 2.5, -2])
      expect(() => hw(H100, 8, { tp: bad, maxBytesPerWeight: 2 })).toThrow(
        new RangeError(`tp: expected a whole number that divides count (8), got ${bad}`),
      );
  });

  it('activation_bytes: from above 0 to 8, default 2', () => {
    expect(hw(H100, 1, { activation_bytes: 1, maxBytesPerWeight: 1 }).activation_bytes).toBe(1); // fp8 dispatch
    expect(hw(H100, 1, { activation_bytes: 8, maxBytesPerWeight: 1 }).activation_bytes).toBe(8);
    expect(hw(H100, 1, { activation_bytes: 0.5, maxBytesPerWeight: 1 }).activation_bytes).toBe(0.5);
    for (const bad of [0, -1, 8.5, Number.NaN])
      expect(() => hw(H100, 1, { activation_bytes: bad, maxBytesPerWeight: 1 })).toThrow(
        new RangeError(`activation_bytes: expected bytes per value from above 0 to 8, got ${bad}`),
      );
  });
});

const hardware = (over: Partial<HardwarePlan>): HardwarePlan => ({
  gpu: 'toy',
  count: 1,
  tp: null,
  memory_bytes: 80 * GB,
  bandwidth_bytes_per_s: 1e12,
  flops_per_s: 1e15,
  activation_bytes: 2,
  link_bytes_per_s: 450e9,
  link_latency_s: 10e-6,
  estimate: NO_ENGINE(),
  ...over,
});
const plan = (batch: number, hw: Partial<HardwarePlan>): ServingPlan => ({
  context: 1000,
  batch,
  overhead: 0,
  expertBytesPerWeight: 2,
  restBytesPerWeight: 2,
  kvBytesPerValue: 2,
  input: 1000,
  draftTokens: 0,
  tokensPerStep: 1,
  expertBlock: 1,
  restBlock: 1,
  hardware: hardware(hw),
});
const facts = (over: Partial<ServingFacts>): ServingFacts => ({
  kvBytesPerSequence: 0,
  kvHeads: 1,
  hiddenSize: 4096,
  inputEmbedding: 0,
  ...ESTIMATE_FACTS,
  ...over,
});

describe('ServingEvaluator.gpusNeeded', () => {
  it('exactly at the memory limit fits: 8 experts × 10 GB + 20 GB rest = 100 GB on one 100 GB GPU', () => {
    const ev = new ServingEvaluator({ ...plan(1, { memory_bytes: 100 * GB }) });
    expect(ev.gpusNeeded(8, 10 * GB, 20 * GB, 0, 1)).toBe(1);
    const ref = gpusNeeded(
      { num_experts: 8, expert_bytes: 10 * GB, rest_bytes: 20 * GB },
      { batch: 1, kv_bytes_per_sequence: 0, kv_heads: 1 },
      { memory_bytes: 100 * GB, overhead: 0 },
    );
    expect(ref?.gpus).toBe(1);
    // one byte less and it takes two: EP 2 × TP 1 holds 4 × 10 + 20 = 60 GB
    const tight = new ServingEvaluator({ ...plan(1, { memory_bytes: 100 * GB - 1 }) });
    expect(tight.gpusNeeded(8, 10 * GB, 20 * GB, 0, 1)).toBe(2);
  });

  it('Infinity past 4,096 GPUs: 8,192 experts of 100 GB on 80 GB GPUs', () => {
    // any EP × TP ≤ 4096 puts ⌈8192/EP⌉ ≥ 8192/EP experts on a GPU, split TP ways:
    // ≥ 8192 × 100 GB / (EP·TP) ≥ 8192 × 100 / 4096 = 200 GB > 80 GB. (TP 2 × EP 8192 would fit, at 16,384 GPUs.)
    const ev = new ServingEvaluator(plan(1, {}));
    expect(ev.gpusNeeded(8192, 100 * GB, 0, 0, 1)).toBe(Infinity);
  });
});

describe('ServingEvaluator.into', () => {
  // 8 experts of 1 B parameters (2 GB in bf16), 30 B shared (60 GB) of which 5 B input embedding,
  // top-2, batch 3, 1 GB of KV per sequence over 8 KV heads, on 6 GPUs of 40 GB, 1 TB/s each.
  const model = { E: 8, k: 2, expert: 1e9, shared: 30e9 };
  const f = facts({ kvBytesPerSequence: 1 * GB, kvHeads: 8, inputEmbedding: 5e9 });
  const run = (hw: Partial<HardwarePlan>) => {
    const m = new Float64Array(SLOT_COUNT);
    m[SLOT.active_params] = model.shared + model.k * model.expert; // 32 B
    new ServingEvaluator(plan(3, { count: 6, memory_bytes: 40 * GB, ...hw })).into(
      m,
      model.E,
      model.k,
      model.expert,
      model.shared,
      f,
    );
    return m;
  };

  it('routing figures at batch 3, top-2 of 8', () => {
    const m = run({});
    // saturation: smallest B with 1 − (3/4)^B ≥ 0.99: (3/4)^16 = 0.01002 > 0.01, (3/4)^17 = 0.00752 → 17
    expect(m[SLOT.saturation_batch]).toBe(17);
    expect(m[SLOT.saturation_batch]).toBe(saturationBatch(8, 2, 0.99));
    // loads ~ Binomial(3, 1/4): P(L > 0, 1, 2) = 37/64, 10/64, 1/64; independent max over 8 experts:
    // E[max] = [1 − (27/64)^8] + [1 − (54/64)^8] + [1 − (63/64)^8] = 0.998996 + 0.743108 + 0.118365 = 1.860469
    // over the mean load 3 × 2/8 = 0.75 → 2.48063
    expect(m[SLOT.load_imbalance]).toBeCloseTo(2.48063, 4);
    expect(m[SLOT.load_imbalance]).toBeCloseTo(loadImbalanceLowerBound(8, 2, 3), 12);
    // drop share 8/6 × E[max(0, L − C)]: C = 2 → 8/6 × 1/64 = 2.1 % > 1 %; C = 3 drops nothing → 3 / 0.75 = 4
    expect(m[SLOT.capacity_factor]).toBe(4);
    expect(expectedDropShare(8, 2, 3, 2)).toBeCloseTo(8 / 6 / 64, 12);
  });

  it('no valid layout: EP 6 (TP 1) and EP 3 (TP 2) do not divide 8 experts; TP 4 and 8 do not divide 6 GPUs', () => {
    const m = run({});
    expect(m[SLOT.per_gpu_bytes]).toBe(Infinity);
    // layout EP 0, and each TP option's problem as a decimal digit: 1 (EP does not divide the experts) twice
    expect([m[SLOT.layout_ep], m[SLOT.layout_tp]]).toEqual([0, 11]);
    expect(explainLayouts(11, 6, [1, 2, 4, 8])).toBe(
      'EP6xTP1: EP does not divide the routed experts; EP3xTP2: EP does not divide the routed experts',
    );
    expect(m[SLOT.decode_tokens_per_s]).toBe(0);
    expect(m[SLOT.tpot_ms]).toBe(Infinity);
    // KV cache: 3 sequences × 1 GB
    expect(m[SLOT.kv_cache_bytes]).toBe(3 * GB);
    // gpus_needed counts memory only: 1 GPU holds 16 + 60 + 3 = 79 GB > 40; 2 as TP 2 hold 8 + 30 + 3 × 0.5 = 39.5 GB
    expect(m[SLOT.gpus_needed]).toBe(2);
  });

  it('8 GPUs: EP 1 × TP 8 needs least: 8 × 2 GB / 8 + 60 GB / 8 + 3 × 1 GB × 1/8 = 9.875 GB', () => {
    // EP 8 × TP 1: 2 + 60 + 1 = 63 GB; EP 4 × TP 2: 2 + 30 + 0.5 = 32.5; EP 2 × TP 4: 2 + 15 + 2 × 2/8 = 17.5
    const m = run({ count: 8 });
    expect(m[SLOT.per_gpu_bytes]).toBeCloseTo(9.875 * GB, 0);
    expect([m[SLOT.layout_ep], m[SLOT.layout_tp]]).toEqual([1, 8]);
    expect(m[SLOT.all_to_all_bytes_per_token_layer]).toBe(0);
  });

  it('a fixed TP 1 is used even when TP 8 would need less: EP 8, 63 GB', () => {
    const m = run({ count: 8, tp: 1, memory_bytes: 80 * GB });
    expect(m[SLOT.per_gpu_bytes]).toBeCloseTo(63 * GB, 0);
    expect([m[SLOT.layout_ep], m[SLOT.layout_tp]]).toEqual([8, 1]);
    // 2 × 2 × 4096 × 2 × 7/8 = 28,672 bytes
    expect(m[SLOT.all_to_all_bytes_per_token_layer]).toBeCloseTo((2 * 2 * 4096 * 2 * 7) / 8, 9);
  });

  it('decode, bandwidth-bound: (30 − 5) B × 2 bytes + 37/64 × 8 × 2 GB + 3 GB per step over 8 TB/s, 3 tokens', () => {
    const m = run({ count: 8 });
    // touched share 1 − (3/4)^3 = 37/64; experts 37/64 × 16 GB = 9.25 GB; step = 50 + 9.25 + 3 = 62.25 GB
    // bandwidth: 8 × 1e12 × 3 / 62.25e9 = 385.542 tokens/s; compute: 8 × 1e15 / (2 × 32e9) = 125,000
    expect(m[SLOT.decode_bound_tokens_per_s]).toBeCloseTo(24e12 / 62.25e9, 9);
    expect(m[SLOT.decode_bound_tokens_per_s]).toBeCloseTo(385.542, 3);
  });

  it('decode, compute-bound: at 1 TFLOP/s per GPU, 8 × 1e12 / (2 × 32e9) = 125 tokens/s', () => {
    const m = run({ count: 8, flops_per_s: 1e12 });
    expect(m[SLOT.decode_bound_tokens_per_s]).toBe(125);
  });

  it('a tie between the bounds: 1,000 tokens/s either way', () => {
    // 1 GPU, batch 1, no expert weights, 0.5 B shared in bf16 = 1 GB read per step, no KV:
    // bandwidth 1e12 × 1 / 1e9 = 1000; compute 2e12 / (2 × 1e9 active) = 1000
    const m = new Float64Array(SLOT_COUNT);
    m[SLOT.active_params] = 1e9;
    new ServingEvaluator(plan(1, { flops_per_s: 2e12 })).into(m, 16, 2, 0, 0.5e9, facts({}));
    expect(m[SLOT.decode_bound_tokens_per_s]).toBe(1000);
  });

  it('a tie between layouts keeps the smaller TP: 2 experts of 10 GB on 2 GPUs, EP 2 (one each) = TP 2 (half of both)', () => {
    const m = new Float64Array(SLOT_COUNT);
    m[SLOT.active_params] = 5e9;
    new ServingEvaluator(plan(1, { count: 2 })).into(m, 2, 1, 5e9, 0, facts({}));
    expect(m[SLOT.per_gpu_bytes]).toBe(10 * GB);
    expect([m[SLOT.layout_ep], m[SLOT.layout_tp]]).toEqual([2, 1]);
    // EP 2: 2 × top-1 × 4096 × 2 bytes × 1/2 = 8,192 bytes (EP 1 would send none)
    expect(m[SLOT.all_to_all_bytes_per_token_layer]).toBe(8192);
  });
});

describe('capacityFactor', () => {
  it('one token needs capacity 1 = the whole batch: factor E/k (2 of 16 → 8)', () => {
    // B = 1, C = 0 drops every assignment; C = 1 = B drops none → 1 / (1 × 2/16) = 8
    expect(capacityFactor(16, 2, 1)).toBe(8);
  });
});

it('SERVING_METRIC_IDS lists the serving columns', () => {
  expect(SERVING_METRIC_IDS).toEqual(
    expect.arrayContaining([
      'kv_cache_bytes',
      'saturation_batch',
      'load_imbalance',
      'capacity_factor',
      'per_gpu_bytes',
      'gpus_needed',
      'decode_bound_tokens_per_s',
      'all_to_all_bytes_per_token_layer',
      'decode_tokens_per_s',
      'tpot_ms',
      'ttft_ms',
      'prefill_tokens_per_s',
      'max_batch',
      'max_context',
    ]),
  );
  expect(SERVING_METRIC_IDS).not.toContain(undefined);
});
