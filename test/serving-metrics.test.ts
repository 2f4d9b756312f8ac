/**
 * The sweep's serving columns (src/serving-metrics.ts) against the reference functions of
 * src/serving/ (each tested on its own in test/serving/) and against hand-worked values.
 */
import { SLOT, SLOT_COUNT } from '../src/metrics/registry.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ESTIMATE_FACTS, NO_ENGINE } from './helpers.js';
import {
  ServingEvaluator,
  capacityFactor,
  fullestGpuBytes,
  type ServingFacts,
  type ServingPlan,
} from '../src/metrics/serving.js';
import { servingCells } from '../src/csv/rows.js';
import {
  expectedDropShare,
  gpusNeeded,
  loadImbalanceLowerBound,
  perGpuMemory,
  saturationBatch,
} from '../src/serving/index.js';
import { allToAllBytesPerToken } from '../src/serving/routing.js';

const GB = 1e9;
/** Weights and KV cache in bf16: 2 bytes each. */
const BF16 = {
  expertBytesPerWeight: 2,
  restBytesPerWeight: 2,
  kvBytesPerValue: 2,
  input: 1,
  draftTokens: 0,
  tokensPerStep: 1,
  expertBlock: 1,
  restBlock: 1,
};

describe('fullestGpuBytes', () => {
  it('hand-worked: 8 experts of 10 GB over EP 3 → 3 on the first GPU: 3 × 10 + 5 GB rest = 35 GB', () => {
    expect(fullestGpuBytes(8, 10 * GB, 5 * GB, 0, 0, 1, 3, 1, 0)).toBe(35 * GB);
  });

  it('hand-worked with KV: EP 2 × TP 2, 8 KV heads, 5 sequences of 1 GB: 4 experts / 2 + 8 GB / 2 + 3 seqs × 1 GB × 4/8 = 25.5 GB, × 1.1', () => {
    expect(fullestGpuBytes(8, 10 * GB, 8 * GB, 5, GB, 8, 2, 2, 0.1)).toBeCloseTo(25.5 * GB * 1.1, -2);
  });

  it('is a whole number of bytes: 95,255,472,960 bytes × 1.1 = 104,781,020,256, not the float product 104781020256.00002', () => {
    // one GPU (EP 1, TP 1), no KV: 1 expert of 90,000,000,000 bytes + 5,255,472,960 bytes rest = 95,255,472,960;
    // × (1 + 0.1) = 104,781,020,256 exactly; the double product 95255472960 * 1.1 is 104781020256.00002
    expect(95255472960 * 1.1).not.toBe(104781020256);
    expect(fullestGpuBytes(1, 90e9, 5255472960, 0, 0, 1, 1, 1, 0.1)).toBe(104781020256);
    const m = perGpuMemory(
      { num_experts: 1, expert_bytes: 90e9, rest_bytes: 5255472960 },
      { batch: 0, kv_bytes_per_sequence: 0, kv_heads: 1 },
      { ep: 1, tp: 1 },
      { memory_bytes: 141e9, overhead: 0.1 },
    );
    expect(m.max_needed_bytes).toBe(104781020256);
  });

  it('equals perGpuMemory().max_needed_bytes (src/serving/parallel.ts) on random layouts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 16 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (E, ep, tp, batch, heads, overhead) => {
          const model = { num_experts: E, expert_bytes: 3.7 * GB, rest_bytes: 11 * GB };
          const kv = { batch, kv_bytes_per_sequence: 0.3 * GB, kv_heads: heads };
          const ref = perGpuMemory(model, kv, { ep, tp }, { memory_bytes: 80 * GB, overhead }).max_needed_bytes;
          const fast = fullestGpuBytes(E, 3.7 * GB, 11 * GB, batch, 0.3 * GB, heads, ep, tp, overhead);
          expect(fast).toBe(ref);
          expect(Number.isInteger(fast)).toBe(true);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

const facts = (over: Partial<ServingFacts> = {}): ServingFacts => ({
  kvBytesPerSequence: 0,
  kvHeads: 1,
  hiddenSize: 4096,
  inputEmbedding: 0,
  ...ESTIMATE_FACTS,
  ...over,
});

describe('ServingEvaluator.gpusNeeded', () => {
  it('equals gpusNeeded() of src/serving/parallel.ts (fewest GPUs, then smallest TP) on random models', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 256 }),
        fc.double({ min: 0.01, max: 40, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 64 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.constantFrom(1, 2, 8, 32),
        (E, expertGB, restGB, batch, kvGB, heads) => {
          const plan: ServingPlan = {
            context: 1,
            batch,
            overhead: 0.1,
            ...BF16,
            hardware: {
              gpu: 'x',
              count: 8,
              tp: null,
              memory_bytes: 80 * GB,
              bandwidth_bytes_per_s: 1,
              flops_per_s: 1,
              activation_bytes: 2,
              link_bytes_per_s: 450e9,
              link_latency_s: 10e-6,
              estimate: NO_ENGINE(),
            },
          };
          const ref = gpusNeeded(
            { num_experts: E, expert_bytes: expertGB * GB, rest_bytes: restGB * GB },
            { batch, kv_bytes_per_sequence: kvGB * GB, kv_heads: heads },
            { memory_bytes: 80 * GB, overhead: 0.1 },
          );
          const fast = new ServingEvaluator(plan).gpusNeeded(E, expertGB * GB, restGB * GB, kvGB * GB, heads);
          expect(fast).toBe(ref ? ref.gpus : Infinity);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });
});

describe('capacityFactor', () => {
  it('is the smallest capacity whose exact expected drop share is at most 1%, over the mean load', () => {
    for (const [E, k, B] of [
      [8, 2, 16],
      [64, 8, 64],
      [256, 8, 16],
      [16, 1, 1000],
    ] as const) {
      let C = 0;
      while (expectedDropShare(E, k, B, C) > 0.01) C++;
      expect(capacityFactor(E, k, B)).toBeCloseTo((C * E) / (B * k), 12);
    }
  });

  it('hand-worked: one token to top-1 of 2 experts: capacity 1 never drops, factor 1 / (1/2) = 2', () => {
    expect(capacityFactor(2, 1, 1)).toBe(2);
  });
});

describe('ServingEvaluator.into', () => {
  // A toy on 2 GPUs of 100 GB, 1 TB/s and 100 TFLOP/s: 8 experts of 1B parameters, 2B shared, top-2, batch 4.
  const plan: ServingPlan = {
    context: 1000,
    batch: 4,
    overhead: 0,
    ...BF16,
    hardware: {
      gpu: 'toy',
      count: 2,
      tp: null,
      memory_bytes: 100 * GB,
      bandwidth_bytes_per_s: 1e12,
      flops_per_s: 100e12,
      activation_bytes: 2,
      link_bytes_per_s: 450e9,
      link_latency_s: 10e-6,
      estimate: NO_ENGINE(),
    },
  };
  const m = new Float64Array(SLOT_COUNT);
  m[1] = 2e9 + 2 * 1e9; // active
  new ServingEvaluator(plan).into(
    m,
    8,
    2,
    1e9,
    2e9,
    facts({ kvBytesPerSequence: 0.5 * GB, kvHeads: 8, inputEmbedding: 0.5e9 }),
  );

  it('KV cache: batch × per-sequence bytes = 4 × 0.5 GB = 2 GB', () => {
    expect(m[SLOT.kv_cache_bytes]).toBe(2 * GB);
  });

  it('layout: EP2×TP1 holds 4 experts × 2 GB + 4 GB rest + 2 seqs × 0.5 GB = 13 GB; EP1×TP2 holds 16/2 + 4/2 + 4 × 0.5 × 4/8 = 11 GB, the smaller', () => {
    expect(m[SLOT.per_gpu_bytes]).toBe(11 * GB);
    expect([m[SLOT.layout_ep], m[SLOT.layout_tp]]).toEqual([1, 2]);
    expect(m[SLOT.gpus_needed]).toBe(1); // 16 + 4 + 2 = 22 GB fits one 100 GB GPU
  });

  it('decode bound: bytes per step = rest 4 GB − embedding 1 GB + touched experts + KV, over 2 TB/s for 4 tokens', () => {
    // touched share 1 − (1 − 2/8)^4 = 1 − 81/256 = 175/256; experts 16 GB → 10.9375 GB; + 3 GB + 2 GB KV = 15.9375 GB
    const step = 3 * GB + (175 / 256) * 16 * GB + 2 * GB;
    const bandwidth = (2e12 * 4) / step; // 501.96 tokens/s
    const compute = 200e12 / (2 * 4e9); // 25,000 tokens/s
    expect(m[SLOT.decode_bound_tokens_per_s]).toBeCloseTo(Math.min(bandwidth, compute), 9);
  });

  it('routing: saturation batch, load imbalance and all-to-all from src/serving', () => {
    expect(m[SLOT.saturation_batch]).toBe(saturationBatch(8, 2, 0.99));
    expect(m[SLOT.load_imbalance]).toBe(loadImbalanceLowerBound(8, 2, 4));
    // EP 1: every expert is local, no traffic
    expect(m[SLOT.all_to_all_bytes_per_token_layer]).toBe(0);
  });

  it('all-to-all under EP 8 matches allToAllBytesPerToken: 2 × 8 × 7168 × 2 × 7/8 = 200,704 bytes (DeepSeek-V3 width, top-8, bf16)', () => {
    const p: ServingPlan = {
      context: 1,
      batch: 1,
      overhead: 0,
      ...BF16,
      hardware: {
        gpu: 'x',
        count: 8,
        tp: 1,
        memory_bytes: 1e15,
        bandwidth_bytes_per_s: 1,
        flops_per_s: 1,
        activation_bytes: 2,
        link_bytes_per_s: 450e9,
        link_latency_s: 10e-6,
        estimate: NO_ENGINE(),
      },
    };
    const v = new Float64Array(SLOT_COUNT);
    v[1] = 1;
    new ServingEvaluator(p).into(v, 256, 8, 1, 1, facts({ hiddenSize: 7168 }));
    expect(v[SLOT.all_to_all_bytes_per_token_layer]).toBe(200_704);
    expect(v[SLOT.all_to_all_bytes_per_token_layer]).toBe(
      allToAllBytesPerToken({ top_k: 8, hidden_size: 7168, ep: 8, dispatch_bytes: 2 }),
    );
  });

  it('decode bytes never count a negative rest: shared parameters below the embedding read nothing but experts and KV', () => {
    const v = new Float64Array(SLOT_COUNT);
    v[1] = 1e9;
    new ServingEvaluator(plan).into(v, 8, 2, 1e9, 0.1e9, facts({ inputEmbedding: 0.5e9 }));
    const step = (175 / 256) * 16 * GB; // no KV (0 bytes per sequence), no rest
    expect(v[SLOT.decode_bound_tokens_per_s]).toBeCloseTo(Math.min((2e12 * 4) / step, 200e12 / 2e9), 9);
  });

  it('CSV cells: gpus_needed is empty when nothing up to 4096 GPUs fits', () => {
    const v = new Float64Array(SLOT_COUNT);
    v[SLOT.gpus_needed] = Infinity;
    v[SLOT.layout_ep] = 4;
    v[SLOT.layout_tp] = 2;
    expect(servingCells(v, true).split(',').slice(5, 8)).toEqual(['EP4xTP2', '0', '']);
  });
});
