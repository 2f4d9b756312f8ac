/**
 * KV cache sizes, hand-worked from the official config.json fixtures (origins in
 * presets/configs/SOURCES.md) and toy layouts.
 */
import { describe, expect, it } from 'vitest';
import { presetConfig } from '../helpers.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import {
  attentionPatternFromHfConfig,
  gqaKvLayout,
  kvBytesPerToken,
  kvCacheBytes,
  kvCacheFromArchitecture,
  kvLayoutFromArchitecture,
  mlaKvLayout,
} from '../../src/serving/index.js';

const config = presetConfig;

describe('GQA: Mixtral 8x7B', () => {
  const cfg = config('mixtral-8x7b-v0.1.json');
  const arch = architectureFromHfConfig(cfg);
  const layout = kvLayoutFromArchitecture(arch, attentionPatternFromHfConfig(cfg));

  it('2 × 32 layers × 8 KV heads × 128 head_dim × 2 bytes = 131,072 bytes/token in bf16', () => {
    // 2 × 32 = 64; × 8 = 512; × 128 = 65,536; × 2 bytes = 131,072
    expect(kvBytesPerToken(layout, 'bf16')).toBe(131_072);
    expect(kvBytesPerToken(layout, 2)).toBe(131_072);
    expect(layout.kv_heads).toBe(8);
    // "sliding_window": null → every layer is full attention
    expect(layout).toMatchObject({ full_layers: 32, sliding_layers: 0, linear_layers: 0 });
  });

  it('32K context, batch 1 = 131,072 × 32,768 = 4 GiB; batch and fp8 scale linearly', () => {
    const one = kvCacheFromArchitecture(arch, { context: 32_768, batch: 1, kvBytes: 'bf16' });
    expect(one.total_bytes).toBe(4 * 2 ** 30); // 2^17 × 2^15 = 2^32
    const many = kvCacheFromArchitecture(arch, { context: 32_768, batch: 8, kvBytes: 'fp8' });
    expect(many.total_bytes).toBe(8 * 2 ** 31); // half the bytes per value, 8 sequences
    expect(many.per_sequence_bytes).toBe(2 ** 31);
  });

  it('a Mistral-style sliding_window on every layer caps the cache at the window', () => {
    // same shapes with "sliding_window": 4096 (Mistral 7B v0.1 style): at 32K context each
    // layer keeps 4,096 tokens → 131,072 × 4,096 = 536,870,912 bytes
    const pattern = attentionPatternFromHfConfig({ ...cfg, sliding_window: 4096 });
    expect(pattern.layer_types).toBeNull();
    const size = kvCacheFromArchitecture(arch, { context: 32_768, batch: 1, kvBytes: 'bf16' }, pattern);
    expect(size).toMatchObject({ full_bytes: 0, sliding_bytes: 536_870_912, total_bytes: 536_870_912 });
    // below the window nothing is capped: 131,072 × 1,000
    expect(kvCacheFromArchitecture(arch, { context: 1000, batch: 1, kvBytes: 2 }, pattern).total_bytes).toBe(
      131_072_000,
    );
  });
});

describe('MLA: DeepSeek-V3', () => {
  const arch = architectureFromHfConfig(config('deepseek-v3.json'));

  it('61 layers × (512 + 64) × 1 byte fp8 = 35,136 bytes/token (DeepSeek-V2 paper, arXiv:2405.04434)', () => {
    const layout = kvLayoutFromArchitecture(arch);
    // kv_lora_rank 512 + qk_rope_head_dim 64 = 576 values per layer; × 61 = 35,136
    expect(layout.values_per_token_per_layer).toBe(576);
    expect(kvBytesPerToken(layout, 'fp8')).toBe(35_136);
    // the latent is shared by all 128 heads: one "head" for tensor parallelism
    expect(layout.kv_heads).toBe(1);
  });

  it('128K context, batch 1: 35,136 × 131,072 = 4,605,345,792 bytes', () => {
    // 35,000 × 131,072 = 4,587,520,000; 136 × 131,072 = 17,825,792; sum 4,605,345,792
    const s = kvCacheFromArchitecture(arch, { context: 131_072, batch: 1, kvBytes: 1 });
    expect(s.total_bytes).toBe(4_605_345_792);
  });

  it('the plain-parameter variant agrees', () => {
    const plain = mlaKvLayout({ layers: 61, kv_lora_rank: 512, qk_rope_head_dim: 64 });
    expect(plain).toEqual(kvLayoutFromArchitecture(arch));
  });
});

describe('sliding and full layers: gpt-oss-120b', () => {
  const cfg = config('gpt-oss-120b.json');
  const arch = architectureFromHfConfig(cfg);
  const pattern = attentionPatternFromHfConfig(cfg);

  it('reads layer_types and the 128-token window', () => {
    expect(pattern.sliding_window).toBe(128);
    const layout = kvLayoutFromArchitecture(arch, pattern);
    expect(layout).toMatchObject({ full_layers: 18, sliding_layers: 18, sliding_window: 128, kv_heads: 8 });
    // per layer per token: 2 × 8 heads × 64 head_dim × 2 bytes = 2,048; × 36 layers = 73,728
    expect(kvBytesPerToken(layout, 'bf16')).toBe(73_728);
  });

  it('8K context: 18 full layers × 8,192 + 18 sliding layers × 128, × 2,048 bytes', () => {
    // 2,048 × 18 × (8,192 + 128) = 36,864 × 8,320 = 306,708,480
    const s = kvCacheFromArchitecture(arch, { context: 8192, batch: 1, kvBytes: 'bf16' }, pattern);
    expect(s.full_bytes).toBe(36_864 * 8192); // 301,989,888
    expect(s.sliding_bytes).toBe(36_864 * 128); // 4,718,592
    expect(s.total_bytes).toBe(306_708_480);
    // the Architecture carries layer_attention and the window itself, so no pattern is needed
    expect(kvCacheFromArchitecture(arch, { context: 8192, batch: 1, kvBytes: 'bf16' }).total_bytes).toBe(306_708_480);
    // ignoring the windows would overstate it: 73,728 × 8,192 = 603,979,776
    const allFull = { layer_types: null, sliding_window: null };
    expect(kvCacheFromArchitecture(arch, { context: 8192, batch: 1, kvBytes: 'bf16' }, allFull).total_bytes).toBe(
      603_979_776,
    );
  });

  it('within the window every layer still grows: 100 tokens × 73,728 = 7,372,800', () => {
    expect(kvCacheFromArchitecture(arch, { context: 100, batch: 1, kvBytes: 'bf16' }, pattern).total_bytes).toBe(
      7_372_800,
    );
  });
});

describe('configs that carry an unused window', () => {
  it('Qwen3-30B-A3B: use_sliding_window false → all layers full', () => {
    const cfg = config('qwen3-30b-a3b.json');
    const p = attentionPatternFromHfConfig({ ...cfg, sliding_window: 32_768 });
    expect(p.sliding_window).toBeNull();
    const layout = kvLayoutFromArchitecture(architectureFromHfConfig(cfg), p);
    // 48 layers, 4 KV heads × 128: 2 × 48 × 4 × 128 × 2 bytes = 98,304 bytes/token
    expect(layout.full_layers).toBe(48);
    expect(kvBytesPerToken(layout, 'bf16')).toBe(98_304);
  });
});

describe('chunked attention', () => {
  it('caps chunked layers at attention_chunk_size', () => {
    // 4 layers, 3 chunked (8,192-token chunks) + 1 full, 1 KV head × 128: 512 bytes/token/layer in bf16
    const cfg = {
      attention_chunk_size: 8192,
      layer_types: ['chunked_attention', 'chunked_attention', 'chunked_attention', 'full_attention'],
    };
    const p = attentionPatternFromHfConfig(cfg);
    expect(p).toMatchObject({ layer_types: ['sliding', 'sliding', 'sliding', 'full'], sliding_window: 8192 });
    const layout = gqaKvLayout({ layers: 4, num_key_value_heads: 1, head_dim: 128, pattern: p });
    // 128K context: 3 × 8,192 × 512 + 1 × 131,072 × 512 = 12,582,912 + 67,108,864 = 79,691,776
    expect(kvCacheBytes(layout, { context: 131_072, batch: 1, kvBytes: 'bf16' }).total_bytes).toBe(79_691_776);
    expect(() => attentionPatternFromHfConfig({ layer_types: ['chunked_attention'] })).toThrow(/attention_chunk_size/);
    expect(() =>
      attentionPatternFromHfConfig({
        sliding_window: 4096,
        attention_chunk_size: 8192,
        layer_types: ['sliding_attention', 'chunked_attention'],
      }),
    ).toThrow(/differ/);
  });
});

describe('linear-attention layers hold a fixed state', () => {
  // toy hybrid: 3 linear layers with a 1 MiB state each + 1 full GQA layer (2 KV heads × 128)
  const layout = gqaKvLayout({
    layers: 4,
    num_key_value_heads: 2,
    head_dim: 128,
    pattern: { layer_types: ['linear', 'linear', 'linear', 'full'], linear_state_bytes: 1_048_576 },
  });

  it('only the full layer grows with context', () => {
    // full: 2 × 2 × 128 = 512 values × 2 bytes = 1,024 bytes/token
    expect(kvBytesPerToken(layout, 'bf16')).toBe(1024);
    const a = kvCacheBytes(layout, { context: 1000, batch: 2, kvBytes: 'bf16' });
    // full 2 seq × 1,000 × 1,024 = 2,048,000; linear 2 seq × 3 × 1,048,576 = 6,291,456
    expect(a).toMatchObject({ full_bytes: 2_048_000, linear_bytes: 6_291_456, total_bytes: 8_339_456 });
    const b = kvCacheBytes(layout, { context: 2000, batch: 2, kvBytes: 'bf16' });
    expect(b.full_bytes).toBe(4_096_000);
    expect(b.linear_bytes).toBe(6_291_456);
  });

  it('reads linear_attention from a config; the state size must be given', () => {
    const p = attentionPatternFromHfConfig(
      { layer_types: ['linear_attention', 'full_attention'], sliding_window: null },
      4096,
    );
    expect(p).toEqual({ layer_types: ['linear', 'full'], sliding_window: null, linear_state_bytes: 4096 });
    expect(() =>
      gqaKvLayout({ layers: 2, num_key_value_heads: 1, head_dim: 8, pattern: { layer_types: ['linear', 'full'] } }),
    ).toThrow(/linear_state_bytes/);
  });
});

describe('errors', () => {
  it('rejects inconsistent patterns and bad queries', () => {
    expect(() =>
      gqaKvLayout({ layers: 3, num_key_value_heads: 1, head_dim: 8, pattern: { layer_types: ['full'] } }),
    ).toThrow(/layer_types has 1 entries but the model has 3 layers/);
    expect(() =>
      gqaKvLayout({ layers: 1, num_key_value_heads: 1, head_dim: 8, pattern: { layer_types: ['sliding'] } }),
    ).toThrow(/sliding_window/);
    const l = gqaKvLayout({ layers: 1, num_key_value_heads: 1, head_dim: 8 });
    expect(() => kvCacheBytes(l, { context: -1, batch: 1, kvBytes: 2 })).toThrow(/context/);
    expect(() => kvCacheBytes(l, { context: 1, batch: 1, kvBytes: 0 })).toThrow(/kvBytes/);
    expect(() => kvCacheBytes(l, { context: 1, batch: 1, kvBytes: 'fp4' })).toThrow(/unknown format/);
    expect(() => attentionPatternFromHfConfig({ layer_types: ['global_attention'] })).toThrow(
      /layer_types\[0\] is "global_attention"/,
    );
  });
});
