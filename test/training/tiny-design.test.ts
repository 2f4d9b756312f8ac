// Every training column of one tiny MoE worked out by hand, through the sweep's own evaluation.
import { describe, expect, it } from 'vitest';
import type { Architecture } from '../../src/arch/types.js';
import { countParameters } from '../../src/arch/count.js';
import { trainingCostPlan, trainingShapeOf, type TrainingCostPlan } from '../../src/metrics/training.js';
import { chooseLayout, layoutBytes, layoutProblem, type LayoutQuestion } from '../../src/training/layout.js';
import { trainingFactsOf } from '../../src/training/facts.js';
import { evaluateDesign } from '../../src/sweep/design.js';
import { MIXED_PRECISION, activationBytes, layerActivationBytes, stageLayers } from '../../src/training/memory.js';

/**
 * hidden 64, 2 layers (both MoE), 4 query heads and 2 KV heads of 16, vocabulary 100, untied;
 * 4 experts of FFN width 32 (gated), top-2, no shared experts, RMSNorm, no biases.
 * Parameters: embedding 100 × 64 = 6,400; head 6,400; attention per layer q 64·64 + k 64·32 +
 * v 64·32 + o 64·64 = 12,288 (24,576 in all); norms 2 × 64 per layer + final 64 = 320; router
 * 64 × 4 = 256 per layer (512); one expert 3 × 64 × 32 = 6,144 per layer, 12,288 over both layers.
 * total = 6,400 + 6,400 + 24,576 + 320 + 512 + 4 × 12,288 = 87,360; shared = 87,360 − 49,152 = 38,208;
 * active = 38,208 + 2 × 12,288 = 62,784; N = active − embedding = 56,384.
 */
const tiny: Architecture = {
  hidden_size: 64,
  num_layers: 2,
  vocab_size: 100,
  tie_word_embeddings: false,
  lm_head_bias: false,
  norm_type: 'rmsnorm',
  norm_bias: false,
  norms_per_layer: 2,
  final_norm: true,
  num_experts: 4,
  num_experts_per_tok: 2,
  moe_intermediate_size: 32,
  expert_gated: true,
  expert_bias: false,
  num_shared_experts: 0,
  shared_expert_intermediate_size: null,
  shared_expert_gate: false,
  router_bias: false,
  router_score_correction_bias: false,
  first_k_dense_replace: 0,
  moe_layer_period: 1,
  moe_layer_offset: 0,
  dense_intermediate_size: null,
  attention_type: 'gqa',
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 16,
  attention_qkv_bias: false,
  attention_out_bias: false,
  qk_norm: 'none',
  attention_sinks: false,
};

const toyGpu = { id: 'toy', memory_bytes: 1e6, bf16_flops_per_s: 1e12, fp8_flops_per_s: null };

function evaluate(plan: TrainingCostPlan) {
  const b = countParameters(tiny);
  return evaluateDesign(
    {
      bytesPerWeight: 2,
      overhead: 0,
      constraints: [],
      qualityPlan: undefined,
      formats: { experts: 2, rest: 2, text: 'bf16' },
      serving: undefined,
      hardware: undefined,
      architecture: undefined,
      trainingCost: plan,
    },
    { experts: 4, top_k: 2, expert_params: b.expert_params, shared_params: b.shared_params, architecture: tiny },
  );
}

const fixed = {
  tokens: 1e6,
  seqLen: 8,
  count: 4,
  mfu: 0.5,
  price: 2,
  parallel: { tp: 1, pp: 1, ep: 2, etp: 1, zero: 1, recompute: 'none' as const },
};

describe('the training columns of a tiny MoE, by hand', () => {
  it('counts the parameters the arithmetic above starts from', () => {
    const b = countParameters(tiny);
    expect([b.total_main, b.shared_params, b.expert_params, b.active]).toEqual([87_360, 38_208, 12_288, 62_784]);
    const f = trainingFactsOf(tiny, b, 8);
    // per-layer non-expert parameters: (attention 24,576 + norms 320 − final 64) / 2 + router 256 = 12,672;
    // the rest of shared, 38,208 − 6,400 − 2 × 12,672 = 6,464, is the head and the final norm
    expect([f.moeLayerShared, f.layerShared, f.head]).toEqual([12_672, 25_344, 6_464]);
    // TP does not split the layer's 2 norms (128) and its router (256)
    expect(f.moeLayerReplicated).toBe(384);
  });

  it('gives FLOPs, MFU, GPU-hours, days and cost', () => {
    const t = evaluate(trainingCostPlan(fixed, toyGpu, { bf16: 0.3, fp8: 0.2 })).training!;
    // attention at T = 8: 2 layers × 6 × 4 heads × 8 keys × (16 + 16) = 12,288 per token
    // per token: 6 × 56,384 + 12,288 = 350,592; × 1e6 tokens = 3.50592e11
    expect(t.train_flops).toBe(3.50592e11);
    expect(t.train_mfu).toBe(0.5);
    // 3.50592e11 / (1e12 × 0.5) / 3600 = 0.701184 / 3600 h
    expect(t.train_gpu_hours).toBeCloseTo(0.701184 / 3600, 15);
    expect(t.train_days).toBeCloseTo(0.701184 / 3600 / 4 / 24, 15);
    expect(t.train_cost).toBeCloseTo((2 * 0.701184) / 3600, 15);
  });

  it('gives the memory of the fullest GPU under a fixed layout', () => {
    const e = evaluate(trainingCostPlan(fixed, toyGpu, { bf16: 0.3, fp8: 0.2 }));
    const t = e.training!;
    // 4 GPUs, TP 1 PP 1 EP 2: DP 4, expert DP 4 / (1 × 2 × 1) = 2
    // dense: 2 layers × 12,672 + embedding 6,400 + head 6,464 = 38,208 × (6 + 12/4) = 343,872
    // experts: 2 layers × 4/2 experts × 6,144 = 24,576 × (6 + 12/2) = 294,912   → 638,784
    // activations per token and layer (bytes): attention 2·64 + 2·(64 + 32) + 2·32 + 2·64 = 512,
    //   softmax output 2 × 4 heads × 8 keys = 64, norms 2 × 2·64 = 256, MoE input and router 2·64 + 4·4 = 144:
    //   976 × 8 tokens = 7,808; routed copies 8 tokens × top-2 × (4·64 + 6·32) = 16 × 448 = 7,168
    //   → 14,976 a layer, 29,952 for both; one micro-batch in flight (PP 1)
    // output layer (PP 1): 4 × 8 × (64 + 100) = 5,248 → activations 35,200
    // total 638,784 + 35,200 = 673,984 ≤ 1e6: fits
    expect(t.train_memory_per_gpu).toBe(673_984);
    expect(t.train_fits).toBe(true);
    expect(t.train_layout).toBe('TP1 PP1 EP2 ETP1 CP1 ZeRO1 none mb1');
  });

  it('recomputes as Korthikanti et al. describe: selective drops the scores, full keeps the layer input', () => {
    const b = countParameters(tiny);
    const f = trainingFactsOf(tiny, b, 8);
    const s = { ...f, experts: 4, topK: 2, moeLayerShared: f.moeLayerShared, expertParamsPerLayer: 6144 };
    const l = { tp: 1, pp: 1, ep: 2, etp: 1, cp: 1, zero: 1, recompute: 1, microBatch: 1 };
    // selective: (976 − 64) × 8 + 7,168 = 14,464
    expect(layerActivationBytes(s, 'moe', 8, 1, false, l)).toBe(14_464);
    // full: 8 tokens × 2·64 = 1,024
    expect(layerActivationBytes(s, 'moe', 8, 1, false, { ...l, recompute: 2 })).toBe(1024);
    // TP 2 with sequence parallelism halves all but the routed copies; ETP 2 then doubles their tokens
    // and halves their FFN: (976 × 8) / 2 + (8 × 2 / 2) × 2 × (256 + 192 / 2) = 3,904 + 5,632
    expect(layerActivationBytes(s, 'moe', 8, 1, false, { ...l, recompute: 0, tp: 2, etp: 2 })).toBe(9_536);
    expect(stageLayers(s, 2)).toEqual({ moe: 1, dense: 0 });
    // PP 2, 16 micro-batches per step: the first stage holds 1 layer × 2 micro-batches, no output layer
    expect(activationBytes(s, { ...l, recompute: 0, pp: 2 }, 8, 1, false, 16)).toBe(2 * 14_976);
  });

  it('searches the open layout for the most throughput that fits', () => {
    const { parallel: _p, ...rest } = fixed;
    const t = evaluate(trainingCostPlan(rest, toyGpu, { bf16: 0.3, fp8: 0.2 })).training!;
    // PP 1 and no recomputation have no cost in the model, so every fitting layout with them ties; the
    // ties go to ZeRO 1, TP 1, ETP 1, then the least memory: EP 4, one expert per GPU per layer,
    // 2 × 6,144 = 12,288 expert parameters × (6 + 12/1) = 221,184 (expert DP 4 / 4 = 1)
    // + dense 343,872 + activations 35,200 = 600,256
    expect(t.train_layout).toBe('TP1 PP1 EP4 ETP1 CP1 ZeRO1 none mb1');
    expect(t.train_memory_per_gpu).toBe(600_256);
  });

  it('with layout_search: memory, picks the least memory of every legal layout (brute force)', () => {
    const b = countParameters(tiny);
    const f = trainingFactsOf(tiny, b, 8);
    const shape = trainingShapeOf(f, { experts: 4, top_k: 2, expert_params: 12_288, shared_params: 38_208 });
    const q: LayoutQuestion = {
      count: 4,
      seqLen: 8,
      globalBatch: 0,
      capacityFactor: 1,
      dropout: false,
      precision: MIXED_PRECISION,
      gpuMemory: 1e6,
      search: 'memory',
      attentionShare: 0,
    };
    let least = Infinity;
    for (const tp of [1, 2, 4, 8])
      for (const pp of [1, 2, 4])
        for (const ep of [1, 2, 4])
          for (const etp of [1, 2, 4, 8])
            for (const zero of [1, 2, 3])
              for (const recompute of [0, 1, 2]) {
                const l = { tp, pp, ep, etp, cp: 1, zero, recompute, microBatch: 1 };
                if (layoutProblem(shape, f, l, 4, 8, 0) === 0) least = Math.min(least, layoutBytes(shape, l, q));
              }
    const open = { tp: -1, pp: -1, ep: -1, etp: -1, cp: 1, zero: -1, recompute: -1, microBatch: 1 };
    expect(chooseLayout(shape, f, open, q).bytes).toBe(least);
    const { parallel: _p, ...rest } = fixed;
    const t = evaluate(trainingCostPlan({ ...rest, search: 'memory' }, toyGpu, { bf16: 0.3, fp8: 0.2 })).training!;
    expect(t.train_memory_per_gpu).toBe(least);
  });

  it('says why no layout is legal', () => {
    // 3 GPUs cannot hold TP 2
    const t = evaluate(
      trainingCostPlan({ ...fixed, count: 3, parallel: { ...fixed.parallel, tp: 2, ep: 1 } }, toyGpu, {
        bf16: 0.3,
        fp8: 0.2,
      }),
    ).training!;
    expect(t.train_layout).toBe('illegal: GPU count not divisible by TP × PP × CP');
    expect(t.train_memory_per_gpu).toBe(Infinity);
    expect(t.train_fits).toBe(false);
  });

  it('adds the multi-token-prediction module only when asked', () => {
    // one MTP module with an MoE layer (count.ts): 2 norms 128 + input projection 2 × 64 × 64 = 8,192 +
    // its layer (attention 12,288, norms 128, router 256, 4 experts × 6,144) + final norm 64 = 45,632;
    // a token uses 2 of the 4 experts: 45,632 − 2 × 6,144 = 33,344, and the shared head again: + 6,400
    // → 39,744 × 6 = 238,464; its full attention 6 × 4 × 8 × 32 = 6,144 → 244,608 FLOPs a token more
    const withMtp: Architecture = {
      ...tiny,
      mtp: { num_modules: 1, layer_kind: 'moe', stores_embedding: false, stores_head: false },
    };
    const b = countParameters(withMtp);
    expect(b.extra.mtp).toBe(45_632);
    const f = trainingFactsOf(withMtp, b, 8);
    expect([f.mtpShared, f.mtpMoeLayers, f.mtpAttentionFlopsPerToken]).toEqual([45_632 - 4 * 6_144 + 6_400, 1, 6_144]);
    const run = (mtp: boolean) =>
      evaluateDesign(
        {
          bytesPerWeight: 2,
          overhead: 0,
          constraints: [],
          qualityPlan: undefined,
          formats: { experts: 2, rest: 2, text: 'bf16' },
          serving: undefined,
          hardware: undefined,
          architecture: undefined,
          trainingCost: trainingCostPlan({ ...fixed, mtp }, toyGpu, { bf16: 0.3, fp8: 0.2 }),
        },
        { experts: 4, top_k: 2, expert_params: 12_288, shared_params: 38_208, architecture: withMtp },
      ).training!.train_flops;
    expect(run(false)).toBe(3.50592e11);
    // (350,592 + 244,608) × 1e6
    expect(run(true)).toBe(5.952e11);
  });

  it('implies the MFU from GPU-hours', () => {
    const { mfu: _m, ...rest } = fixed;
    const e = evaluate(trainingCostPlan({ ...rest, gpuHours: 1 / 3600 }, toyGpu, { bf16: 0.3, fp8: 0.2 }));
    // 3.50592e11 FLOPs in one GPU-second at 1e12 FLOP/s: 0.350592
    expect(e.training!.train_mfu).toBeCloseTo(0.350592, 12);
    expect(e.training!.train_gpu_hours).toBe(1 / 3600);
  });
});
