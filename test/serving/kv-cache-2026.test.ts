/**
 * KV caches of the 2026 attention kinds: DeepSeek-V4 compressed attention (CSA/HCA with the
 * uncompressed window, the indexer's compressed keys and the compressors' fixed state), MLA with
 * DSA indexer keys (GLM-5) and Gated DeltaNet linear attention (Qwen3.5), hand-worked on tiny
 * layouts first, then per token and per sequence for the five flagship configs (origins in
 * presets/configs/SOURCES.md).
 *
 * What is cached follows the reference code:
 * - DeepSeek-V4 (deepseek-ai/DeepSeek-V4-Flash inference/model.py): `Attention.kv_cache` holds
 *   window_size + max_seq_len // compress_ratio rows of head_dim (the window, then the compressed
 *   entries); `Indexer.kv_cache` holds max_seq_len // compress_ratio rows of index_head_dim (CSA
 *   layers, ratio 4); each `Compressor` holds `kv_state` and `score_state` of
 *   [coff·ratio, coff·head_dim] float32 per sequence, coff = 2 for the overlapping ratio 4, else 1.
 * - DeepSeek-V3.2's indexer (the DSA that GLM-5 uses): `k_cache` float8_e4m3fn [.., index_head_dim]
 *   and `k_scale_cache` float32 [.., index_head_dim // 128] per token.
 * - Gated DeltaNet: a recurrent state num_value_heads × key_head_dim × value_head_dim (Qwen3.5's
 *   `mamba_ssm_dtype`: float32) and the causal conv's last kernel − 1 inputs of its
 *   2·K·dk + V·dv channels (bf16).
 */
import { describe, expect, it } from 'vitest';
import { presetConfig, tinyMlaConfig } from '../helpers.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import {
  compressedKvLayout,
  compressorStateBytes,
  dsaIndexerKeyBytes,
  gqaKvLayout,
  kvBytesPerToken,
  kvBytesPerTokenLongContext,
  kvCacheBytes,
  kvFixedBytesPerSequence,
  kvLayoutFromArchitecture,
  linearStateBytes,
  mlaKvLayout,
} from '../../src/arch/kv-cache.js';

const config = presetConfig;

describe('DeepSeek-V4 compressed attention, by hand', () => {
  // 3 layers with ratios 0 (window only), 4 (CSA) and 8 (HCA); head_dim 4, window 4, index_head_dim 2
  const layout = compressedKvLayout({
    ratios: [0, 4, 8],
    head_dim: 4,
    sliding_window: 4,
    csa_ratio: 4,
    index_head_dim: 2,
  });

  it('compressor state: 2 tensors × (coff·m) × (coff·w) × 4 bytes', () => {
    // CSA main compressor: coff 2, m 4, w 4: 2 × 8 × 8 × 4 = 512; its indexer's: w 2: 2 × 8 × 4 × 4 = 256
    expect(compressorStateBytes(4, 4, true)).toBe(512);
    expect(compressorStateBytes(4, 2, true)).toBe(256);
    // HCA: coff 1, m 8, w 4: 2 × 8 × 4 × 4 = 256
    expect(compressorStateBytes(8, 4, false)).toBe(256);
    expect(layout.compressed).toEqual([
      {
        kind: 'csa',
        ratio: 4,
        layers: 1,
        window: 4,
        window_values_per_token: 4,
        entry_values: 4,
        indexer_entry_values: 2,
        state_bytes: 768,
      },
      {
        kind: 'hca',
        ratio: 8,
        layers: 1,
        window: 4,
        window_values_per_token: 4,
        entry_values: 4,
        indexer_entry_values: 0,
        state_bytes: 256,
      },
    ]);
    expect(layout).toMatchObject({
      sliding_layers: 1,
      sliding_window: 4,
      full_layers: 0,
      kv_heads: 1,
      values_per_token_per_layer: 4,
    });
  });

  it('10 tokens in bf16: windows, ⌊10/m⌋ entries, indexer keys and states', () => {
    const s = kvCacheBytes(layout, { context: 10, batch: 1, kvBytes: 'bf16' });
    // windows: 3 layers × min(10, 4) tokens × 4 values × 2 bytes = 96
    expect(s.sliding_bytes).toBe(96);
    // entries: CSA ⌊10/4⌋ = 2 × 4 values × 2 = 16; HCA ⌊10/8⌋ = 1 × 4 × 2 = 8
    expect(s.compressed_bytes).toBe(24);
    // CSA indexer keys: 2 × 2 values × 2 = 8
    expect(s.indexer_bytes).toBe(8);
    // states: 768 + 256, float32 whatever the KV dtype
    expect(s.compressor_state_bytes).toBe(1024);
    expect(s).toMatchObject({ full_bytes: 0, linear_bytes: 0, total_bytes: 1152, per_sequence_bytes: 1152 });
    // fp8 halves everything but the states: 48 + 12 + 4 + 1024
    expect(kvCacheBytes(layout, { context: 10, batch: 1, kvBytes: 'fp8' }).total_bytes).toBe(1088);
  });

  it('past the window: fixed + N × per-token, exactly when N is a multiple of every ratio', () => {
    // per token: CSA (4 + 2) × 2 / 4 = 3; HCA 4 × 2 / 8 = 1
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBe(4);
    // fixed: windows 3 × 4 × 4 × 2 = 96 + states 1,024
    expect(kvFixedBytesPerSequence(layout, 'bf16')).toBe(1120);
    // 16 tokens: 96 + entries (4 × 8 + 2 × 8 = 48) + keys (4 × 4 = 16) + 1,024 = 1,184 = 1,120 + 16 × 4
    expect(kvCacheBytes(layout, { context: 16, batch: 1, kvBytes: 'bf16' }).total_bytes).toBe(1184);
    expect(kvCacheBytes(layout, { context: 16, batch: 3, kvBytes: 'bf16' }).total_bytes).toBe(3 * 1184);
    // within the window every layer stores the token: 3 × 4 × 2 = 24, plus 3 + 1 amortised
    expect(kvBytesPerToken(layout, 'bf16')).toBe(28);
  });

  it('errors', () => {
    expect(() =>
      compressedKvLayout({ ratios: [], head_dim: 4, sliding_window: 4, csa_ratio: 4, index_head_dim: 2 }),
    ).toThrow(/at least one/);
    expect(() =>
      compressedKvLayout({ ratios: [4], head_dim: 4, sliding_window: 0, csa_ratio: 4, index_head_dim: 2 }),
    ).toThrow(/sliding_window/);
    expect(() =>
      compressedKvLayout({ ratios: [-1], head_dim: 4, sliding_window: 4, csa_ratio: 4, index_head_dim: 2 }),
    ).toThrow(/ratios\[0\]/);
  });
});

describe('MLA with DSA indexer keys, by hand', () => {
  it('132 bytes per indexer key of 128 values: 128 FP8 + one F32 scale', () => {
    expect(dsaIndexerKeyBytes(128)).toBe(132);
    expect(dsaIndexerKeyBytes(64)).toBe(68);
    expect(dsaIndexerKeyBytes(256)).toBe(264);
  });

  it('3 layers, 2 with their own indexer: latents follow the KV dtype, keys do not', () => {
    const layout = mlaKvLayout({
      layers: 3,
      kv_lora_rank: 4,
      qk_rope_head_dim: 2,
      indexer: { layers: 2, head_dim: 128 },
    });
    // bf16: 3 × (4 + 2) × 2 = 36, + 2 × 132 = 264 → 300; fp8: 18 + 264 = 282
    expect(kvBytesPerToken(layout, 'bf16')).toBe(300);
    expect(kvBytesPerTokenLongContext(layout, 'fp8')).toBe(282);
    const s = kvCacheBytes(layout, { context: 1000, batch: 2, kvBytes: 'bf16' });
    expect(s).toMatchObject({
      full_bytes: 72_000,
      indexer_bytes: 528_000,
      total_bytes: 600_000,
      per_sequence_bytes: 300_000,
    });
    expect(() =>
      mlaKvLayout({ layers: 1, kv_lora_rank: 4, qk_rope_head_dim: 2, indexer: { layers: 2, head_dim: 8 } }),
    ).toThrow(/indexer layers/);
  });

  it('a tiny glm_moe_dsa config: only layers with their own indexer cache keys', () => {
    const arch = architectureFromHfConfig(
      tinyMlaConfig({
        model_type: 'glm_moe_dsa',
        num_hidden_layers: 3,
        index_n_heads: 2,
        index_head_dim: 64,
        indexer_types: ['full', 'shared', 'full'],
      }),
    );
    const layout = kvLayoutFromArchitecture(arch);
    expect(layout).toMatchObject({ full_layers: 3, indexer_layers: 2, indexer_key_bytes_per_token: 68, kv_heads: 1 });
    // 3 × 6 × 2 + 2 × 68 = 36 + 136
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBe(172);
  });
});

describe('Gated DeltaNet: a fixed state per sequence, by hand', () => {
  it('recurrent V·dk·dv in its dtype + conv (2·K·dk + V·dv)·(kernel − 1) in bf16', () => {
    // V 2, dk 2, dv 2: recurrent 8 values × 4 bytes = 32; conv (2·1·2 + 2·2) × 3 = 24 × 2 = 48
    expect(linearStateBytes({ recurrent_elements: 8, conv_elements: 24, recurrent_dtype: 'float32' })).toBe(80);
    // without a dtype the recurrent state is bf16: 16 + 48
    expect(linearStateBytes({ recurrent_elements: 8, conv_elements: 24 })).toBe(64);
    expect(() => linearStateBytes({ recurrent_elements: 8, conv_elements: 24, recurrent_dtype: 'int3' })).toThrow(
      /unknown state dtype/,
    );
  });

  it('a tiny qwen3_5_moe config: linear layers from layer_types, state from the config', () => {
    const arch = architectureFromHfConfig({
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
        mamba_ssm_dtype: 'float32',
      },
    });
    const layout = kvLayoutFromArchitecture(arch);
    expect(layout).toMatchObject({ full_layers: 1, linear_layers: 1, linear_state_bytes: 80 });
    // the full layer: 2 × 1 KV head × 4 × 2 bytes = 16 per token; the linear layer's 80 bytes do not grow
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBe(16);
    expect(kvFixedBytesPerSequence(layout, 'bf16')).toBe(80);
    expect(kvCacheBytes(layout, { context: 100, batch: 2, kvBytes: 'bf16' })).toMatchObject({
      full_bytes: 3200,
      linear_bytes: 160,
      total_bytes: 3360,
    });
  });

  it('a pattern still overrides what the Architecture says (GQA)', () => {
    const l = gqaKvLayout({
      layers: 2,
      num_key_value_heads: 1,
      head_dim: 4,
      pattern: { layer_types: ['linear', 'full'], linear_state_bytes: 100 },
    });
    expect(kvFixedBytesPerSequence(l, 'bf16')).toBe(100);
  });
});

describe('the five flagships: per token and per sequence (bf16 unless said)', () => {
  it('DeepSeek-V4-Pro: 30 CSA + 31 HCA layers, window 128, head_dim 512, index_head_dim 128', () => {
    const arch = architectureFromHfConfig(config('deepseek-v4-pro.json'));
    const layout = kvLayoutFromArchitecture(arch);
    // compress_ratios of the 61 main layers: 128, 128, then 4, 128 alternating up to layer 60
    // → ratio 4 (CSA) at layers 2, 4, …, 60 = 30; ratio 128 (HCA) at 0, 1, 3, …, 59 = 31;
    // the 62nd ratio (0) is the MTP layer's, not counted
    expect(layout.compressed.map((g) => [g.kind, g.ratio, g.layers])).toEqual([
      ['csa', 4, 30],
      ['hca', 128, 31],
    ]);
    // per token once the window is full: CSA (512 + 128) × 2 / 4 = 320 × 30 = 9,600;
    // HCA 512 × 2 / 128 = 8 × 31 = 248 → 9,848
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBe(9848);
    // fp8: 160 × 30 + 4 × 31 = 4,924
    expect(kvBytesPerTokenLongContext(layout, 'fp8')).toBe(4924);
    // fixed: windows 61 × 128 × 512 × 2 = 7,995,392; states: CSA 2·8·1024·4 = 65,536 + indexer
    // 2·8·256·4 = 16,384 → 81,920 × 30 = 2,457,600; HCA 2·128·512·4 = 524,288 × 31 = 16,252,928
    // → 18,710,528; total 26,705,920
    expect(layout.compressed.map((g) => g.state_bytes)).toEqual([81_920, 524_288]);
    expect(kvFixedBytesPerSequence(layout, 'bf16')).toBe(26_705_920);
    // 128K = 131,072 tokens: 26,705,920 + 9,848 × 131,072 = 26,705,920 + 1,290,797,056
    const s = kvCacheBytes(layout, { context: 131_072, batch: 1, kvBytes: 'bf16' });
    expect(s).toMatchObject({
      sliding_bytes: 7_995_392,
      // CSA 30 × 32,768 entries × 1,024 bytes = 1,006,632,960; HCA 31 × 1,024 × 1,024 = 32,505,856
      compressed_bytes: 1_039_138_816,
      // CSA keys 30 × 32,768 × 128 × 2
      indexer_bytes: 251_658_240,
      compressor_state_bytes: 18_710_528,
      total_bytes: 1_317_502_976,
    });
    // the GQA branch the cache used to fall into: 2 × 1 × 512 values × 61 layers × 2 bytes = 124,928 per token
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBeLessThan(124_928 / 12);
  });

  it('Kimi K2.6: MLA, 61 layers × (512 + 64)', () => {
    const layout = kvLayoutFromArchitecture(architectureFromHfConfig(config('kimi-k2.6.json')));
    // 61 × 576 × 2 = 70,272 per token; nothing fixed; 128K: 70,272 × 131,072 = 9,210,691,584
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBe(70_272);
    expect(kvFixedBytesPerSequence(layout, 'bf16')).toBe(0);
    expect(kvCacheBytes(layout, { context: 131_072, batch: 1, kvBytes: 'bf16' }).total_bytes).toBe(9_210_691_584);
  });

  it('Qwen3.5-397B-A17B: 15 gated-attention layers + 45 Gated DeltaNet layers', () => {
    const arch = architectureFromHfConfig(config('qwen3.5-397b-a17b.json'));
    const layout = kvLayoutFromArchitecture(arch);
    expect(layout).toMatchObject({ full_layers: 15, linear_layers: 45, kv_heads: 2 });
    // full: 2 × 2 KV heads × 256 × 2 bytes = 2,048 × 15 = 30,720 per token
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBe(30_720);
    // linear state: recurrent 64 value heads × 128 × 128 = 1,048,576 float32 (mamba_ssm_dtype) = 4,194,304
    // + conv (2 × 16 × 128 + 64 × 128) × (4 − 1) = 12,288 × 3 = 36,864 bf16 = 73,728 → 4,268,032 per layer
    expect(layout.linear_state_bytes).toBe(4_268_032);
    // × 45 = 192,061,440 per sequence, whatever the context
    expect(kvFixedBytesPerSequence(layout, 'bf16')).toBe(192_061_440);
    // 128K: 30,720 × 131,072 = 4,026,531,840 + 192,061,440 = 4,218,593,280
    const s = kvCacheBytes(layout, { context: 131_072, batch: 1, kvBytes: 'bf16' });
    expect(s).toMatchObject({ full_bytes: 4_026_531_840, linear_bytes: 192_061_440, total_bytes: 4_218_593_280 });
  });

  it('GLM-5: MLA 78 × (512 + 64) + a DSA indexer key in every layer', () => {
    const layout = kvLayoutFromArchitecture(architectureFromHfConfig(config('glm-5.json')));
    expect(layout).toMatchObject({ full_layers: 78, indexer_layers: 78, indexer_key_bytes_per_token: 132 });
    // 78 × 576 × 2 = 89,856 + 78 × 132 = 10,296 → 100,152; fp8: 44,928 + 10,296 = 55,224
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBe(100_152);
    expect(kvBytesPerTokenLongContext(layout, 'fp8')).toBe(55_224);
    // 128K: 100,152 × 131,072 = 13,127,122,944
    expect(kvCacheBytes(layout, { context: 131_072, batch: 1, kvBytes: 'bf16' }).total_bytes).toBe(13_127_122_944);
  });

  it('MiniMax-M2.5: GQA 62 layers × 8 KV heads × 128', () => {
    const layout = kvLayoutFromArchitecture(architectureFromHfConfig(config('minimax-m2.5.json')));
    // 2 × 8 × 128 × 2 bytes = 4,096 × 62 = 253,952 per token; 128K: 33,285,996,544
    expect(kvBytesPerTokenLongContext(layout, 'bf16')).toBe(253_952);
    expect(kvCacheBytes(layout, { context: 131_072, batch: 1, kvBytes: 'bf16' }).total_bytes).toBe(33_285_996_544);
  });
});
