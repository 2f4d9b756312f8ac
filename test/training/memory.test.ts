// Training memory checked against Megatron-LM's own count and Korthikanti et al.'s published formula.
import { describe, expect, it } from 'vitest';
import {
  MIXED_PRECISION,
  activationBytes,
  bytesPerParameter,
  korthikantiBytes,
  weightOptimizerBytes,
  type Layout,
  type TrainingShape,
} from '../../src/training/memory.js';

const layout = (l: Partial<Layout>): Layout => ({
  tp: 1,
  pp: 1,
  ep: 1,
  etp: 1,
  cp: 1,
  zero: 0,
  recompute: 0,
  microBatch: 1,
  ...l,
});

/**
 * GPT-3 175B as Megatron-LM's examples/gpt3/train_gpt3_175b_distributed.sh configures it: 96 layers,
 * hidden 12288, 96 heads, seq 2048, GPT-2 vocabulary padded to 51,200 (a multiple of 128 × TP 8),
 * tied embeddings, LayerNorm with bias, GeLU MLP of 4h. Per layer, as theoretical_memory_usage.py
 * counts it (no linear biases): 2h·(4h + 2) + 2h·h·2 = 12h² + 4h = 12 × 150,994,944 + 49,152 =
 * 1,811,988,480 parameters.
 */
const h = 12288;
function gpt3(over: { h: number; a: number; L: number; V?: number; replicatedNorms?: boolean }): TrainingShape {
  const H = over.h;
  return {
    layers: over.L,
    moeLayers: 0,
    hidden: H,
    vocab: over.V ?? 51200,
    experts: 0,
    topK: 0,
    embedding: (over.V ?? 51200) * H,
    head: 2 * H, // tied output layer; the final LayerNorm (weight and bias) stays on the last stage
    moeLayerShared: 0,
    denseLayerShared: 12 * H * H + 4 * H,
    moeLayerReplicated: 0,
    // the two LayerNorms' weights and biases
    denseLayerReplicated: over.replicatedNorms ? 4 * H : 0,
    expertParamsPerLayer: 0,
    // Korthikanti et al. 2022, section 4.1, per token of one layer (bytes): attention 11h (QKV input 2h,
    // Q and K 4h, V 2h, output projection input 2h, dropout mask h) + 5·a·s (softmax output 2, its
    // dropout mask 1, dropped output 2); MLP 19h (input 2h, GeLU input 8h, GeLU output 8h, dropout
    // mask h); the two LayerNorms' inputs 4h
    actAttention: 11 * H,
    actScoreHeadsKeys: over.a * 2048,
    actNorms: 4 * H,
    actDenseMlp: 19 * H,
    actMoeShared: 0,
    actExpertFixed: 0,
    actExpertWide: 0,
    actInput: 2 * H,
  };
}

describe('weights, gradients and optimizer states (Megatron-LM)', () => {
  it('keeps 18 bytes per parameter without sharding and shards ZeRO stages as their definitions say', () => {
    expect(bytesPerParameter(MIXED_PRECISION, 0, 8)).toBe(18); // 2 bf16 + 4 fp32 grad + 12 fp32 master, m, v
    expect(bytesPerParameter(MIXED_PRECISION, 1, 8)).toBe(7.5); // 6 + 12/8: Megatron's distributed optimizer
    expect(bytesPerParameter(MIXED_PRECISION, 2, 8)).toBe(4); // 2 + (4 + 12)/8
    expect(bytesPerParameter(MIXED_PRECISION, 3, 8)).toBe(2.25); // 18/8
    expect(bytesPerParameter({ weight: 2, grad: 4, optimizer: 8 }, 0, 1)).toBe(14); // bf16 moments: 4 + 2 + 2
  });

  it("reproduces theoretical_memory_usage.py's most loaded shard of GPT-3 175B at TP 8, PP 16", () => {
    // theoretical_memory_usage.py as of commit 00caa53 (before Megatron-LM PR #4687) splits the
    // LayerNorms over TP with everything else; the shape below does the same (no replicated part)
    // Megatron: (block / PP + embedding) / TP × 18, block = 96 × 1,811,988,480 + 2h (final LayerNorm)
    //   = 173,950,918,656; / 16 = 10,871,932,416; + 51,200 × 12,288 = 629,145,600 → 11,501,078,016;
    //   / 8 = 1,437,634,752; × 18 = 25,877,425,536 bytes.
    // Here the final LayerNorm sits whole on the last stage instead of 1/16 of it on every stage, so
    // the first stage holds 2h / 16 / 8 × 18 = 3,456 bytes less: 25,877,422,080.
    const bytes = weightOptimizerBytes(gpt3({ h, a: 96, L: 96 }), layout({ tp: 8, pp: 16 }), 128, MIXED_PRECISION);
    expect(bytes).toBe(25_877_425_536 - 3_456);
    // With the distributed optimizer on 1,024 GPUs (DP 8): 6 + 12/8 = 7.5 bytes → 1,437,634,560 × 7.5
    const dist = weightOptimizerBytes(
      gpt3({ h, a: 96, L: 96 }),
      layout({ tp: 8, pp: 16, zero: 1 }),
      1024,
      MIXED_PRECISION,
    );
    expect(dist).toBe(10_782_259_200);
  });

  it('keeps norms, routers and shared-expert gates whole on every TP rank (Megatron-LM PR #4687)', () => {
    // GPT-3 175B again with its LayerNorms replicated: the stage's 6 layers × 4h = 294,912 parameters
    // are held whole instead of / 8: 294,912 × 7/8 = 258,048 more parameters × 18 = 4,644,864 bytes
    const shape = gpt3({ h, a: 96, L: 96, replicatedNorms: true });
    expect(weightOptimizerBytes(shape, layout({ tp: 8, pp: 16 }), 128, MIXED_PRECISION)).toBe(
      25_877_425_536 - 3_456 + 4_644_864,
    );
  });

  it('splits routed experts over EP × ETP and shards their optimizer over the expert data-parallel group', () => {
    // 2 MoE layers of 8 experts of 100 parameters, 50 other parameters per layer, embedding 40, head 60;
    // 16 GPUs as TP 2 × PP 1 × EP 4 × ETP 2: DP = 8, expert DP = 16 / (1 × 4 × 2) = 2.
    // dense: (2 × 50 + 40 + 60) / 2 = 100 parameters × (6 + 12/8) = 750 bytes
    // experts: 2 layers × 8/4 experts × 100 / 2 = 200 parameters × (6 + 12/2) = 2,400 bytes
    const s: TrainingShape = {
      ...gpt3({ h: 8, a: 2, L: 2 }),
      moeLayers: 2,
      experts: 8,
      topK: 2,
      embedding: 40,
      head: 60,
      moeLayerShared: 50,
      expertParamsPerLayer: 100,
    };
    expect(weightOptimizerBytes(s, layout({ tp: 2, ep: 4, etp: 2, zero: 1 }), 16, MIXED_PRECISION)).toBe(3150);
  });
});

describe("activations (Korthikanti et al. 2022, Table 2, on the paper's GPT-3 rows of Table 3)", () => {
  // s = 2048, b = 1, t = 8; the first pipeline stage holds L/p layers for each of p micro-batches in
  // flight under 1F1B: L layer-micro-batches in all, the paper's s·b·h·L·(…)/t.
  const rows = [
    // 175B: a 96, h 12288, L 96, p 8. s·b·h = 25,165,824; 5·a·s/h = 80.
    //   none: 25,165,824 × 96 × (34 + 80) / 8 = 34,426,847,232; selective: × 34 / 8 = 10,267,656,192;
    //   full: × 2 / 8 = 603,979,776
    { name: '175B', h: 12288, a: 96, L: 96, p: 8, none: 34_426_847_232, selective: 10_267_656_192, full: 603_979_776 },
    // 530B: a 128, h 20480, L 105, p 35. s·b·h = 41,943,040; 5·a·s/h = 64.
    //   none: 41,943,040 × 105 × 98 / 8 = 53,949,235,200; selective 18,717,081,600; full 1,101,004,800
    {
      name: '530B',
      h: 20480,
      a: 128,
      L: 105,
      p: 35,
      none: 53_949_235_200,
      selective: 18_717_081_600,
      full: 1_101_004_800,
    },
    // 1T: a 160, h 25600, L 128, p 64. s·b·h = 52,428,800; 5·a·s/h = 64.
    //   none: 52,428,800 × 128 × 98 / 8 = 82,208,358,400; selective 28,521,267,200; full 1,677,721,600
    {
      name: '1T',
      h: 25600,
      a: 160,
      L: 128,
      p: 64,
      none: 82_208_358_400,
      selective: 28_521_267_200,
      full: 1_677_721_600,
    },
  ];
  it.each(rows)("GPT-3 $name: the paper's formula and the per-layer model agree with the hand-worked totals", (r) => {
    const shape = gpt3({ h: r.h, a: r.a, L: r.L });
    const p = { s: 2048, b: 1, h: r.h, a: r.a, L: r.L, t: 8 };
    (['none', 'selective', 'full'] as const).forEach((recompute, i) => {
      expect(korthikantiBytes(p, recompute)).toBe(r[recompute]);
      const l = layout({ tp: 8, pp: r.p, recompute: i });
      // dropout on (the paper's model); micro-batches per step ≥ p so p are in flight
      expect(activationBytes(shape, l, 2048, 1, true, 4 * r.p)).toBe(r[recompute]);
    });
  });

  it('holds fewer micro-batches when a step has fewer than PP', () => {
    const shape = gpt3({ h, a: 96, L: 96 });
    const l = layout({ tp: 8, pp: 8, recompute: 1 });
    // 4 micro-batches per step: 4 of the 8 in flight → half of 10,267,656,192
    expect(activationBytes(shape, l, 2048, 1, true, 4)).toBe(5_133_828_096);
  });
});
