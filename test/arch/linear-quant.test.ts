/**
 * 4-bit storage of every linear for any family, from the quantization_config: NVFP4 (ModelOpt,
 * compressed-tensors nvfp4-pack-quantized), AutoAWQ GEMM, GPTQ and compressed-tensors INT4, with
 * their scale tensors; hand-worked on tiny configs.
 */
import { describe, expect, it } from 'vitest';
import { inspectConfig } from '../../src/arch/inspect.js';
import { quantLinear } from '../../src/arch/storage.js';

/** d 256, 2 layers, 4 q / 2 kv heads x 64, 4 experts of 192 (top 2), vocab 1000: as in fp8-every-family.test.ts. */
const tiny = {
  model_type: 'qwen3_moe',
  hidden_size: 256,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 64,
  num_experts: 4,
  num_experts_per_tok: 2,
  moe_intermediate_size: 192,
  vocab_size: 1000,
  tie_word_embeddings: false,
  torch_dtype: 'bfloat16',
};
const plain = inspectConfig(tiny);
// quantisable weights per layer: q 256·256 + k 128·256 + v 128·256 + o 256·256 = 196,608 and
// 4 experts × 3 × 192·256 = 589,824 → 786,432; two layers 1,572,864

describe('one linear', () => {
  it('NVFP4: [out, in/2] bytes, an FP8 scale per 16, two F32 per-tensor scales', () => {
    const q = quantLinear({ format: 'nvfp4', group_size: 16 }, [256, 192]);
    // 256·96 = 24,576 bytes; 256·12 = 3,072 scales
    expect(q.weight).toEqual({ format: 'fp4_e2m1', elements: 24_576 });
    expect(q.scales).toEqual([
      { format: 'fp8_e4m3', elements: 3_072 },
      { format: 'f32', elements: 2 },
    ]);
    expect(q.hub).toBe(24_576 + 3_072 + 2);
  });

  it('AWQ and GPTQ: packed along different axes, with zero points; GPTQ adds g_idx', () => {
    // [out 100, in 300], group 128: 3 groups (the last partial)
    const awq = quantLinear({ format: 'int4_awq', group_size: 128 }, [100, 300]);
    // qweight [300, ceil(100/8) = 13] = 3,900; qzeros [3, 13] = 39; scales [3, 100] = 300
    expect(awq.weight.elements).toBe(3_900);
    expect(awq.scales.map((s) => s.elements)).toEqual([300, 39]);
    expect(awq.hub).toBe(8 * 3_900 + 300 + 8 * 39);
    const gptq = quantLinear({ format: 'int4_gptq', group_size: 128 }, [100, 300]);
    // qweight [ceil(300/8) = 38, 100] = 3,800; g_idx [300]
    expect(gptq.weight.elements).toBe(3_800);
    expect(gptq.shapes).toBe(300);
    expect(gptq.hub).toBe(8 * 3_800 + 300 + 8 * 39 + 8 * 300);
  });
});

describe('a whole checkpoint', () => {
  it('NVFP4 (ModelOpt): every attention and expert linear packed, with its scales', () => {
    const r = inspectConfig({
      ...tiny,
      quantization_config: {
        quant_method: 'modelopt',
        quant_algo: 'NVFP4',
        group_size: 16,
        exclude_modules: ['lm_head'],
      },
    });
    // per layer: attention weights 196,608/2 = 98,304 bytes, scales 196,608/16 = 12,288 + 4 × 2 F32;
    // experts 589,824/2 = 294,912 bytes, scales 36,864 + 12 × 2 → per layer 49,184 scales
    // two layers: 98,368 scales; the packed weights are 1,572,864/2 = 786,432 elements fewer
    expect(r.breakdown.quant_scales).toBe(98_368);
    expect(r.total_logical).toBe(plain.total_logical);
    expect(r.stored_elements).toBe(plain.total_logical - 786_432 + 98_368);
    // the Hub counts each stored element once
    expect(r.total_checkpoint).toBe(r.stored_elements);
    expect(r.notes.join(' ')).toContain('NVFP4');
    // bytes: the packed weights 786,432 bytes, FP8 scales 98,304, F32 scalars 64 × 4
    const fp4 = r.memory.weights.by_format.find((x) => x.format === 'fp4_e2m1');
    expect(fp4?.bytes).toBe(786_432);
    expect(r.memory.weights.by_format.find((x) => x.format === 'fp8_e4m3')?.bytes).toBe(98_304);
  });

  it('compressed-tensors nvfp4-pack-quantized reads as NVFP4', () => {
    const r = inspectConfig({
      ...tiny,
      quantization_config: {
        quant_method: 'compressed-tensors',
        format: 'nvfp4-pack-quantized',
        ignore: ['lm_head'],
        config_groups: {
          group_0: { targets: ['Linear'], weights: { num_bits: 4, type: 'float', strategy: 'group', group_size: 16 } },
        },
      },
    });
    expect(r.breakdown.quant_scales).toBe(98_368);
  });

  it('AWQ (GEMM, group 128): int32-packed weights, F16 scales and int32 zero points per group', () => {
    const r = inspectConfig({
      ...tiny,
      quantization_config: { quant_method: 'awq', bits: 4, group_size: 128, version: 'gemm', zero_point: true },
    });
    // per layer: attention qweight 24,576, zeros 192, scales 1,536; experts qweight 73,728,
    // zeros 640, scales 5,120 → 98,304 int32 + 832 zeros + 6,656 scales; two layers ×2
    expect(r.breakdown.quant_scales).toBe(2 * (832 + 6_656));
    expect(r.stored_elements).toBe(plain.total_logical - 1_572_864 + 2 * 98_304 + 2 * (832 + 6_656));
    // the Hub: int32 elements 8 times (the packed weights back to 1,572,864, zeros 8 × 1,664), scales once
    expect(r.total_checkpoint).toBe(plain.total_logical + 8 * 1_664 + 13_312);
  });

  it('GPTQ (group 128) adds an int32 g_idx of in per linear', () => {
    const r = inspectConfig({
      ...tiny,
      quantization_config: { quant_method: 'gptq', bits: 4, group_size: 128, desc_act: false, sym: true },
    });
    // g_idx per layer: attention 4 × 256, experts 4 × (256 + 256 + 192) → 3,840; two layers 7,680
    expect(r.breakdown.quant_shape_elements).toBe(7_680);
    expect(r.total_checkpoint).toBe(plain.total_logical + 8 * 1_664 + 13_312 + 8 * 7_680);
  });

  it('compressed-tensors INT4 (group 32): one BF16 scale per 32, an int32 shape per linear', () => {
    const r = inspectConfig({
      ...tiny,
      quantization_config: {
        quant_method: 'compressed-tensors',
        format: 'pack-quantized',
        ignore: ['lm_head'],
        config_groups: {
          group_0: {
            targets: ['Linear'],
            weights: { num_bits: 4, type: 'int', symmetric: true, strategy: 'group', group_size: 32 },
          },
        },
      },
    });
    // scales = quantised weights / 32: 1,572,864 / 32 = 49,152; shapes 2 × 16 linears per layer × 2 = 64
    expect(r.breakdown.quant_scales).toBe(49_152);
    expect(r.breakdown.quant_shape_elements).toBe(64);
  });

  it('a module left unconverted that the count would quantise: not modelled, said in the notes', () => {
    const r = inspectConfig({
      ...tiny,
      quantization_config: {
        quant_method: 'modelopt',
        quant_algo: 'NVFP4',
        exclude_modules: ['lm_head', 'model.layers.*.self_attn*'],
      },
    });
    expect(r.breakdown.quant_scales).toBe(0);
    expect(r.stored_elements).toBeNull();
    expect(r.notes.join(' ')).toContain('not modelled');
  });

  it('any family: Snowflake Arctic in NVFP4 packs its residual MLP too', () => {
    const arctic = {
      model_type: 'arctic',
      hidden_size: 8,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      vocab_size: 16,
      intermediate_size: 6,
      num_local_experts: 4,
      num_experts_per_tok: 2,
      moe_layer_frequency: 1,
      parallel_attn_mlp_res: true,
    };
    const base = inspectConfig(arctic);
    const r = inspectConfig({ ...arctic, quantization_config: { quant_method: 'modelopt', quant_algo: 'NVFP4' } });
    // per layer, in/16 rounds up to one scale per row:
    //   attention q [8,8] 32 bytes + 8 scales, k [4,8] 16 + 4, v 16 + 4, o 32 + 8 → 96 bytes, 24 + 4·2 = 32 scales
    //   each expert gate/up [6,8] 24 + 6, down [8,6] 24 + 8 → 72 bytes, 20 + 3·2 = 26 scales; 4 experts 288, 104
    //   residual MLP 3 × [8,8] → 96 bytes, 24 + 3·2 = 30 scales
    //   → 480 bytes for 960 weights, 166 scales; two layers: 960 fewer elements, 332 scales
    expect(r.breakdown.quant_scales).toBe(332);
    expect(r.total_checkpoint).toBe(base.total_logical - 960 + 332);
  });
});
