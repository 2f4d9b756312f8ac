/**
 * Weight bytes as the checkpoint stores them (src/arch/memory.ts), against the hubs' own byte
 * totals and per-dtype counts where they are published, and hand-worked tiny configs.
 *
 * Byte totals are `metadata.total_size` of a checkpoint's model.safetensors.index.json (the
 * tensors' bytes, headers excluded). Per-dtype counts are the Hub's safetensors parameter counts
 * (`HfApi().model_info(repo).safetensors.parameters`), from which bytes follow at 2 bytes per
 * BF16, 1 per F8_E4M3, 4 per F32 and 4 per int32 element.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countParameters } from '../../src/arch/count.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import { checkpointWeightBytes, type CheckpointWeightBytes } from '../../src/arch/memory.js';
import { checkpointStorageFromHfConfig, storageFromArchitecture, type StoredFormat } from '../../src/arch/storage.js';
import { tinyMlaConfig } from '../helpers.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../presets/configs/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

function weights(config: Record<string, unknown>): CheckpointWeightBytes {
  const arch = architectureFromHfConfig(config);
  return checkpointWeightBytes(arch, checkpointStorageFromHfConfig(config, arch));
}

function byFormat(w: CheckpointWeightBytes): Partial<Record<StoredFormat, { elements: number; bytes: number }>> {
  return Object.fromEntries(w.by_format.map((f) => [f.format, { elements: f.elements, bytes: f.bytes }]));
}

describe("the hubs' byte totals", () => {
  it.each([
    // mistralai/Mixtral-8x7B-v0.1 model.safetensors.index.json total_size
    ['mixtral-8x7b-v0.1.json', 93_405_585_408],
    // mistralai/Mixtral-8x22B-v0.1: 59 shards, 1,739 tensors, 281,241,268,224 tensor payload bytes
    ['mixtral-8x22b-v0.1.json', 281_241_268_224],
    // Qwen/Qwen3-30B-A3B model.safetensors.index.json total_size
    ['qwen3-30b-a3b.json', 61_064_245_248],
    // Qwen/Qwen3-235B-A22B model.safetensors.index.json total_size
    ['qwen3-235b-a22b.json', 470_187_269_120],
  ])('%s: every tensor bf16, 2 bytes per parameter = %i', (file, bytes) => {
    const w = weights(fixture(file));
    expect(w.total_bytes).toBe(bytes);
    expect(w.by_format.map((f) => f.format)).toEqual(['bf16']);
    expect(w.bf16_equivalent_bytes).toBe(bytes);
  });

  it('gpt-oss-120b: MXFP4 experts + bf16 elsewhere = 65,248,815,744 bytes (openai/gpt-oss-120b index total_size)', () => {
    const w = weights(fixture('gpt-oss-120b.json'));
    // routed experts: 36 layers × 128 × (gate_up 5,760 × 2,880 + down 2,880 × 2,880) = 114,661,785,600 FP4
    // values → 57,330,892,800 bytes, + one E8M0 scale per 32 = 3,583,180,800 bytes;
    // everything else (expert biases included) 116,829,156,672 − 114,661,785,600 = 2,167,371,072 bf16 → 4,334,742,144
    expect(byFormat(w)).toEqual({
      fp4_e2m1: { elements: 57_330_892_800, bytes: 57_330_892_800 },
      ue8m0: { elements: 3_583_180_800, bytes: 3_583_180_800 },
      bf16: { elements: 2_167_371_072, bytes: 4_334_742_144 },
    });
    expect(w.total_bytes).toBe(65_248_815_744);
    expect(w.storage).toMatchObject({ modelled: true, experts: { format: 'fp4_e2m1', group_size: 32 } });
    // the same parameters in bf16 would take 3.6 times as much
    expect(w.bf16_equivalent_bytes).toBe(2 * 116_829_156_672);
  });
});

describe("the hubs' per-dtype counts", () => {
  it('DeepSeek-V3: BF16 3,918,786,560 + F8_E4M3 680,571,043,840 + F32 41,555,600 (HF safetensors parameters)', () => {
    const w = weights(fixture('deepseek-v3.json'));
    // F32 = 41,540,496 weight_scale_inv entries + 59 × 256 e_score_correction_bias
    expect(byFormat(w)).toEqual({
      bf16: { elements: 3_918_786_560, bytes: 7_837_573_120 },
      fp8_e4m3: { elements: 680_571_043_840, bytes: 680_571_043_840 },
      f32: { elements: 41_555_600, bytes: 166_222_400 },
    });
    // 7,837,573,120 + 680,571,043,840 + 166,222,400
    expect(w.total_bytes).toBe(688_574_839_360);
  });

  it('Kimi K2.6: BF16 43,902,267,888 + F32 23,040 + I32 (counted ×8 by the Hub) 1,014,687,129,600', () => {
    const w = weights(fixture('kimi-k2.6.json'));
    // I32: 1,014,687,129,600 / 8 = 126,835,891,200 int32 elements = 126,835,752,960 packed INT4
    // weights (1,014,686,023,680 experts' weights / 8) + 138,240 weight_shape elements (69,120 linears × 2)
    const f = byFormat(w);
    expect(f.bf16).toEqual({ elements: 43_902_267_888, bytes: 87_804_535_776 });
    expect(f.f32).toEqual({ elements: 23_040, bytes: 92_160 });
    expect(f.int4).toEqual({ elements: 126_835_752_960, bytes: 507_343_011_840 });
    expect(f.i32).toEqual({ elements: 138_240, bytes: 552_960 });
    expect((f.int4!.elements + f.i32!.elements) * 8).toBe(1_014_687_129_600);
    // 87,804,535,776 + 92,160 + 507,343,011,840 + 552,960
    expect(w.total_bytes).toBe(595_148_192_736);
  });

  it('Qwen3.5-397B-A17B: BF16 + 90 F32 tensors (A_log and linear_attn.norm of the 45 Gated DeltaNet layers)', () => {
    const w = weights(fixture('qwen3.5-397b-a17b.json'));
    // F32: 45 × (64 value heads + 128 norm width) = 8,640; BF16 the rest of 403,397,928,944
    expect(byFormat(w)).toEqual({
      bf16: { elements: 403_397_920_304, bytes: 806_795_840_608 },
      f32: { elements: 8_640, bytes: 34_560 },
    });
    expect(w.stored_elements).toBe(403_397_928_944);
    expect(w.total_bytes).toBe(806_795_875_168);
  });
});

describe('checkpoints whose element totals the Hub publishes (no byte total to compare)', () => {
  it('DeepSeek-V4-Pro: 861,608,274,846 stored elements; 864,704,792,696 bytes', () => {
    const w = weights(fixture('deepseek-v4-pro.json'));
    expect(w.stored_elements).toBe(861_608_274_846);
    const f = byFormat(w);
    // routed experts, 61 main layers + the MTP layer: 62 × 384 × 3 × 7,168 × 3,072 = 1,572,763,336,704
    // FP4 values, two per byte = 786,381,668,352 bytes
    expect(f.fp4_e2m1).toEqual({ elements: 786_381_668_352, bytes: 786_381_668_352 });
    // UE8M0: one per 32 FP4 values = 49,148,854,272 + 1,414,144 FP8 block scales (model.py stores them e8m0)
    expect(f.ue8m0).toEqual({ elements: 49_150_268_416, bytes: 49_150_268_416 });
    // F32: hyper-connections 62 × 1,376,310 + 2 heads × 114,693 = 85,560,606; attn_sink 62 × 128 = 7,936;
    // compressor ape: CSA 30 × (4·2·512 + 4·2·128) = 153,600, HCA 31 × 128·512 = 2,031,616;
    // gate bias (59 non-hash MoE layers) 59 × 384 = 22,656 → 87,776,414
    expect(f.f32).toEqual({ elements: 87_776_414, bytes: 351_105_656 });
    // tid2eid of the 3 hash layers: 3 × 129,280 × 6 int64
    expect(f.i64).toEqual({ elements: 2_327_040, bytes: 18_616_320 });
    expect(f.fp8_e4m3!.bytes).toBe(23_169_335_296);
    expect(f.bf16!.elements).toBe(2_816_899_328);
    // 786,381,668,352 + 49,150,268,416 + 23,169,335,296 + 5,633,798,656 + 351,105,656 + 18,616,320
    expect(w.total_bytes).toBe(864_704_792_696);
    // the routed experts of the main model: 773,698,093,056 FP4 bytes + 48,356,130,816 scales
    expect(w.parts.find((p) => p.part === 'routed_experts')!.bytes).toBe(822_054_223_872);
    // logical parameters in bf16 would be 3.7 times the checkpoint
    expect(w.bf16_equivalent_bytes).toBe(2 * 1_598_837_347_742);
  });

  it('MiniMax-M2.5: 228,703,644,928 stored elements; FP8 with F32 block scales', () => {
    const w = weights(fixture('minimax-m2.5.json'));
    expect(w.stored_elements).toBe(228_703_644_928);
    // F32: 13,880,064 weight_scale_inv entries + 62 × 256 e_score_correction_bias
    const f = byFormat(w);
    expect(f.f32!.elements).toBe(13_880_064 + 15_872);
    // FP8: 62 × (attention 2 × 3,072 × 6,144 + 2 × 3,072 × 1,024 + 256 experts × 3 × 3,072 × 1,536)
    expect(f.fp8_e4m3!.elements).toBe(62 * (2 * 3072 * 6144 + 2 * 3072 * 1024 + 256 * 3 * 3072 * 1536));
    // bf16: embedding + head 2 × 200,064 × 3,072, norms, q/k norms, routers
    expect(w.total_bytes).toBe(f.fp8_e4m3!.bytes + f.bf16!.bytes + f.f32!.bytes);
    expect(w.total_bytes).toBe(230_024_113_152);
  });

  it('GLM-5: bf16 (its config has no quantization) with the F32 score-correction biases', () => {
    const w = weights(fixture('glm-5.json'));
    expect(w.stored_elements).toBe(753_864_139_008);
    // 76 MoE layers (75 + MTP) × 256 F32 biases = 19,456; 2 × 753,864,139,008 + 2 × 19,456
    expect(byFormat(w).f32).toEqual({ elements: 19_456, bytes: 77_824 });
    expect(w.total_bytes).toBe(1_507_728_316_928);
  });
});

describe('consistency with countParameters', () => {
  it.each([
    'mixtral-8x7b-v0.1.json',
    'deepseek-v3.json',
    'kimi-k2.json',
    'kimi-k2.6.json',
    'llama-4-maverick-17b-128e.json',
    'deepseek-v4-pro.json',
    'qwen3.5-397b-a17b.json',
    'glm-5.json',
    'minimax-m2.5.json',
    'grok-1.json',
  ])('%s: parts add up to the module counts, stored elements to stored_elements', (file) => {
    const arch = architectureFromHfConfig(fixture(file));
    const b = countParameters(arch);
    const w = checkpointWeightBytes(arch);
    const params = Object.fromEntries(w.parts.map((p) => [p.part, p.params]));
    for (const [k, v] of Object.entries(b.modules)) expect(params[k] ?? 0).toBe(v);
    expect(params.mtp ?? 0).toBe(b.extra.mtp);
    expect(params.mtp_stored_copies ?? 0).toBe(b.extra.mtp_stored_copies);
    expect(params.vision ?? 0).toBe(b.extra.vision);
    expect(w.total_params).toBe(b.total_logical);
    expect(w.stored_elements).toBe(b.stored_elements);
    expect(w.total_bytes).toBe(w.parts.reduce((a, p) => a + p.bytes, 0));
    expect(w.total_bytes).toBe(w.by_format.reduce((a, f) => a + f.bytes, 0));
  });
});

// Shared tiny DeepSeek-V3 (test/helpers.ts): d 8, 2 layers (0 dense, 1 MoE), V 16, H 2, r_q 4, r_kv 4,
// nope = rope = v = 2, 4 experts of 4, 1 shared, dense 8.
const tinyV3 = tinyMlaConfig();

describe('hand-worked tiny configs', () => {
  it('block-FP8 (4 × 4 tiles): FP8 linears + F32 scales, bf16 embeddings/norms/router, F32 score bias', () => {
    const w = weights({
      ...tinyV3,
      torch_dtype: 'bfloat16',
      quantization_config: { quant_method: 'fp8', weight_block_size: [4, 4] },
    });
    // attention per layer, [out, in] and its tiles ⌈out/4⌉·⌈in/4⌉: q_a [4,8] 32 (2), q_b [8,4] 32 (2),
    //   kv_a [6,8] 48 (4), kv_b [8,4] 32 (2), o [8,4] 32 (2) → FP8 176, scales 12; q_a/kv_a norms 8 bf16
    // dense layer 0: 3 × [8,8] = 192 FP8, 3 × 4 scales
    // MoE layer 1: 4 experts × ([4,8] + [4,8] + [8,4]) = 384 FP8, 4 × 6 scales; shared 96 FP8, 6 scales;
    //   router 4 × 8 = 32 bf16; e_score_correction_bias 4 F32
    // FP8: 2 × 176 + 192 + 384 + 96 = 1,024
    // F32: scales 24 + 12 + 24 + 6 = 66, + 4 biases = 70
    // bf16: attention norms 16 + layer norms 2 × 16 + final 8 + embedding 128 + head 128 + router 32 = 344
    expect(byFormat(w)).toEqual({
      fp8_e4m3: { elements: 1024, bytes: 1024 },
      bf16: { elements: 344, bytes: 688 },
      f32: { elements: 70, bytes: 280 },
    });
    expect(w.total_bytes).toBe(1992);
    expect(w.total_params).toBe(1024 + 344 + 4);
  });

  it('compressed-tensors INT4 experts (group 4): int32 packs of 8, BF16 scales, int32 shapes', () => {
    const w = weights({
      ...tinyV3,
      model_type: 'kimi_k2',
      quantization_config: {
        quant_method: 'compressed-tensors',
        format: 'pack-quantized',
        config_groups: {
          group_0: {
            targets: ['Linear'],
            weights: { num_bits: 4, type: 'int', strategy: 'group', symmetric: true, group_size: 4 },
          },
        },
        ignore: ['lm_head', 're:.*self_attn.*', 're:.*shared_experts.*', 're:.*mlp\\.(gate|up|gate_up|down)_proj.*'],
      },
    });
    // per expert: [4,8] → 4 × ⌈8/8⌉ = 4 int32, [4,8] → 4, [8,4] → 8 × ⌈4/8⌉ = 8: 16 int32 = 64 bytes;
    //   scales 4 × 2 + 4 × 2 + 8 × 1 = 24 bf16; shapes 3 × 2 int32; × 4 experts
    // everything else bf16: 1,372 − 384 expert weights − 4 F32 biases = 984, + 96 scales = 1,080
    expect(byFormat(w)).toEqual({
      bf16: { elements: 1080, bytes: 2160 },
      int4: { elements: 64, bytes: 256 },
      i32: { elements: 24, bytes: 96 },
      f32: { elements: 4, bytes: 16 },
    });
    expect(w.total_bytes).toBe(2528);
  });

  it('MXFP4 (gpt-oss): E2M1 two per byte + an E8M0 scale per 32, biases bf16', () => {
    const w = weights({
      model_type: 'gpt_oss',
      hidden_size: 32,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      head_dim: 16,
      vocab_size: 16,
      num_local_experts: 2,
      num_experts_per_tok: 1,
      intermediate_size: 32,
      torch_dtype: 'bfloat16',
      quantization_config: {
        quant_method: 'mxfp4',
        modules_to_not_convert: [
          'model.layers.*.self_attn',
          'model.layers.*.mlp.router',
          'model.embed_tokens',
          'lm_head',
        ],
      },
    });
    // experts: 2 × 3 × 32 × 32 = 6,144 values → 3,072 bytes; scales 2 × 3 × 32 rows × 1 = 192
    // bf16: embedding 512 + head 512 + final norm 32 + attention (q 1,024 + k 512 + v 512 + o 1,024
    //   + biases 96 + sinks 2) 3,170 + norms 64 + router 66 + expert biases 2 × 96 = 4,548
    expect(byFormat(w)).toEqual({
      bf16: { elements: 4548, bytes: 9096 },
      fp4_e2m1: { elements: 3072, bytes: 3072 },
      ue8m0: { elements: 192, bytes: 192 },
    });
    expect(w.total_bytes).toBe(12_360);
  });

  it('DeepSeek-V4 (FP8 4 × 4 with UE8M0 scales, FP4 experts): every rule of model.py', () => {
    // the tiny DeepSeek-V4 of tiny-flagship-modules.test.ts (d 8, 3 layers of ratios 0, 4, 8 + an MTP
    // layer of ratio 0, H 2 × c 4, r_q 4, G 2 × r_o 2, indexer 2 × 2, hc_mult 2, 4 experts of 6, one
    // hash layer), stored as the release is
    const v4 = {
      model_type: 'deepseek_v4',
      hidden_size: 8,
      num_hidden_layers: 3,
      vocab_size: 16,
      num_attention_heads: 2,
      num_key_value_heads: 1,
      head_dim: 4,
      q_lora_rank: 4,
      qk_rope_head_dim: 2,
      o_groups: 2,
      o_lora_rank: 2,
      compress_ratios: [0, 4, 8, 0],
      index_n_heads: 2,
      index_head_dim: 2,
      hc_mult: 2,
      n_routed_experts: 4,
      n_shared_experts: 1,
      num_experts_per_tok: 2,
      moe_intermediate_size: 6,
      num_hash_layers: 1,
      num_nextn_predict_layers: 1,
      sliding_window: 4,
      tie_word_embeddings: false,
      torch_dtype: 'bfloat16',
      expert_dtype: 'fp4',
      quantization_config: { quant_method: 'fp8', weight_block_size: [4, 4], scale_fmt: 'ue8m0' },
    };
    const w = weights(v4);
    const part = (name: string) =>
      Object.fromEntries(
        w.parts.find((p) => p.part === name)!.formats.map((s) => [`${s.format}/${s.role}`, s.elements]),
      );
    // attention per layer: attn_sink 2 F32; FP8 wq_a [4,8] 32 (2 tiles), wq_b [8,4] 32 (2), wkv [4,8] 32 (2),
    //   wo_a [4,4] 16 (1), wo_b [8,4] 32 (2) = 144 with 9 scales; q_norm + kv_norm 8 bf16; × 3 layers
    expect(part('attention')).toEqual({
      'f32/weights': 6,
      'fp8_e4m3/weights': 432,
      'ue8m0/scales': 27,
      'bf16/weights': 24,
    });
    // compressors: CSA ape 4·2·4 = 32 F32, wkv + wgate 2·8·2·4 = 128 + norm 4 bf16; HCA ape 8·1·4 = 32,
    //   wkv + wgate 2·8·4 = 64 + norm 4
    expect(part('compressors')).toEqual({ 'f32/weights': 64, 'bf16/weights': 200 });
    // CSA indexer: wq_b [4,4] 16 FP8 (1 tile); weights_proj 16 bf16; its compressor over 2: ape 16 F32,
    //   wkv + wgate 64 + norm 2 bf16
    expect(part('indexers')).toEqual({
      'fp8_e4m3/weights': 16,
      'ue8m0/scales': 1,
      'bf16/weights': 82,
      'f32/weights': 16,
    });
    // hyper-connections (F32): per block 2 × (8·2·8 + 8 + 3) = 278 × 3 + head 2·2·8 + 2 + 1 = 35 → 869
    expect(part('hyper_connections')).toEqual({ 'f32/weights': 869 });
    // routers: 3 × 32 bf16; biases in the two non-hash layers 2 × 4 F32; the hash layer's table 16 × 2 int64
    expect(part('router')).toEqual({ 'bf16/weights': 96, 'f32/weights': 8 });
    expect(part('routing_tables')).toEqual({ 'i64/tables': 32 });
    // routed experts per layer: 4 × ([6,8] + [6,8] + [8,6]) = 576 FP4 values in 4 × (24 + 24 + 24) = 288 bytes,
    //   scales 4 × (6 + 6 + 8) = 80 (one per row: every row is under 32 wide); × 3 layers
    expect(part('routed_experts')).toEqual({ 'fp4_e2m1/weights': 864, 'ue8m0/scales': 240 });
    // shared expert per layer: 144 FP8, tiles ⌈6/4⌉·⌈8/4⌉ = 4, 4, ⌈8/4⌉·⌈6/4⌉ = 4; × 3
    expect(part('shared_experts')).toEqual({ 'fp8_e4m3/weights': 432, 'ue8m0/scales': 36 });
    // MTP: enorm/hnorm/norm 24 + attention norms 8 + layer norms 16 + router 32 = 80 bf16;
    //   FP8 e_proj + h_proj 128 + attention 144 + shared 144 = 416; UE8M0 8 + 9 + experts 80 + shared 12 = 109;
    //   F32 head hc 35 + sinks 2 + block hc 278 + bias 4 = 319; experts 288 FP4 bytes
    expect(part('mtp')).toEqual({
      'bf16/weights': 80,
      'fp8_e4m3/weights': 416,
      'ue8m0/scales': 109,
      'f32/weights': 319,
      'fp4_e2m1/weights': 288,
    });
    // bytes: bf16 794 × 2 = 1,588; FP8 1,296; UE8M0 413; F32 1,282 × 4 = 5,128; FP4 1,152; int64 32 × 8 = 256
    expect(w.total_bytes).toBe(1588 + 1296 + 413 + 5128 + 1152 + 256);
    expect(w.total_params).toBe(5676);
  });

  it('Gated DeltaNet A_log and gated norm are F32', () => {
    const cfg = {
      model_type: 'qwen3_5_moe',
      text_config: {
        hidden_size: 8,
        num_hidden_layers: 2,
        vocab_size: 16,
        num_attention_heads: 2,
        num_key_value_heads: 1,
        head_dim: 4,
        layer_types: ['linear_attention', 'full_attention'],
        linear_num_key_heads: 1,
        linear_key_head_dim: 2,
        linear_num_value_heads: 2,
        linear_value_head_dim: 2,
        linear_conv_kernel_dim: 4,
        num_experts: 4,
        num_experts_per_tok: 2,
        moe_intermediate_size: 4,
        shared_expert_intermediate_size: 4,
        dtype: 'bfloat16',
      },
    };
    const w = weights(cfg);
    // one linear layer: A_log 2 value heads + norm 2 = 4 F32 (16 bytes); every other parameter bf16
    expect(byFormat(w).f32).toEqual({ elements: 4, bytes: 16 });
    expect(w.total_bytes).toBe(2 * (w.total_params - 4) + 16);
  });
});

describe('storage read from the config', () => {
  it('the dtype: float32 and float16 configs', () => {
    const mixtral = fixture('mixtral-8x7b-v0.1.json');
    expect(weights({ ...mixtral, torch_dtype: 'float32' }).total_bytes).toBe(4 * 46_702_792_704);
    expect(weights({ ...mixtral, torch_dtype: 'float16' }).by_format.map((f) => f.format)).toEqual(['f16']);
    const none = weights({ ...mixtral, torch_dtype: undefined });
    expect(none.storage.notes.join(' ')).toMatch(/no dtype: bf16 assumed/);
  });

  it('a quantisation not modelled is said, and the weights are given in the base dtype', () => {
    const mixtral = fixture('mixtral-8x7b-v0.1.json');
    const w = weights({ ...mixtral, quantization_config: { quant_method: 'gptq', bits: 4 } });
    expect(w.storage.modelled).toBe(false);
    expect(w.storage.notes.join(' ')).toMatch(/quantised \(gptq\) in a way not modelled/);
    expect(w.total_bytes).toBe(93_405_585_408);
  });

  it("from the Architecture alone: block-FP8 scales F32, DeepSeek-V4's UE8M0", () => {
    expect(storageFromArchitecture(architectureFromHfConfig(fixture('deepseek-v3.json')))).toMatchObject({
      fp8_block: 128,
      fp8_scale: 'f32',
      experts: null,
    });
    expect(storageFromArchitecture(architectureFromHfConfig(fixture('deepseek-v4-pro.json')))).toMatchObject({
      fp8_block: 128,
      fp8_scale: 'ue8m0',
      experts: { format: 'fp4_e2m1', group_size: 32, scale: 'ue8m0' },
    });
  });
});
