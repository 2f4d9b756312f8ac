/**
 * KV cache values at the edges of src/arch/kv-cache.ts: argument bounds taken exactly at the
 * boundary (context 0, batch 0, a context equal to the window, indexer layers equal to the full
 * layers), every spelling of a state dtype, compressed layers listed out of order, and the
 * config-reading rules. Every number is worked out by hand in the comment next to it, on layouts
 * small enough to check (a few layers, head_dim 2–8).
 */
import { describe, expect, it } from 'vitest';
import { presetConfig, tinyMlaConfig } from '../helpers.js';
import { architectureFromHfConfig } from '../../src/arch/hf-config/index.js';
import type { Architecture } from '../../src/arch/types.js';
import {
  attentionPatternFromHfConfig,
  compressedKvLayout,
  compressorStateBytes,
  dsaIndexerKeyBytes,
  gqaKvLayout,
  kvBytesPerToken,
  kvBytesPerTokenLongContext,
  kvCacheBytes,
  kvCacheFromArchitecture,
  kvFixedBytesPerSequence,
  kvLayoutFromArchitecture,
  kvValueBytes,
  linearStateBytes,
  mlaKvLayout,
} from '../../src/arch/kv-cache.js';

/** 2 layers, 2 KV heads of head_dim 4: 2 × 2 × 4 = 16 values per token per layer. */
const tiny = (pattern?: Parameters<typeof gqaKvLayout>[0]['pattern']) =>
  gqaKvLayout({ layers: 2, num_key_value_heads: 2, head_dim: 4, ...(pattern ? { pattern } : {}) });

describe('argument bounds, exactly at the boundary', () => {
  it('context 0 caches nothing that grows; the fixed states are still there', () => {
    // 1 full layer (16 values × 2 bytes = 32 per token) + 1 linear layer with a 100-byte state
    const l = tiny({ layer_types: ['full', 'linear'], linear_state_bytes: 100 });
    expect(kvCacheBytes(l, { context: 0, batch: 3, kvBytes: 2 })).toEqual({
      full_bytes: 0,
      sliding_bytes: 0,
      compressed_bytes: 0,
      indexer_bytes: 0,
      linear_bytes: 300, // 3 sequences × 1 layer × 100
      compressor_state_bytes: 0,
      total_bytes: 300,
      per_sequence_bytes: 100,
    });
  });

  it('batch 0 is allowed and gives 0 bytes, 0 per sequence (no division by zero)', () => {
    const s = kvCacheBytes(tiny(), { context: 10, batch: 0, kvBytes: 2 });
    expect(s.total_bytes).toBe(0);
    expect(s.per_sequence_bytes).toBe(0);
  });

  it('batch 1: per sequence equals the total (2 layers × 16 values × 2 bytes × 10 tokens = 640)', () => {
    const s = kvCacheBytes(tiny(), { context: 10, batch: 1, kvBytes: 2 });
    expect(s).toMatchObject({ full_bytes: 640, total_bytes: 640, per_sequence_bytes: 640 });
  });

  it('negative, fractional and non-number context/batch are rejected with their name', () => {
    const l = tiny();
    expect(() => kvCacheBytes(l, { context: 1.5, batch: 1, kvBytes: 2 })).toThrow(
      'context must be an integer >= 0, got 1.5',
    );
    expect(() => kvCacheBytes(l, { context: 1, batch: -1, kvBytes: 2 })).toThrow(
      'batch must be an integer >= 0, got -1',
    );
    expect(() => kvCacheBytes(l, { context: '8' as unknown as number, batch: 1, kvBytes: 2 })).toThrow(
      'context must be an integer >= 0, got 8',
    );
  });

  it('head_dim, KV heads and layers of exactly 1 are accepted; 0 is not', () => {
    // 1 layer × 2 × 1 head × 1 = 2 values × 2 bytes = 4 bytes per token
    expect(kvBytesPerToken(gqaKvLayout({ layers: 1, num_key_value_heads: 1, head_dim: 1 }), 2)).toBe(4);
    expect(() => gqaKvLayout({ layers: 1, num_key_value_heads: 1, head_dim: 0 })).toThrow(
      'head_dim must be an integer >= 1, got 0',
    );
    expect(() => gqaKvLayout({ layers: 1, num_key_value_heads: 0, head_dim: 1 })).toThrow(
      'num_key_value_heads must be an integer >= 1, got 0',
    );
    expect(() => gqaKvLayout({ layers: 0, num_key_value_heads: 1, head_dim: 1 })).toThrow(
      'layers must be an integer >= 1, got 0',
    );
    expect(() => gqaKvLayout({ layers: 1, num_key_value_heads: 1.5, head_dim: 1 })).toThrow(/num_key_value_heads/);
    expect(() => gqaKvLayout({ layers: 1, num_key_value_heads: null as unknown as number, head_dim: 1 })).toThrow(
      'num_key_value_heads must be an integer >= 1, got null',
    );
  });

  it('kvBytes: any positive finite number is taken as is; 0, negative, NaN and Infinity are not', () => {
    expect(kvValueBytes(0.5)).toBe(0.5);
    expect(kvValueBytes('fp8')).toBe(1);
    expect(kvValueBytes('bf16')).toBe(2);
    expect(() => kvValueBytes(0)).toThrow('kvBytes must be > 0, got 0');
    expect(() => kvValueBytes(-2)).toThrow('kvBytes must be > 0, got -2');
    expect(() => kvValueBytes(Number.NaN)).toThrow('kvBytes must be > 0, got NaN');
    expect(() => kvValueBytes(Number.POSITIVE_INFINITY)).toThrow('kvBytes must be > 0, got Infinity');
  });
});

describe('sliding windows at the boundary', () => {
  // 1 full + 1 sliding layer, window 4; 16 values × 2 bytes = 32 bytes per token per layer
  const l = tiny({ layer_types: ['full', 'sliding'], sliding_window: 4 });

  it('context exactly the window: the sliding layer holds all 4 tokens', () => {
    // full 4 × 32 = 128; sliding min(4, 4) × 32 = 128
    expect(kvCacheBytes(l, { context: 4, batch: 1, kvBytes: 2 })).toMatchObject({
      full_bytes: 128,
      sliding_bytes: 128,
      total_bytes: 256,
    });
  });

  it('one token past the window: only the full layer grows', () => {
    // full 5 × 32 = 160; sliding still 4 × 32 = 128
    expect(kvCacheBytes(l, { context: 5, batch: 2, kvBytes: 2 })).toMatchObject({
      full_bytes: 320,
      sliding_bytes: 256,
      total_bytes: 576,
      per_sequence_bytes: 288,
    });
  });

  it('per token within the window (both layers) and past it (the full layer), fixed = the window', () => {
    expect(kvBytesPerToken(l, 2)).toBe(64); // (1 + 1) × 32
    expect(kvBytesPerTokenLongContext(l, 2)).toBe(32); // 1 × 32
    expect(kvFixedBytesPerSequence(l, 2)).toBe(128); // 1 layer × 4 tokens × 32
    // fixed + N × per-token for N past the window: 128 + 10 × 32 = 448 = 10 × 32 + 4 × 32
    expect(kvCacheBytes(l, { context: 10, batch: 1, kvBytes: 2 }).total_bytes).toBe(448);
  });

  it('a window with no sliding layer is dropped from the layout; a linear state with no linear layer too', () => {
    const all = tiny({ layer_types: ['full', 'full'], sliding_window: 4, linear_state_bytes: 100 });
    expect(all).toMatchObject({
      full_layers: 2,
      sliding_layers: 0,
      sliding_window: null,
      linear_layers: 0,
      linear_state_bytes: 0,
    });
    expect(kvFixedBytesPerSequence(all, 2)).toBe(0);
  });

  it('no pattern, or a pattern without a window: every layer is full', () => {
    expect(tiny()).toEqual({
      values_per_token_per_layer: 16,
      kv_heads: 2,
      full_layers: 2,
      sliding_layers: 0,
      sliding_window: null,
      linear_layers: 0,
      linear_state_bytes: 0,
      indexer_layers: 0,
      indexer_key_bytes_per_token: 0,
      compressed: [],
    });
    expect(tiny({ layer_types: null, sliding_window: null })).toMatchObject({ full_layers: 2, sliding_layers: 0 });
  });

  it('Mistral convention: a window without layer types makes every layer slide', () => {
    expect(tiny({ sliding_window: 4 })).toMatchObject({ full_layers: 0, sliding_layers: 2, sliding_window: 4 });
  });

  it('the three layer kinds are counted separately', () => {
    const l3 = gqaKvLayout({
      layers: 6,
      num_key_value_heads: 1,
      head_dim: 2,
      pattern: {
        layer_types: ['full', 'sliding', 'linear', 'sliding', 'linear', 'linear'],
        sliding_window: 8,
        linear_state_bytes: 10,
      },
    });
    expect(l3).toMatchObject({ full_layers: 1, sliding_layers: 2, linear_layers: 3, linear_state_bytes: 10 });
  });

  it('sliding layers need a window >= 1; linear layers a state > 0', () => {
    expect(() => tiny({ layer_types: ['full', 'sliding'], sliding_window: 0 })).toThrow(
      'sliding_window must be an integer >= 1, got 0',
    );
    expect(() => tiny({ layer_types: ['full', 'linear'], linear_state_bytes: 0 })).toThrow(/linear_state_bytes/);
    expect(() => tiny({ layer_types: ['full', 'linear'], linear_state_bytes: '100' as unknown as number })).toThrow(
      /linear_state_bytes/,
    );
    // a state of 1 byte is enough
    expect(tiny({ layer_types: ['full', 'linear'], linear_state_bytes: 1 }).linear_state_bytes).toBe(1);
  });
});

describe('MLA and DSA indexer keys at the boundary', () => {
  it('qk_rope_head_dim 0 is allowed: the latent alone (r_kv 4 → 4 values)', () => {
    const l = mlaKvLayout({ layers: 2, kv_lora_rank: 4, qk_rope_head_dim: 0 });
    expect(l.values_per_token_per_layer).toBe(4);
    expect(kvBytesPerToken(l, 1)).toBe(8); // 2 layers × 4 × 1 byte
    expect(() => mlaKvLayout({ layers: 2, kv_lora_rank: 0, qk_rope_head_dim: 2 })).toThrow(/kv_lora_rank/);
    expect(() => mlaKvLayout({ layers: 0, kv_lora_rank: 4, qk_rope_head_dim: 2 })).toThrow(
      'layers must be an integer >= 1, got 0',
    );
    expect(() => mlaKvLayout({ layers: 2, kv_lora_rank: 4, qk_rope_head_dim: -1 })).toThrow(/qk_rope_head_dim/);
  });

  it('an indexer in every full layer is allowed (n = full layers); one more is not', () => {
    const l = mlaKvLayout({ layers: 2, kv_lora_rank: 4, qk_rope_head_dim: 2, indexer: { layers: 2, head_dim: 128 } });
    // 2 × (4 + 2) × 2 bytes = 24 + 2 × 132 = 264 → 288
    expect(l).toMatchObject({ indexer_layers: 2, indexer_key_bytes_per_token: 132 });
    expect(kvBytesPerToken(l, 2)).toBe(288);
    expect(() =>
      mlaKvLayout({ layers: 2, kv_lora_rank: 4, qk_rope_head_dim: 2, indexer: { layers: 3, head_dim: 128 } }),
    ).toThrow('3 indexer layers but only 2 full-attention layers');
  });

  it('an indexer is only checked against the full layers, not the sliding ones', () => {
    const pattern = { layer_types: ['full', 'sliding'] as const, sliding_window: 4 };
    expect(() =>
      mlaKvLayout({ layers: 2, kv_lora_rank: 4, qk_rope_head_dim: 2, pattern, indexer: { layers: 2, head_dim: 8 } }),
    ).toThrow('2 indexer layers but only 1 full-attention layers');
  });

  it('an indexer in 0 layers caches no key bytes, whatever its head_dim', () => {
    const l = mlaKvLayout({ layers: 2, kv_lora_rank: 4, qk_rope_head_dim: 2, indexer: { layers: 0, head_dim: 128 } });
    expect(l).toMatchObject({ indexer_layers: 0, indexer_key_bytes_per_token: 0 });
    expect(() =>
      mlaKvLayout({ layers: 2, kv_lora_rank: 4, qk_rope_head_dim: 2, indexer: { layers: -1, head_dim: 128 } }),
    ).toThrow(/indexer\.layers/);
  });

  it('indexer key bytes: FP8 values + 4 bytes per started block of 128', () => {
    // 1 → 1 + 4·⌈1/128⌉ = 5; 129 → 129 + 4·2 = 137; 200 → 200 + 8 = 208
    expect(dsaIndexerKeyBytes(1)).toBe(5);
    expect(dsaIndexerKeyBytes(129)).toBe(137);
    expect(dsaIndexerKeyBytes(200)).toBe(208);
    expect(() => dsaIndexerKeyBytes(0)).toThrow(/index_head_dim/);
  });

  it('indexer bytes in the cache: batch × layers × context × key bytes (2 × 1 × 3 × 5 = 30)', () => {
    const l = mlaKvLayout({ layers: 1, kv_lora_rank: 1, qk_rope_head_dim: 0, indexer: { layers: 1, head_dim: 1 } });
    // latent: 2 × 1 × 3 × 1 × 2 bytes = 12; keys: 30
    expect(kvCacheBytes(l, { context: 3, batch: 2, kvBytes: 2 })).toMatchObject({
      full_bytes: 12,
      indexer_bytes: 30,
      total_bytes: 42,
    });
    expect(kvBytesPerTokenLongContext(l, 2)).toBe(7); // 2 + 5
  });
});

describe('DeepSeek-V4 compressed layouts', () => {
  it('ratios in any order: groups sorted by ratio, layers of one ratio added up', () => {
    // ratios 8, 4, 0, 4, 8, 8: HCA (8) × 3, CSA (4) × 2, window-only × 1
    const l = compressedKvLayout({
      ratios: [8, 4, 0, 4, 8, 8],
      head_dim: 2,
      sliding_window: 3,
      csa_ratio: 4,
      index_head_dim: 1,
    });
    expect(l.compressed.map((g) => [g.kind, g.ratio, g.layers])).toEqual([
      ['csa', 4, 2],
      ['hca', 8, 3],
    ]);
    expect(l.sliding_layers).toBe(1);
    // states: CSA 2·(2·4)·(2·2)·4 = 256 + indexer 2·8·2·4 = 128 → 384; HCA 2·8·2·4 = 128
    expect(l.compressed.map((g) => g.state_bytes)).toEqual([384, 128]);
    // ratios 10 and 9 (CSA = 9): sorted numerically, not as text ("10" < "9")
    const n = compressedKvLayout({ ratios: [10, 9], head_dim: 1, sliding_window: 1, csa_ratio: 9, index_head_dim: 1 });
    expect(n.compressed.map((g) => g.ratio)).toEqual([9, 10]);
  });

  it('every argument is checked', () => {
    const ok = { ratios: [4], head_dim: 2, sliding_window: 2, csa_ratio: 4, index_head_dim: 2 };
    expect(() => compressedKvLayout({ ...ok, head_dim: 0 })).toThrow('head_dim must be an integer >= 1, got 0');
    expect(() => compressedKvLayout({ ...ok, csa_ratio: 0 })).toThrow('csa_ratio must be an integer >= 1, got 0');
    expect(() => compressedKvLayout({ ...ok, index_head_dim: 0 })).toThrow(
      'index_head_dim must be an integer >= 1, got 0',
    );
    expect(() => compressedKvLayout({ ...ok, ratios: [4, 1.5] })).toThrow('ratios[1] must be an integer >= 0, got 1.5');
    expect(() => compressedKvLayout({ ...ok, ratios: [] })).toThrow('ratios must list at least one layer');
    expect(() => compressorStateBytes(0, 1, false)).toThrow(/ratio/);
    expect(() => compressorStateBytes(1, 0, false)).toThrow(/width/);
  });

  it('a context exactly one ratio and exactly the window (head_dim 2, window 4, CSA ratio 4, index_head_dim 1)', () => {
    const l = compressedKvLayout({ ratios: [4], head_dim: 2, sliding_window: 4, csa_ratio: 4, index_head_dim: 1 });
    // context 4, 1 byte: window min(4, 4) × 2 = 8; ⌊4/4⌋ = 1 entry × 2 = 2; 1 key × 1 = 1;
    // state 2·8·4·4 = 256 + indexer 2·8·2·4 = 128 → 384
    expect(kvCacheBytes(l, { context: 4, batch: 1, kvBytes: 1 })).toMatchObject({
      sliding_bytes: 8,
      compressed_bytes: 2,
      indexer_bytes: 1,
      compressor_state_bytes: 384,
      total_bytes: 395,
    });
    // context 3: ⌊3/4⌋ = 0 entries, window 3 × 2 = 6
    expect(kvCacheBytes(l, { context: 3, batch: 1, kvBytes: 1 })).toMatchObject({
      sliding_bytes: 6,
      compressed_bytes: 0,
      indexer_bytes: 0,
      total_bytes: 390,
    });
    // per token in the window: 2 (window) + (2 + 1) / 4 amortised = 2.75; past it 0.75; fixed 8 + 384
    expect(kvBytesPerToken(l, 1)).toBe(2.75);
    expect(kvBytesPerTokenLongContext(l, 1)).toBe(0.75);
    expect(kvFixedBytesPerSequence(l, 1)).toBe(392);
  });
});

describe('linear-attention state bytes: every dtype spelling', () => {
  // 3 recurrent elements, 5 conv elements (bf16: 10 bytes)
  it.each([
    ['float32', 22],
    ['fp32', 22],
    ['f32', 22],
    [' Float32 ', 22],
    ['bfloat16', 16],
    ['bf16', 16],
    ['float16', 16],
    ['fp16', 16],
    ['f16', 16],
    ['BF16', 16],
  ])('%s: 3 × bytes + 5 × 2 = %i', (dtype, bytes) => {
    expect(linearStateBytes({ recurrent_elements: 3, conv_elements: 5, recurrent_dtype: dtype })).toBe(bytes);
  });

  it('counts of 0 are allowed, negative counts are not', () => {
    expect(linearStateBytes({ recurrent_elements: 0, conv_elements: 0 })).toBe(0);
    expect(() => linearStateBytes({ recurrent_elements: -1, conv_elements: 0 })).toThrow(/recurrent_elements/);
    expect(() => linearStateBytes({ recurrent_elements: 0, conv_elements: -1 })).toThrow(/conv_elements/);
    expect(() => linearStateBytes({ recurrent_elements: 1, conv_elements: 1, recurrent_dtype: 'int8' })).toThrow(
      'unknown state dtype "int8"; expected float32, bfloat16 or float16',
    );
  });
});

describe('attention patterns read from a config', () => {
  it('no object: nothing known', () => {
    for (const c of [null, undefined, 42, 'x']) {
      expect(attentionPatternFromHfConfig(c)).toEqual({
        layer_types: null,
        sliding_window: null,
        linear_state_bytes: null,
      });
    }
  });

  it('text_config is read when present (multimodal configs), the top level otherwise', () => {
    const inner = { sliding_window: 64, layer_types: ['sliding_attention', 'full_attention'] };
    expect(attentionPatternFromHfConfig({ sliding_window: 8, text_config: inner })).toEqual({
      layer_types: ['sliding', 'full'],
      sliding_window: 64,
      linear_state_bytes: null,
    });
    expect(attentionPatternFromHfConfig({ sliding_window: 8, text_config: null }).sliding_window).toBe(8);
  });

  it('use_sliding_window: only false drops the window', () => {
    expect(attentionPatternFromHfConfig({ sliding_window: 8, use_sliding_window: true }).sliding_window).toBe(8);
    expect(attentionPatternFromHfConfig({ sliding_window: 8, use_sliding_window: false }).sliding_window).toBeNull();
    expect(attentionPatternFromHfConfig({ sliding_window: '8' }).sliding_window).toBeNull();
  });

  it('sliding_attention without a window is full attention; with one, sliding', () => {
    expect(attentionPatternFromHfConfig({ layer_types: ['sliding_attention'] }).layer_types).toEqual(['full']);
    expect(
      attentionPatternFromHfConfig({ layer_types: ['sliding_attention'], sliding_window: 8, use_sliding_window: false })
        .layer_types,
    ).toEqual(['full']);
  });

  it('chunked and sliding layers may share one window when it equals the chunk size', () => {
    const p = attentionPatternFromHfConfig({
      sliding_window: 16,
      attention_chunk_size: 16,
      layer_types: ['sliding_attention', 'chunked_attention', 'full_attention'],
    });
    expect(p).toEqual({ layer_types: ['sliding', 'sliding', 'full'], sliding_window: 16, linear_state_bytes: null });
    // a window on a config whose sliding_attention layers are absent does not clash with the chunk
    const q = attentionPatternFromHfConfig({
      sliding_window: 4,
      attention_chunk_size: 16,
      layer_types: ['chunked_attention', 'full_attention'],
    });
    expect(q.sliding_window).toBe(16);
    // sliding_attention with no window is full attention, so it does not clash with the chunk either
    expect(
      attentionPatternFromHfConfig({
        attention_chunk_size: 16,
        layer_types: ['sliding_attention', 'chunked_attention'],
      }),
    ).toEqual({ layer_types: ['full', 'sliding'], sliding_window: 16, linear_state_bytes: null });
    // a chunk size that is not a number is missing
    expect(() =>
      attentionPatternFromHfConfig({ attention_chunk_size: '16', layer_types: ['chunked_attention'] }),
    ).toThrow('layer_types has chunked_attention but attention_chunk_size is missing');
    // a chunk size without chunked layers is ignored
    expect(
      attentionPatternFromHfConfig({ attention_chunk_size: 16, layer_types: ['full_attention'] }).sliding_window,
    ).toBeNull();
  });

  it('an unknown layer type is named with its index', () => {
    expect(() => attentionPatternFromHfConfig({ layer_types: ['full_attention', 7] })).toThrow(
      'layer_types[1] is 7; expected full_attention, sliding_attention, chunked_attention or linear_attention',
    );
  });
});

describe('layouts from an Architecture', () => {
  // 3 layers, the first dense; DSA indexer keys of 64 dims
  const glm = architectureFromHfConfig(
    tinyMlaConfig({ model_type: 'glm_moe_dsa', num_hidden_layers: 3, index_n_heads: 2, index_head_dim: 64 }),
  );

  it('a DSA indexer without a layer list runs in every main layer', () => {
    expect(glm.attention_type).toBe('mla');
    const arch = { ...glm, dsa_indexer: { n_heads: 2, head_dim: 64, layers: null } } as Architecture;
    // 3 layers × 68 bytes
    expect(kvLayoutFromArchitecture(arch)).toMatchObject({ indexer_layers: 3, indexer_key_bytes_per_token: 68 });
  });

  it('indexer layer lists: duplicates once, indices outside 0..L-1 (MTP layers) not at all', () => {
    const arch = { ...glm, dsa_indexer: { n_heads: 2, head_dim: 64, layers: [2, 0, 0, 3, -1] } } as Architecture;
    // {0, 2}: 2 layers
    expect(kvLayoutFromArchitecture(arch).indexer_layers).toBe(2);
    const last = { ...glm, dsa_indexer: { n_heads: 2, head_dim: 64, layers: [2] } } as Architecture;
    expect(kvLayoutFromArchitecture(last).indexer_layers).toBe(1);
    const first = { ...glm, dsa_indexer: { n_heads: 2, head_dim: 64, layers: [0] } } as Architecture;
    expect(kvLayoutFromArchitecture(first).indexer_layers).toBe(1);
  });

  it('an MLA model without an indexer caches the latent alone', () => {
    const arch = { ...glm, dsa_indexer: null } as Architecture;
    // 3 × (4 + 2) × 2 = 36
    expect(kvLayoutFromArchitecture(arch)).toMatchObject({ indexer_layers: 0, indexer_key_bytes_per_token: 0 });
    expect(kvBytesPerToken(kvLayoutFromArchitecture(arch), 2)).toBe(36);
  });

  it('an MLA model with a sliding pattern from its Architecture', () => {
    const arch = {
      ...glm,
      dsa_indexer: null,
      layer_attention: ['full', 'sliding', 'full'],
      sliding_window: 2,
    } as Architecture;
    const l = kvLayoutFromArchitecture(arch);
    expect(l).toMatchObject({ full_layers: 2, sliding_layers: 1, sliding_window: 2 });
    // context 5, 1 byte: full 2 × 5 × 6 = 60; sliding 1 × 2 × 6 = 12
    expect(kvCacheFromArchitecture(arch, { context: 5, batch: 1, kvBytes: 1 }).total_bytes).toBe(72);
  });

  it('a GQA Architecture: layer kinds csa/hca are refused outside DeepSeek-V4', () => {
    const mixtral = architectureFromHfConfig(presetConfig('mixtral-8x7b-v0.1.json'));
    const bad = { ...mixtral, layer_attention: new Array(32).fill('full').fill('hca', 5, 6) } as Architecture;
    expect(() => kvLayoutFromArchitecture(bad)).toThrow(
      'layer 5 is hca attention, which only DeepSeek-V4 (csa_hca) layouts have',
    );
  });

  it('a linear layer without a state in the Architecture cannot be sized', () => {
    const mixtral = architectureFromHfConfig(presetConfig('mixtral-8x7b-v0.1.json'));
    const kinds = new Array(32).fill('full').fill('linear', 0, 1);
    expect(() =>
      kvLayoutFromArchitecture({ ...mixtral, layer_attention: kinds, linear_attention_state: null } as Architecture),
    ).toThrow(/linear_state_bytes/);
    // with a state of 3 bf16 recurrent + 5 conv elements: 16 bytes
    const withState = {
      ...mixtral,
      layer_attention: kinds,
      linear_attention_state: { recurrent_elements: 3, conv_elements: 5 },
    } as Architecture;
    expect(kvLayoutFromArchitecture(withState)).toMatchObject({
      linear_layers: 1,
      linear_state_bytes: 16,
      full_layers: 31,
    });
  });

  it('DeepSeek-V4: needs its window, refuses a pattern, counts only the main layers', () => {
    const v4 = architectureFromHfConfig(presetConfig('deepseek-v4-pro.json'));
    expect(() => kvLayoutFromArchitecture({ ...v4, sliding_window: null } as Architecture)).toThrow(
      'DeepSeek-V4 attention needs sliding_window (the uncompressed window)',
    );
    expect(() => kvLayoutFromArchitecture(v4, { layer_types: null })).toThrow(
      'an attention pattern cannot override DeepSeek-V4 compress ratios',
    );
    // 61 main layers + 1 MTP layer in compress_ratios; the MTP ratio (0) is not a window-only layer
    if (v4.attention_type !== 'csa_hca') throw new Error('expected DeepSeek-V4 attention');
    expect(v4.compress_ratios.length).toBe(62);
    expect(kvLayoutFromArchitecture(v4).sliding_layers).toBe(0);
  });
});
